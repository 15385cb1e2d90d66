// The read side of the query server: catalog, report and comparison queries
// over one Snapshot and the catalogs.
//
// The request and response types are the API's protobuf messages (plain
// data classes here; nothing of gRPC): every answer is proto-shaped, and a
// second set of C++ structs would only add copying. The gRPC edge
// (*_service_impl) adds authentication and maps the absl::Status.
#pragma once

#include "absl/status/statusor.h"

#include "govreport/v1/catalog_service.pb.h"
#include "govreport/v1/query_service.pb.h"
#include "govreport/v1/report_service.pb.h"
#include "query_service/cache/response_cache.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/snapshot/snapshot.h"

namespace govreport::query {

// Converts catalog entries to their API form.
v1::Region RegionProto(const RegionEntry& entry);
v1::Indicator IndicatorProto(const IndicatorEntry& entry);

// Answers every read RPC. Stateless apart from the catalogs and the optional
// row cache (not owned; they must outlive the engine), so thread-safe. Each
// method takes the snapshot the request is answered from; the caller takes it
// once per request so that all of a response (and its data_version) is
// consistent.
//
// Errors, as the proto comments state: INVALID_ARGUMENT for a malformed
// name (the message names the field), a negative page_size, a missing
// required field or a bad page token (malformed, for another request, or
// stale after the data changed); NOT_FOUND for an unknown region,
// indicator or report. Missing data in comparisons is a row with an
// Availability, never an error. page_size above the maximum is coerced.
class QueryEngine {
 public:
  // With `row_cache`, CompareRegionsWire keeps the rows it writes there,
  // keyed by the region's shard (RegionShard::id), series and year, and
  // writes a row asked for again from those bytes: a comparison of regions
  // picked at random repeats rows, never whole requests. A row holds
  // nothing of the request but its series and year, and a shard's id
  // changes with any report of the region, so a kept row is never stale.
  QueryEngine(const RegionCatalog& regions, const IndicatorCatalog& indicators,
              ResponseCache* row_cache = nullptr)
      : regions_(regions), indicators_(indicators), row_cache_(row_cache) {}

  // CatalogService. Regions are looked up by current or former code and
  // always answered under the current one. ListRegions without a parent
  // lists the provinces, or with a level every region at that level; its
  // page tokens are not bound to the data version (the catalog is
  // immutable). ListIndicators without a query lists the whole catalog,
  // with one the matches of IndicatorCatalog::Search, best first.
  absl::StatusOr<v1::GetRegionResponse> GetRegion(
      const Snapshot& snapshot, const v1::GetRegionRequest& request) const;
  absl::StatusOr<v1::ListRegionsResponse> ListRegions(
      const Snapshot& snapshot, const v1::ListRegionsRequest& request) const;
  absl::StatusOr<v1::BatchGetRegionsResponse> BatchGetRegions(
      const Snapshot& snapshot,
      const v1::BatchGetRegionsRequest& request) const;
  absl::StatusOr<v1::GetIndicatorResponse> GetIndicator(
      const Snapshot& snapshot, const v1::GetIndicatorRequest& request) const;
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const Snapshot& snapshot, const v1::ListIndicatorsRequest& request) const;
  v1::GetDataSnapshotResponse GetDataSnapshot(const Snapshot& snapshot) const;

  // ReportService reads. Report names may use a former region code. The
  // list methods page in region, year and report order.
  absl::StatusOr<v1::GetReportResponse> GetReport(
      const Snapshot& snapshot, const v1::GetReportRequest& request) const;
  // The same, filling `response` (fresh; it may live on an arena, and is
  // unspecified on error): no intermediate message to copy.
  absl::Status GetReport(const Snapshot& snapshot,
                         const v1::GetReportRequest& request,
                         v1::GetReportResponse* response) const;
  absl::StatusOr<v1::ListReportsResponse> ListReports(
      const Snapshot& snapshot, const v1::ListReportsRequest& request) const;
  absl::StatusOr<v1::ListPolicyMeasuresResponse> ListPolicyMeasures(
      const Snapshot& snapshot,
      const v1::ListPolicyMeasuresRequest& request) const;
  absl::StatusOr<v1::ListObservationsResponse> ListObservations(
      const Snapshot& snapshot,
      const v1::ListObservationsRequest& request) const;

  // QueryService. The observation standing for a region, series and year
  // is chosen as PickPoint (series.h) documents; RegionSubtree accepts
  // `regions/-` for the whole catalog.
  absl::StatusOr<v1::CompareRegionsResponse> CompareRegions(
      const Snapshot& snapshot, const v1::CompareRegionsRequest& request) const;
  // The same, filling `response` (fresh; it may live on an arena, and is
  // unspecified on error).
  absl::Status CompareRegions(const Snapshot& snapshot,
                              const v1::CompareRegionsRequest& request,
                              v1::CompareRegionsResponse* response) const;
  // The same response serialized, written without building its messages
  // (wire::AppendObservation): what the server sends. Appends to `out`.
  absl::Status CompareRegionsWire(const Snapshot& snapshot,
                                  const v1::CompareRegionsRequest& request,
                                  std::string* out) const;
  absl::StatusOr<v1::CompareYearsResponse> CompareYears(
      const Snapshot& snapshot, const v1::CompareYearsRequest& request) const;
  absl::StatusOr<v1::EvaluateTargetsResponse> EvaluateTargets(
      const Snapshot& snapshot,
      const v1::EvaluateTargetsRequest& request) const;
  absl::StatusOr<v1::QueryObservationsResponse> QueryObservations(
      const Snapshot& snapshot,
      const v1::QueryObservationsRequest& request) const;
  absl::StatusOr<v1::SummarizeCoverageResponse> SummarizeCoverage(
      const Snapshot& snapshot,
      const v1::SummarizeCoverageRequest& request) const;

 private:
  // CompareRegions up to the page of rows; the two public forms write it.
  struct Comparison;
  // `wire`: for CompareRegionsWire, which may take rows from the row cache.
  absl::Status Compare(const Snapshot& snapshot,
                       const v1::CompareRegionsRequest& request, bool wire,
                       Comparison* comparison) const;

  // A region name (current or former code) → its catalog entry.
  absl::StatusOr<const RegionEntry*> FindRegion(absl::string_view name,
                                                absl::string_view field) const;
  // An indicator name → its catalog entry.
  absl::StatusOr<const IndicatorEntry*> FindIndicator(
      absl::string_view name, absl::string_view field) const;
  // The regions a selector picks, sorted by code, without duplicates.
  absl::StatusOr<std::vector<const RegionEntry*>> SelectRegions(
      const v1::RegionSelector& selector, absl::string_view field) const;
  // A report name → the snapshot's report; NOT_FOUND when not held.
  absl::StatusOr<const ReportEntry*> FindReport(const Snapshot& snapshot,
                                                absl::string_view name,
                                                absl::string_view field) const;

  const RegionCatalog& regions_;
  const IndicatorCatalog& indicators_;
  ResponseCache* const row_cache_;
};

}  // namespace govreport::query
