// govreport-parser: the stateless parser server.
#include <cstdlib>
#include <memory>

#include "absl/flags/flag.h"

#include "common/logging.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "parser_service/document_parser.h"
#include "parser_service/parser_metrics.h"
#include "parser_service/parser_service_impl.h"

ABSL_FLAG(int64_t, max_document_bytes, 8 * 1024 * 1024,
          "largest document accepted, in bytes; larger ones are refused with "
          "RESOURCE_EXHAUSTED");

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
  const int64_t max_document_bytes = absl::GetFlag(FLAGS_max_document_bytes);
  if (max_document_bytes <= 0) {
    spdlog::critical("--max_document_bytes must be positive");
    return EXIT_FAILURE;
  }
  if (max_document_bytes > options->max_receive_message_bytes) {
    spdlog::warn(
        "--max_document_bytes ({}) exceeds --max_receive_message_bytes ({}): "
        "larger documents are refused by gRPC before the parser sees them",
        max_document_bytes, options->max_receive_message_bytes);
  }
  parser::ParserConfig config;
  config.max_document_bytes = static_cast<size_t>(max_document_bytes);
  const parser::DocumentParser document_parser(config);
  auto registry = std::make_shared<prometheus::Registry>();
  parser::ParserMetrics metrics(*registry);
  parser::ParserServiceImpl parser_service(document_parser, &metrics);
  ServerRunner runner(*std::move(options), registry);
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
