#include "query_service/report_service_impl.h"

#include "common/logging.h"
#include "common/status_macros.h"
#include "query_service/ingest/sha256.h"

namespace govreport::query {

GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListReports)
GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListPolicyMeasures)
GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListObservations)

grpc::ServerUnaryReactor* ReportServiceImpl::GetReport(
    grpc::CallbackServerContext* context, const v1::GetReportRequest* request,
    v1::GetReportResponse* response) {
  // Filled in place, on the call's arena (see the allocator).
  return ServeInto(context, "GetReport", response, [&]() -> absl::Status {
    GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context));
    return engine_.GetReport(*snapshot, *request, response);
  });
}

grpc::ServerUnaryReactor* ReportServiceImpl::PutReport(
    grpc::CallbackServerContext* context, const v1::PutReportRequest* request,
    v1::PutReportResponse* response) {
  return ServeOn(
      writes_, context, "PutReport", response,
      [this, context, request]() -> absl::StatusOr<v1::PutReportResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        return writer_.Put(*request);
      });
}

grpc::ServerUnaryReactor* ReportServiceImpl::DeleteReport(
    grpc::CallbackServerContext* context,
    const v1::DeleteReportRequest* request,
    v1::DeleteReportResponse* response) {
  return ServeOn(
      writes_, context, "DeleteReport", response,
      [this, context, request]() -> absl::StatusOr<v1::DeleteReportResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        return writer_.Delete(*request);
      });
}

grpc::ServerUnaryReactor* ReportServiceImpl::IngestDocument(
    grpc::CallbackServerContext* context,
    const v1::IngestDocumentRequest* request,
    v1::IngestDocumentResponse* response) {
  return ServeOn(
      writes_, context, "IngestDocument", response,
      [this, context, request]() -> absl::StatusOr<v1::IngestDocumentResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        return Ingest(*request);
      });
}

absl::StatusOr<v1::IngestDocumentResponse> ReportServiceImpl::Ingest(
    const v1::IngestDocumentRequest& request) {
  if (request.content().empty()) {
    return absl::InvalidArgumentError("content: required");
  }
  const std::string sha = Sha256Hex(request.content());
  // A document seen before is answered without the parser.
  GOVREPORT_ASSIGN_OR_RETURN(std::optional<v1::IngestDocumentResponse> known,
                             writer_.FindIngested(sha));
  if (known.has_value()) return *std::move(known);
  v1::ParseDocumentRequest parse;
  parse.set_content(request.content());
  parse.set_source_uri(request.source_uri());
  parse.set_default_year(request.default_year());
  GOVREPORT_ASSIGN_OR_RETURN(v1::ParseDocumentResponse parsed,
                             parser_.Parse(parse));
  spdlog::info("ingesting document {} ({} bytes, {} reports)", sha,
               request.content().size(), parsed.reports_size());
  return writer_.Ingest(sha, request.source_uri(), std::move(parsed));
}

}  // namespace govreport::query
