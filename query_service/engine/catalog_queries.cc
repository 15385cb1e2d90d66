// CatalogService reads, and the lookups the other queries share.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"
#include "query_service/engine/page_token.h"
#include "query_service/engine/query_engine.h"
#include "query_service/engine/resource_names.h"

namespace govreport::query {
namespace {

// The catalog is immutable, so its pages are not bound to a data version.
constexpr int64_t kCatalogPageVersion = 0;
constexpr PageLimits kRegionPages{100, 1000};
constexpr PageLimits kIndicatorPages{100, 1000};
constexpr size_t kMaxBatchRegions = 1000;
// A subtree parent that stands for the whole catalog.
constexpr absl::string_view kAllRegions = "regions/-";

v1::RegionLevel LevelProto(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return v1::REGION_LEVEL_PROVINCE;
    case RegionLevel::kPrefecture:
      return v1::REGION_LEVEL_PREFECTURE;
    case RegionLevel::kCounty:
      return v1::REGION_LEVEL_COUNTY;
    case RegionLevel::kUnspecified:
      break;
  }
  return v1::REGION_LEVEL_UNSPECIFIED;
}

RegionLevel LevelFromProto(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_PROVINCE:
      return RegionLevel::kProvince;
    case v1::REGION_LEVEL_PREFECTURE:
      return RegionLevel::kPrefecture;
    case v1::REGION_LEVEL_COUNTY:
      return RegionLevel::kCounty;
    default:
      return RegionLevel::kUnspecified;
  }
}

v1::ValueType ValueTypeFromName(absl::string_view name) {
  if (name == "level") return v1::VALUE_TYPE_LEVEL;
  if (name == "growth_rate") return v1::VALUE_TYPE_GROWTH_RATE;
  if (name == "change") return v1::VALUE_TYPE_CHANGE;
  return v1::VALUE_TYPE_UNSPECIFIED;
}

}  // namespace

v1::Region RegionProto(const RegionEntry& entry) {
  v1::Region region;
  region.set_name(RegionName(entry.code));
  region.set_division_code(entry.code);
  region.set_display_name(entry.name);
  region.set_level(LevelProto(entry.level));
  if (!entry.parent_code.empty()) {
    region.set_parent(RegionName(entry.parent_code));
  }
  for (const auto& code : entry.former_codes) {
    region.add_former_division_codes(code);
  }
  for (const auto& name : entry.former_names) {
    region.add_former_display_names(name);
  }
  for (const auto& name : entry.ancestor_names) {
    region.add_ancestor_display_names(name);
  }
  return region;
}

v1::Indicator IndicatorProto(const IndicatorEntry& entry) {
  v1::Indicator indicator;
  indicator.set_name(IndicatorName(entry.slug));
  indicator.set_display_name(entry.display_name);
  for (const auto& alias : entry.aliases) indicator.add_aliases(alias);
  indicator.set_canonical_unit(entry.canonical_unit);
  for (const auto& type : entry.value_types) {
    indicator.add_value_types(ValueTypeFromName(type));
  }
  indicator.set_description(entry.description);
  return indicator;
}

absl::StatusOr<const RegionEntry*> QueryEngine::FindRegion(
    absl::string_view name, absl::string_view field) const {
  GOVREPORT_ASSIGN_OR_RETURN(std::string code, ParseRegionName(name, field));
  const RegionEntry* entry = regions_.FindByCode(code);
  if (entry == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(field, ": region ", Abbreviate(name), " not found"));
  }
  return entry;
}

absl::StatusOr<const IndicatorEntry*> QueryEngine::FindIndicator(
    absl::string_view name, absl::string_view field) const {
  GOVREPORT_ASSIGN_OR_RETURN(std::string slug, ParseIndicatorName(name, field));
  const IndicatorEntry* entry = indicators_.FindBySlug(slug);
  if (entry == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(field, ": indicator ", Abbreviate(name), " not found"));
  }
  return entry;
}

absl::StatusOr<std::vector<const RegionEntry*>> QueryEngine::SelectRegions(
    const v1::RegionSelector& selector, absl::string_view field) const {
  std::vector<const RegionEntry*> selected;
  switch (selector.selector_case()) {
    case v1::RegionSelector::kRegionList: {
      const auto& names = selector.region_list().names();
      if (names.empty() || names.size() > static_cast<int>(kMaxBatchRegions)) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".region_list.names: give 1 to ",
                         kMaxBatchRegions, " regions, got ", names.size()));
      }
      for (int i = 0; i < names.size(); ++i) {
        // The field's full name is built only for the error message.
        absl::StatusOr<const RegionEntry*> entry = FindRegion(names[i], field);
        if (!entry.ok()) {
          return FindRegion(names[i],
                            absl::StrCat(field, ".region_list.names[", i, "]"))
              .status();
        }
        selected.push_back(*entry);
      }
      break;
    }
    case v1::RegionSelector::kSubtree: {
      GOVREPORT_RETURN_IF_ERROR(CheckEnum(absl::StrCat(field, ".subtree.level"),
                                          selector.subtree().level(),
                                          v1::RegionLevel_IsValid));
      const RegionLevel level = LevelFromProto(selector.subtree().level());
      if (selector.subtree().parent() == kAllRegions) {
        for (const RegionEntry& entry : regions_.All()) {
          if (level == RegionLevel::kUnspecified || entry.level == level) {
            selected.push_back(&entry);
          }
        }
        return selected;  // All() is sorted by code already
      }
      GOVREPORT_ASSIGN_OR_RETURN(
          const RegionEntry* parent,
          FindRegion(selector.subtree().parent(),
                     absl::StrCat(field, ".subtree.parent")));
      // Descendants are sorted by code and distinct.
      return regions_.Descendants(parent->code, level);
    }
    case v1::RegionSelector::SELECTOR_NOT_SET:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": required; set region_list or subtree"));
  }
  std::sort(selected.begin(), selected.end(),
            [](const RegionEntry* a, const RegionEntry* b) {
              return a->code < b->code;
            });
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  return selected;
}

absl::StatusOr<v1::GetRegionResponse> QueryEngine::GetRegion(
    const Snapshot& snapshot, const v1::GetRegionRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(const RegionEntry* entry,
                             FindRegion(request.name(), "name"));
  v1::GetRegionResponse response;
  *response.mutable_region() = RegionProto(*entry);
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::ListRegionsResponse> QueryEngine::ListRegions(
    const Snapshot& snapshot, const v1::ListRegionsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kRegionPages, kCatalogPageVersion));
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("level", request.level(), v1::RegionLevel_IsValid));
  const RegionLevel level = LevelFromProto(request.level());
  std::vector<const RegionEntry*> matching;
  if (!request.parent().empty()) {
    GOVREPORT_ASSIGN_OR_RETURN(const RegionEntry* parent,
                               FindRegion(request.parent(), "parent"));
    matching = level == RegionLevel::kUnspecified
                   ? regions_.Children(parent->code)
                   : regions_.Descendants(parent->code, level);
  } else {
    // No parent: the provinces, or every region at the requested level.
    const RegionLevel wanted =
        level == RegionLevel::kUnspecified ? RegionLevel::kProvince : level;
    for (const RegionEntry& entry : regions_.All()) {
      if (entry.level == wanted) matching.push_back(&entry);
    }
  }
  v1::ListRegionsResponse response;
  FillPage(page, matching, response, [&](const auto& item) {
    *response.add_regions() = RegionProto(*item);
  });
  response.set_total_size(static_cast<int32_t>(matching.size()));
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::BatchGetRegionsResponse> QueryEngine::BatchGetRegions(
    const Snapshot& snapshot, const v1::BatchGetRegionsRequest& request) const {
  if (request.names().empty() ||
      request.names_size() > static_cast<int>(kMaxBatchRegions)) {
    return absl::InvalidArgumentError(
        absl::StrCat("names: give 1 to ", kMaxBatchRegions, " names, got ",
                     request.names_size()));
  }
  v1::BatchGetRegionsResponse response;
  for (int i = 0; i < request.names_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const RegionEntry* entry,
        FindRegion(request.names(i), absl::StrCat("names[", i, "]")));
    *response.add_regions() = RegionProto(*entry);
  }
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::GetIndicatorResponse> QueryEngine::GetIndicator(
    const Snapshot& snapshot, const v1::GetIndicatorRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(const IndicatorEntry* entry,
                             FindIndicator(request.name(), "name"));
  v1::GetIndicatorResponse response;
  *response.mutable_indicator() = IndicatorProto(*entry);
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::ListIndicatorsResponse> QueryEngine::ListIndicators(
    const Snapshot& snapshot, const v1::ListIndicatorsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kIndicatorPages, kCatalogPageVersion));
  std::vector<const IndicatorEntry*> matching;
  if (request.query().empty()) {
    for (const IndicatorEntry& entry : indicators_.All()) {
      matching.push_back(&entry);
    }
  } else {
    matching = indicators_.Search(request.query());
  }
  v1::ListIndicatorsResponse response;
  FillPage(page, matching, response, [&](const auto& item) {
    *response.add_indicators() = IndicatorProto(*item);
  });
  response.set_data_version(snapshot.data_version_string());
  return response;
}

v1::GetDataSnapshotResponse QueryEngine::GetDataSnapshot(
    const Snapshot& snapshot) const {
  v1::GetDataSnapshotResponse response;
  response.set_data_version(snapshot.data_version_string());
  response.set_region_count(static_cast<int32_t>(regions_.All().size()));
  response.set_report_count(static_cast<int32_t>(snapshot.reports().size()));
  response.mutable_report_years()->set_first_year(
      snapshot.report_years().first);
  response.mutable_report_years()->set_last_year(
      snapshot.report_years().second);
  for (const auto& version : snapshot.extractor_versions()) {
    response.add_extractor_versions(version);
  }
  return response;
}

}  // namespace govreport::query
