// The write side of the query server: PutReport, ingest of parsed
// documents, and DeleteReport, each durable in the store and visible in the
// snapshot before it returns.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"

#include "govreport/v1/parser_service.pb.h"
#include "govreport/v1/report_service.pb.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/store.h"

namespace govreport::query {

// Writes reports. Every method writes one store transaction, then refreshes
// the snapshot (on the caller's thread: readers keep using the previous
// snapshot meanwhile) and answers from the refreshed one, so a client that
// reads after a write sees it. Thread-safe; nothing owned, everything must
// outlive the writer. Store errors pass through unchanged.
class ReportWriter {
 public:
  ReportWriter(Store& store, SnapshotManager& snapshots,
               const RegionCatalog& regions, const IndicatorCatalog& indicators)
      : store_(store),
        snapshots_(snapshots),
        regions_(regions),
        indicators_(indicators) {}

  // Validates and stores one report (see PrepareReport for the rules and
  // errors). `unchanged` when an identical report was held, `replaced` when
  // another one for the same region and year was.
  absl::StatusOr<v1::PutReportResponse> Put(
      const v1::PutReportRequest& request);

  // Whether the document with this SHA-256 was ingested before; if so the
  // answer to give (already_ingested, with its reports), without parsing.
  absl::StatusOr<std::optional<v1::IngestDocumentResponse>> FindIngested(
      absl::string_view content_sha256);

  // Stores every report of a parsed document, in one transaction. Reports
  // whose region cannot be resolved are skipped and listed in
  // `unresolved_regions`; of two reports for the same region and year the
  // first wins. `source_uri` fills reports that have none. INTERNAL when the
  // parser's output fails validation otherwise.
  absl::StatusOr<v1::IngestDocumentResponse> Ingest(
      absl::string_view content_sha256, absl::string_view source_uri,
      v1::ParseDocumentResponse parsed);

  // Deletes the report `name` (`regions/{code}/reports/{year}`).
  // INVALID_ARGUMENT for a malformed name, NOT_FOUND when not held.
  absl::StatusOr<v1::DeleteReportResponse> Delete(
      const v1::DeleteReportRequest& request);

 private:
  // Refreshes the snapshot and returns the one that includes the write.
  absl::StatusOr<std::shared_ptr<const Snapshot>> Publish();

  Store& store_;
  SnapshotManager& snapshots_;
  const RegionCatalog& regions_;
  const IndicatorCatalog& indicators_;
};

}  // namespace govreport::query
