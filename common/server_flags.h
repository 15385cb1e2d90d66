// The flags both servers share, read only by their main.cc. Every flag can
// also come from a --flagfile or, with --tryfromenv=listen,..., from
// FLAGS_listen style environment variables (absl's own mechanisms).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "common/server_runner.h"

namespace govreport {

// Parses argv (absl flags, --flagfile, --tryfromenv), sets up logging from
// --log_level under `service_name`, and blocks the shutdown signals. Exits
// with a usage message on bad flags (absl's behaviour).
absl::Status InitServerProcess(int argc, char** argv, const char* service_name,
                               const char* usage);

// The ServerOptions the shared flags describe. INVALID_ARGUMENT names the flag
// with a bad value.
absl::StatusOr<ServerOptions> ServerOptionsFromFlags();

}  // namespace govreport
