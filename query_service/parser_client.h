// The query server's client of ParserService.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "govreport/v1/parser_service.grpc.pb.h"
#include "query_service/query_metrics.h"

namespace govreport::query {

// What a parse call carries over from the call that needs it.
struct ParserCall {
  // Sent to the parser as x-request-id (common/call_control.h) unless empty
  // or "-", so that its log lines can be matched with ours.
  std::string request_id;
  // The deadline of the call being served: the parse must not outlive it.
  absl::Time deadline = absl::InfiniteFuture();
};

// Calls ParseDocument with a deadline. Takes the stub interface so that
// tests pass the generated MockParserServiceStub; main.cc builds the real
// stub on a channel with round_robin and retries on UNAVAILABLE. The stub
// (and `metrics`, when given) is not owned and must outlive the client.
// Thread-safe.
class ParserClient {
 public:
  ParserClient(v1::ParserService::StubInterface& stub, absl::Duration timeout,
               std::string target_for_messages, QueryMetrics* metrics = nullptr)
      : stub_(stub),
        timeout_(timeout),
        target_(std::move(target_for_messages)),
        metrics_(metrics) {}

  // Parses one document, with the earlier of now + timeout and
  // `call.deadline` as the deadline. DEADLINE_EXCEEDED when `call.deadline`
  // is the one that passed (the caller's time is up, the parser is not at
  // fault); UNAVAILABLE (naming the target, and saying that reads keep
  // working) when the parser cannot be reached or does not answer within
  // the timeout; the parser's own INVALID_ARGUMENT and RESOURCE_EXHAUSTED
  // (bad or too large document, or the parser overloaded) pass through;
  // anything else becomes INTERNAL. Every failure is counted in `metrics`
  // by the parser's code.
  absl::StatusOr<v1::ParseDocumentResponse> Parse(
      const v1::ParseDocumentRequest& request,
      const ParserCall& call = {}) const;

 private:
  v1::ParserService::StubInterface& stub_;
  const absl::Duration timeout_;
  const std::string target_;
  QueryMetrics* const metrics_;
};

}  // namespace govreport::query
