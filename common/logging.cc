#include "common/logging.h"

#include <exception>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace govreport {

absl::Status InitLogging(absl::string_view service_name,
                         absl::string_view level) {
  const spdlog::level::level_enum parsed =
      spdlog::level::from_str(std::string(level));
  // from_str maps anything it does not know to "off"; only "off" means off.
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown log level \"", level,
        "\"; expected trace, debug, info, warn, error, critical or off"));
  }
  try {
    auto logger = std::make_shared<spdlog::logger>(
        std::string(service_name),
        std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %L %n %t %v");
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("logging setup failed: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace govreport
