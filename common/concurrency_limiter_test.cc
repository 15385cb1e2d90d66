#include "common/concurrency_limiter.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace govreport {
namespace {

TEST(ConcurrencyLimiter, GrantsUpToTheLimitThenRefuses) {
  ConcurrencyLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 2);
}

TEST(ConcurrencyLimiter, ReleaseFreesASlot) {
  ConcurrencyLimiter limiter(1);
  ASSERT_TRUE(limiter.TryAcquire());
  ASSERT_FALSE(limiter.TryAcquire());
  limiter.Release();
  EXPECT_EQ(limiter.in_flight(), 0);
  EXPECT_TRUE(limiter.TryAcquire());
}

TEST(ConcurrencyLimiter, ZeroOrNegativeLimitMeansUnlimitedButStillCounts) {
  for (int limit : {0, -1}) {
    ConcurrencyLimiter limiter(limit);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.TryAcquire());
    EXPECT_EQ(limiter.in_flight(), 1000);
  }
}

TEST(ConcurrencyLimiter, ManyThreadsNeverHoldMoreThanTheLimit) {
  constexpr int kLimit = 3;
  ConcurrencyLimiter limiter(kLimit);
  std::atomic<int> holding{0};
  std::atomic<int> most{0};
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        if (!limiter.TryAcquire()) continue;
        const int now = holding.fetch_add(1) + 1;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        granted.fetch_add(1);
        holding.fetch_sub(1);
        limiter.Release();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(most.load(), kLimit);
  EXPECT_GT(granted.load(), 0);
  EXPECT_EQ(limiter.in_flight(), 0);
}

TEST(ConcurrencyPermit, HoldsItsSlotUntilDestroyed) {
  ConcurrencyLimiter limiter(1);
  {
    ConcurrencyPermit permit(limiter);
    EXPECT_TRUE(permit.held());
    ConcurrencyPermit refused(limiter);
    EXPECT_FALSE(refused.held());
    EXPECT_EQ(limiter.in_flight(), 1);
  }
  EXPECT_EQ(limiter.in_flight(), 0);
}

TEST(ConcurrencyPermit, MovingTransfersTheSlotWithoutReleasingIt) {
  ConcurrencyLimiter limiter(1);
  ConcurrencyPermit first(limiter);
  ConcurrencyPermit second(std::move(first));
  EXPECT_FALSE(first.held());  // NOLINT(bugprone-use-after-move): by design
  EXPECT_TRUE(second.held());
  EXPECT_EQ(limiter.in_flight(), 1);
  ConcurrencyPermit third;
  third = std::move(second);
  EXPECT_EQ(limiter.in_flight(), 1);
  third.Reset();
  EXPECT_EQ(limiter.in_flight(), 0);
  third.Reset();  // a second Reset gives nothing back twice
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace govreport
