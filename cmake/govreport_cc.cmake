# Helpers that give every target of ours the same flags.
#
#   govreport_cc_library(name SRCS a.cc b.cc DEPS lib1 lib2 [PUBLIC_DEPS ...])
#   govreport_cc_binary(name SRCS main.cc DEPS ...)
#   govreport_cc_test(name SRCS foo_test.cc DEPS ... [LABELS unit|integration|pg])
#
# Our code builds with -Wall -Wextra -Werror; generated code does not (see
# govreport_proto.cmake).

set(GOVREPORT_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

if(GOVREPORT_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(GOVREPORT_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

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
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

function(govreport_cc_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  _govreport_common(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/tests)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" ENVIRONMENT
                       "GOVREPORT_SOURCE_DIR=${CMAKE_SOURCE_DIR};GOVREPORT_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()
