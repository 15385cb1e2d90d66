// Raw (ByteBuffer) gRPC methods: reading the request bytes and sending
// response bytes the server wrote itself (the query server's wire-format
// answers and response cache, the parser's report-by-report response).
//
// Every method of both servers is raw, so that bytes that are not its
// request message are answered INVALID_ARGUMENT naming the type: for a
// typed method gRPC 1.51 answers such bytes itself, before the handler
// runs, with UNIMPLEMENTED (callback API) or INTERNAL (sync API) and an
// empty message, and a sync stream just ends.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace govreport {

// The bytes of `buffer` in one string.
std::string FlattenBytes(const grpc::ByteBuffer& buffer);
// The same, appended to `out` (whose capacity a caller may reuse).
void AppendBytes(const grpc::ByteBuffer& buffer, std::string* out);

// INVALID_ARGUMENT: the request bytes are not a `type_name`.
absl::Status UndecodableRequest(absl::string_view type_name);

// `bytes` parsed as `Request`; UndecodableRequest when they are not one
// (malformed, or a string field that is not UTF-8).
template <typename Request>
absl::Status ParseRequest(absl::string_view bytes, Request* request) {
  if (!request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return UndecodableRequest(Request::descriptor()->full_name());
  }
  return absl::OkStatus();
}

// The same, read from the buffer's slices without flattening them first
// (a large document is copied once, into the message).
template <typename Request>
absl::Status ParseRequest(const grpc::ByteBuffer& bytes, Request* request) {
  grpc::ByteBuffer copy(bytes);  // shares the slices; the reader consumes
  grpc::ProtoBufferReader reader(&copy);
  if (!request->ParseFromZeroCopyStream(&reader)) {
    return UndecodableRequest(Request::descriptor()->full_name());
  }
  return absl::OkStatus();
}

// A ByteBuffer over `bytes` without copying them; the buffer keeps them
// alive until gRPC has sent them (they may be shared, e.g. with a cache).
grpc::ByteBuffer SharedBytes(std::shared_ptr<const std::string> bytes);

// `message` in wire format, as a raw method's response; INTERNAL when it
// cannot be serialized (over 2 GiB, far beyond any send limit).
template <typename Message>
absl::StatusOr<grpc::ByteBuffer> SerializeToBytes(const Message& message) {
  auto bytes = std::make_shared<std::string>();
  if (!message.SerializeToString(bytes.get())) {
    return absl::InternalError(absl::StrCat(
        "response: cannot serialize the ", Message::descriptor()->full_name()));
  }
  return SharedBytes(std::move(bytes));
}

}  // namespace govreport
