// The gRPC edge of the parser: ParserService over a DocumentParser.
#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

#include "common/executor.h"
#include "govreport/v1/parser_service.grpc.pb.h"
#include "parser_service/document_parser.h"
#include "parser_service/parser_metrics.h"

namespace govreport::parser {

// Serves ParseDocument and the ParseDocuments stream. The parser (and
// `metrics`, when given) is borrowed and must outlive this object.
// Thread-safe. Calls are admitted through common/call_control.h: over the
// server's in-flight limit RESOURCE_EXHAUSTED, past the deadline
// DEADLINE_EXCEEDED, before any parsing.
//
// ParseDocument is a raw callback method: the response is serialized report
// by report as the parser assembles it (DocumentParser::ParseToWire) and
// sent as those bytes, so a large document never holds its whole response
// as messages (a 10 MB page: 83 MB peak instead of 156 MB). Parses run on a
// pool of one thread per core, never on a gRPC callback thread; the server's
// in-flight limit bounds how many wait, and one whose deadline passes while
// it waits is not started. Destroying the service runs those accepted.
class ParserServiceImpl final
    : public v1::ParserService::WithRawCallbackMethod_ParseDocument<
          v1::ParserService::Service> {
 public:
  explicit ParserServiceImpl(const DocumentParser& parser,
                             ParserMetrics* metrics = nullptr);

  // One document; errors as the proto documents (INVALID_ARGUMENT,
  // RESOURCE_EXHAUSTED), mapped once through ToGrpcStatus. Bytes that are
  // not a ParseDocumentRequest are INVALID_ARGUMENT too.
  grpc::ServerUnaryReactor* ParseDocument(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;

  // Many documents, one response each in order; a failed document carries
  // its error and the stream goes on. Ends early, between documents, with
  // CANCELLED if the client goes away and DEADLINE_EXCEEDED once the
  // deadline has passed.
  grpc::Status ParseDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ParseDocumentsResponse,
                               v1::ParseDocumentsRequest>* stream) override;

 private:
  // Parses one document and counts it in the metrics.
  absl::StatusOr<v1::ParseDocumentResponse> ParseAndRecord(
      const v1::ParseDocumentRequest& request) const;
  // The same, to wire format.
  absl::StatusOr<std::string> ParseToWireAndRecord(
      const v1::ParseDocumentRequest& request) const;
  // ParseDocument's work, on a thread of `parses_`.
  void ParseOne(grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
                grpc::ServerUnaryReactor* reactor);

  const DocumentParser& parser_;
  ParserMetrics* const metrics_;
  Executor parses_;  // last: drained before the rest goes
};

}  // namespace govreport::parser
