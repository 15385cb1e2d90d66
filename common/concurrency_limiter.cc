#include "common/concurrency_limiter.h"

namespace govreport {

bool ConcurrencyLimiter::TryAcquire() {
  if (limit_ <= 0) {
    in_flight_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  // Compare-and-swap rather than add-then-undo: the count never goes above
  // the limit, not even for a moment, so in_flight() is always truthful.
  int current = in_flight_.load(std::memory_order_relaxed);
  while (current < limit_) {
    if (in_flight_.compare_exchange_weak(current, current + 1,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

void ConcurrencyLimiter::Release() {
  in_flight_.fetch_sub(1, std::memory_order_release);
}

}  // namespace govreport
