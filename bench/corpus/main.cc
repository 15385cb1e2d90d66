// govreport-corpus: fills a SQLite store with synthetic reports (N regions ×
// Y years) for benchmarks, writing through the same preparation and store
// code as PutReport. Start govreport-query on the same --data_dir afterwards.
//
//   govreport-corpus --data_dir=var/bench --regions=3000 --years=10
#include <cstdlib>
#include <iostream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "bench/corpus/synthetic_corpus.h"
#include "common/clock.h"
#include "query_service/ingest/report_preparer.h"
#include "query_service/store/sqlite_store.h"

ABSL_FLAG(std::string, data_dir, "var/bench", "store directory (created)");
ABSL_FLAG(int, regions, 3000,
          "regions to fill: counties in catalog order, then prefectures");
ABSL_FLAG(int, years, 10, "report years per region, ending at --last_year");
ABSL_FLAG(int, last_year, 2024, "last report year");
ABSL_FLAG(int, observations, 150, "observations per report");
ABSL_FLAG(int, batch, 200, "reports per transaction");

namespace govreport::bench {
namespace {

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "govreport-corpus: fills a store with synthetic reports.\n"
      "  govreport-corpus --data_dir=var/bench --regions=3000 --years=10");
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_data_dir);
  if (std::system(absl::StrCat("mkdir -p '", dir, "'").c_str()) != 0) {
    std::cerr << "cannot create " << dir << "\n";
    return EXIT_FAILURE;
  }
  auto store = query::SqliteStore::Open(
      {absl::StrCat(dir, "/govreport.sqlite3")}, SystemClock::Get());
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return EXIT_FAILURE;
  }
  const query::RegionCatalog& regions = query::RegionCatalog::Builtin();
  const query::IndicatorCatalog& indicators =
      query::IndicatorCatalog::Builtin();
  // Counties first, then prefectures: 3,000 regions needs a few of both.
  std::vector<const query::RegionEntry*> counties;
  for (query::RegionLevel level :
       {query::RegionLevel::kCounty, query::RegionLevel::kPrefecture}) {
    for (const query::RegionEntry& region : regions.All()) {
      if (static_cast<int>(counties.size()) == absl::GetFlag(FLAGS_regions)) {
        break;
      }
      if (region.level == level) counties.push_back(&region);
    }
  }
  CorpusOptions options;
  options.observations_per_report = absl::GetFlag(FLAGS_observations);
  const int last_year = absl::GetFlag(FLAGS_last_year);
  const int years = absl::GetFlag(FLAGS_years);
  const absl::Time start = absl::Now();
  int64_t reports = 0;
  std::vector<query::ReportRow> batch;
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    auto result = (*store)->WriteReports("", std::move(batch));
    batch.clear();
    if (!result.ok()) {
      std::cerr << result.status() << "\n";
      return false;
    }
    return true;
  };
  for (const query::RegionEntry* region : counties) {
    for (int year = last_year - years + 1; year <= last_year; ++year) {
      absl::StatusOr<query::ReportRow> row = query::PrepareReport(
          SyntheticReport(*region, year, indicators, options), regions,
          indicators);
      if (!row.ok()) {
        std::cerr << region->code << "/" << year << ": " << row.status()
                  << "\n";
        return EXIT_FAILURE;
      }
      batch.push_back(*std::move(row));
      ++reports;
      if (static_cast<int>(batch.size()) >= absl::GetFlag(FLAGS_batch) &&
          !flush()) {
        return EXIT_FAILURE;
      }
    }
  }
  if (!flush()) return EXIT_FAILURE;
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << "wrote " << reports << " reports ("
            << reports * options.observations_per_report << " observations) to "
            << dir << " in " << seconds << " s (" << reports / seconds
            << " reports/s)\n";
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace govreport::bench

int main(int argc, char** argv) { return govreport::bench::Main(argc, argv); }
