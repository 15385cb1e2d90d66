// The query engine's hot paths over a synthetic in-memory snapshot (no
// store, no gRPC): GetReport in both views, CompareRegions over 10 regions
// and over every county (to serialized bytes, through messages or written
// directly as the server does), and a snapshot refresh after one changed report
// against a full rebuild.
//
//   build/bin/query_engine_benchmark [--benchmark_filter=Compare]
//
// GOVREPORT_BENCH_REGIONS (default 300) sets the number of regions; each
// has 10 years of reports with 150 observations.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"

#include "bench/corpus/synthetic_corpus.h"
#include "query_service/engine/query_engine.h"
#include "query_service/engine/resource_names.h"
#include "query_service/ingest/report_preparer.h"
#include "query_service/snapshot/snapshot.h"

namespace govreport::bench {
namespace {

constexpr int kFirstYear = 2015;
constexpr int kLastYear = 2024;

struct Fixture {
  std::vector<const query::RegionEntry*> regions;
  std::vector<query::ReportPtr> reports;
  std::shared_ptr<const query::Snapshot> snapshot;
  // A second version of the first report, for refresh benchmarks.
  query::ReportPtr changed;
};

query::ReportPtr Entry(const query::RegionEntry& region, int year,
                       uint64_t seed, int64_t version) {
  CorpusOptions options;
  options.seed = seed;
  absl::StatusOr<query::ReportRow> row = query::PrepareReport(
      SyntheticReport(region, year, query::IndicatorCatalog::Builtin(),
                      options),
      query::RegionCatalog::Builtin(), query::IndicatorCatalog::Builtin());
  if (!row.ok()) std::abort();
  row->version = version;
  absl::StatusOr<query::ReportPtr> entry = query::ReportEntry::FromRow(*row);
  if (!entry.ok()) std::abort();
  return *std::move(entry);
}

const Fixture& TheFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    int count = 300;
    if (const char* env = std::getenv("GOVREPORT_BENCH_REGIONS")) {
      count = std::max(1, std::atoi(env));
    }
    for (const query::RegionEntry& region :
         query::RegionCatalog::Builtin().All()) {
      if (static_cast<int>(f->regions.size()) == count) break;
      if (region.level == query::RegionLevel::kCounty) {
        f->regions.push_back(&region);
      }
    }
    int64_t version = 0;
    for (const query::RegionEntry* region : f->regions) {
      for (int year = kFirstYear; year <= kLastYear; ++year) {
        f->reports.push_back(Entry(*region, year, 1, ++version));
      }
    }
    f->snapshot = std::make_shared<query::Snapshot>(version, f->reports);
    f->changed = Entry(*f->regions[0], kFirstYear, 2, version + 1);
    return f;
  }();
  return *fixture;
}

const query::QueryEngine& Engine() {
  static const query::QueryEngine engine(query::RegionCatalog::Builtin(),
                                         query::IndicatorCatalog::Builtin());
  return engine;
}

// The engine as the server wires it: with a row cache (of the server's
// default size).
const query::QueryEngine& CachingEngine() {
  static query::ResponseCache* rows = new query::ResponseCache(32 << 20);
  static const query::QueryEngine engine(query::RegionCatalog::Builtin(),
                                         query::IndicatorCatalog::Builtin(),
                                         rows);
  return engine;
}

void BM_GetReport(benchmark::State& state) {
  const Fixture& f = TheFixture();
  std::vector<v1::GetReportRequest> requests;
  for (size_t i = 0; i < 64; ++i) {
    v1::GetReportRequest request;
    request.set_name(f.reports[(i * 7919) % f.reports.size()]->name);
    if (state.range(0) != 0) request.set_view(v1::REPORT_VIEW_FULL);
    requests.push_back(std::move(request));
  }
  size_t i = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    auto response = Engine().GetReport(*f.snapshot, requests[i++ % 64]);
    bytes += response->ByteSizeLong();
  }
  state.counters["response_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_GetReport)->Arg(0)->Arg(1)->ArgNames({"full"});

v1::CompareRegionsRequest CompareRequest() {
  v1::CompareRegionsRequest request;
  request.mutable_series()->set_indicator("indicators/gdp");
  request.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  request.mutable_series()->set_kind(v1::OBSERVATION_KIND_ACHIEVED);
  request.set_year(2023);
  request.set_page_size(1000);
  return request;
}

// The response bytes as the server sends them: built as messages and
// serialized (wire = 0), written directly (wire = 1), or written directly
// with rows from a row cache (wire = 2, what the server does).
size_t CompareToBytes(const query::Snapshot& snapshot,
                      const v1::CompareRegionsRequest& request, int64_t wire) {
  std::string bytes;
  if (wire == 2) {
    (void)CachingEngine().CompareRegionsWire(snapshot, request, &bytes);
  } else if (wire == 1) {
    (void)Engine().CompareRegionsWire(snapshot, request, &bytes);
  } else {
    Engine().CompareRegions(snapshot, request)->SerializeToString(&bytes);
  }
  benchmark::DoNotOptimize(bytes);
  return bytes.size();
}

void BM_CompareRegions10(benchmark::State& state) {
  const Fixture& f = TheFixture();
  std::vector<v1::CompareRegionsRequest> requests;
  for (size_t i = 0; i < 64; ++i) {
    v1::CompareRegionsRequest request = CompareRequest();
    for (size_t j = 0; j < 10; ++j) {
      request.mutable_regions()->mutable_region_list()->add_names(
          query::RegionName(
              f.regions[(i * 131 + j * 17) % f.regions.size()]->code));
    }
    requests.push_back(std::move(request));
  }
  size_t i = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    bytes += CompareToBytes(*f.snapshot, requests[i++ % 64], state.range(0));
  }
  state.counters["response_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CompareRegions10)->Arg(0)->Arg(1)->Arg(2)->ArgNames({"wire"});

void BM_CompareRegionsAllCounties(benchmark::State& state) {
  const Fixture& f = TheFixture();
  v1::CompareRegionsRequest request = CompareRequest();
  request.mutable_regions()->mutable_subtree()->set_parent("regions/-");
  request.mutable_regions()->mutable_subtree()->set_level(
      v1::REGION_LEVEL_COUNTY);
  size_t bytes = 0;
  for (auto _ : state) {
    bytes += CompareToBytes(*f.snapshot, request, state.range(0));
  }
  state.counters["response_bytes"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CompareRegionsAllCounties)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->ArgNames({"wire"})
    ->Unit(benchmark::kMicrosecond);

// A refresh after one report changed: only that region's shard is rebuilt.
void BM_RefreshOneChangedReport(benchmark::State& state) {
  const Fixture& f = TheFixture();
  std::vector<query::ReportPtr> reports = f.reports;
  reports[0] = f.changed;
  for (auto _ : state) {
    query::Snapshot next(f.snapshot->data_version() + 1, reports,
                         f.snapshot.get());
    benchmark::DoNotOptimize(next.observation_count());
  }
}
BENCHMARK(BM_RefreshOneChangedReport)->Unit(benchmark::kMicrosecond);

// The same snapshot built from nothing, as the first load does.
void BM_FullRebuild(benchmark::State& state) {
  const Fixture& f = TheFixture();
  for (auto _ : state) {
    query::Snapshot next(f.snapshot->data_version(), f.reports);
    benchmark::DoNotOptimize(next.observation_count());
  }
}
BENCHMARK(BM_FullRebuild)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace govreport::bench

BENCHMARK_MAIN();
