// Logging setup and fmt formatters for the Abseil types we log.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"
#include "fmt/ostream.h"
#include "spdlog/spdlog.h"

namespace govreport {

// Makes spdlog's default logger write one line per event to stderr, named
// `service_name`, at `level` ("trace", "debug", "info", "warn", "error",
// "critical", "off"). Call once from main. INVALID_ARGUMENT for an unknown
// level; INTERNAL if spdlog cannot be set up.
absl::Status InitLogging(absl::string_view service_name,
                         absl::string_view level);

}  // namespace govreport

// Debian's Abseil keeps its own string_view (ABSL_OPTION_USE_STD_STRING_VIEW
// is 0), which fmt does not know.
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(absl::string_view s, FormatContext& ctx) const {
    return fmt::formatter<fmt::string_view>::format(
        fmt::string_view(s.data(), s.size()), ctx);
  }
};

template <>
struct fmt::formatter<absl::Status> : fmt::ostream_formatter {};
