// QueryService: comparisons across regions and years, target evaluation,
// bulk reads and coverage.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"
#include "query_service/engine/page_token.h"
#include "query_service/engine/query_engine.h"
#include "query_service/engine/resource_names.h"
#include "query_service/engine/series.h"
#include "query_service/snapshot/observation_wire.h"

namespace govreport::query {
namespace {

constexpr PageLimits kComparePages{200, 1000};
constexpr PageLimits kBulkPages{500, 5000};
constexpr int kMaxYearRegions = 100;
constexpr int kMaxYearSpan = 100;
constexpr int kMaxCoverageIndicators = 50;
// The latest year a request may name: figures are about four-digit years
// (see PrepareReport), and the series arithmetic (year + 1) must not
// overflow.
constexpr int32_t kMaxYear = 9999;

absl::Status YearAfterMax(absl::string_view field, int32_t year) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be at most ", kMaxYear, ", got ", year));
}

absl::Status Required(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
}

// One row of a comparison before it becomes a proto: small and trivially
// copyable, with the sort key inline, so that ordering thousands of rows
// moves no vectors and follows no pointers.
struct Row {
  const RegionEntry* region;
  const SeriesPoint* point;  // owned by the Comparison; null when `kept`
  const std::string* kept;   // the row as the row cache keeps it, or null
  uint64_t shard_id;         // to keep the row by; 0: not to be kept
  double value;              // the chosen value when available
  bool available;
};

// Sorts rows in the requested order: available rows by value (ties by
// code), unavailable rows last by code; or every row by code.
void OrderRows(v1::RowOrder order, std::vector<Row>& rows) {
  const bool ascending = order == v1::ROW_ORDER_VALUE_ASCENDING;
  const bool by_code = order == v1::ROW_ORDER_DIVISION_CODE;
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (!by_code && a.available != b.available) return a.available;
    if (!by_code && a.available && a.value != b.value) {
      return ascending ? a.value < b.value : a.value > b.value;
    }
    return a.region->code < b.region->code;
  });
}

v1::Summary Summarize(const std::vector<Row>& rows) {
  v1::Summary summary;
  std::vector<double> values;
  values.reserve(rows.size());
  for (const Row& row : rows) {
    if (row.available) values.push_back(row.value);
  }
  summary.set_available_count(static_cast<int32_t>(values.size()));
  summary.set_unavailable_count(
      static_cast<int32_t>(rows.size() - values.size()));
  if (!values.empty()) {
    summary.set_min_value(*std::min_element(values.begin(), values.end()));
    summary.set_max_value(*std::max_element(values.begin(), values.end()));
    summary.set_median_value(Median(values));
  }
  return summary;
}

// Fills `proto` (fresh) in place: no intermediate messages.
void FillRow(const Row& row, int32_t rank, v1::RegionRow& proto) {
  const SeriesPoint& point = *row.point;
  if (point.chosen != nullptr) {
    // The chosen observation's region name is the row's (a row's region is
    // the current code, and so is the report's).
    Snapshot::FillObservation(*point.chosen, proto.mutable_observation());
    proto.set_region(proto.observation().region());
  } else {
    proto.set_region(RegionName(row.region->code));
  }
  proto.set_region_display_name(row.region->name);
  proto.set_availability(point.availability);
  for (const ObservationEntry* alt : point.alternatives) {
    Snapshot::FillObservation(*alt, proto.add_alternatives());
  }
  if (row.available) proto.set_rank(rank);
}

// Field numbers of RegionRow.
constexpr int kRegion = 1, kDisplayName = 2, kAvailability = 3,
              kObservation = 4, kRank = 5, kAlternatives = 6;

// FillRow's row in wire format but for its rank (which depends on the other
// rows), appended to `out`. The rank is appended after it: protobuf
// parsers accept fields in any order.
void AppendRowWithoutRank(const Row& row, std::string* out) {
  const SeriesPoint& point = *row.point;
  std::string observation;
  if (point.chosen != nullptr) {
    // The chosen observation's region is the row's (see FillRow).
    const ReportEntry& report = *point.chosen->report;
    wire::AppendString(kRegion,
                       absl::string_view(report.name.data(),
                                         8 + report.key.region_code.size()),
                       out);
  } else {
    wire::AppendString(kRegion, RegionName(row.region->code), out);
  }
  wire::AppendString(kDisplayName, row.region->name, out);
  wire::AppendInt(kAvailability, point.availability, out);
  if (point.chosen != nullptr) {
    wire::AppendObservation(*point.chosen, &observation);
    wire::AppendMessage(kObservation, observation, out);
  }
  for (const ObservationEntry* alt : point.alternatives) {
    observation.clear();
    wire::AppendObservation(*alt, &observation);
    wire::AppendMessage(kAlternatives, observation, out);
  }
}

// A row as the row cache keeps it: one byte for availability and the
// chosen value (what ordering and the summary need), then the row's wire
// bytes without its rank.
constexpr size_t kKeptHeader = 1 + sizeof(double);

std::string KeptRow(const Row& row) {
  std::string kept(kKeptHeader, '\0');
  kept[0] = row.available ? 1 : 0;
  std::memcpy(kept.data() + 1, &row.value, sizeof(double));
  AppendRowWithoutRank(row, &kept);
  return kept;
}

Row RowFromKept(const RegionEntry* region, const std::string& kept) {
  Row row{region, nullptr, &kept, 0, 0.0, kept[0] != 0};
  std::memcpy(&row.value, kept.data() + 1, sizeof(double));
  return row;
}

// The row cache's key of a region's row: its shard, the series and year.
std::string RowKey(uint64_t shard_id, const SeriesSpec& spec, int32_t year) {
  std::string key;
  key.reserve(sizeof(shard_id) + 2 + sizeof(year) + spec.indicator.size());
  key.append(reinterpret_cast<const char*>(&shard_id), sizeof(shard_id));
  key.push_back(static_cast<char>(spec.value_type));
  key.push_back(static_cast<char>(spec.kind));
  key.append(reinterpret_cast<const char*>(&year), sizeof(year));
  key.append(spec.indicator);
  return key;
}

// The latest year in which every region has a value; 0 when none.
int32_t LatestCommonYear(const Snapshot& snapshot,
                         const std::vector<const RegionEntry*>& regions,
                         const SeriesSpec& spec) {
  std::vector<int32_t> common;
  for (size_t i = 0; i < regions.size(); ++i) {
    std::vector<int32_t> years =
        YearsWithValue(snapshot, regions[i]->code, spec);
    if (i == 0) {
      common = std::move(years);
    } else {
      std::vector<int32_t> both;
      std::set_intersection(common.begin(), common.end(), years.begin(),
                            years.end(), std::back_inserter(both));
      common = std::move(both);
    }
    if (common.empty()) return 0;
  }
  return common.empty() ? 0 : common.back();
}

// The point of `region` in its own latest year with a value.
SeriesPoint LatestPoint(const Snapshot& snapshot, const RegionEntry& region,
                        const SeriesSpec& spec) {
  const std::vector<int32_t> years =
      YearsWithValue(snapshot, region.code, spec);
  if (years.empty()) {
    SeriesPoint point;
    point.availability = snapshot.ReportsOf(region.code).empty()
                             ? v1::AVAILABILITY_REPORT_MISSING
                             : v1::AVAILABILITY_NOT_STATED;
    return point;
  }
  return PickPoint(snapshot, region.code, spec, years.back());
}

}  // namespace

// CompareRegions before it is written out: the rows of the page in order,
// each with its rank, and the response's other fields.
struct QueryEngine::Comparison {
  std::vector<SeriesPoint> points;  // the rows point into these
  // Rows from the row cache; the rows point into these.
  std::vector<ResponseCache::Bytes> kept;
  // What rows are kept under in the row cache, when they may be.
  std::optional<SeriesSpec> kept_spec;
  int32_t kept_year = 0;
  std::vector<Row> rows;       // all rows, ordered
  size_t begin = 0, end = 0;   // the page: rows[begin, end)
  std::vector<int32_t> ranks;  // rank of rows[begin + i]
  v1::Summary summary;
  std::string next_page_token;
  int32_t resolved_year = 0;
};

absl::Status QueryEngine::Compare(const Snapshot& snapshot,
                                  const v1::CompareRegionsRequest& request,
                                  bool wire, Comparison* comparison) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kComparePages, snapshot.data_version()));
  GOVREPORT_ASSIGN_OR_RETURN(
      const IndicatorEntry* indicator,
      FindIndicator(request.series().indicator(), "series.indicator"));
  if (request.series().value_type() == v1::VALUE_TYPE_UNSPECIFIED) {
    return Required("series.value_type");
  }
  if (request.series().kind() == v1::OBSERVATION_KIND_UNSPECIFIED) {
    return Required("series.kind");
  }
  GOVREPORT_RETURN_IF_ERROR(CheckEnum("series.value_type",
                                      request.series().value_type(),
                                      v1::ValueType_IsValid));
  GOVREPORT_RETURN_IF_ERROR(CheckEnum("series.kind", request.series().kind(),
                                      v1::ObservationKind_IsValid));
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("year_policy", request.year_policy(), v1::YearPolicy_IsValid));
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("order", request.order(), v1::RowOrder_IsValid));
  const v1::YearPolicy policy =
      request.year_policy() == v1::YEAR_POLICY_UNSPECIFIED
          ? v1::YEAR_POLICY_EXACT
          : request.year_policy();
  if (policy == v1::YEAR_POLICY_EXACT && request.year() <= 0) {
    return absl::InvalidArgumentError(
        "year: required when year_policy is EXACT");
  }
  if (policy == v1::YEAR_POLICY_EXACT && request.year() > kMaxYear) {
    return YearAfterMax("year", request.year());
  }
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<const RegionEntry*> regions,
                             SelectRegions(request.regions(), "regions"));
  const SeriesSpec spec{indicator->slug, request.series().value_type(),
                        request.series().kind()};
  int32_t year = request.year();
  if (policy == v1::YEAR_POLICY_LATEST_COMMON) {
    year = LatestCommonYear(snapshot, regions, spec);
  }

  std::vector<SeriesPoint>& points = comparison->points;
  std::vector<Row>& rows = comparison->rows;
  rows.reserve(regions.size());
  // The regions whose rows are chosen here (not taken from the row cache),
  // with the shard ids to keep their rows by.
  std::vector<const RegionEntry*> chosen;
  std::vector<uint64_t> chosen_shards;
  if (wire && row_cache_ != nullptr &&
      policy != v1::YEAR_POLICY_LATEST_PER_REGION) {
    comparison->kept_spec = spec;
    comparison->kept_year = year;
    comparison->kept.reserve(regions.size());
    for (const RegionEntry* region : regions) {
      const RegionShard* shard = snapshot.FindShard(region->code);
      const uint64_t shard_id = shard == nullptr ? 0 : shard->id();
      if (shard != nullptr) {
        if (ResponseCache::Bytes kept =
                row_cache_->Find(RowKey(shard_id, spec, year))) {
          comparison->kept.push_back(std::move(kept));
          rows.push_back(RowFromKept(region, *comparison->kept.back()));
          continue;
        }
      }
      chosen.push_back(region);
      chosen_shards.push_back(shard_id);
    }
  } else {
    chosen = regions;
    chosen_shards.assign(regions.size(), 0);
  }
  if (policy == v1::YEAR_POLICY_LATEST_PER_REGION) {
    points.reserve(chosen.size());
    for (const RegionEntry* region : chosen) {
      points.push_back(LatestPoint(snapshot, *region, spec));
    }
  } else {
    std::vector<absl::string_view> codes;
    codes.reserve(chosen.size());
    for (const RegionEntry* region : chosen) codes.push_back(region->code);
    points = PickPoints(snapshot, codes, spec, year);
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    const SeriesPoint& point = points[i];
    const bool available = point.available();
    rows.push_back({chosen[i], &point, nullptr, chosen_shards[i],
                    available ? point.chosen->effective_value : 0.0,
                    available});
  }
  comparison->summary = Summarize(rows);
  if (request.exclude_unavailable()) {
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const Row& r) { return !r.available; }),
               rows.end());
  }
  OrderRows(request.order(), rows);
  comparison->begin = std::min(rows.size(), page.offset);
  comparison->end = PageEnd(page, rows.size());
  int32_t rank = 0;
  for (size_t i = 0; i < comparison->end; ++i) {
    if (rows[i].available) ++rank;
    if (i >= comparison->begin) comparison->ranks.push_back(rank);
  }
  comparison->next_page_token = NextPageToken(page, rows.size());
  if (policy != v1::YEAR_POLICY_LATEST_PER_REGION) {
    comparison->resolved_year = year;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CompareRegionsResponse> QueryEngine::CompareRegions(
    const Snapshot& snapshot, const v1::CompareRegionsRequest& request) const {
  v1::CompareRegionsResponse response;
  GOVREPORT_RETURN_IF_ERROR(CompareRegions(snapshot, request, &response));
  return response;
}

absl::Status QueryEngine::CompareRegions(
    const Snapshot& snapshot, const v1::CompareRegionsRequest& request,
    v1::CompareRegionsResponse* out) const {
  Comparison c;
  GOVREPORT_RETURN_IF_ERROR(Compare(snapshot, request, /*wire=*/false, &c));
  v1::CompareRegionsResponse& response = *out;
  *response.mutable_summary() = std::move(c.summary);
  response.mutable_rows()->Reserve(static_cast<int>(c.end - c.begin));
  for (size_t i = c.begin; i < c.end; ++i) {
    FillRow(c.rows[i], c.ranks[i - c.begin], *response.add_rows());
  }
  response.set_next_page_token(std::move(c.next_page_token));
  response.set_total_size(static_cast<int32_t>(c.rows.size()));
  response.set_resolved_year(c.resolved_year);
  response.set_data_version(snapshot.data_version_string());
  return absl::OkStatus();
}

absl::Status QueryEngine::CompareRegionsWire(
    const Snapshot& snapshot, const v1::CompareRegionsRequest& request,
    std::string* out) const {
  Comparison c;
  GOVREPORT_RETURN_IF_ERROR(Compare(snapshot, request, /*wire=*/true, &c));
  // Field numbers of CompareRegionsResponse.
  constexpr int kRows = 1, kNextPageToken = 2, kTotalSize = 3,
                kResolvedYear = 4, kSummary = 5, kDataVersion = 6;
  out->reserve(out->size() + 64 + (c.end - c.begin) * 400);
  std::string row;
  for (size_t i = c.begin; i < c.end; ++i) {
    const Row& r = c.rows[i];
    if (r.kept != nullptr) {
      row.assign(*r.kept, kKeptHeader);
    } else if (c.kept_spec.has_value() && r.shard_id != 0) {
      auto kept = std::make_shared<const std::string>(KeptRow(r));
      row.assign(*kept, kKeptHeader);
      row_cache_->Insert(RowKey(r.shard_id, *c.kept_spec, c.kept_year),
                         std::move(kept));
    } else {
      row.clear();
      AppendRowWithoutRank(r, &row);
    }
    if (r.available) wire::AppendInt(kRank, c.ranks[i - c.begin], &row);
    wire::AppendMessage(kRows, row, out);
  }
  wire::AppendString(kNextPageToken, c.next_page_token, out);
  wire::AppendInt(kTotalSize, static_cast<int64_t>(c.rows.size()), out);
  wire::AppendInt(kResolvedYear, c.resolved_year, out);
  wire::AppendMessage(kSummary, c.summary.SerializeAsString(), out);
  wire::AppendString(kDataVersion, snapshot.data_version_string(), out);
  return absl::OkStatus();
}

absl::StatusOr<v1::CompareYearsResponse> QueryEngine::CompareYears(
    const Snapshot& snapshot, const v1::CompareYearsRequest& request) const {
  if (request.regions().empty() || request.regions_size() > kMaxYearRegions) {
    return absl::InvalidArgumentError(
        absl::StrCat("regions: give 1 to ", kMaxYearRegions, " regions, got ",
                     request.regions_size()));
  }
  GOVREPORT_ASSIGN_OR_RETURN(
      const IndicatorEntry* indicator,
      FindIndicator(request.series().indicator(), "series.indicator"));
  if (request.series().value_type() == v1::VALUE_TYPE_UNSPECIFIED) {
    return Required("series.value_type");
  }
  GOVREPORT_RETURN_IF_ERROR(CheckEnum("series.value_type",
                                      request.series().value_type(),
                                      v1::ValueType_IsValid));
  const v1::YearRange& years = request.years();
  if (years.first_year() <= 0 || years.last_year() < years.first_year() ||
      years.last_year() - years.first_year() >= kMaxYearSpan) {
    return absl::InvalidArgumentError(
        absl::StrCat("years: need 0 < first_year <= last_year, at most ",
                     kMaxYearSpan, " years"));
  }
  if (years.last_year() > kMaxYear) {
    return YearAfterMax("years.last_year", years.last_year());
  }
  v1::CompareYearsResponse response;
  for (int i = 0; i < request.regions_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const RegionEntry* region,
        FindRegion(request.regions(i), absl::StrCat("regions[", i, "]")));
    v1::RegionSeries* series = response.add_series();
    series->set_region(RegionName(region->code));
    const SeriesSpec target_spec{indicator->slug, request.series().value_type(),
                                 v1::OBSERVATION_KIND_TARGET};
    SeriesSpec achieved_spec = target_spec;
    achieved_spec.kind = v1::OBSERVATION_KIND_ACHIEVED;
    for (int32_t y = years.first_year(); y <= years.last_year(); ++y) {
      v1::YearPoint* point = series->add_points();
      point->set_year(y);
      const SeriesPoint target =
          PickPoint(snapshot, region->code, target_spec, y);
      point->set_target_availability(target.availability);
      if (target.chosen != nullptr) {
        *point->mutable_target() = Snapshot::ObservationProto(*target.chosen);
      }
      const SeriesPoint achieved =
          PickPoint(snapshot, region->code, achieved_spec, y);
      point->set_achieved_availability(achieved.availability);
      if (achieved.chosen != nullptr) {
        *point->mutable_achieved() =
            Snapshot::ObservationProto(*achieved.chosen);
      }
    }
  }
  response.set_data_version(snapshot.data_version_string());
  return response;
}

namespace {

// One evaluation before it becomes a proto.
struct Evaluation {
  const RegionEntry* region;
  std::string indicator;
  int value_type;
  SeriesPoint target;
  SeriesPoint achieved;
};

// The (indicator, value type) pairs that have a target about `year` in the
// region's reports, restricted to `slugs` unless empty; sorted.
std::set<std::pair<std::string, int>> TargetSeries(
    const Snapshot& snapshot, absl::string_view region_code, int32_t year,
    const std::set<std::string>& slugs) {
  std::set<std::pair<std::string, int>> series;
  for (const ReportPtr& report : snapshot.ReportsOf(region_code)) {
    for (const ObservationEntry& obs : report->observations) {
      if (obs.kind == v1::OBSERVATION_KIND_TARGET && !obs.indicator->empty() &&
          obs.single_year() && obs.reference_year() == year &&
          (slugs.empty() || slugs.count(*obs.indicator))) {
        series.emplace(*obs.indicator, obs.value_type);
      }
    }
  }
  return series;
}

v1::TargetEvaluation EvaluationProto(const Evaluation& e) {
  v1::TargetEvaluation proto;
  proto.set_region(RegionName(e.region->code));
  proto.set_indicator(IndicatorName(e.indicator));
  proto.set_value_type(static_cast<v1::ValueType>(e.value_type));
  *proto.mutable_target() = Snapshot::ObservationProto(*e.target.chosen);
  const ObservationEntry* achieved = e.achieved.chosen;
  if (achieved != nullptr) {
    *proto.mutable_achieved() = Snapshot::ObservationProto(*achieved);
  }
  proto.set_attainment(Attain(e.target.chosen, achieved));
  if (achieved != nullptr && achieved->has_value() &&
      e.target.chosen->has_value()) {
    proto.set_gap(achieved->effective_value - e.target.chosen->effective_value);
  }
  return proto;
}

}  // namespace

absl::StatusOr<v1::EvaluateTargetsResponse> QueryEngine::EvaluateTargets(
    const Snapshot& snapshot, const v1::EvaluateTargetsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kComparePages, snapshot.data_version()));
  if (request.year() <= 0) return Required("year");
  if (request.year() > kMaxYear) return YearAfterMax("year", request.year());
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<const RegionEntry*> regions,
                             SelectRegions(request.regions(), "regions"));
  std::set<std::string> slugs;
  for (int i = 0; i < request.indicators_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const IndicatorEntry* entry,
        FindIndicator(request.indicators(i),
                      absl::StrCat("indicators[", i, "]")));
    slugs.insert(entry->slug);
  }
  const int32_t year = request.year();
  std::vector<Evaluation> evaluations;
  for (const RegionEntry* region : regions) {
    for (const auto& [slug, value_type] :
         TargetSeries(snapshot, region->code, year, slugs)) {
      const SeriesSpec target_spec{slug, value_type,
                                   v1::OBSERVATION_KIND_TARGET};
      SeriesSpec achieved_spec = target_spec;
      achieved_spec.kind = v1::OBSERVATION_KIND_ACHIEVED;
      evaluations.push_back(
          {region, slug, value_type,
           PickPoint(snapshot, region->code, target_spec, year),
           PickPoint(snapshot, region->code, achieved_spec, year)});
    }
  }
  v1::EvaluateTargetsResponse response;
  FillPage(page, evaluations, response, [&](const auto& item) {
    *response.add_evaluations() = EvaluationProto(item);
  });
  response.set_data_version(snapshot.data_version_string());
  return response;
}

namespace {

// Filters of QueryObservations, resolved.
struct ObservationFilter {
  std::set<std::string> slugs;
  std::set<std::string> subjects;
  int kind = 0;
  bool has_years = false;
  int32_t first_year = 0, last_year = 0;
  std::set<int32_t> report_years;

  bool Accepts(const ObservationEntry& obs) const {
    const bool by_name =
        slugs.empty() && subjects.empty()
            ? !obs.indicator->empty()
            : slugs.count(*obs.indicator) || subjects.count(*obs.subject);
    if (!by_name) return false;
    if (kind != 0 && obs.kind != kind) return false;
    if (!report_years.empty() && !report_years.count(obs.report->key.year)) {
      return false;
    }
    if (has_years) {
      const int32_t last = obs.reference_year();
      const int32_t first =
          obs.reference_first_year != 0 ? obs.reference_first_year : last;
      if (last < first_year || first > last_year) return false;
    }
    return true;
  }
};

}  // namespace

absl::StatusOr<v1::QueryObservationsResponse> QueryEngine::QueryObservations(
    const Snapshot& snapshot,
    const v1::QueryObservationsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(), kBulkPages,
                snapshot.data_version()));
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<const RegionEntry*> regions,
                             SelectRegions(request.regions(), "regions"));
  ObservationFilter filter;
  for (int i = 0; i < request.indicators_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const IndicatorEntry* entry,
        FindIndicator(request.indicators(i),
                      absl::StrCat("indicators[", i, "]")));
    filter.slugs.insert(entry->slug);
  }
  filter.subjects.insert(request.subject_texts().begin(),
                         request.subject_texts().end());
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("kind", request.kind(), v1::ObservationKind_IsValid));
  filter.kind = request.kind();
  if (request.has_reference_years()) {
    filter.has_years = true;
    filter.first_year = request.reference_years().first_year();
    filter.last_year = request.reference_years().last_year();
    if (filter.last_year < filter.first_year) {
      return absl::InvalidArgumentError(
          "reference_years: last_year is before first_year");
    }
  }
  filter.report_years.insert(request.report_years().begin(),
                             request.report_years().end());

  std::vector<const ObservationEntry*> matching;
  for (const RegionEntry* region : regions) {
    const size_t begin = matching.size();
    for (const ReportPtr& report : snapshot.ReportsOf(region->code)) {
      for (const ObservationEntry& obs : report->observations) {
        if (filter.Accepts(obs)) matching.push_back(&obs);
      }
    }
    // Reports come by year, observations in text order: sort the region's
    // share by indicator and reference year, keeping that order for ties.
    std::stable_sort(
        matching.begin() + static_cast<ptrdiff_t>(begin), matching.end(),
        [](const ObservationEntry* a, const ObservationEntry* b) {
          return std::make_tuple(*a->indicator, a->reference_year()) <
                 std::make_tuple(*b->indicator, b->reference_year());
        });
  }
  v1::QueryObservationsResponse response;
  FillPage(page, matching, response, [&](const auto& item) {
    *response.add_observations() = Snapshot::ObservationProto(*item);
  });
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::SummarizeCoverageResponse> QueryEngine::SummarizeCoverage(
    const Snapshot& snapshot,
    const v1::SummarizeCoverageRequest& request) const {
  if (request.indicators().empty() ||
      request.indicators_size() > kMaxCoverageIndicators) {
    return absl::InvalidArgumentError(
        absl::StrCat("indicators: give 1 to ", kMaxCoverageIndicators,
                     " indicators, got ", request.indicators_size()));
  }
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<const RegionEntry*> regions,
                             SelectRegions(request.regions(), "regions"));
  v1::SummarizeCoverageResponse response;
  for (int i = 0; i < request.indicators_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const IndicatorEntry* indicator,
        FindIndicator(request.indicators(i),
                      absl::StrCat("indicators[", i, "]")));
    // (value type, kind) → year → regions with a number.
    std::map<std::pair<int, int>, std::map<int32_t, std::set<std::string>>>
        coverage;
    for (const RegionEntry* region : regions) {
      for (const ObservationEntry* obs :
           snapshot.ByRegionIndicator(region->code, indicator->slug)) {
        if (!obs->has_value()) continue;
        coverage[{obs->value_type, obs->kind}][obs->reference_year()].insert(
            region->code);
      }
    }
    for (const auto& [key, years] : coverage) {
      v1::Coverage* entry = response.add_coverages();
      entry->mutable_series()->set_indicator(IndicatorName(indicator->slug));
      entry->mutable_series()->set_value_type(
          static_cast<v1::ValueType>(key.first));
      entry->mutable_series()->set_kind(
          static_cast<v1::ObservationKind>(key.second));
      for (const auto& [year, codes] : years) {
        entry->add_years(year);
        entry->add_region_counts(static_cast<int32_t>(codes.size()));
      }
    }
  }
  response.set_data_version(snapshot.data_version_string());
  return response;
}

}  // namespace govreport::query
