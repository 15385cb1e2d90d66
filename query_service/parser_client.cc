#include "query_service/parser_client.h"

#include <algorithm>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "common/call_control.h"

namespace govreport::query {

absl::StatusOr<v1::ParseDocumentResponse> ParserClient::Parse(
    const v1::ParseDocumentRequest& request, const ParserCall& call) const {
  const absl::Time now = absl::Now();
  if (call.deadline <= now) {
    return absl::DeadlineExceededError(
        "deadline exceeded before calling the parser");
  }
  const bool callers_deadline = call.deadline < now + timeout_;
  grpc::ClientContext context;
  context.set_deadline(
      absl::ToChronoTime(std::min(call.deadline, now + timeout_)));
  // "-" is what RequestIdOf says of a call that has none (outside a
  // ServerRunner): nothing worth passing on.
  if (!call.request_id.empty() && call.request_id != "-") {
    context.AddMetadata(kRequestIdKey, call.request_id);
  }
  v1::ParseDocumentResponse response;
  const grpc::Status status = stub_.ParseDocument(&context, request, &response);
  if (!status.ok() && metrics_ != nullptr) {
    metrics_->RecordParserError(status.error_code());
  }
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return response;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (callers_deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "deadline exceeded while the parser at ", target_, " was working"));
      }
      [[fallthrough]];
    case grpc::StatusCode::UNAVAILABLE:
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
