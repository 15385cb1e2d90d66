// Checks that the TSan build still finds races and sees Abseil's
// synchronization (tests/sanitizers/tsan_absl_sync.cc). One scenario per
// run, named by the argument:
//
//   guarded      a counter under an absl::Mutex, a queue handed over with
//                Mutex::Await and with CondVar::Wait, a value published
//                through absl::Notification: must run clean
//   unguarded    the same counter without the mutex: must be reported
//   two_mutexes  each thread locks a different mutex: must be reported
//
// The ctest entries (tests/sanitizers/CMakeLists.txt) match TSan's output.
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

constexpr int kRounds = 10000;

// Two threads add kRounds each to one counter; `lock(i)` guards thread i.
template <typename Lock>
long Count(Lock lock) {
  long counter = 0;
  auto add = [&](int thread) {
    for (int n = 0; n < kRounds; ++n) {
      [[maybe_unused]] auto guard = lock(thread);
      ++counter;
    }
  };
  std::thread other(add, 1);
  add(0);
  other.join();
  return counter;
}

struct NoLock {};

int Guarded() {
  absl::Mutex mu;
  long counter = Count([&](int) { return absl::MutexLock(&mu); });

  // A producer and a consumer over a queue, once with Await, once with a
  // CondVar: the items are plain ints written before the hand-over.
  std::deque<int*> queue;
  absl::CondVar nonempty;
  long sum = 0;
  std::thread consumer([&] {
    for (int n = 0; n < 200; ++n) {
      int* item;
      {
        absl::MutexLock lock(&mu);
        if (n % 2 == 0) {
          mu.Await(absl::Condition(
              +[](std::deque<int*>* q) { return !q->empty(); }, &queue));
        } else {
          while (queue.empty()) nonempty.Wait(&mu);
        }
        item = queue.front();
        queue.pop_front();
      }
      sum += *item;
      delete item;
    }
  });
  for (int n = 0; n < 200; ++n) {
    int* item = new int(n);
    absl::MutexLock lock(&mu);
    queue.push_back(item);
    nonempty.Signal();
  }
  consumer.join();

  // A value published through a Notification.
  absl::Notification ready;
  int value = 0;
  std::thread publisher([&] {
    value = 42;
    ready.Notify();
  });
  ready.WaitForNotification();
  const int seen = value;
  publisher.join();

  std::printf("counter %ld, sum %ld, value %d\n", counter, sum, seen);
  return counter == 2 * kRounds && sum == 199 * 200 / 2 && seen == 42 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const char* scenario = argc > 1 ? argv[1] : "";
  if (std::strcmp(scenario, "guarded") == 0) return Guarded();
  if (std::strcmp(scenario, "unguarded") == 0) {
    std::printf("counter %ld\n", Count([](int) { return NoLock(); }));
    return 0;
  }
  if (std::strcmp(scenario, "two_mutexes") == 0) {
    absl::Mutex mu[2];
    std::printf("counter %ld\n", Count([&](int thread) {
                  return absl::MutexLock(&mu[thread]);
                }));
    return 0;
  }
  std::fprintf(stderr, "usage: tsan_bites guarded|unguarded|two_mutexes\n");
  return 2;
}
