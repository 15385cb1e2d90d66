#include "parser_service/parser_service_impl.h"

#include "common/grpc_status.h"
#include "common/logging.h"

namespace govreport::parser {

grpc::Status ParserServiceImpl::ParseDocument(
    grpc::ServerContext* context, const v1::ParseDocumentRequest* request,
    v1::ParseDocumentResponse* response) {
  absl::StatusOr<v1::ParseDocumentResponse> parsed = parser_.Parse(*request);
  if (!parsed.ok()) {
    spdlog::debug("ParseDocument from {} ({} bytes): {}", context->peer(),
                  request->content().size(), parsed.status());
    return ToGrpcStatus(parsed.status());
  }
  spdlog::debug("ParseDocument from {} ({} bytes): {} reports", context->peer(),
                request->content().size(), parsed->reports_size());
  *response = *std::move(parsed);
  return grpc::Status::OK;
}

grpc::Status ParserServiceImpl::ParseDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ParseDocumentsResponse,
                             v1::ParseDocumentsRequest>* stream) {
  v1::ParseDocumentsRequest request;
  int count = 0;
  while (stream->Read(&request)) {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
    v1::ParseDocumentsResponse response;
    response.set_document_id(request.document_id());
    absl::StatusOr<v1::ParseDocumentResponse> parsed =
        request.has_document()
            ? parser_.Parse(request.document())
            : absl::InvalidArgumentError(
                  "ParseDocumentsRequest.document is required");
    if (parsed.ok()) {
      *response.mutable_result() = *std::move(parsed);
    } else {
      response.mutable_error()->set_code(
          static_cast<int>(parsed.status().code()));
      response.mutable_error()->set_message(
          std::string(parsed.status().message()));
    }
    if (!stream->Write(response)) {
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "client stopped reading");
    }
    ++count;
  }
  spdlog::debug("ParseDocuments from {}: {} documents", context->peer(), count);
  return grpc::Status::OK;
}

}  // namespace govreport::parser
