#include "parser_service/parser_service_impl.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "common/call_control.h"
#include "common/grpc_status.h"
#include "common/logging.h"
#include "common/raw_messages.h"

namespace govreport::parser {
namespace {

// What DocumentParser does not check: proto3 enums are open (a client may
// send a number we do not define) and default_year is any int32.
absl::Status ValidateRequest(const v1::ParseDocumentRequest& request) {
  if (!v1::DocumentFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown value ", request.format()));
  }
  const int32_t year = request.default_year();
  if (year != 0 && (year < 1900 || year > 2200)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "default_year: must be 0 (none) or a year in 1900..2200, got ", year));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ParseDocumentResponse> ParserServiceImpl::ParseAndRecord(
    const v1::ParseDocumentRequest& request) const {
  const absl::Time start = absl::Now();
  const absl::Status valid = ValidateRequest(request);
  absl::StatusOr<v1::ParseDocumentResponse> parsed =
      valid.ok() ? parser_.Parse(request)
                 : absl::StatusOr<v1::ParseDocumentResponse>(valid);
  if (metrics_ != nullptr) {
    metrics_->RecordDocument(request.content().size(), absl::Now() - start,
                             parsed);
  }
  return parsed;
}

absl::StatusOr<std::string> ParserServiceImpl::ParseToWireAndRecord(
    const v1::ParseDocumentRequest& request) const {
  const absl::Time start = absl::Now();
  ParseSummary summary;
  absl::Status valid = ValidateRequest(request);
  absl::StatusOr<std::string> wire =
      valid.ok() ? parser_.ParseToWire(request, &summary)
                 : absl::StatusOr<std::string>(valid);
  if (metrics_ != nullptr) {
    metrics_->RecordDocument(
        request.content().size(), absl::Now() - start,
        wire.ok() ? absl::StatusOr<ParseSummary>(std::move(summary))
                  : absl::StatusOr<ParseSummary>(wire.status()));
  }
  return wire;
}

ParserServiceImpl::ParserServiceImpl(const DocumentParser& parser,
                                     ParserMetrics* metrics)
    : parser_(parser),
      metrics_(metrics),
      parses_(
          static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {
}

grpc::ServerUnaryReactor* ParserServiceImpl::ParseDocument(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Admission first: no parsing (and no thread) for a call over the
  // in-flight limit, past its deadline, or whose client has gone.
  if (absl::Status admitted = CheckAdmitted(*context); !admitted.ok()) {
    spdlog::debug("ParseDocument request_id={} not started: {}",
                  RequestIdOf(*context), admitted);
    reactor->Finish(ToGrpcStatus(admitted));
    return reactor;
  }
  parses_.Submit([this, context, request, response, reactor] {
    ParseOne(context, request, response, reactor);
  });
  return reactor;
}

void ParserServiceImpl::ParseOne(grpc::CallbackServerContext* context,
                                 const grpc::ByteBuffer* request,
                                 grpc::ByteBuffer* response,
                                 grpc::ServerUnaryReactor* reactor) {
  // A call that waited for a thread past its deadline is not parsed.
  absl::Status status = CheckDeadline(*context, "parsing");
  v1::ParseDocumentRequest parsed_request;
  if (status.ok()) status = ParseRequest(*request, &parsed_request);
  absl::StatusOr<std::string> wire = status.ok()
                                         ? ParseToWireAndRecord(parsed_request)
                                         : absl::StatusOr<std::string>(status);
  if (!wire.ok()) {
    spdlog::debug("ParseDocument request_id={} from {} ({} bytes): {}",
                  RequestIdOf(*context), context->peer(), request->Length(),
                  wire.status());
    reactor->Finish(ToGrpcStatus(wire.status()));
    return;
  }
  spdlog::debug("ParseDocument request_id={} from {} ({} bytes): {} bytes out",
                RequestIdOf(*context), context->peer(), request->Length(),
                wire->size());
  *response =
      SharedBytes(std::make_shared<const std::string>(*std::move(wire)));
  reactor->Finish(grpc::Status::OK);
}

grpc::Status ParserServiceImpl::ParseDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ParseDocumentsResponse,
                             v1::ParseDocumentsRequest>* stream) {
  if (absl::Status admitted = CheckAdmitted(*context); !admitted.ok()) {
    spdlog::debug("ParseDocuments request_id={} not started: {}",
                  RequestIdOf(*context), admitted);
    return ToGrpcStatus(admitted);
  }
  v1::ParseDocumentsRequest request;
  int count = 0;
  while (stream->Read(&request)) {
    // Between documents: stop for a client that has gone or whose deadline
    // has passed, rather than parse what nobody will read.
    if (absl::Status wanted = CheckDeadline(
            *context, absl::StrCat("parsing document ", count + 1));
        !wanted.ok()) {
      spdlog::debug(
          "ParseDocuments request_id={} stopped after {} "
          "documents: {}",
          RequestIdOf(*context), count, wanted);
      return ToGrpcStatus(wanted);
    }
    v1::ParseDocumentsResponse response;
    response.set_document_id(request.document_id());
    absl::StatusOr<v1::ParseDocumentResponse> parsed =
        request.has_document()
            ? ParseAndRecord(request.document())
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
  spdlog::debug("ParseDocuments request_id={} from {}: {} documents",
                RequestIdOf(*context), context->peer(), count);
  return grpc::Status::OK;
}

}  // namespace govreport::parser
