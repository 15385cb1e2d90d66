#include "query_service/ingest/report_writer.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"
#include "query_service/engine/resource_names.h"
#include "query_service/ingest/report_preparer.h"

namespace govreport::query {
namespace {

// Appends the stored reports `keys` in BASIC view from `snapshot`.
void AddReports(const Snapshot& snapshot, const std::vector<ReportKey>& keys,
                v1::IngestDocumentResponse& response) {
  for (const ReportKey& key : keys) {
    if (const ReportEntry* entry =
            snapshot.FindReport(key.region_code, key.year)) {
      *response.add_reports() = Snapshot::ReportProto(*entry, false);
    }
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Snapshot>> ReportWriter::Publish() {
  GOVREPORT_RETURN_IF_ERROR(snapshots_.Refresh());
  return snapshots_.Current();
}

absl::StatusOr<v1::PutReportResponse> ReportWriter::Put(
    const v1::PutReportRequest& request) {
  if (!request.has_report()) {
    return absl::InvalidArgumentError("report: required");
  }
  GOVREPORT_ASSIGN_OR_RETURN(
      ReportRow row, PrepareReport(request.report(), regions_, indicators_));
  const ReportKey key = row.key;
  std::vector<ReportRow> rows;
  rows.push_back(std::move(row));
  GOVREPORT_ASSIGN_OR_RETURN(WriteResult result,
                             store_.WriteReports("", std::move(rows)));
  GOVREPORT_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot,
                             Publish());
  v1::PutReportResponse response;
  if (const ReportEntry* entry =
          snapshot->FindReport(key.region_code, key.year)) {
    *response.mutable_report() = Snapshot::ReportProto(*entry, false);
  }
  response.set_unchanged(result.outcomes[0] == WriteOutcome::kUnchanged);
  response.set_replaced(result.outcomes[0] == WriteOutcome::kReplaced);
  response.set_data_version(snapshot->data_version_string());
  return response;
}

absl::StatusOr<std::optional<v1::IngestDocumentResponse>>
ReportWriter::FindIngested(absl::string_view content_sha256) {
  // A write of no reports records nothing; it only reports a known document.
  GOVREPORT_ASSIGN_OR_RETURN(WriteResult result,
                             store_.WriteReports(content_sha256, {}));
  if (!result.already_ingested) return std::nullopt;
  std::shared_ptr<const Snapshot> snapshot = snapshots_.Current();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the data snapshot is still loading");
  }
  v1::IngestDocumentResponse response;
  response.set_already_ingested(true);
  response.set_content_sha256(std::string(content_sha256));
  AddReports(*snapshot, result.keys, response);
  response.set_data_version(snapshot->data_version_string());
  return response;
}

absl::StatusOr<v1::IngestDocumentResponse> ReportWriter::Ingest(
    absl::string_view content_sha256, absl::string_view source_uri,
    v1::ParseDocumentResponse parsed) {
  v1::IngestDocumentResponse response;
  response.set_content_sha256(std::string(content_sha256));
  std::vector<ReportRow> rows;
  std::set<ReportKey> seen;
  for (int i = 0; i < parsed.reports_size(); ++i) {
    v1::Report& report = *parsed.mutable_reports(i);
    if (report.source_uri().empty()) {
      report.set_source_uri(std::string(source_uri));
    }
    report.set_content_sha256(std::string(content_sha256));
    if (report.extractor_version().empty()) {
      report.set_extractor_version(parsed.extractor_version());
    }
    if (!ResolveReportRegion(report, regions_).ok()) {
      response.add_unresolved_regions(report.region_text());
      continue;
    }
    absl::StatusOr<ReportRow> row =
        PrepareReport(std::move(report), regions_, indicators_,
                      absl::StrCat("reports[", i, "]"));
    if (!row.ok()) {
      return absl::InternalError(absl::StrCat(
          "parser output failed validation: ", row.status().message()));
    }
    if (seen.insert(row->key).second) rows.push_back(*std::move(row));
  }
  GOVREPORT_ASSIGN_OR_RETURN(
      WriteResult result, store_.WriteReports(content_sha256, std::move(rows)));
  GOVREPORT_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot,
                             Publish());
  response.set_already_ingested(result.already_ingested);
  AddReports(*snapshot, result.keys, response);
  response.set_data_version(snapshot->data_version_string());
  return response;
}

absl::StatusOr<v1::DeleteReportResponse> ReportWriter::Delete(
    const v1::DeleteReportRequest& request) {
  GOVREPORT_ASSIGN_OR_RETURN(ReportName name,
                             ParseReportName(request.name(), "name"));
  // Former codes name the current region.
  if (const RegionEntry* region = regions_.FindByCode(name.region_code)) {
    name.region_code = region->code;
  }
  GOVREPORT_RETURN_IF_ERROR(
      store_.DeleteReport({name.region_code, name.year}).status());
  GOVREPORT_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot,
                             Publish());
  v1::DeleteReportResponse response;
  response.set_data_version(snapshot->data_version_string());
  return response;
}

}  // namespace govreport::query
