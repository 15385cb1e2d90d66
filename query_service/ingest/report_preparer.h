// Turns a Report as a caller or the parser gives it into what the store
// keeps: validated, its region resolved, observations mapped to indicators,
// and every resource name filled in.
#pragma once

#include "absl/status/statusor.h"

#include "govreport/v1/resources.pb.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/store/store.h"

namespace govreport::query {

// The region a report is about: from `region` when set (NOT_FOUND when the
// code is unknown, INVALID_ARGUMENT when malformed), else from
// `region_text` (INVALID_ARGUMENT when it is empty, matches nothing, or is
// ambiguous; the message lists the candidates).
absl::StatusOr<const RegionEntry*> ResolveReportRegion(
    const v1::Report& report, const RegionCatalog& regions,
    absl::string_view field = "report");

// Validates `report` and completes it for storage:
// * the region comes from `region` (`regions/{code}`, former codes allowed)
//   or else from `region_text` through RegionCatalog::ResolveName;
// * `name`, `region`, and the names of sections, measures and observations
//   become full resource names (observations are numbered 1..n in order;
//   relative references such as `sections/2` are made absolute);
// * observations without an indicator are mapped with IndicatorCatalog::Map
//   (unmapped ones keep only their subject text);
// * `ingest_time` is cleared (the store keeps it).
// Errors name the first bad field under `field` (e.g. "report.year"):
// INVALID_ARGUMENT for a malformed or missing field, or a region text that
// matches no region or several; NOT_FOUND for a well-formed region or
// indicator name the catalogs do not know. Thread-safe; catalogs not owned.
absl::StatusOr<ReportRow> PrepareReport(v1::Report report,
                                        const RegionCatalog& regions,
                                        const IndicatorCatalog& indicators,
                                        absl::string_view field = "report");

// The indexed columns of one (completed) observation at position `ordinal`.
ObservationRow ObservationRowOf(const v1::Observation& obs, int32_t ordinal);

}  // namespace govreport::query
