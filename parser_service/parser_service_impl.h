// The gRPC edge of the parser: ParserService over a DocumentParser.
#pragma once

#include <grpcpp/grpcpp.h>

#include "govreport/v1/parser_service.grpc.pb.h"
#include "parser_service/document_parser.h"

namespace govreport::parser {

// Serves ParseDocument and the ParseDocuments stream. Stateless; the parser
// is borrowed and must outlive this object. Thread-safe.
class ParserServiceImpl final : public v1::ParserService::Service {
 public:
  explicit ParserServiceImpl(const DocumentParser& parser) : parser_(parser) {}

  // One document; errors as the proto documents (INVALID_ARGUMENT,
  // RESOURCE_EXHAUSTED), mapped once through ToGrpcStatus.
  grpc::Status ParseDocument(grpc::ServerContext* context,
                             const v1::ParseDocumentRequest* request,
                             v1::ParseDocumentResponse* response) override;

  // Many documents, one response each in order; a failed document carries
  // its error and the stream goes on. Ends early, CANCELLED, if the client
  // goes away.
  grpc::Status ParseDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ParseDocumentsResponse,
                               v1::ParseDocumentsRequest>* stream) override;

 private:
  const DocumentParser& parser_;
};

}  // namespace govreport::parser
