#include "query_service/store/change_feed.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "query_service/store/fake_store.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;

std::vector<ReportRow> OneReport(int32_t year) {
  ReportRow row;
  row.key = {"410325", year};
  row.report = "bytes";
  std::vector<ReportRow> rows;
  rows.push_back(std::move(row));
  return rows;
}

// A feed whose answers the test scripts: each WaitForChange pops the next
// one; when none is left it blocks until Cancel().
class ScriptedFeed final : public ChangeFeed {
 public:
  explicit ScriptedFeed(std::vector<absl::StatusOr<int64_t>> answers)
      : answers_(std::move(answers)) {}

  absl::StatusOr<int64_t> WaitForChange(int64_t, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    if (next_ < answers_.size()) return answers_[next_++];
    drained_ = true;
    mu_.Await(absl::Condition(&cancelled_));
    return absl::CancelledError("cancelled");
  }
  void Cancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  // Blocks until every scripted answer has been given.
  void AwaitDrained() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&drained_));
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::StatusOr<int64_t>> answers_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  bool drained_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(PollingChangeFeed, ReturnsTheNewVersionAtOnceWhenItDiffers) {
  FakeStore store;
  ASSERT_THAT(store.WriteReports("", OneReport(2024)), IsOk());
  PollingChangeFeed feed(store, absl::Hours(1));
  EXPECT_EQ(*feed.WaitForChange(0, absl::Hours(1)), 1);
}

TEST(PollingChangeFeed, ReturnsTheKnownVersionWhenNothingChangedByTheTimeout) {
  FakeStore store;
  PollingChangeFeed feed(store, absl::Hours(1));
  EXPECT_EQ(*feed.WaitForChange(0, absl::ZeroDuration()), 0);
}

TEST(PollingChangeFeed, CancelledFeedReturnsCancelled) {
  FakeStore store;
  PollingChangeFeed feed(store, absl::Hours(1));
  feed.Cancel();
  EXPECT_THAT(feed.WaitForChange(0, absl::Hours(1)),
              StatusIs(absl::StatusCode::kCancelled));
}

TEST(PollingChangeFeed, CancelEndsAWaitInProgress) {
  FakeStore store;
  PollingChangeFeed feed(store, absl::Hours(1));
  absl::Status result;
  std::thread waiter(
      [&] { result = feed.WaitForChange(0, absl::Hours(1)).status(); });
  feed.Cancel();
  waiter.join();
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kCancelled));
}

TEST(ChangeFollower, RefreshesWhenTheFeedSeesAnotherVersion) {
  ScriptedFeed feed({int64_t{0}, int64_t{3}});
  std::atomic<int64_t> current{0};
  ChangeFollower follower(
      feed, [&] { return current.load(); },
      [&] {
        current = 3;
        return absl::OkStatus();
      });
  follower.Start();
  feed.AwaitDrained();
  follower.Stop();
  EXPECT_EQ(current.load(), 3);
  EXPECT_EQ(follower.refresh_count(), 1);
}

TEST(ChangeFollower, KeepsGoingAfterFeedAndRefreshFailures) {
  ScriptedFeed feed(
      {absl::UnavailableError("db down"), int64_t{2}, int64_t{2}});
  std::atomic<int64_t> current{1};
  std::atomic<int> attempts{0};
  ChangeFollower::Options options;
  options.retry_delay = absl::ZeroDuration();
  ChangeFollower follower(
      feed, [&] { return current.load(); },
      [&]() -> absl::Status {
        if (++attempts == 1) return absl::UnavailableError("db down");
        current = 2;
        return absl::OkStatus();
      },
      options);
  follower.Start();
  feed.AwaitDrained();
  follower.Stop();
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_EQ(current.load(), 2);
  EXPECT_EQ(follower.refresh_count(), 1);
}

TEST(ChangeFollower, StopWithoutStartIsFine) {
  ScriptedFeed feed({});
  ChangeFollower follower(
      feed, [] { return int64_t{0}; }, [] { return absl::OkStatus(); });
  follower.Stop();
  EXPECT_EQ(follower.refresh_count(), 0);
}

}  // namespace
}  // namespace govreport::query
