#include "cli/commands.h"

namespace govreport::cli {

const std::vector<Command>& AllCommands() {
  static const auto* commands = new std::vector<Command>{
      {"health", "check a server's health (grpc.health.v1)",
       "govreport health [SERVICE] --server=HOST:PORT [--format=table|json]\n"
       "  SERVICE is a full service name, e.g. govreport.v1.QueryService;\n"
       "  without it the server's overall status is checked. Exits non-zero\n"
       "  unless SERVING.",
       &RunHealth},
  };
  return *commands;
}

}  // namespace govreport::cli
