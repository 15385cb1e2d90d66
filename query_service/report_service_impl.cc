#include "query_service/report_service_impl.h"

#include "common/logging.h"
#include "common/status_macros.h"
#include "query_service/ingest/sha256.h"

namespace govreport::query {

GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListReports)
GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListPolicyMeasures)
GOVREPORT_SNAPSHOT_READ(ReportServiceImpl, ListObservations)

grpc::ServerUnaryReactor* ReportServiceImpl::GetReport(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeWire<v1::GetReportRequest>(
      context, "GetReport", reads_, cache_, request, response,
      [&](const v1::GetReportRequest& parsed, const Snapshot& snapshot,
          std::string* bytes) -> absl::Status {
        // Built on an arena: a FULL report is hundreds of small messages.
        google::protobuf::Arena arena;
        auto* built =
            google::protobuf::Arena::CreateMessage<v1::GetReportResponse>(
                &arena);
        GOVREPORT_RETURN_IF_ERROR(engine_.GetReport(snapshot, parsed, built));
        built->SerializeToString(bytes);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ReportServiceImpl::PutReport(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeOn<v1::PutReportRequest>(
      writes_, context, "PutReport", request, response,
      [this, context](const v1::PutReportRequest& put)
          -> absl::StatusOr<v1::PutReportResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        absl::StatusOr<v1::PutReportResponse> result = writer_.Put(put);
        if (metrics_ != nullptr) metrics_->RecordPut(result);
        return result;
      });
}

grpc::ServerUnaryReactor* ReportServiceImpl::DeleteReport(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeOn<v1::DeleteReportRequest>(
      writes_, context, "DeleteReport", request, response,
      [this, context](const v1::DeleteReportRequest& del)
          -> absl::StatusOr<v1::DeleteReportResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        return writer_.Delete(del);
      });
}

grpc::ServerUnaryReactor* ReportServiceImpl::IngestDocument(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeOn<v1::IngestDocumentRequest>(
      writes_, context, "IngestDocument", request, response,
      [this, context](const v1::IngestDocumentRequest& ingest)
          -> absl::StatusOr<v1::IngestDocumentResponse> {
        GOVREPORT_RETURN_IF_ERROR(auth_.Check(AuthorizationOf(*context)));
        const std::shared_ptr<const Snapshot> before = reads_.Current();
        absl::StatusOr<v1::IngestDocumentResponse> result =
            Ingest(*context, ingest);
        if (metrics_ != nullptr) metrics_->RecordIngest(before.get(), result);
        return result;
      });
}

absl::StatusOr<v1::IngestDocumentResponse> ReportServiceImpl::Ingest(
    const grpc::CallbackServerContext& context,
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
  // The parse and the write are the costly steps: neither starts for a
  // client that has gone or whose deadline has passed. The parse gets the
  // call's deadline and request id.
  GOVREPORT_RETURN_IF_ERROR(CheckDeadline(context, "parsing"));
  const std::string request_id = RequestIdOf(context);
  GOVREPORT_ASSIGN_OR_RETURN(
      v1::ParseDocumentResponse parsed,
      parser_.Parse(parse, {request_id, DeadlineOf(context)}));
  GOVREPORT_RETURN_IF_ERROR(
      CheckDeadline(context, "storing the parsed reports"));
  spdlog::info("ingesting document {} ({} bytes, {} reports) request_id={}",
               sha, request.content().size(), parsed.reports_size(),
               request_id);
  return writer_.Ingest(sha, request.source_uri(), std::move(parsed));
}

}  // namespace govreport::query
