// A counting limit on work in progress, for admission control: a server
// takes a slot per call and refuses the call (RESOURCE_EXHAUSTED) when none
// is free, instead of queueing it without bound.
#pragma once

#include <atomic>

namespace govreport {

// At most `limit` slots held at once. TryAcquire never blocks: it takes a
// slot or says no. Thread-safe and lock-free.
class ConcurrencyLimiter {
 public:
  // `limit` <= 0 means no limit (TryAcquire always succeeds, and in_flight
  // still counts).
  explicit ConcurrencyLimiter(int limit) : limit_(limit) {}
  ConcurrencyLimiter(const ConcurrencyLimiter&) = delete;
  ConcurrencyLimiter& operator=(const ConcurrencyLimiter&) = delete;

  // Takes a slot if one is free; false (and nothing taken) otherwise. Every
  // successful call must be matched by one Release.
  bool TryAcquire();

  // Gives back a slot taken by TryAcquire.
  void Release();

  // Slots held now (a snapshot; may change at once).
  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // The limit; <= 0 for none.
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

// A slot held for the lifetime of this object (RAII). Move-only; an empty
// permit (default-constructed, moved from, or refused) holds nothing.
class ConcurrencyPermit {
 public:
  ConcurrencyPermit() = default;
  // Tries to take a slot of `limiter`, which must outlive the permit; check
  // with `held()`.
  explicit ConcurrencyPermit(ConcurrencyLimiter& limiter)
      : limiter_(limiter.TryAcquire() ? &limiter : nullptr) {}
  ~ConcurrencyPermit() { Reset(); }
  ConcurrencyPermit(ConcurrencyPermit&& other) noexcept
      : limiter_(other.limiter_) {
    other.limiter_ = nullptr;
  }
  ConcurrencyPermit& operator=(ConcurrencyPermit&& other) noexcept {
    if (this != &other) {
      Reset();
      limiter_ = other.limiter_;
      other.limiter_ = nullptr;
    }
    return *this;
  }

  // Whether this permit holds a slot.
  bool held() const { return limiter_ != nullptr; }

  // Gives the slot back now (no-op when none is held).
  void Reset() {
    if (limiter_ != nullptr) limiter_->Release();
    limiter_ = nullptr;
  }

 private:
  ConcurrencyLimiter* limiter_ = nullptr;
};

}  // namespace govreport
