// Collects RPC latencies and outcomes for the load generator.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace govreport::bench {

// Summary of the calls in one window.
struct LatencyStats {
  int64_t calls = 0;
  int64_t errors = 0;
  std::map<std::string, int64_t> by_code;  // "OK", "UNAVAILABLE", ...
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};

// Thread-safe: Record is called from gRPC callback threads.
class LatencyRecorder {
 public:
  // Records one finished call.
  void Record(int64_t latency_us, const std::string& code);

  // Stats over everything recorded since construction.
  LatencyStats Total() const;
  // Stats over what was recorded since the previous TakeWindow call.
  LatencyStats TakeWindow();

 private:
  static LatencyStats Summarize(std::vector<int64_t> latencies_us,
                                const std::map<std::string, int64_t>& codes);

  mutable absl::Mutex mu_;
  std::vector<int64_t> all_us_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> all_codes_ ABSL_GUARDED_BY(mu_);
  size_t window_start_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> window_codes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace govreport::bench
