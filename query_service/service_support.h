// What the three service implementations share at the gRPC edge: the read
// gate (snapshot + optional auth), bearer metadata, and finishing a unary
// call from an absl::StatusOr (mapped once, with ToGrpcStatus, and logged
// once, here).
#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "common/grpc_status.h"
#include "query_service/bearer_auth.h"
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

}  // namespace govreport::query
