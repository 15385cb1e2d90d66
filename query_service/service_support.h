// What the three service implementations share at the gRPC edge: the read
// gate (snapshot + optional auth), bearer metadata, and finishing a unary
// call from an absl::StatusOr (mapped once, with ToGrpcStatus, and logged
// once, here).
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/message_allocator.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "query_service/bearer_auth.h"
#include "query_service/executor.h"
#include "query_service/snapshot/snapshot_manager.h"

namespace govreport::query {

// The `authorization` metadata of a call, if present.
std::optional<absl::string_view> AuthorizationOf(
    const grpc::CallbackServerContext& context);

// Admits reads: checks the bearer token when reads require it, and hands out
// the current snapshot (UNAVAILABLE while the first one is loading). Not
// owning; thread-safe.
class ReadGate {
 public:
  ReadGate(const SnapshotManager& snapshots, const BearerAuth& auth,
           bool require_auth)
      : snapshots_(snapshots), auth_(auth), require_auth_(require_auth) {}

  absl::StatusOr<std::shared_ptr<const Snapshot>> Begin(
      const grpc::CallbackServerContext& context) const;

 private:
  const SnapshotManager& snapshots_;
  const BearerAuth& auth_;
  const bool require_auth_;
};

// Logs a failed call once: error for our own faults, warn for unavailable
// dependencies, debug for the caller's mistakes.
void LogFailure(absl::string_view method, const absl::Status& status);

// Runs `fn` (returning absl::StatusOr<Response>) and finishes the call with
// its value or its mapped status.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                absl::string_view method, Response* response,
                                Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Response> result = std::forward<Fn>(fn)();
  if (result.ok()) {
    *response = *std::move(result);
    reactor->Finish(grpc::Status::OK);
  } else {
    LogFailure(method, result.status());
    reactor->Finish(ToGrpcStatus(result.status()));
  }
  return reactor;
}

// Allocates a call's request and response on one protobuf arena, freed at
// once when the call is done: a response of many rows (each a few
// submessages and strings) costs a few block allocations instead of
// hundreds of mallocs and frees. Install it with the generated
// SetMessageAllocatorFor_<Method>, and fill the response in place (see
// ServeInto): assigning a heap message to it would copy. Thread-safe.
template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      options.start_block_size = 4096;
      options.max_block_size = 256 * 1024;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

// Like Serve, for a `fn` that fills `response` in place and returns an
// absl::Status.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* ServeInto(grpc::CallbackServerContext* context,
                                    absl::string_view method,
                                    Response* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = std::forward<Fn>(fn)();
  if (status.ok()) {
    reactor->Finish(grpc::Status::OK);
  } else {
    response->Clear();
    LogFailure(method, status);
    reactor->Finish(ToGrpcStatus(status));
  }
  return reactor;
}

// Like Serve, but runs `fn` on `executor` and finishes the call from there:
// the callback thread returns at once. `fn` may use the context, request
// and response until it returns (the call is not finished before).
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* ServeOn(Executor& executor,
                                  grpc::CallbackServerContext* context,
                                  absl::string_view method, Response* response,
                                  Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  executor.Submit([reactor, method, response, fn = std::move(fn)]() mutable {
    absl::StatusOr<Response> result = fn();
    if (result.ok()) {
      *response = *std::move(result);
      reactor->Finish(grpc::Status::OK);
    } else {
      LogFailure(method, result.status());
      reactor->Finish(ToGrpcStatus(result.status()));
    }
  });
  return reactor;
}

// Defines Class::Method as a snapshot read: admit the read (auth), take one
// snapshot, ask the engine's method of the same name. Class must have
// members `reads_` (ReadGate) and `engine_` (QueryEngine).
#define GOVREPORT_SNAPSHOT_READ(Class, Method)                               \
  grpc::ServerUnaryReactor* Class::Method(                                   \
      grpc::CallbackServerContext* context,                                  \
      const v1::Method##Request* request, v1::Method##Response* response) {  \
    return Serve(                                                            \
        context, #Method,                                                    \
        response, [&]() -> absl::StatusOr<v1::Method##Response> {            \
          GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context)); \
          return engine_.Method(*snapshot, *request);                        \
        });                                                                  \
  }

}  // namespace govreport::query
