// The query server's client of ParserService.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "govreport/v1/parser_service.grpc.pb.h"

namespace govreport::query {

// Calls ParseDocument with a deadline. Takes the stub interface so that
// tests pass the generated MockParserServiceStub; main.cc builds the real
// stub on a channel with round_robin and retries on UNAVAILABLE. The stub is
// not owned and must outlive the client. Thread-safe.
class ParserClient {
 public:
  ParserClient(v1::ParserService::StubInterface& stub, absl::Duration timeout,
               std::string target_for_messages)
      : stub_(stub),
        timeout_(timeout),
        target_(std::move(target_for_messages)) {}

  // Parses one document. UNAVAILABLE (naming the target, and saying that
  // reads keep working) when the parser cannot be reached or does not answer
  // within the timeout; the parser's own INVALID_ARGUMENT and
  // RESOURCE_EXHAUSTED (bad or too large document) pass through; anything
  // else becomes INTERNAL.
  absl::StatusOr<v1::ParseDocumentResponse> Parse(
      const v1::ParseDocumentRequest& request) const;

 private:
  v1::ParserService::StubInterface& stub_;
  const absl::Duration timeout_;
  const std::string target_;
};

}  // namespace govreport::query
