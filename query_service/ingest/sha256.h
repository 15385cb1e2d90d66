// SHA-256 of documents, as the API shows it (lowercase hex).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace govreport::query {

// Lowercase hex SHA-256 of `bytes` (64 characters). Thread-safe.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace govreport::query
