#include "bench/load/latency_recorder.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace govreport::bench {
namespace {

TEST(LatencyRecorder, ComputesPercentilesInMilliseconds) {
  LatencyRecorder recorder;
  for (int i = 1; i <= 1000; ++i) recorder.Record(i * 1000, "OK");
  const LatencyStats stats = recorder.Total();
  EXPECT_EQ(stats.calls, 1000);
  EXPECT_EQ(stats.errors, 0);
  EXPECT_DOUBLE_EQ(stats.p50_ms, 501);
  EXPECT_DOUBLE_EQ(stats.p99_ms, 991);
  EXPECT_DOUBLE_EQ(stats.p999_ms, 1000);
  EXPECT_DOUBLE_EQ(stats.max_ms, 1000);
}

TEST(LatencyRecorder, CountsErrorsByCode) {
  LatencyRecorder recorder;
  recorder.Record(10, "OK");
  recorder.Record(10, "UNAVAILABLE");
  recorder.Record(10, "UNAVAILABLE");
  const LatencyStats stats = recorder.Total();
  EXPECT_EQ(stats.errors, 2);
  EXPECT_EQ(stats.by_code.at("UNAVAILABLE"), 2);
}

TEST(LatencyRecorder, WindowsCoverOnlyWhatCameSinceTheLastWindow) {
  LatencyRecorder recorder;
  recorder.Record(1000, "OK");
  EXPECT_EQ(recorder.TakeWindow().calls, 1);
  recorder.Record(5000, "OK");
  recorder.Record(7000, "OK");
  const LatencyStats window = recorder.TakeWindow();
  EXPECT_EQ(window.calls, 2);
  EXPECT_DOUBLE_EQ(window.max_ms, 7);
  EXPECT_EQ(recorder.Total().calls, 3);
}

TEST(LatencyRecorder, EmptyWindowIsAllZero) {
  LatencyRecorder recorder;
  const LatencyStats stats = recorder.TakeWindow();
  EXPECT_EQ(stats.calls, 0);
  EXPECT_DOUBLE_EQ(stats.p99_ms, 0);
}

}  // namespace
}  // namespace govreport::bench
