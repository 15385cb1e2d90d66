#include "query_service/store/change_feed.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

#include "common/logging.h"

namespace govreport::query {

absl::StatusOr<int64_t> PollingChangeFeed::WaitForChange(
    int64_t known_version, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return absl::CancelledError("change feed cancelled");
    }
    absl::StatusOr<int64_t> version = store_.DataVersion();
    if (version.ok() && *version != known_version) return version;
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      if (!version.ok()) return version.status();
      return known_version;
    }
    // Sleeps until the next poll, waking early on Cancel().
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(absl::Condition(&cancelled_),
                          std::min(now + interval_, deadline));
  }
}

void PollingChangeFeed::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
}

ChangeFollower::ChangeFollower(ChangeFeed& feed,
                               std::function<int64_t()> current_version,
                               std::function<absl::Status()> refresh,
                               Options options)
    : feed_(feed),
      current_version_(std::move(current_version)),
      refresh_(std::move(refresh)),
      options_(options) {}

ChangeFollower::~ChangeFollower() { Stop(); }

void ChangeFollower::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ChangeFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  feed_.Cancel();
  if (thread_.joinable()) thread_.join();
}

int64_t ChangeFollower::refresh_count() const {
  absl::MutexLock lock(&mu_);
  return refresh_count_;
}

bool ChangeFollower::Pause(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
  return !stopping_;
}

void ChangeFollower::Loop() {
  // Logged once per outage, not once per attempt.
  bool failing = false;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const int64_t known = current_version_();
    absl::StatusOr<int64_t> seen =
        feed_.WaitForChange(known, options_.wait_slice);
    if (absl::IsCancelled(seen.status())) return;
    absl::Status status = seen.status();
    if (status.ok() && *seen != known) {
      status = refresh_();
      if (status.ok()) {
        spdlog::debug("change feed: data version {} seen, snapshot now at {}",
                      *seen, current_version_());
        absl::MutexLock lock(&mu_);
        ++refresh_count_;
      }
    }
    if (!status.ok()) {
      if (!failing) {
        spdlog::warn(
            "change feed: cannot follow the store ({}); reads are served "
            "from the snapshot at data version {} until it recovers",
            status, current_version_());
      }
      failing = true;
      if (!Pause(options_.retry_delay)) return;
      continue;
    }
    if (failing) {
      spdlog::info("change feed: following the store again");
      failing = false;
    }
  }
}

}  // namespace govreport::query
