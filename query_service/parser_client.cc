#include "query_service/parser_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace govreport::query {

absl::StatusOr<v1::ParseDocumentResponse> ParserClient::Parse(
    const v1::ParseDocumentRequest& request) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  v1::ParseDocumentResponse response;
  const grpc::Status status = stub_.ParseDocument(&context, request, &response);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return response;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::UnavailableError(
          absl::StrCat("the parser service at ", target_, " is unavailable (",
                       status.error_message(),
                       "); ingest needs it, reads keep working; retry later"));
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("parser: ", status.error_message()));
    default:
      return absl::InternalError(absl::StrCat("parser call failed with code ",
                                              status.error_code(), ": ",
                                              status.error_message()));
  }
}

}  // namespace govreport::query
