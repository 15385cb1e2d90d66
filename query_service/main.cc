// govreport-query: the query server (catalog, reports, comparisons).
#include <cstdlib>

#include "absl/flags/flag.h"

#include "common/logging.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "govreport/v1/catalog_service.grpc.pb.h"
#include "govreport/v1/query_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"

namespace govreport {
namespace {

constexpr char kUsage[] =
    "govreport-query: stores reports and answers typed queries over gRPC.\n"
    "  govreport-query --listen=0.0.0.0:50052 [--flagfile=query.flags]";

int Main(int argc, char** argv) {
  if (absl::Status s = InitServerProcess(argc, argv, "query", kUsage);
      !s.ok()) {
    spdlog::critical("{}", s);
    return EXIT_FAILURE;
  }
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags();
  if (!options.ok()) {
    spdlog::critical("{}", options.status());
    return EXIT_FAILURE;
  }
  // Until the store and engine are wired in, every RPC answers UNIMPLEMENTED.
  v1::CatalogService::Service catalog_service;
  v1::ReportService::Service report_service;
  v1::QueryService::Service query_service;
  ServerRunner runner(*std::move(options));
  runner.AddService(&catalog_service, "govreport.v1.CatalogService");
  runner.AddService(&report_service, "govreport.v1.ReportService");
  runner.AddService(&query_service, "govreport.v1.QueryService");
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
