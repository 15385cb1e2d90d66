// Bearer-token authentication of write RPCs (and of reads when required).
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace govreport::query {

// Checks `authorization: Bearer <token>` values against one configured
// token, in time independent of where they differ. Immutable, thread-safe.
class BearerAuth {
 public:
  // Reads the token from `path` (surrounding whitespace ignored). An empty
  // path means no token: every check fails, so writes are disabled.
  // FAILED_PRECONDITION when the file cannot be read or holds no token.
  static absl::StatusOr<BearerAuth> FromFile(const std::string& path);

  // A checker for `token`; std::nullopt disables (every check fails).
  explicit BearerAuth(std::optional<std::string> token)
      : token_(std::move(token)) {}

  // OK when `authorization` (the metadata value, or nullopt when absent) is
  // "Bearer <token>" with the configured token. UNAUTHENTICATED otherwise,
  // saying whether the header was missing, malformed or wrong, or that the
  // server has no token; never echoes the token.
  absl::Status Check(std::optional<absl::string_view> authorization) const;

 private:
  std::optional<std::string> token_;
};

// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace govreport::query
