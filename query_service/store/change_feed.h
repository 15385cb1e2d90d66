// Learning that the store changed, whoever changed it: the seam through which
// a query replica keeps its snapshot fresh when other replicas (other
// processes) write to the same database.
//
//   ChangeFeed        the interface: wait until the data version differs
//   PollingChangeFeed reads Store::DataVersion() every interval (any Store)
//   ChangeFollower    a thread that waits on a feed and refreshes the snapshot
//
// PostgreSQL has its own feed, LISTEN/NOTIFY plus polling
// (PostgresStore::NewChangeFeed in postgres_store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "query_service/store/store.h"

namespace govreport::query {

// Tells when the store's data version may have moved away from the one a
// caller knows.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // Blocks until the store's data version is seen to differ from
  // `known_version`, until `timeout` has passed, or until Cancel(), and
  // returns the newest data version seen (`known_version` itself on
  // timeout). UNAVAILABLE when the database could not be reached for the
  // whole wait (the wait still lasts up to `timeout`, so a caller may loop
  // without spinning); CANCELLED once Cancel() has been called. One caller
  // at a time.
  virtual absl::StatusOr<int64_t> WaitForChange(int64_t known_version,
                                                absl::Duration timeout) = 0;

  // Makes the pending and every later WaitForChange return CANCELLED
  // promptly. Thread-safe; may be called from any thread, more than once.
  virtual void Cancel() = 0;
};

// Polls Store::DataVersion() every `interval` (real time). Good for any
// Store, e.g. SQLite written by another process; each poll is one small
// query. Thread-safe as ChangeFeed says. `store` must outlive the feed.
class PollingChangeFeed final : public ChangeFeed {
 public:
  PollingChangeFeed(Store& store, absl::Duration interval)
      : store_(store), interval_(interval) {}

  absl::StatusOr<int64_t> WaitForChange(int64_t known_version,
                                        absl::Duration timeout) override;
  void Cancel() override;

 private:
  Store& store_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

// Keeps a snapshot fresh: a thread waits on `feed` and calls `refresh`
// whenever the feed reports a data version other than `current_version()`.
// Failures of the feed or of `refresh` are logged (a warning when an outage
// starts, info when it ends) and retried after `retry_delay`; the thread
// never gives up until Stop(). Nothing is owned: `feed` and whatever the
// callbacks use must outlive the follower.
class ChangeFollower {
 public:
  struct Options {
    // Longest single wait on the feed (bounds how late Stop() can be seen
    // if the feed ignored Cancel()).
    absl::Duration wait_slice = absl::Seconds(1);
    // Pause after a failed refresh before the next attempt.
    absl::Duration retry_delay = absl::Milliseconds(500);
  };

  // `current_version` returns the data version of the current snapshot (or
  // -1 when there is none); `refresh` brings the snapshot up to the store.
  // Both are called from the follower's thread only.
  ChangeFollower(ChangeFeed& feed, std::function<int64_t()> current_version,
                 std::function<absl::Status()> refresh, Options options);
  ChangeFollower(ChangeFeed& feed, std::function<int64_t()> current_version,
                 std::function<absl::Status()> refresh)
      : ChangeFollower(feed, std::move(current_version), std::move(refresh),
                       Options()) {}
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;
  // Stops the thread (see Stop).
  ~ChangeFollower();

  // Starts the thread; call once.
  void Start();

  // Cancels the feed and joins the thread. Idempotent; thread-safe against
  // the follower's own thread, not against concurrent Stop() calls.
  void Stop();

  // How many refreshes the follower has made succeed so far.
  int64_t refresh_count() const;

 private:
  void Loop();
  // Waits `delay` or until Stop(); false when stopping.
  bool Pause(absl::Duration delay);

  ChangeFeed& feed_;
  const std::function<int64_t()> current_version_;
  const std::function<absl::Status()> refresh_;
  const Options options_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t refresh_count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace govreport::query
