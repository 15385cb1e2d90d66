// Test data for the query service's tests: small catalogs built from our own
// fixture text (independent of the built-in data) and Report builders.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "govreport/v1/resources.pb.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"

namespace govreport::query::testing {

// regions.tsv text: 河南省 > 洛阳市 > 嵩县 (410325), 新安县 (410323), 孟津区
// (410308, formerly 孟津县 410322); 河南省 > 郑州市 > 中原区 (410102).
extern const char kRegionsTsv[];
// indicators.tsv text: gdp, new-urban-jobs (城镇新增就业, 人),
// skills-training (技能培训, 人次), high-standard-farmland (高标准农田, 亩).
extern const char kIndicatorsTsv[];

// The catalogs parsed from the texts above; built once, never destroyed.
const RegionCatalog& TestRegions();
const IndicatorCatalog& TestIndicators();

// An observation of `subject` (mapped by the catalog at ingest) with a
// plain number.
v1::Observation Figure(absl::string_view subject, v1::ObservationKind kind,
                       int32_t reference_year, double value,
                       absl::string_view unit,
                       v1::Comparator comparator = v1::COMPARATOR_EQUAL,
                       v1::ValueType value_type = v1::VALUE_TYPE_LEVEL);

// A report of the region `region_text` (e.g. "嵩县") for `year`.
v1::Report MakeReport(absl::string_view region_text, int32_t year,
                      std::vector<v1::Observation> observations);

}  // namespace govreport::query::testing
