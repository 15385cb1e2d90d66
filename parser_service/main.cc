// govreport-parser: the stateless parser server.
#include <cstdlib>

#include "absl/flags/flag.h"

#include "common/logging.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "govreport/v1/parser_service.grpc.pb.h"

namespace govreport {
namespace {

constexpr char kUsage[] =
    "govreport-parser: parses work-report text into Report protos over gRPC.\n"
    "  govreport-parser --listen=0.0.0.0:50051 [--flagfile=parser.flags]";

int Main(int argc, char** argv) {
  if (absl::Status s = InitServerProcess(argc, argv, "parser", kUsage);
      !s.ok()) {
    spdlog::critical("{}", s);
    return EXIT_FAILURE;
  }
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags();
  if (!options.ok()) {
    spdlog::critical("{}", options.status());
    return EXIT_FAILURE;
  }
  // Until the parsing pipeline is wired in, every RPC answers UNIMPLEMENTED.
  v1::ParserService::Service parser_service;
  ServerRunner runner(*std::move(options));
  runner.AddService(&parser_service, "govreport.v1.ParserService");
  if (absl::Status s = runner.Start(); !s.ok()) {
    spdlog::critical("{}", s);
    return EXIT_FAILURE;
  }
  runner.SetServing(true);
  return runner.Wait().ok() ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace
}  // namespace govreport

int main(int argc, char** argv) { return govreport::Main(argc, argv); }
