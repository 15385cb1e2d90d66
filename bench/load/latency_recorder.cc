#include "bench/load/latency_recorder.h"

#include <algorithm>

namespace govreport::bench {

void LatencyRecorder::Record(int64_t latency_us, const std::string& code) {
  absl::MutexLock lock(&mu_);
  all_us_.push_back(latency_us);
  ++all_codes_[code];
  ++window_codes_[code];
}

LatencyStats LatencyRecorder::Total() const {
  absl::MutexLock lock(&mu_);
  return Summarize(all_us_, all_codes_);
}

LatencyStats LatencyRecorder::TakeWindow() {
  absl::MutexLock lock(&mu_);
  std::vector<int64_t> window(all_us_.begin() + window_start_, all_us_.end());
  window_start_ = all_us_.size();
  LatencyStats stats = Summarize(std::move(window), window_codes_);
  window_codes_.clear();
  return stats;
}

LatencyStats LatencyRecorder::Summarize(
    std::vector<int64_t> latencies_us,
    const std::map<std::string, int64_t>& codes) {
  LatencyStats stats;
  stats.calls = static_cast<int64_t>(latencies_us.size());
  stats.by_code = codes;
  for (const auto& [code, count] : codes) {
    if (code != "OK") stats.errors += count;
  }
  if (latencies_us.empty()) return stats;
  std::sort(latencies_us.begin(), latencies_us.end());
  auto at = [&latencies_us](double q) {
    const size_t index = std::min(
        latencies_us.size() - 1,
        static_cast<size_t>(q * static_cast<double>(latencies_us.size())));
    return static_cast<double>(latencies_us[index]) / 1000.0;
  };
  stats.p50_ms = at(0.50);
  stats.p90_ms = at(0.90);
  stats.p99_ms = at(0.99);
  stats.p999_ms = at(0.999);
  stats.max_ms = static_cast<double>(latencies_us.back()) / 1000.0;
  return stats;
}

}  // namespace govreport::bench
