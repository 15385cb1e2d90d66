#include "tests/integration/server_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include <sys/wait.h>

#include "absl/strings/str_cat.h"

#include "grpc/health/v1/health.grpc.pb.h"

namespace govreport::testing {

bool WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel,
                      absl::Duration timeout) {
  using grpc::health::v1::HealthCheckResponse;
  auto stub = grpc::health::v1::Health::NewStub(channel);
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    HealthCheckResponse response;
    if (stub->Check(&context, {}, &response).ok() &&
        response.status() == HealthCheckResponse::SERVING) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

absl::StatusOr<ServerProcess> StartServer(
    const std::string& binary, const std::string& dir,
    const std::vector<std::string>& extra_args, absl::Duration timeout) {
  const std::string port_file = absl::StrCat(dir, "/", binary, ".port");
  unlink(port_file.c_str());
  std::vector<std::string> argv = {BinDir() + "/" + binary,
                                   "--listen=127.0.0.1:0",
                                   "--port_file=" + port_file};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  absl::StatusOr<Subprocess> process =
      Subprocess::Start(argv, absl::StrCat(dir, "/", binary, ".log"));
  if (!process.ok()) return process.status();
  absl::StatusOr<int> port = WaitForPortFile(port_file, timeout);
  if (!port.ok()) return port.status();
  ServerProcess server{*std::move(process), *port, nullptr};
  server.channel =
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  if (!WaitUntilServing(server.channel, timeout)) {
    return absl::DeadlineExceededError(absl::StrCat(
        binary, " did not become SERVING; see ", dir, "/", binary, ".log"));
  }
  return server;
}

absl::Status StopServer(ServerProcess& server, absl::Duration timeout) {
  if (absl::Status s = server.process.Signal(SIGTERM); !s.ok()) return s;
  absl::StatusOr<int> wstatus = server.process.Wait(timeout);
  if (!wstatus.ok()) return wstatus.status();
  if (!WIFEXITED(*wstatus) || WEXITSTATUS(*wstatus) != 0) {
    return absl::InternalError(
        absl::StrCat("server exited with wait status ", *wstatus));
  }
  return absl::OkStatus();
}

std::string SharedDataPath(const std::string& file) {
  const char* source = std::getenv("GOVREPORT_SOURCE_DIR");
  const std::string path = absl::StrCat(source != nullptr ? source : ".",
                                        "/../shared/data/reports/", file);
  return access(path.c_str(), R_OK) == 0 ? path : "";
}

}  // namespace govreport::testing
