# Helpers that give every target of ours the same flags.
#
#   govreport_cc_library(name SRCS a.cc b.cc DEPS lib1 lib2 [PUBLIC_DEPS ...])
#   govreport_cc_binary(name SRCS main.cc DEPS ...)
#   govreport_cc_test(name SRCS foo_test.cc DEPS ... [LABELS unit|integration|pg|tsan ...])
#
# Every test label also gets a target building its tests: tests_unit,
# tests_integration, tests_tsan, ... (label tsan: the concurrency tests that
# scripts/test_sanitizers runs under ThreadSanitizer; they keep label unit).
#
# Our code builds with -Wall -Wextra -Werror; generated code does not (see
# govreport_proto.cmake).

set(GOVREPORT_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# Sanitizers (scripts/test_sanitizers builds and runs both):
#   -DGOVREPORT_SANITIZE=address  ASan + UBSan, every UBSan finding fatal
#   -DGOVREPORT_SANITIZE=thread   TSan
if(GOVREPORT_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(GOVREPORT_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # Debian's Abseil is not built with TSan, so TSan cannot see absl::Mutex,
  # CondVar or Notification synchronize: every member they guard would be
  # reported as a race. Our executables link tests/sanitizers/tsan_absl_sync.cc,
  # and the linker sends our calls of these functions (only ours: not those
  # inside the shared libraries) through its wrappers, which tell TSan about
  # each lock, unlock and notification. The names are Debian 12's Abseil
  # (inline namespace debian3); the .cc checks that at compile time.
  set(_govreport_absl_wrapped
    _ZN4absl7debian35Mutex4LockEv
    _ZN4absl7debian35Mutex6UnlockEv
    _ZN4absl7debian35Mutex7TryLockEv
    _ZN4absl7debian35Mutex10ReaderLockEv
    _ZN4absl7debian35Mutex12ReaderUnlockEv
    _ZN4absl7debian35Mutex13ReaderTryLockEv
    _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE
    _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE
    _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE
    _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE
    _ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE
    _ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE
    _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE
    _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE
    _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE
    _ZN4absl7debian35MutexD1Ev
    _ZN4absl7debian35MutexD2Ev
    _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE
    _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE
    _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE
    _ZN4absl7debian312Notification6NotifyEv
    _ZNK4absl7debian312Notification19WaitForNotificationEv
    _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE
    _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE)
  list(TRANSFORM _govreport_absl_wrapped PREPEND "-Wl,--wrap="
       OUTPUT_VARIABLE GOVREPORT_TSAN_LINK_OPTIONS)
  add_library(govreport_tsan_absl_sync OBJECT
              ${CMAKE_SOURCE_DIR}/tests/sanitizers/tsan_absl_sync.cc)
  target_compile_options(govreport_tsan_absl_sync PRIVATE ${GOVREPORT_WARNINGS})
  target_link_libraries(govreport_tsan_absl_sync PUBLIC absl::synchronization)
endif()

# What every executable of ours links in a sanitizer build.
function(_govreport_sanitized_executable target)
  if(GOVREPORT_SANITIZE STREQUAL "thread")
    target_link_libraries(${target} PRIVATE govreport_tsan_absl_sync)
    target_link_options(${target} PRIVATE ${GOVREPORT_TSAN_LINK_OPTIONS})
  endif()
endfunction()

function(_govreport_common target)
  target_compile_options(${target} PRIVATE ${GOVREPORT_WARNINGS})
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR})
endfunction()

function(govreport_cc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  _govreport_common(${name})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
endfunction()

function(govreport_cc_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  _govreport_common(${name})
  _govreport_sanitized_executable(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

function(govreport_cc_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  _govreport_common(${name})
  _govreport_sanitized_executable(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/tests)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  foreach(label IN LISTS ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY GOVREPORT_TEST_LABELS ${label})
    set_property(GLOBAL APPEND PROPERTY GOVREPORT_TESTS_${label} ${name})
  endforeach()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT
                       "GOVREPORT_SOURCE_DIR=${CMAKE_SOURCE_DIR};GOVREPORT_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()

# One target per test label, building every test executable with that label:
# `ninja tests_unit tests_integration` builds what `ctest -L 'unit|integration'`
# runs (the sanitizer builds build no more than that). Created once every
# directory has declared its tests. Sanitizer builds also get the checks of
# tests/sanitizers/ here.
function(_govreport_label_targets)
  if(GOVREPORT_SANITIZE)
    include(${CMAKE_SOURCE_DIR}/tests/sanitizers/sanitizer_tests.cmake)
  endif()
  get_property(labels GLOBAL PROPERTY GOVREPORT_TEST_LABELS)
  list(REMOVE_DUPLICATES labels)
  foreach(label IN LISTS labels)
    get_property(tests GLOBAL PROPERTY GOVREPORT_TESTS_${label})
    add_custom_target(tests_${label})
    add_dependencies(tests_${label} ${tests})
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
               CALL _govreport_label_targets)
