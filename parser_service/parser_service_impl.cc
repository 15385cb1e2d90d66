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

v1::ParseDocumentsResponse ParserServiceImpl::AnswerStreamMessage(
    const grpc::ByteBuffer& message, int index) const {
  v1::ParseDocumentsResponse response;
  v1::ParseDocumentsRequest request;
  absl::StatusOr<v1::ParseDocumentResponse> parsed;
  if (absl::Status decoded = ParseRequest(message, &request); !decoded.ok()) {
    // No document_id to echo: the client matches it by its place.
    parsed = absl::Status(
        decoded.code(),
        absl::StrCat("message ", index, " of the stream: ", decoded.message()));
  } else {
    response.set_document_id(request.document_id());
    parsed = request.has_document()
                 ? ParseAndRecord(request.document())
                 : absl::InvalidArgumentError(
                       "ParseDocumentsRequest.document is required");
  }
  if (parsed.ok()) {
    *response.mutable_result() = *std::move(parsed);
  } else {
    response.mutable_error()->set_code(
        static_cast<int>(parsed.status().code()));
    response.mutable_error()->set_message(
        std::string(parsed.status().message()));
  }
  return response;
}

// One ParseDocuments call. A message is read, parsed on the service's pool,
// and its response written; then the next is read. So at any moment exactly
// one of a read, a parse task or a write is pending, and the step that
// finishes the call (a failed read or write, or the parse task finding the
// call unwanted) is that one pending step, and finishing is the last thing
// it does: OnDone, which deletes the reactor, never runs while a parse task
// still refers to it. Cancellation needs no work of its own: a pending read
// or write then fails, and a parse not yet started sees it (CheckDeadline)
// and does not start; one that has started runs to its end, like
// ParseDocument's.
class ParserServiceImpl::StreamReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamReactor(ParserServiceImpl& service,
                grpc::CallbackServerContext* context)
      : service_(service), context_(*context) {
    if (absl::Status admitted = CheckAdmitted(context_); !admitted.ok()) {
      spdlog::debug("ParseDocuments request_id={} not started: {}",
                    RequestIdOf(context_), admitted);
      Finish(ToGrpcStatus(admitted));
      return;
    }
    StartRead(&message_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client has finished writing (or has gone)
      spdlog::debug("ParseDocuments request_id={} from {}: {} documents",
                    RequestIdOf(context_), context_.peer(), answered_);
      Finish(grpc::Status::OK);
      return;
    }
    service_.parses_.Submit([this] { ParseMessage(); });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(
          grpc::Status(grpc::StatusCode::CANCELLED, "client stopped reading"));
      return;
    }
    ++answered_;
    StartRead(&message_);
  }

  void OnDone() override { delete this; }

 private:
  // On a thread of the pool: answers message_ (index answered_ + 1).
  void ParseMessage() {
    // Before each document: stop for a client that has gone or whose
    // deadline has passed (perhaps while this waited for a thread), rather
    // than parse what nobody will read.
    const int index = answered_ + 1;
    if (absl::Status wanted =
            CheckDeadline(context_, absl::StrCat("parsing document ", index));
        !wanted.ok()) {
      spdlog::debug(
          "ParseDocuments request_id={} stopped after {} documents: {}",
          RequestIdOf(context_), answered_, wanted);
      Finish(ToGrpcStatus(wanted));
      return;
    }
    const v1::ParseDocumentsResponse response =
        service_.AnswerStreamMessage(message_, index);
    message_.Clear();  // the document's bytes are no longer needed
    absl::StatusOr<grpc::ByteBuffer> bytes = SerializeToBytes(response);
    if (!bytes.ok()) {
      spdlog::error("ParseDocuments request_id={} document {}: {}",
                    RequestIdOf(context_), index, bytes.status());
      Finish(ToGrpcStatus(bytes.status()));
      return;
    }
    response_ = *std::move(bytes);
    StartWrite(&response_);
  }

  ParserServiceImpl& service_;
  grpc::CallbackServerContext& context_;
  grpc::ByteBuffer message_;   // the message read, until it is parsed
  grpc::ByteBuffer response_;  // its response, until it is written
  int answered_ = 0;           // responses written
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
ParserServiceImpl::ParseDocuments(grpc::CallbackServerContext* context) {
  return new StreamReactor(*this, context);
}

}  // namespace govreport::parser
