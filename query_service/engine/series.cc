#include "query_service/engine/series.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/container/inlined_vector.h"

namespace govreport::query {
namespace {

constexpr double kApproximateTolerance = 0.05;

bool Matches(const ObservationEntry& obs, const SeriesSpec& spec) {
  return obs.value_type == spec.value_type && obs.kind == spec.kind &&
         obs.single_year();
}

// Lower is better: the report where such a figure normally appears first.
int ReportPreference(const ObservationEntry& obs, const SeriesSpec& spec,
                     int32_t year) {
  const int32_t report_year = obs.report->key.year;
  const int32_t home =
      spec.kind == v1::OBSERVATION_KIND_TARGET ? year : year + 1;
  if (report_year == home) return 0;
  // Later reports restate final figures: prefer the latest of the rest.
  return 1 + (10000 - report_year);
}

// Chooses among `raw` (observations of the region's indicator about
// `year`, not yet filtered by value type and kind).
SeriesPoint ChoosePoint(const Snapshot& snapshot, absl::string_view region_code,
                        const SeriesSpec& spec, int32_t year,
                        absl::Span<const ObservationEntry* const> raw) {
  SeriesPoint point;
  absl::InlinedVector<const ObservationEntry*, 4> candidates;
  for (const ObservationEntry* obs : raw) {
    if (Matches(*obs, spec)) candidates.push_back(obs);
  }
  if (candidates.empty()) {
    const bool report_held =
        spec.kind == v1::OBSERVATION_KIND_TARGET
            ? snapshot.FindReport(region_code, year) != nullptr
            : snapshot.FindReport(region_code, year + 1) != nullptr ||
                  snapshot.FindReport(region_code, year) != nullptr;
    point.availability = report_held ? v1::AVAILABILITY_NOT_STATED
                                     : v1::AVAILABILITY_REPORT_MISSING;
    return point;
  }
  auto better = [&](const ObservationEntry* a, const ObservationEntry* b) {
    if (a->has_value() != b->has_value()) return a->has_value();
    const int pa = ReportPreference(*a, spec, year);
    const int pb = ReportPreference(*b, spec, year);
    if (pa != pb) return pa < pb;
    return a->ordinal() < b->ordinal();
  };
  point.chosen =
      *std::min_element(candidates.begin(), candidates.end(), better);
  point.availability = point.chosen->has_value() ? v1::AVAILABILITY_AVAILABLE
                                                 : v1::AVAILABILITY_NOT_NUMERIC;
  for (const ObservationEntry* obs : candidates) {
    if (obs != point.chosen && obs->report == point.chosen->report) {
      point.alternatives.push_back(obs);
    }
  }
  return point;
}

// A target to bring something down (单位能耗下降3% → a growth rate of -3):
// doing better means a lower result.
bool IsReduction(const ObservationEntry& target) {
  return (target.value_type == v1::VALUE_TYPE_GROWTH_RATE ||
          target.value_type == v1::VALUE_TYPE_CHANGE) &&
         target.effective_value < 0;
}

}  // namespace

SeriesPoint PickPoint(const Snapshot& snapshot, absl::string_view region_code,
                      const SeriesSpec& spec, int32_t year) {
  return ChoosePoint(
      snapshot, region_code, spec, year,
      snapshot.ByRegionIndicatorYear(region_code, spec.indicator, year));
}

std::vector<SeriesPoint> PickPoints(
    const Snapshot& snapshot, absl::Span<const absl::string_view> region_codes,
    const SeriesSpec& spec, int32_t year) {
  std::vector<SeriesPoint> points;
  points.reserve(region_codes.size());
  // The slug is looked up once; then a region costs one hash lookup for its
  // shard and one in the shard's index.
  const std::string* slug = snapshot.FindSlug(spec.indicator);
  for (absl::string_view code : region_codes) {
    absl::Span<const ObservationEntry* const> raw;
    if (slug != nullptr) {
      if (const RegionShard* shard = snapshot.FindShard(code)) {
        raw = Snapshot::ShardIndicatorYear(*shard, slug, year);
      }
    }
    points.push_back(ChoosePoint(snapshot, code, spec, year, raw));
  }
  return points;
}

std::vector<int32_t> YearsWithValue(const Snapshot& snapshot,
                                    absl::string_view region_code,
                                    const SeriesSpec& spec) {
  std::set<int32_t> years;
  for (const ObservationEntry* obs :
       snapshot.ByRegionIndicator(region_code, spec.indicator)) {
    if (obs->has_value() && Matches(*obs, spec)) {
      years.insert(obs->reference_year());
    }
  }
  return {years.begin(), years.end()};
}

v1::Attainment Attain(const ObservationEntry* target,
                      const ObservationEntry* achieved) {
  if (target == nullptr || achieved == nullptr || !target->has_value() ||
      !achieved->has_value() ||
      (!target->unit->empty() && !achieved->unit->empty() &&
       target->unit != achieved->unit)) {
    return v1::ATTAINMENT_UNDETERMINED;
  }
  const double a = achieved->effective_value;
  auto met = [](bool ok) {
    return ok ? v1::ATTAINMENT_MET : v1::ATTAINMENT_NOT_MET;
  };
  switch (target->comparator) {
    case v1::COMPARATOR_RANGE: {
      // The bounds live in the serialized quantity.
      const v1::Observation full = Snapshot::ObservationProto(*target);
      const v1::Quantity& q = full.quantity();
      const double lower = q.has_lower_bound() ? q.lower_bound() : q.value();
      const double upper =
          q.has_upper_bound() ? q.upper_bound() : target->effective_value;
      return met(lower <= a && a <= upper);
    }
    case v1::COMPARATOR_APPROXIMATELY:
      if (IsReduction(*target)) {  // 能耗下降3%左右: at or below -3, or near
        const double t = target->effective_value;
        if (a <= t) return v1::ATTAINMENT_MET;
        return a - t <= kApproximateTolerance * std::fabs(t)
                   ? v1::ATTAINMENT_APPROXIMATELY_MET
                   : v1::ATTAINMENT_NOT_MET;
      }
      [[fallthrough]];
    case v1::COMPARATOR_GREATER_THAN:
    case v1::COMPARATOR_AT_MOST:
    case v1::COMPARATOR_LESS_THAN: {
      const v1::Observation full = Snapshot::ObservationProto(*target);
      const double t = full.quantity().has_value() ? full.quantity().value()
                                                   : target->effective_value;
      switch (target->comparator) {
        case v1::COMPARATOR_GREATER_THAN:
          return met(a > t);
        case v1::COMPARATOR_AT_MOST:
          return met(a <= t);
        case v1::COMPARATOR_LESS_THAN:
          return met(a < t);
        default:
          if (a >= t) return v1::ATTAINMENT_MET;
          return t - a <= kApproximateTolerance * std::fabs(t)
                     ? v1::ATTAINMENT_APPROXIMATELY_MET
                     : v1::ATTAINMENT_NOT_MET;
      }
    }
    case v1::COMPARATOR_AT_LEAST:
      return met(a >= target->effective_value);
    default:  // EQUAL, UNSPECIFIED: a floor, or for a reduction a ceiling.
      return met(IsReduction(*target) ? a <= target->effective_value
                                      : a >= target->effective_value);
  }
}

double Median(std::vector<double>& values) {
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

}  // namespace govreport::query
