# Checks of the sanitizer builds themselves, included by cmake/govreport_cc.cmake
# when GOVREPORT_SANITIZE is set (once every directory has been read). Each
# *_bites test passes only when the sanitizer reports the planted bug, so a
# build that stopped finding bugs fails; tsan_sees_absl_sync passes only
# without a report.
if(GOVREPORT_SANITIZE STREQUAL "address")
  # Label asan (scripts/test_sanitizers runs -L 'unit|integration|asan').
  # They report on stderr: ASAN_OPTIONS without the run's log_path.
  govreport_cc_binary(asan_bites SRCS ${CMAKE_CURRENT_LIST_DIR}/asan_bites.cc)
  foreach(scenario heap_overflow use_after_free leak signed_overflow)
    add_test(NAME asan_bites_${scenario} COMMAND asan_bites ${scenario})
  endforeach()
  set_tests_properties(asan_bites_heap_overflow PROPERTIES
                       PASS_REGULAR_EXPRESSION "ERROR: AddressSanitizer: heap-buffer-overflow")
  set_tests_properties(asan_bites_use_after_free PROPERTIES
                       PASS_REGULAR_EXPRESSION "ERROR: AddressSanitizer: heap-use-after-free")
  set_tests_properties(asan_bites_leak PROPERTIES
                       PASS_REGULAR_EXPRESSION "ERROR: LeakSanitizer: detected memory leaks")
  set_tests_properties(asan_bites_signed_overflow PROPERTIES
                       PASS_REGULAR_EXPRESSION "runtime error: signed integer overflow")
  set_tests_properties(asan_bites_heap_overflow asan_bites_use_after_free
                       asan_bites_leak asan_bites_signed_overflow PROPERTIES
                       LABELS asan
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
  set_property(GLOBAL APPEND PROPERTY GOVREPORT_TEST_LABELS asan)
  set_property(GLOBAL APPEND PROPERTY GOVREPORT_TESTS_asan asan_bites)
elseif(GOVREPORT_SANITIZE STREQUAL "thread")
  # Label tsan. TSan with the absl wrappers of tsan_absl_sync.cc: guarded
  # code is clean, races are still found.
  govreport_cc_binary(tsan_bites SRCS ${CMAKE_CURRENT_LIST_DIR}/tsan_bites.cc
    DEPS absl::synchronization)
  add_test(NAME tsan_sees_absl_sync COMMAND tsan_bites guarded)
  add_test(NAME tsan_bites_unguarded COMMAND tsan_bites unguarded)
  add_test(NAME tsan_bites_two_mutexes COMMAND tsan_bites two_mutexes)
  set_tests_properties(tsan_sees_absl_sync PROPERTIES
                       FAIL_REGULAR_EXPRESSION "ThreadSanitizer")
  set_tests_properties(tsan_bites_unguarded tsan_bites_two_mutexes PROPERTIES
                       PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race")
  set_tests_properties(tsan_sees_absl_sync tsan_bites_unguarded
                       tsan_bites_two_mutexes PROPERTIES LABELS tsan)
  set_property(GLOBAL APPEND PROPERTY GOVREPORT_TESTS_tsan tsan_bites)
endif()
