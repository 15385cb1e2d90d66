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

void LogFailure(absl::string_view method, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      spdlog::error("{} failed: {}", method, status);
      break;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      spdlog::warn("{} failed: {}", method, status);
      break;
    default:
      spdlog::debug("{} failed: {}", method, status);
  }
}

}  // namespace govreport::query
