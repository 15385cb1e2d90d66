// The subcommands' entry points; each lives in its own *_command.cc.
#pragma once

#include "cli/command.h"

namespace govreport::cli {

// govreport health [SERVICE]: the server's health, per service or overall.
absl::Status RunHealth(const CommandContext& context);

}  // namespace govreport::cli
