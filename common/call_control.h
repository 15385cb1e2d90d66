// Per-call controls both servers apply at the gRPC edge: a limit on the
// calls in flight (the excess is refused with RESOURCE_EXHAUSTED instead of
// queueing without bound), a deadline for calls that arrive without one,
// and a request id that follows a call through our logs and on to the
// parser.
//
// The work is split between a server interceptor (installed by
// ServerRunner), which sees every call from its arrival to its end, and the
// handlers, which alone can answer a call: the interceptor takes a slot of
// the limiter for the call's whole life and records its decision, the
// deadline and the request id in the call's received metadata; the handlers
// read them back with the functions below. A handler outside a ServerRunner
// (tests) sees no such records: every call is admitted, its deadline is the
// client's, and its request id is the client's x-request-id or "-".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "common/concurrency_limiter.h"

namespace govreport {

class CallControlInterceptor;

// The metadata key of the request id, as clients and proxies send it.
inline constexpr char kRequestIdKey[] = "x-request-id";

// How calls are admitted. Filled from flags (common/server_flags.h).
struct CallControlOptions {
  // Calls in progress at once, health checks and reflection excepted; a call
  // beyond it is refused with RESOURCE_EXHAUSTED. <= 0: no limit.
  int max_in_flight = 0;
  // The deadline of a call that arrives without one, counted from its
  // arrival. Zero: none (such a call may run for ever).
  absl::Duration default_deadline = absl::ZeroDuration();
  // Methods (by prefix of "/package.Service/Method") never limited, logged
  // or given request ids: health checks, so that probes see a loaded server
  // as alive, and reflection.
  std::vector<std::string> exempt_method_prefixes = {"/grpc.health.v1.",
                                                     "/grpc.reflection."};
};

// The shared state of one server's interceptors: the limiter and the
// admission metrics. Thread-safe; must outlive the server it is installed
// on.
class CallControl {
 public:
  // Registers its metrics in `registry`, which must outlive this object.
  CallControl(CallControlOptions options, prometheus::Registry& registry);

  // A factory for ServerBuilder::experimental().SetInterceptorCreators.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  MakeInterceptorFactory();

  const CallControlOptions& options() const { return options_; }
  // Admitted calls in progress now.
  int in_flight() const { return limiter_.in_flight(); }

 private:
  friend class CallControlInterceptor;

  const CallControlOptions options_;
  const std::string limit_text_;  // max_in_flight, for the refusal message
  ConcurrencyLimiter limiter_;
  prometheus::Family<prometheus::Counter>& rejected_;
  prometheus::Gauge& admitted_in_flight_;
};

// The call's request id: the client's x-request-id when it is usable (1-64
// characters of [A-Za-z0-9._:-]), else one the server made; "-" outside a
// ServerRunner when the client sent none.
std::string RequestIdOf(const grpc::ServerContextBase& context);

// The call's deadline: the client's, or arrival + the default deadline when
// the client set none; InfiniteFuture when neither.
absl::Time DeadlineOf(const grpc::ServerContextBase& context);

// Whether the call may start: RESOURCE_EXHAUSTED when it arrived over the
// in-flight limit (the message names the limit and says to retry with
// backoff), else as CheckDeadline. Call first thing in a handler.
absl::Status CheckAdmitted(const grpc::ServerContextBase& context);

// Whether the call is still wanted before a costly step (`next_step`, e.g.
// "parsing", is named in the message): DEADLINE_EXCEEDED once the deadline
// has passed, CANCELLED when the client has gone; OK otherwise.
absl::Status CheckDeadline(const grpc::ServerContextBase& context,
                           absl::string_view next_step = "starting");

// A fresh random request id (16 hex digits).
std::string NewRequestId();

// Whether `id` is acceptable as a request id from a client (see
// RequestIdOf); others are replaced, so that logs never carry arbitrary
// client bytes.
bool IsUsableRequestId(absl::string_view id);

}  // namespace govreport
