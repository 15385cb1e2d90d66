// The clock seam: code that reads the time takes a Clock& so tests can use
// FakeClock (common/testing/fake_clock.h).
#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace govreport {

// Source of the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // The current time.
  virtual absl::Time Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance, never destroyed.
  static SystemClock& Get() {
    static SystemClock* clock = new SystemClock;
    return *clock;
  }
};

}  // namespace govreport
