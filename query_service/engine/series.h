// Picking the observation that stands for a series (indicator, value type,
// kind) in one region and reference year, and the attainment rules. Shared
// by the comparison queries; plain functions over the snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"

#include "govreport/v1/query_service.pb.h"
#include "query_service/snapshot/snapshot.h"

namespace govreport::query {

// What a comparison compares.
struct SeriesSpec {
  std::string indicator;  // slug
  int value_type = 0;     // govreport.v1.ValueType
  int kind = 0;           // govreport.v1.ObservationKind
};

// The observation chosen for one region, year and series, or why none.
struct SeriesPoint {
  v1::Availability availability = v1::AVAILABILITY_UNSPECIFIED;
  const ObservationEntry* chosen = nullptr;  // null unless stated
  // Other observations of the series in the chosen one's report.
  std::vector<const ObservationEntry*> alternatives;

  bool available() const { return availability == v1::AVAILABILITY_AVAILABLE; }
};

// Chooses among the region's single-year observations of `spec` about
// `year`: ones with a number first; then, for targets, the report of `year`
// (where targets are set), for results the report of `year + 1` (where they
// are reported), else the latest report; then text order. Without any
// observation the availability says whether the report that would state it
// (targets: report `year`; results: report `year + 1` or `year`) is held.
SeriesPoint PickPoint(const Snapshot& snapshot, absl::string_view region_code,
                      const SeriesSpec& spec, int32_t year);

// PickPoint for each of `region_codes` (sorted ascending, distinct), in
// that order, looking the indicator up once.
std::vector<SeriesPoint> PickPoints(
    const Snapshot& snapshot, absl::Span<const absl::string_view> region_codes,
    const SeriesSpec& spec, int32_t year);

// The years in which the region has a numeric observation of `spec`,
// ascending.
std::vector<int32_t> YearsWithValue(const Snapshot& snapshot,
                                    absl::string_view region_code,
                                    const SeriesSpec& spec);

// Applies the Attainment rules documented in query_service.proto to a target
// and an achieved observation (either may be null).
v1::Attainment Attain(const ObservationEntry* target,
                      const ObservationEntry* achieved);

// Median of `values` (not empty); the mean of the middle two for an even
// count. Reorders `values`.
double Median(std::vector<double>& values);

}  // namespace govreport::query
