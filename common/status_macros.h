// Propagation macros for absl::Status and absl::StatusOr<T>.
//
// Abseil 20220623 (Debian 12) has no ABSL_RETURN_IF_ERROR; ours are named so
// that moving to the Abseil ones later is a search-and-replace.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define GOVREPORT_RETURN_IF_ERROR(expr)                                     \
  do {                                                                      \
    if (absl::Status _govreport_status = (expr); !_govreport_status.ok()) { \
      return _govreport_status;                                             \
    }                                                                       \
  } while (false)

#define GOVREPORT_CONCAT_INNER_(a, b) a##b
#define GOVREPORT_CONCAT_(a, b) GOVREPORT_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, else moves the value into `lhs`, which may be a
// declaration: GOVREPORT_ASSIGN_OR_RETURN(auto report, Parse(text));
#define GOVREPORT_ASSIGN_OR_RETURN(lhs, rexpr) \
  GOVREPORT_ASSIGN_OR_RETURN_IMPL_(            \
      GOVREPORT_CONCAT_(_govreport_statusor_, __LINE__), lhs, rexpr)

#define GOVREPORT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) {                                        \
    return std::move(statusor).status();                       \
  }                                                            \
  lhs = *std::move(statusor)
