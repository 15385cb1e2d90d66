// Plausible synthetic reports for benchmarks and load tests: N regions × Y
// years, each report with targets for its year and results for the year
// before, across the indicator catalog.
#pragma once

#include <cstdint>
#include <string>

#include "govreport/v1/resources.pb.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"

namespace govreport::bench {

struct CorpusOptions {
  int observations_per_report = 150;  // about what a real report states
  uint64_t seed = 1;
};

// Builds the report of `region` for `year`: sections (review, plan),
// measures, and `observations_per_report` observations whose subjects are
// catalog display names (so they map to indicators), with quantities,
// comparators, original wording and source spans like the parser's. The
// same arguments always give the same report. Thread-safe.
v1::Report SyntheticReport(const query::RegionEntry& region, int year,
                           const query::IndicatorCatalog& indicators,
                           const CorpusOptions& options);

}  // namespace govreport::bench
