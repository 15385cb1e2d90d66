// Tells ThreadSanitizer how absl::Mutex, absl::CondVar and absl::Notification
// synchronize, in TSan builds (-DGOVREPORT_SANITIZE=thread) only.
//
// Debian's Abseil is built without TSan, so the annotations inside
// absl::Mutex are compiled out and TSan sees none of its locking: every
// member a Mutex guards would be reported as a data race. The linker sends
// our calls of the functions below (cmake/govreport_cc.cmake lists them for
// -Wl,--wrap) here instead: each wrapper calls the real function between the
// annotations TSan's own mutex interface defines
// (sanitizer/tsan_interface.h), the same ones Abseil makes when it is built
// with TSan. TSan then checks our code against the real lock discipline
// (races, lock-order inversions, unlocks of unheld mutexes); nothing is
// suppressed.
//
// While the real function runs, TSan ignores memory accesses (the pre_*
// annotations begin an ignore region, the post_* ones end it). That matters
// for absl::Condition: Abseil evaluates a waiter's condition in whichever
// thread holds or releases the mutex, a read that is protected by the mutex
// although TSan would not otherwise know it.
//
// Calls made inside the shared libraries (e.g. gRPC's own mutexes) are not
// wrapped; neither is Notification::HasBeenNotified (inline, and it reads the
// flag without the mutex), so TSan tests wait with WaitForNotification.
#include <algorithm>
#include <type_traits>
#include <vector>

#include <sanitizer/tsan_interface.h>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

static_assert(std::is_same_v<absl::Mutex, absl::debian3::Mutex>,
              "the wrapped symbol names are those of Debian 12's Abseil "
              "(inline namespace debian3): update them and the list in "
              "cmake/govreport_cc.cmake");

namespace {

// The mutexes this thread holds in shared (reader) mode, so that Await and
// CondVar::Wait, which release and retake the mutex in the mode it is held,
// can tell TSan which mode that is.
thread_local std::vector<const void*> reader_held;

unsigned HeldMode(const void* mu) {
  return std::find(reader_held.begin(), reader_held.end(), mu) !=
                 reader_held.end()
             ? __tsan_mutex_read_lock
             : 0;
}

void ForgetReaderHeld(const void* mu) {
  auto it = std::find(reader_held.begin(), reader_held.end(), mu);
  if (it != reader_held.end()) reader_held.erase(it);
}

// Runs `wait` (which releases `mu` and holds it again when it returns) as an
// unlock followed by a lock, in the mode the mutex is held in.
template <typename Wait>
auto AsUnlockThenLock(absl::Mutex* mu, Wait wait) {
  const unsigned mode = HeldMode(mu);
  __tsan_mutex_pre_unlock(mu, mode);
  auto result = wait();
  __tsan_mutex_post_unlock(mu, mode);
  __tsan_mutex_pre_lock(mu, mode);
  __tsan_mutex_post_lock(mu, mode, 0);
  return result;
}

// A lock that may wait for a condition; the mutex is held on return.
template <typename Lock>
auto AsLock(absl::Mutex* mu, unsigned mode, Lock lock) {
  __tsan_mutex_pre_lock(mu, mode);
  auto result = lock();
  __tsan_mutex_post_lock(mu, mode, 0);
  if (mode & __tsan_mutex_read_lock) reader_held.push_back(mu);
  return result;
}

// `true`, for the void functions.
template <typename Fn>
auto Returning(Fn fn) {
  return [fn] {
    fn();
    return true;
  };
}

}  // namespace

// Declares the real function (`__real_<symbol>`, which the linker resolves to
// the library's) and defines our wrapper (`__wrap_<symbol>`).
#define GOVREPORT_WRAP(ret, name, symbol, ...)           \
  ret Real##name(__VA_ARGS__) __asm__("__real_" symbol); \
  ret Wrap##name(__VA_ARGS__) __asm__("__wrap_" symbol); \
  ret Wrap##name(__VA_ARGS__)

#define GOVREPORT_MUTEX(name) "_ZN4absl7debian35Mutex" name

using absl::Condition;
using absl::Duration;
using absl::Mutex;
using absl::Time;

GOVREPORT_WRAP(void, Lock, GOVREPORT_MUTEX("4LockEv"), Mutex* mu) {
  AsLock(mu, 0, Returning([mu] { RealLock(mu); }));
}

GOVREPORT_WRAP(void, ReaderLock, GOVREPORT_MUTEX("10ReaderLockEv"), Mutex* mu) {
  AsLock(mu, __tsan_mutex_read_lock, Returning([mu] { RealReaderLock(mu); }));
}

GOVREPORT_WRAP(bool, TryLock, GOVREPORT_MUTEX("7TryLockEv"), Mutex* mu) {
  __tsan_mutex_pre_lock(mu, __tsan_mutex_try_lock);
  const bool locked = RealTryLock(mu);
  __tsan_mutex_post_lock(
      mu, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
      0);
  return locked;
}

GOVREPORT_WRAP(bool, ReaderTryLock, GOVREPORT_MUTEX("13ReaderTryLockEv"),
               Mutex* mu) {
  __tsan_mutex_pre_lock(mu, __tsan_mutex_try_read_lock);
  const bool locked = RealReaderTryLock(mu);
  __tsan_mutex_post_lock(
      mu,
      locked ? __tsan_mutex_try_read_lock : __tsan_mutex_try_read_lock_failed,
      0);
  if (locked) reader_held.push_back(mu);
  return locked;
}

GOVREPORT_WRAP(void, Unlock, GOVREPORT_MUTEX("6UnlockEv"), Mutex* mu) {
  __tsan_mutex_pre_unlock(mu, 0);
  RealUnlock(mu);
  __tsan_mutex_post_unlock(mu, 0);
}

GOVREPORT_WRAP(void, ReaderUnlock, GOVREPORT_MUTEX("12ReaderUnlockEv"),
               Mutex* mu) {
  ForgetReaderHeld(mu);
  __tsan_mutex_pre_unlock(mu, __tsan_mutex_read_lock);
  RealReaderUnlock(mu);
  __tsan_mutex_post_unlock(mu, __tsan_mutex_read_lock);
}

GOVREPORT_WRAP(void, LockWhen, GOVREPORT_MUTEX("8LockWhenERKNS0_9ConditionE"),
               Mutex* mu, const Condition& cond) {
  AsLock(mu, 0, Returning([&] { RealLockWhen(mu, cond); }));
}

GOVREPORT_WRAP(
    bool, LockWhenWithTimeout,
    GOVREPORT_MUTEX("19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE"),
    Mutex* mu, const Condition& cond, Duration timeout) {
  return AsLock(mu, 0,
                [&] { return RealLockWhenWithTimeout(mu, cond, timeout); });
}

GOVREPORT_WRAP(
    bool, LockWhenWithDeadline,
    GOVREPORT_MUTEX("20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE"),
    Mutex* mu, const Condition& cond, Time deadline) {
  return AsLock(mu, 0,
                [&] { return RealLockWhenWithDeadline(mu, cond, deadline); });
}

GOVREPORT_WRAP(void, ReaderLockWhen,
               GOVREPORT_MUTEX("14ReaderLockWhenERKNS0_9ConditionE"), Mutex* mu,
               const Condition& cond) {
  AsLock(mu, __tsan_mutex_read_lock,
         Returning([&] { RealReaderLockWhen(mu, cond); }));
}

GOVREPORT_WRAP(
    bool, ReaderLockWhenWithTimeout,
    GOVREPORT_MUTEX(
        "25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE"),
    Mutex* mu, const Condition& cond, Duration timeout) {
  return AsLock(mu, __tsan_mutex_read_lock, [&] {
    return RealReaderLockWhenWithTimeout(mu, cond, timeout);
  });
}

GOVREPORT_WRAP(
    bool, ReaderLockWhenWithDeadline,
    GOVREPORT_MUTEX("26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE"),
    Mutex* mu, const Condition& cond, Time deadline) {
  return AsLock(mu, __tsan_mutex_read_lock, [&] {
    return RealReaderLockWhenWithDeadline(mu, cond, deadline);
  });
}

GOVREPORT_WRAP(void, Await, GOVREPORT_MUTEX("5AwaitERKNS0_9ConditionE"),
               Mutex* mu, const Condition& cond) {
  AsUnlockThenLock(mu, Returning([&] { RealAwait(mu, cond); }));
}

GOVREPORT_WRAP(
    bool, AwaitWithTimeout,
    GOVREPORT_MUTEX("16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE"),
    Mutex* mu, const Condition& cond, Duration timeout) {
  return AsUnlockThenLock(
      mu, [&] { return RealAwaitWithTimeout(mu, cond, timeout); });
}

GOVREPORT_WRAP(
    bool, AwaitWithDeadline,
    GOVREPORT_MUTEX("17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE"),
    Mutex* mu, const Condition& cond, Time deadline) {
  return AsUnlockThenLock(
      mu, [&] { return RealAwaitWithDeadline(mu, cond, deadline); });
}

// The destructors (complete and base object): TSan forgets the mutex, so a
// new one at the same address starts afresh.
GOVREPORT_WRAP(void, MutexD1, GOVREPORT_MUTEX("D1Ev"), Mutex* mu) {
  RealMutexD1(mu);
  __tsan_mutex_destroy(mu, 0);
}

GOVREPORT_WRAP(void, MutexD2, GOVREPORT_MUTEX("D2Ev"), Mutex* mu) {
  RealMutexD2(mu);
  __tsan_mutex_destroy(mu, 0);
}

#define GOVREPORT_CONDVAR(name) "_ZN4absl7debian37CondVar" name

GOVREPORT_WRAP(void, CondVarWait, GOVREPORT_CONDVAR("4WaitEPNS0_5MutexE"),
               absl::CondVar* cv, Mutex* mu) {
  AsUnlockThenLock(mu, Returning([&] { RealCondVarWait(cv, mu); }));
}

GOVREPORT_WRAP(
    bool, CondVarWaitWithTimeout,
    GOVREPORT_CONDVAR("15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE"),
    absl::CondVar* cv, Mutex* mu, Duration timeout) {
  return AsUnlockThenLock(
      mu, [&] { return RealCondVarWaitWithTimeout(cv, mu, timeout); });
}

GOVREPORT_WRAP(bool, CondVarWaitWithDeadline,
               GOVREPORT_CONDVAR("16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE"),
               absl::CondVar* cv, Mutex* mu, Time deadline) {
  return AsUnlockThenLock(
      mu, [&] { return RealCondVarWaitWithDeadline(cv, mu, deadline); });
}

// A notification is a release by Notify and an acquire by a wait that saw it.
using absl::Notification;

GOVREPORT_WRAP(void, Notify, "_ZN4absl7debian312Notification6NotifyEv",
               Notification* n) {
  __tsan_release(n);
  RealNotify(n);
}

GOVREPORT_WRAP(void, WaitForNotification,
               "_ZNK4absl7debian312Notification19WaitForNotificationEv",
               const Notification* n) {
  RealWaitForNotification(n);
  __tsan_acquire(const_cast<Notification*>(n));
}

GOVREPORT_WRAP(bool, WaitForNotificationWithTimeout,
               "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeo"
               "utENS0_8DurationE",
               const Notification* n, Duration timeout) {
  const bool notified = RealWaitForNotificationWithTimeout(n, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(n));
  return notified;
}

GOVREPORT_WRAP(bool, WaitForNotificationWithDeadline,
               "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadl"
               "ineENS0_4TimeE",
               const Notification* n, Time deadline) {
  const bool notified = RealWaitForNotificationWithDeadline(n, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(n));
  return notified;
}
