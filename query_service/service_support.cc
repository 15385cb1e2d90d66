#include "query_service/service_support.h"

#include "common/logging.h"

namespace govreport::query {

std::optional<absl::string_view> AuthorizationOf(
    const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return std::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

absl::StatusOr<std::shared_ptr<const Snapshot>> ReadGate::Begin(
    const grpc::CallbackServerContext& context) const {
  if (require_auth_) {
    if (absl::Status s = auth_.Check(AuthorizationOf(context)); !s.ok()) {
      return s;
    }
  }
  std::shared_ptr<const Snapshot> snapshot = snapshots_.Current();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the data snapshot is still loading");
  }
  return snapshot;
}

void LogFailure(absl::string_view method, const absl::Status& status,
                const grpc::CallbackServerContext& context) {
  spdlog::level::level_enum level = spdlog::level::debug;
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      level = spdlog::level::err;
      break;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      level = spdlog::level::warn;
      break;
    default:
      break;
  }
  if (!spdlog::should_log(level)) return;
  spdlog::log(level, "{} failed: request_id={} {}", method,
              RequestIdOf(context), status);
}

void FinishWithError(grpc::ServerUnaryReactor* reactor,
                     const grpc::CallbackServerContext& context,
                     absl::string_view method, const absl::Status& status) {
  LogFailure(method, status, context);
  reactor->Finish(ToGrpcStatus(status));
}

bool WriteQueue::TrySubmit(std::function<void()> task) {
  if (!pending_.TryAcquire()) return false;
  executor_.Submit([this, task = std::move(task)] {
    task();
    pending_.Release();
  });
  return true;
}

}  // namespace govreport::query
