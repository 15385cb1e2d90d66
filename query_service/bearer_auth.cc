#include "query_service/bearer_auth.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace govreport::query {

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  // Look at every byte of the longer one, whatever the contents.
  const size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? a[i] : 0;
    const unsigned char y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

absl::StatusOr<BearerAuth> BearerAuth::FromFile(const std::string& path) {
  if (path.empty()) return BearerAuth(std::nullopt);
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the auth token file ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string token(absl::StripAsciiWhitespace(contents.str()));
  if (token.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the auth token file ", path, " is empty"));
  }
  return BearerAuth(token);
}

absl::Status BearerAuth::Check(
    std::optional<absl::string_view> authorization) const {
  if (!token_.has_value()) {
    return absl::UnauthenticatedError(
        "this server accepts no credentials (started without "
        "--auth_token_file)");
  }
  if (!authorization.has_value()) {
    return absl::UnauthenticatedError(
        "missing `authorization: Bearer <token>` metadata");
  }
  constexpr absl::string_view kScheme = "Bearer ";
  if (!absl::StartsWithIgnoreCase(*authorization, kScheme)) {
    return absl::UnauthenticatedError(
        "authorization metadata must be `Bearer <token>`");
  }
  if (!ConstantTimeEquals(authorization->substr(kScheme.size()), *token_)) {
    return absl::UnauthenticatedError("invalid bearer token");
  }
  return absl::OkStatus();
}

}  // namespace govreport::query
