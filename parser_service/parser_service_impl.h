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
// Both methods are raw callback methods, which decode their own requests:
// bytes that are not the request message are answered INVALID_ARGUMENT
// naming the type (gRPC 1.51 would answer a typed method's itself, with an
// empty message, and end a typed stream as if the client had finished).
// Parses run on a pool of one thread per core, never on a gRPC callback
// thread; the server's in-flight limit bounds how many wait, and one whose
// deadline passes (or whose client goes) while it waits is not started.
// Destroying the service runs those accepted; the server must be shut down
// first.
//
// ParseDocument's response is serialized report by report as the parser
// assembles it (DocumentParser::ParseToWire) and sent as those bytes, so a
// large document never holds its whole response as messages (a 10 MB page:
// 83 MB peak instead of 156 MB).
class ParserServiceImpl final
    : public v1::ParserService::WithRawCallbackMethod_ParseDocument<
          v1::ParserService::WithRawCallbackMethod_ParseDocuments<
              v1::ParserService::Service>> {
 public:
  explicit ParserServiceImpl(const DocumentParser& parser,
                             ParserMetrics* metrics = nullptr);

  // One document (a serialized v1::ParseDocumentRequest, answered with a
  // serialized v1::ParseDocumentResponse); errors as the proto documents
  // (INVALID_ARGUMENT, RESOURCE_EXHAUSTED), mapped once through
  // ToGrpcStatus. Bytes that are not a ParseDocumentRequest are
  // INVALID_ARGUMENT too.
  grpc::ServerUnaryReactor* ParseDocument(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;

  // Many documents (serialized v1::ParseDocumentsRequest messages), one
  // response (v1::ParseDocumentsResponse) each, in order: a message is
  // read, parsed on the pool and answered before the next is read. A
  // failed document carries its error and the stream goes on; so does a
  // message that is not a ParseDocumentsRequest (INVALID_ARGUMENT naming
  // the type and the message's place on the stream, and no document_id).
  // Ends early, between documents, with CANCELLED if the client goes away
  // and DEADLINE_EXCEEDED once the deadline has passed. The reactor
  // returned owns itself (deleted when the call is done).
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* ParseDocuments(
      grpc::CallbackServerContext* context) override;

 private:
  class StreamReactor;

  // Parses one document and counts it in the metrics.
  absl::StatusOr<v1::ParseDocumentResponse> ParseAndRecord(
      const v1::ParseDocumentRequest& request) const;
  // The same, to wire format.
  absl::StatusOr<std::string> ParseToWireAndRecord(
      const v1::ParseDocumentRequest& request) const;
  // The response to `message`, the `index`th (from 1) of a ParseDocuments
  // stream: its document's reports, or why there are none.
  v1::ParseDocumentsResponse AnswerStreamMessage(
      const grpc::ByteBuffer& message, int index) const;
  // ParseDocument's work, on a thread of `parses_`.
  void ParseOne(grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
                grpc::ServerUnaryReactor* reactor);

  const DocumentParser& parser_;
  ParserMetrics* const metrics_;
  Executor parses_;  // last: drained before the rest goes
};

}  // namespace govreport::parser
