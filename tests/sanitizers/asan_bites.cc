// Checks that the ASan + UBSan build reports what it should: each scenario,
// named by the argument, plants one bug, and its ctest entry passes only when
// the sanitizer's report names it (tests/sanitizers/sanitizer_tests.cmake).
//
//   heap_overflow    a read one past a heap array          (ASan)
//   use_after_free   a read of freed memory                (ASan)
//   leak             memory never freed                    (LeakSanitizer)
//   signed_overflow  INT_MAX + 1                           (UBSan, fatal)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace {

// Opaque to the optimizer, so that the planted bugs are not folded away.
volatile int sink;

int HeapOverflow(int n) {
  int* a = new int[n];
  for (int i = 0; i < n; ++i) a[i] = i;
  const int v = a[n];  // one past the end
  delete[] a;
  return v;
}

int UseAfterFree() {
  int* p = new int(7);
  delete p;
  return *p;
}

int Leak() {
  int* p = new int[1000];
  p[0] = 1;
  sink = p[0];
  p = nullptr;  // the only pointer is gone
  return 0;
}

int SignedOverflow(int v) { return v + 1; }

}  // namespace

int main(int argc, char** argv) {
  const char* scenario = argc > 1 ? argv[1] : "";
  if (std::strcmp(scenario, "heap_overflow") == 0) {
    sink = HeapOverflow(argc + 9);
  } else if (std::strcmp(scenario, "use_after_free") == 0) {
    sink = UseAfterFree();
  } else if (std::strcmp(scenario, "leak") == 0) {
    sink = Leak();
  } else if (std::strcmp(scenario, "signed_overflow") == 0) {
    sink = SignedOverflow(std::numeric_limits<int>::max() - 2 + argc);
  } else {
    std::fprintf(stderr,
                 "usage: asan_bites heap_overflow|use_after_free|leak|"
                 "signed_overflow\n");
    return 2;
  }
  std::printf("no report\n");
  return 0;
}
