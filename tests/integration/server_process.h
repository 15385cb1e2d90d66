// Starting our servers as real processes on 127.0.0.1 with OS-picked ports,
// for the integration tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "common/testing/subprocess.h"

namespace govreport::testing {

// A running server: its process, the port it bound and a channel to it.
struct ServerProcess {
  Subprocess process;
  int port = 0;
  std::shared_ptr<grpc::Channel> channel;
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
};

// Starts $GOVREPORT_BIN_DIR/`binary` with --listen=127.0.0.1:0 and
// `extra_args`, logging to `dir`/`binary`.log, and waits until its health
// service reports SERVING (up to `timeout`).
absl::StatusOr<ServerProcess> StartServer(
    const std::string& binary, const std::string& dir,
    const std::vector<std::string>& extra_args,
    absl::Duration timeout = absl::Seconds(60));

// Sends SIGTERM and waits for a clean exit (status 0) within `timeout`.
absl::Status StopServer(ServerProcess& server,
                        absl::Duration timeout = absl::Seconds(15));

// Polls grpc.health.v1 Check ("" = whole server) until SERVING or `timeout`.
bool WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel,
                      absl::Duration timeout);

// The development document and its gold rows, from ../shared/data/reports
// beside the repository; empty when absent.
std::string SharedDataPath(const std::string& file);

}  // namespace govreport::testing
