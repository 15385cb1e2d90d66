// What the three service implementations share at the gRPC edge: the read
// gate (snapshot + optional auth), bearer metadata, admission (the in-flight
// limit and deadlines of common/call_control.h, and the bounded write
// queue), and serving every method raw: decoding the request ourselves
// (ParseRequest) and finishing the call from an absl::StatusOr (mapped once,
// with ToGrpcStatus, and logged once, with the request id, here).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#include "common/call_control.h"
#include "common/concurrency_limiter.h"
#include "common/executor.h"
#include "common/grpc_status.h"
#include "common/raw_messages.h"
#include "common/status_macros.h"
#include "query_service/bearer_auth.h"
#include "query_service/cache/response_cache.h"
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

  // The current snapshot without any check (nullptr while loading), for
  // the write metrics.
  std::shared_ptr<const Snapshot> Current() const {
    return snapshots_.Current();
  }

 private:
  const SnapshotManager& snapshots_;
  const BearerAuth& auth_;
  const bool require_auth_;
};

// Logs a failed call once, with its request id: error for our own faults,
// warn for unavailable dependencies and passed deadlines, debug for the
// caller's mistakes and for refusals under overload (counted in the
// metrics instead: a flood must not flood the log too).
void LogFailure(absl::string_view method, const absl::Status& status,
                const grpc::CallbackServerContext& context);

// Finishes `reactor` with `status` (not OK), logged once.
void FinishWithError(grpc::ServerUnaryReactor* reactor,
                     const grpc::CallbackServerContext& context,
                     absl::string_view method, const absl::Status& status);

// Finishes `reactor` with `result`: its value, serialized into `*response`,
// or its status (mapped and logged once, as FinishWithError).
template <typename Response>
void FinishWithResult(grpc::ServerUnaryReactor* reactor,
                      const grpc::CallbackServerContext& context,
                      absl::string_view method,
                      const absl::StatusOr<Response>& result,
                      grpc::ByteBuffer* response) {
  if (!result.ok()) {
    FinishWithError(reactor, context, method, result.status());
    return;
  }
  absl::StatusOr<grpc::ByteBuffer> bytes = SerializeToBytes(*result);
  if (!bytes.ok()) {
    FinishWithError(reactor, context, method, bytes.status());
    return;
  }
  *response = *std::move(bytes);
  reactor->Finish(grpc::Status::OK);
}

// Serves a typed handler from a raw method (every method of the query
// server is raw, so that bytes that are not its request are answered
// INVALID_ARGUMENT naming the type, not by gRPC with an empty message).
// Admission first: a call refused (over the in-flight limit, deadline
// passed, client gone) is not even decoded. Then `request` is parsed as a
// `Request` (INVALID_ARGUMENT, see ParseRequest, when it is not one), and
// `fn(const Request&)`, returning absl::StatusOr<Response>, runs on this
// thread; the call finishes with its value, sent as wire bytes in
// `*response`, or its mapped status.
template <typename Request, typename Fn>
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                absl::string_view method,
                                const grpc::ByteBuffer* request,
                                grpc::ByteBuffer* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status admitted = CheckAdmitted(*context); !admitted.ok()) {
    FinishWithError(reactor, *context, method, admitted);
    return reactor;
  }
  Request parsed;
  if (absl::Status s = ParseRequest(*request, &parsed); !s.ok()) {
    FinishWithError(reactor, *context, method, s);
    return reactor;
  }
  FinishWithResult(reactor, *context, method,
                   std::forward<Fn>(fn)(std::as_const(parsed)), response);
  return reactor;
}

// A read served by a raw method: admission as in Serve; the snapshot from
// `reads`; then, when `cache` (may be null) holds the answer to these
// request bytes from this data version, those bytes; else
// `fn(request, snapshot, &bytes)` writes the response's wire bytes, which
// are sent and kept in the cache. Only successful answers are cached.
template <typename Request, typename Fn>
grpc::ServerUnaryReactor* ServeWire(grpc::CallbackServerContext* context,
                                    absl::string_view method,
                                    const ReadGate& reads, ResponseCache* cache,
                                    const grpc::ByteBuffer* request_bytes,
                                    grpc::ByteBuffer* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto fail = [&](const absl::Status& status) {
    FinishWithError(reactor, *context, method, status);
    return reactor;
  };
  if (absl::Status admitted = CheckAdmitted(*context); !admitted.ok()) {
    return fail(admitted);
  }
  absl::StatusOr<std::shared_ptr<const Snapshot>> snapshot =
      reads.Begin(*context);
  if (!snapshot.ok()) return fail(snapshot.status());
  // The cache key, ending in the request's bytes, built in a buffer each
  // thread keeps (no allocation per call); `flat` views the request in it.
  thread_local std::string key;
  key.clear();
  // A rare large request does not leave its capacity behind.
  struct Trim {
    ~Trim() {
      if (key.capacity() > (64 << 10)) std::string().swap(key);
    }
  } trim;
  if (cache != nullptr) {
    ResponseCache::AppendKeyPrefix(method, (*snapshot)->data_version(), &key);
  }
  const size_t request_begin = key.size();
  AppendBytes(*request_bytes, &key);
  const absl::string_view flat = absl::string_view(key).substr(request_begin);
  if (cache != nullptr) {
    if (ResponseCache::Bytes hit = cache->Find(key)) {
      *response = SharedBytes(std::move(hit));
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
  }
  Request request;
  if (absl::Status parsed = ParseRequest(flat, &request); !parsed.ok()) {
    return fail(parsed);
  }
  std::string bytes;
  if (absl::Status done = std::forward<Fn>(fn)(request, **snapshot, &bytes);
      !done.ok()) {
    return fail(done);
  }
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  if (cache != nullptr) cache->Insert(key, shared);
  *response = SharedBytes(std::move(shared));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

// The writes' worker threads and a bound on the writes accepted but not
// finished (queued or running): beyond it a write is refused at once, so
// that the queue never grows without bound under a flood of writes. The
// destructor runs every write already accepted. Thread-safe.
class WriteQueue {
 public:
  // `threads` workers; at most `max_pending` writes pending (<= 0: no
  // bound).
  WriteQueue(int threads, int max_pending)
      : pending_(max_pending), executor_(threads) {}

  // Queues `task` and returns true, or returns false (and drops `task`)
  // when max_pending writes are pending.
  bool TrySubmit(std::function<void()> task);

  int max_pending() const { return pending_.limit(); }

 private:
  ConcurrencyLimiter pending_;
  Executor executor_;  // after pending_: destroyed (drained) first
};

// Like Serve, but runs `fn` on `queue` and finishes the call from there:
// the callback thread returns at once. The request is decoded before it is
// queued (bytes that are not a `Request` never take a place in the queue,
// and are refused before any auth check), and the queued task owns the
// decoded request: `fn` gets it, and may use the context until it returns
// (the call is not finished before). RESOURCE_EXHAUSTED when the queue is
// full; a write whose deadline passes (or whose client goes away) while it
// waits is not started. Once `fn` starts it runs to the end: a write is
// never left half done.
template <typename Request, typename Fn>
grpc::ServerUnaryReactor* ServeOn(WriteQueue& queue,
                                  grpc::CallbackServerContext* context,
                                  absl::string_view method,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response, Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status admitted = CheckAdmitted(*context); !admitted.ok()) {
    FinishWithError(reactor, *context, method, admitted);
    return reactor;
  }
  // Shared only to fit in a std::function (which must be copyable); the
  // task is its one owner.
  auto parsed = std::make_shared<Request>();
  if (absl::Status s = ParseRequest(*request, parsed.get()); !s.ok()) {
    FinishWithError(reactor, *context, method, s);
    return reactor;
  }
  const bool queued = queue.TrySubmit(
      [reactor, context, method, response,
       parsed = std::shared_ptr<const Request>(std::move(parsed)),
       fn = std::move(fn)]() mutable {
        if (absl::Status s = CheckDeadline(*context, "the write started");
            !s.ok()) {
          FinishWithError(reactor, *context, method, s);
          return;
        }
        FinishWithResult(reactor, *context, method, fn(*parsed), response);
      });
  if (!queued) {
    FinishWithError(
        reactor, *context, method,
        absl::ResourceExhaustedError(absl::StrCat(
            "server overloaded: ", queue.max_pending(),
            " writes already pending (--max_pending_writes); retry with "
            "backoff")));
  }
  return reactor;
}

// Defines Class::Method, a raw method, as a snapshot read served by Serve:
// decode a v1::MethodRequest, admit the read (auth), take one snapshot, ask
// the engine's method of the same name. Class must have members `reads_`
// (ReadGate) and `engine_` (QueryEngine).
#define GOVREPORT_SNAPSHOT_READ(Class, Method)                               \
  grpc::ServerUnaryReactor* Class::Method(                                   \
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request, \
      grpc::ByteBuffer* response) {                                          \
    return Serve<v1::Method##Request>(                                       \
        context, #Method, request, response,                                 \
        [&](const v1::Method##Request& parsed)                               \
            -> absl::StatusOr<v1::Method##Response> {                        \
          GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context)); \
          return engine_.Method(*snapshot, parsed);                          \
        });                                                                  \
  }

}  // namespace govreport::query
