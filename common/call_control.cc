#include "common/call_control.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "common/logging.h"
#include "common/metrics.h"

namespace govreport {
namespace {

// What the interceptor records for the handlers. The prefix is ours; the
// interceptor drops any such key a client sends, so a client can neither
// forge an admission record nor a deadline.
constexpr char kInternalPrefix[] = "govreport-internal-";
constexpr char kOverloadedKey[] = "govreport-internal-overloaded";
constexpr char kDeadlineKey[] = "govreport-internal-deadline-us";

constexpr size_t kMaxRequestIdLength = 64;

bool IsExempt(const CallControlOptions& options, absl::string_view method) {
  for (const std::string& prefix : options.exempt_method_prefixes) {
    if (absl::StartsWith(method, prefix)) return true;
  }
  return false;
}

// The first value of `key` in the received metadata, if any.
std::optional<absl::string_view> Find(const grpc::ServerContextBase& context,
                                      absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return std::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

absl::Time FromChronoDeadline(std::chrono::system_clock::time_point deadline) {
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

grpc::string_ref Ref(absl::string_view s) {
  return grpc::string_ref(s.data(), s.size());
}

}  // namespace

// One per call. Takes a slot at creation (the call has arrived), gives it
// back at destruction (the call is over, its status sent or the client
// gone), and writes its records into the received metadata before the
// handler runs.
class CallControlInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallControlInterceptor(CallControl& control,
                         grpc::experimental::ServerRpcInfo* info)
      : control_(control),
        context_(info->server_context()),
        method_(info->method()),
        exempt_(IsExempt(control.options_, method_)),
        arrival_(absl::Now()) {
    if (exempt_) return;
    permit_ = ConcurrencyPermit(control_.limiter_);
    if (permit_.held()) {
      control_.admitted_in_flight_.Increment();
    } else {
      control_.rejected_
          .Add({{"grpc_method", method_}, {"reason", "overloaded"}})
          .Increment();
    }
  }

  ~CallControlInterceptor() override {
    if (exempt_) return;
    if (permit_.held()) control_.admitted_in_flight_.Decrement();
    // The request line: one per call, at debug (the style's level for
    // per-request summaries). Only the method, outcome, timing, request id
    // and peer: never metadata values such as the authorization header.
    if (!spdlog::should_log(spdlog::level::debug)) return;
    spdlog::debug("rpc {} code={} ms={:.3f} request_id={} peer={}", method_,
                  code_, absl::ToDoubleMilliseconds(absl::Now() - arrival_),
                  request_id_.empty() ? "-" : request_id_,
                  peer_.empty() ? "-" : peer_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (!exempt_ && methods->QueryInterceptionHookPoint(
                        InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Record(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      code_ = GrpcCodeName(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    for (auto it = metadata.begin(); it != metadata.end();) {
      const absl::string_view key(it->first.data(), it->first.size());
      it = absl::StartsWith(key, kInternalPrefix) ? metadata.erase(it)
                                                  : std::next(it);
    }
    auto id = metadata.find(kRequestIdKey);
    if (id != metadata.end() && IsUsableRequestId(absl::string_view(
                                    id->second.data(), id->second.size()))) {
      request_id_.assign(id->second.data(), id->second.size());
    } else {
      metadata.erase(kRequestIdKey);
      request_id_ = NewRequestId();
      metadata.emplace(kRequestIdKey, Ref(request_id_));
    }
    if (!permit_.held()) {
      metadata.emplace(kOverloadedKey, Ref(control_.limit_text_));
    }
    const absl::Duration default_deadline = control_.options_.default_deadline;
    if (default_deadline > absl::ZeroDuration() &&
        FromChronoDeadline(context_->deadline()) == absl::InfiniteFuture()) {
      deadline_text_ =
          absl::StrCat(absl::ToUnixMicros(arrival_ + default_deadline));
      metadata.emplace(kDeadlineKey, Ref(deadline_text_));
    }
    if (spdlog::should_log(spdlog::level::debug)) peer_ = context_->peer();
  }

  CallControl& control_;
  grpc::ServerContextBase* const context_;
  const char* const method_;
  const bool exempt_;
  const absl::Time arrival_;
  ConcurrencyPermit permit_;
  // The strings the records in the metadata point into: they live as long
  // as the call.
  std::string request_id_;
  std::string deadline_text_;
  std::string peer_;
  // Stays CANCELLED when the call ends without the server sending a status.
  const char* code_ = "CANCELLED";
};

namespace {

class CallControlInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallControlInterceptorFactory(CallControl& control)
      : control_(control) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallControlInterceptor(control_, info);
  }

 private:
  CallControl& control_;
};

}  // namespace

CallControl::CallControl(CallControlOptions options,
                         prometheus::Registry& registry)
    : options_(options),
      limit_text_(absl::StrCat(options.max_in_flight)),
      limiter_(options.max_in_flight),
      rejected_(prometheus::BuildCounter()
                    .Name("govreport_rpc_rejected_total")
                    .Help("RPCs refused with RESOURCE_EXHAUSTED because "
                          "--max_in_flight calls were in progress, by method")
                    .Register(registry)),
      admitted_in_flight_(
          prometheus::BuildGauge()
              .Name("govreport_rpc_admitted_in_flight")
              .Help("admitted RPCs in progress (counted against "
                    "--max_in_flight; health and reflection excluded)")
              .Register(registry)
              .Add({})) {
  prometheus::BuildGauge()
      .Name("govreport_rpc_max_in_flight")
      .Help("the --max_in_flight limit (0: none)")
      .Register(registry)
      .Add({})
      .Set(std::max(options.max_in_flight, 0));
  prometheus::BuildGauge()
      .Name("govreport_rpc_default_deadline_seconds")
      .Help("the --default_deadline given to calls without one (0: none)")
      .Register(registry)
      .Add({})
      .Set(absl::ToDoubleSeconds(options.default_deadline));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallControl::MakeInterceptorFactory() {
  return std::make_unique<CallControlInterceptorFactory>(*this);
}

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  std::optional<absl::string_view> id = Find(context, kRequestIdKey);
  if (!id.has_value() || !IsUsableRequestId(*id)) return "-";
  return std::string(*id);
}

absl::Time DeadlineOf(const grpc::ServerContextBase& context) {
  absl::Time deadline = FromChronoDeadline(context.deadline());
  if (std::optional<absl::string_view> text = Find(context, kDeadlineKey)) {
    int64_t micros = 0;
    if (absl::SimpleAtoi(*text, &micros)) {
      deadline = std::min(deadline, absl::FromUnixMicros(micros));
    }
  }
  return deadline;
}

absl::Status CheckAdmitted(const grpc::ServerContextBase& context) {
  if (std::optional<absl::string_view> limit = Find(context, kOverloadedKey)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("server overloaded: ", *limit,
                     " calls already in progress (--max_in_flight); retry "
                     "with backoff"));
  }
  return CheckDeadline(context);
}

absl::Status CheckDeadline(const grpc::ServerContextBase& context,
                           absl::string_view next_step) {
  // The deadline first: when it passes gRPC also cancels the call, and the
  // deadline is the better explanation.
  if (absl::Now() >= DeadlineOf(context)) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline exceeded before ", next_step));
  }
  if (context.IsCancelled()) {
    return absl::CancelledError(
        absl::StrCat("the client cancelled the call before ", next_step));
  }
  return absl::OkStatus();
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) id[i] = kHex[bits & 0xf];
  return id;
}

bool IsUsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != ':' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace govreport
