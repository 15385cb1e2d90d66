// Parser throughput: the development page (../shared/data/reports/
// 000_seed.txt next to the repository) and a ~10 MB document made by
// repeating it. Reports bytes/s and the process's peak RSS.
//
//   build/bin/parser_benchmark [--benchmark_filter=Large]
//
// Skips with a message when the development page is absent.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include <sys/resource.h>

#include "benchmark/benchmark.h"

#include "parser_service/document_parser.h"

namespace govreport::parser {
namespace {

constexpr size_t kLargeBytes = 10 * 1024 * 1024;

// The development page, or "" when it cannot be found.
const std::string& SeedPage() {
  static const std::string* page = [] {
    std::string root;
    if (const char* env = std::getenv("GOVREPORT_SOURCE_DIR")) root = env;
#ifdef GOVREPORT_SOURCE_DIR
    if (root.empty()) root = GOVREPORT_SOURCE_DIR;
#endif
    for (const std::string& path :
         {root + "/../shared/data/reports/000_seed.txt",
          std::string("../shared/data/reports/000_seed.txt"),
          std::string("../../shared/data/reports/000_seed.txt")}) {
      std::ifstream in(path, std::ios::binary);
      if (in) {
        return new std::string(std::istreambuf_iterator<char>(in), {});
      }
    }
    return new std::string();
  }();
  return *page;
}

double PeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

void RunParse(benchmark::State& state, std::string content) {
  if (SeedPage().empty()) {
    state.SkipWithError(
        "development page ../shared/data/reports/000_seed.txt not found "
        "(set GOVREPORT_SOURCE_DIR to the repository root)");
    return;
  }
  ParserConfig config;
  config.max_document_bytes = 64 * 1024 * 1024;
  const DocumentParser parser(config);
  v1::ParseDocumentRequest request;
  const size_t bytes = content.size();
  *request.mutable_content() = std::move(content);  // one copy of the input
  size_t wire_bytes = 0;
  for (auto _ : state) {
    // The server's path: the response serialized report by report.
    absl::StatusOr<std::string> wire = parser.ParseToWire(request);
    if (!wire.ok()) {
      state.SkipWithError(std::string(wire.status().message()).c_str());
      return;
    }
    wire_bytes = wire->size();
    benchmark::DoNotOptimize(wire);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes));
  state.counters["input_mb"] = bytes / (1024.0 * 1024.0);
  state.counters["response_mb"] = wire_bytes / (1024.0 * 1024.0);
  state.counters["peak_rss_mb"] = PeakRssMb();
}

void BM_ParseDevelopmentPage(benchmark::State& state) {
  RunParse(state, SeedPage());
}
BENCHMARK(BM_ParseDevelopmentPage)->Unit(benchmark::kMicrosecond);

void BM_ParseLargeDocument(benchmark::State& state) {
  std::string large;
  const std::string& page = SeedPage();
  if (!page.empty()) {
    large.reserve(kLargeBytes + page.size() + 1);
    while (large.size() < kLargeBytes) {
      large += page;
      large += '\n';
    }
  }
  RunParse(state, std::move(large));
}
BENCHMARK(BM_ParseLargeDocument)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace govreport::parser

BENCHMARK_MAIN();
