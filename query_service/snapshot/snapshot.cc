#include "query_service/snapshot/snapshot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <google/protobuf/arena.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

#include "query_service/snapshot/interner.h"

namespace govreport::query {
namespace {

int16_t ClampYear(int32_t year) {
  return static_cast<int16_t>(std::clamp<int32_t>(year, -32768, 32767));
}

// `name` without the report's own prefix: the snapshot keeps relative names
// (sections/2) and restores full ones on the way out.
void Relativize(absl::string_view prefix, std::string* name) {
  if (absl::StartsWith(*name, prefix)) name->erase(0, prefix.size());
}

void Absolutize(absl::string_view report_name, std::string* name) {
  if (!name->empty() && !absl::StartsWith(*name, "regions/")) {
    *name = absl::StrCat(report_name, "/", *name);
  }
}

// A report's view of the global interner: repeated texts (units, slugs)
// take the global lock once per report, not once per observation.
class LocalInterner {
 public:
  const std::string* Intern(absl::string_view text) {
    auto it = cache_.find(text);
    if (it != cache_.end()) return it->second;
    const std::string* interned = Interner::Global().Intern(text);
    cache_.emplace(*interned, interned);
    return interned;
  }

 private:
  absl::flat_hash_map<absl::string_view, const std::string*> cache_;
};

// Builds the compact record of `obs` and appends its stripped serialized
// form to `entry->blob`. `prefix` is the report's name and a slash.
void AddObservation(v1::Observation& obs, absl::string_view prefix,
                    LocalInterner& interner, ReportEntry* entry) {
  ObservationEntry o;
  o.report = entry;
  o.indicator =
      interner.Intern(absl::StripPrefix(obs.indicator(), "indicators/"));
  o.subject = interner.Intern(obs.subject_text());
  o.unit = interner.Intern(obs.quantity().unit());
  o.effective_value = obs.quantity().has_effective_value()
                          ? obs.quantity().effective_value()
                          : std::numeric_limits<double>::quiet_NaN();
  o.reference_first_year = ClampYear(obs.reference_period().first_year());
  o.reference_last_year = ClampYear(obs.reference_period().last_year());
  o.value_type = static_cast<uint8_t>(obs.value_type());
  o.kind = static_cast<uint8_t>(obs.kind());
  o.comparator = static_cast<uint8_t>(obs.quantity().comparator());
  // What the compact record holds, and the names (derived from the report
  // and the position), are restored on the way out: the blob keeps only
  // the rest.
  obs.clear_name();
  obs.clear_region();
  obs.clear_report();
  obs.clear_indicator();
  obs.clear_subject_text();
  obs.clear_value_type();
  obs.clear_kind();
  obs.clear_reference_period();
  obs.mutable_quantity()->clear_unit();
  obs.mutable_quantity()->clear_comparator();
  obs.mutable_quantity()->clear_effective_value();
  Relativize(prefix, obs.mutable_section());
  Relativize(prefix, obs.mutable_measure());
  if (obs.has_source()) {
    obs.mutable_source()->clear_report();
    Relativize(prefix, obs.mutable_source()->mutable_section());
  }
  o.blob_offset = static_cast<uint32_t>(entry->blob.size());
  obs.AppendToString(&entry->blob);
  o.blob_size = static_cast<uint32_t>(entry->blob.size() - o.blob_offset);
  entry->observations.push_back(o);
}

}  // namespace

int32_t ObservationEntry::reference_year() const {
  return reference_last_year != 0 ? reference_last_year : report->key.year;
}

int32_t ObservationEntry::ordinal() const {
  return static_cast<int32_t>(this - report->observations.data()) + 1;
}

absl::StatusOr<std::shared_ptr<const ReportEntry>> ReportEntry::FromRow(
    const ReportRow& row) {
  // Parsing on an arena: one allocation per block instead of per field.
  google::protobuf::Arena arena;
  v1::Report& report =
      *google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
  if (!report.ParseFromString(row.report)) {
    return absl::DataLossError(absl::StrCat("report ", row.key.region_code, "/",
                                            row.key.year,
                                            " is not a valid Report"));
  }
  auto entry = std::make_shared<ReportEntry>();
  entry->key = row.key;
  entry->name =
      absl::StrCat("regions/", row.key.region_code, "/reports/", row.key.year);
  entry->version = row.version;
  entry->extractor_version = report.extractor_version();
  entry->measure_count = report.measures_size();
  entry->observations.reserve(report.observations_size());
  const std::string prefix = absl::StrCat(entry->name, "/");
  LocalInterner interner;
  for (v1::Observation& obs : *report.mutable_observations()) {
    AddObservation(obs, prefix, interner, entry.get());
  }
  report.clear_observations();
  report.set_name(entry->name);
  report.set_region(absl::StrCat("regions/", row.key.region_code));
  report.set_year(row.key.year);
  if (row.ingest_time != absl::InfinitePast()) {
    const int64_t micros = absl::ToUnixMicros(row.ingest_time);
    report.mutable_ingest_time()->set_seconds(micros / 1000000);
    report.mutable_ingest_time()->set_nanos(
        static_cast<int32_t>(micros % 1000000) * 1000);
  }
  report.SerializeToString(&entry->report_bytes);
  entry->blob.shrink_to_fit();
  return std::shared_ptr<const ReportEntry>(std::move(entry));
}

Snapshot::Snapshot(int64_t data_version, std::vector<ReportPtr> reports)
    : data_version_(data_version), reports_(std::move(reports)) {
  std::sort(
      reports_.begin(), reports_.end(),
      [](const ReportPtr& a, const ReportPtr& b) { return a->key < b->key; });
  std::set<std::string> extractors;
  for (const ReportPtr& report : reports_) {
    const int32_t year = report->key.year;
    years_.first = years_.first == 0 ? year : std::min(years_.first, year);
    years_.second = std::max(years_.second, year);
    if (!report->extractor_version.empty()) {
      extractors.insert(report->extractor_version);
    }
    observation_count_ += report->observations.size();
    for (const ObservationEntry& obs : report->observations) {
      if (obs.indicator->empty()) continue;
      by_indicator_year_[{obs.indicator, obs.reference_year()}].push_back(&obs);
      slugs_.emplace(*obs.indicator, obs.indicator);
      by_region_indicator_[{report->key.region_code, obs.indicator}]
          .observations.push_back(&obs);
    }
  }
  extractor_versions_.assign(extractors.begin(), extractors.end());
  for (auto& [key, series] : by_region_indicator_) {
    ObsList& list = series.observations;
    std::stable_sort(list.begin(), list.end(),
                     [](const ObservationEntry* a, const ObservationEntry* b) {
                       return a->reference_year() < b->reference_year();
                     });
    list.shrink_to_fit();
    series.years.reserve(list.size());
    for (const ObservationEntry* obs : list) {
      series.years.push_back(ClampYear(obs->reference_year()));
    }
  }
  for (auto& [key, list] : by_indicator_year_) list.shrink_to_fit();
}

std::string Snapshot::data_version_string() const {
  return absl::StrCat(data_version_);
}

const ReportEntry* Snapshot::FindReport(absl::string_view region_code,
                                        int32_t year) const {
  auto it = std::lower_bound(
      reports_.begin(), reports_.end(), std::make_pair(region_code, year),
      [](const ReportPtr& r, const std::pair<absl::string_view, int32_t>& k) {
        return std::make_pair(absl::string_view(r->key.region_code),
                              r->key.year) < k;
      });
  if (it == reports_.end() || (*it)->key.region_code != region_code ||
      (*it)->key.year != year) {
    return nullptr;
  }
  return it->get();
}

absl::Span<const ReportPtr> Snapshot::ReportsOf(
    absl::string_view region_code) const {
  auto lo = std::lower_bound(reports_.begin(), reports_.end(), region_code,
                             [](const ReportPtr& r, absl::string_view c) {
                               return absl::string_view(r->key.region_code) < c;
                             });
  auto hi = std::upper_bound(lo, reports_.end(), region_code,
                             [](absl::string_view c, const ReportPtr& r) {
                               return c < absl::string_view(r->key.region_code);
                             });
  return absl::MakeConstSpan(reports_.data() + (lo - reports_.begin()),
                             static_cast<size_t>(hi - lo));
}

absl::Span<const ObservationEntry* const> Snapshot::ByIndicatorYear(
    absl::string_view indicator, int32_t year) const {
  const std::string* interned = FindSlug(indicator);
  if (interned == nullptr) return {};
  auto it = by_indicator_year_.find(std::make_pair(interned, year));
  if (it == by_indicator_year_.end()) return {};
  return it->second;
}

absl::Span<const ObservationEntry* const> Snapshot::ByRegionIndicator(
    absl::string_view region_code, absl::string_view indicator) const {
  const std::string* interned = FindSlug(indicator);
  if (interned == nullptr) return {};
  auto it = by_region_indicator_.find(std::make_pair(region_code, interned));
  if (it == by_region_indicator_.end()) return {};
  return it->second.observations;
}

absl::Span<const ObservationEntry* const> Snapshot::ByRegionIndicatorYear(
    absl::string_view region_code, absl::string_view indicator,
    int32_t year) const {
  const std::string* interned = FindSlug(indicator);
  if (interned == nullptr) return {};
  auto it = by_region_indicator_.find(std::make_pair(region_code, interned));
  if (it == by_region_indicator_.end()) return {};
  const RegionSeries& series = it->second;
  auto [lo, hi] = std::equal_range(series.years.begin(), series.years.end(),
                                   ClampYear(year));
  return absl::MakeConstSpan(
      series.observations.data() + (lo - series.years.begin()),
      static_cast<size_t>(hi - lo));
}

const std::string* Snapshot::FindSlug(absl::string_view indicator) const {
  auto it = slugs_.find(indicator);
  return it == slugs_.end() ? nullptr : it->second;
}

size_t Snapshot::ApproximateBytes() const {
  size_t bytes = sizeof(*this) + reports_.capacity() * sizeof(ReportPtr);
  for (const ReportPtr& r : reports_) {
    bytes += sizeof(ReportEntry) + 16 /* shared_ptr control block */ +
             r->report_bytes.capacity() + r->blob.capacity() +
             r->observations.capacity() * sizeof(ObservationEntry) +
             r->name.capacity() + r->key.region_code.capacity();
  }
  // Each index entry: a pointer in a vector, plus the map slot and vector.
  constexpr size_t kSlot =
      sizeof(std::pair<std::pair<const void*, int32_t>, ObsList>);
  for (const auto& [key, list] : by_indicator_year_) {
    bytes += kSlot + list.capacity() * sizeof(void*);
  }
  constexpr size_t kSeriesSlot =
      sizeof(std::pair<std::pair<const void*, const void*>, RegionSeries>);
  for (const auto& [key, series] : by_region_indicator_) {
    bytes += kSeriesSlot + series.observations.capacity() * sizeof(void*) +
             series.years.capacity() * sizeof(int16_t);
  }
  return bytes;
}

v1::Observation Snapshot::ObservationProto(const ObservationEntry& entry) {
  v1::Observation obs;
  const ReportEntry& report = *entry.report;
  obs.ParseFromArray(report.blob.data() + entry.blob_offset,
                     static_cast<int>(entry.blob_size));
  if (!entry.indicator->empty()) {
    obs.set_indicator(absl::StrCat("indicators/", *entry.indicator));
  }
  obs.set_subject_text(*entry.subject);
  obs.set_value_type(static_cast<v1::ValueType>(entry.value_type));
  obs.set_kind(static_cast<v1::ObservationKind>(entry.kind));
  if (entry.reference_first_year != 0 || entry.reference_last_year != 0) {
    obs.mutable_reference_period()->set_first_year(entry.reference_first_year);
    obs.mutable_reference_period()->set_last_year(entry.reference_last_year);
  }
  if (!entry.unit->empty() || entry.comparator != 0 || entry.has_value()) {
    v1::Quantity* quantity = obs.mutable_quantity();
    quantity->set_unit(*entry.unit);
    quantity->set_comparator(static_cast<v1::Comparator>(entry.comparator));
    if (entry.has_value()) quantity->set_effective_value(entry.effective_value);
  }
  obs.set_name(absl::StrCat(report.name, "/observations/", entry.ordinal()));
  obs.set_region(absl::StrCat("regions/", report.key.region_code));
  obs.set_report(report.name);
  Absolutize(report.name, obs.mutable_section());
  Absolutize(report.name, obs.mutable_measure());
  if (obs.has_source()) {
    obs.mutable_source()->set_report(report.name);
    Absolutize(report.name, obs.mutable_source()->mutable_section());
  }
  return obs;
}

v1::Report Snapshot::ReportProto(const ReportEntry& entry, bool full) {
  v1::Report report;
  report.ParseFromString(entry.report_bytes);
  if (!full) {
    report.clear_sections();
    report.clear_measures();
    return report;
  }
  for (const ObservationEntry& obs : entry.observations) {
    *report.add_observations() = ObservationProto(obs);
  }
  return report;
}

}  // namespace govreport::query
