// Ingest rate and ingest-to-visible latency, PostgreSQL against SQLite, in
// one run: PostgreSQL with two replicas on one database (written on A, read
// on B), SQLite with one server (written and read on it). Label bench, not
// part of make test:
//   scripts/with_postgres build/tests/ingest_visibility_bench
// Without GOVREPORT_TEST_PG_DSN only SQLite is measured.
//   GOVREPORT_BENCH_SECONDS  length of the rate phase (default 10)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "query_service/testing/fixtures.h"
#include "tests/integration/postgres_support.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::ServerProcess;
using ::govreport::testing::StartServer;

constexpr char kToken[] = "bench-token";
constexpr int kFiguresPerReport = 40;
constexpr int kSamples = 50;

absl::Duration RatePhase() {
  int seconds = 10;
  const char* env = std::getenv("GOVREPORT_BENCH_SECONDS");
  if (env != nullptr) (void)absl::SimpleAtoi(env, &seconds);
  return absl::Seconds(seconds);
}

// A report of 嵩县 for `year` with kFiguresPerReport figures; `title` makes
// each one different.
v1::Report BenchReport(int32_t year, const std::string& title) {
  std::vector<v1::Observation> figures;
  for (int i = 0; i < kFiguresPerReport; ++i) {
    figures.push_back(query::testing::Figure(
        i % 2 == 0 ? "城镇新增就业" : "高标准农田", v1::OBSERVATION_KIND_TARGET,
        year, 1000 + i, i % 2 == 0 ? "人" : "亩"));
  }
  v1::Report report = query::testing::MakeReport("嵩县", year, figures);
  report.set_region("regions/410325");
  report.set_title(title);
  return report;
}

grpc::Status Put(v1::ReportService::Stub& stub, const v1::Report& report) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  v1::PutReportRequest request;
  *request.mutable_report() = report;
  v1::PutReportResponse response;
  return stub.PutReport(&context, request, &response);
}

bool Shows(v1::ReportService::Stub& stub, const std::string& name,
           const std::string& title) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::GetReportRequest request;
  request.set_name(name);
  v1::GetReportResponse response;
  return stub.GetReport(&context, request, &response).ok() &&
         response.report().title() == title;
}

absl::Duration Percentile(std::vector<absl::Duration> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::string Ms(absl::Duration d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f ms",
                absl::ToDoubleMilliseconds(d));
  return buffer;
}

// Writes on `writer` in a closed loop for the rate phase, then kSamples
// times: one write, then GetReport on `reader` (every 1 ms) until it shows.
void Measure(const std::string& label, const ServerProcess& writer,
             const ServerProcess& reader) {
  auto write = v1::ReportService::NewStub(writer.channel);
  auto read = v1::ReportService::NewStub(reader.channel);
  const absl::Duration run_for = RatePhase();
  int writes = 0;
  const absl::Time start = absl::Now();
  while (absl::Now() - start < run_for) {
    const grpc::Status status =
        Put(*write, BenchReport(2000 + writes % 20, absl::StrCat("w", writes)));
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++writes;
  }
  const double rate = writes / absl::ToDoubleSeconds(absl::Now() - start);

  std::vector<absl::Duration> acked, visible;
  for (int i = 0; i < kSamples; ++i) {
    const std::string title = absl::StrCat("sample ", i);
    const absl::Time t0 = absl::Now();
    const grpc::Status status = Put(*write, BenchReport(2030, title));
    ASSERT_TRUE(status.ok()) << status.error_message();
    acked.push_back(absl::Now() - t0);
    while (!Shows(*read, "regions/410325/reports/2030", title)) {
      ASSERT_LT(absl::Now() - t0, absl::Seconds(10)) << "never visible";
      absl::SleepFor(absl::Milliseconds(1));
    }
    visible.push_back(absl::Now() - t0);
  }
  std::printf(
      "%-34s %7.1f reports/s (%d PutReport of %d figures in %s, one client)\n"
      "%-34s ack p50 %s p95 %s | visible p50 %s p95 %s max %s\n",
      label.c_str(), rate, writes, kFiguresPerReport,
      absl::FormatDuration(run_for).c_str(), "",
      Ms(Percentile(acked, 0.5)).c_str(), Ms(Percentile(acked, 0.95)).c_str(),
      Ms(Percentile(visible, 0.5)).c_str(),
      Ms(Percentile(visible, 0.95)).c_str(),
      Ms(Percentile(visible, 1.0)).c_str());
  std::fflush(stdout);
}

std::vector<std::string> CommonFlags(const std::string& dir) {
  return {"--auth_token_file=" + dir + "/token", "--shutdown_deadline=2s",
          "--log_level=warn"};
}

TEST(IngestVisibilityBench, PostgresTwoReplicasAgainstSqliteOneServer) {
  const std::string dir = testing::MakeTempDir("bench");
  ASSERT_THAT(testing::WriteFile(dir + "/token", kToken), IsOk());

  std::vector<std::string> sqlite_flags = CommonFlags(dir);
  sqlite_flags.push_back("--data_dir=" + dir + "/sqlite");
  absl::StatusOr<ServerProcess> sqlite = StartServer(
      "govreport-query", testing::MakeTempDir("bench_sqlite"), sqlite_flags);
  ASSERT_THAT(sqlite, IsOk());
  Measure("SQLite, one server:", *sqlite, *sqlite);

  if (testing::PostgresDsn().empty()) {
    std::printf("PostgreSQL skipped: %s\n", testing::kNoPostgresMessage);
    return;
  }
  absl::StatusOr<std::string> dsn = testing::CreateFreshDatabase("bench");
  ASSERT_THAT(dsn, IsOk());
  ASSERT_THAT(testing::WriteFile(dir + "/dsn", *dsn), IsOk());
  std::vector<std::string> pg_flags = CommonFlags(dir);
  pg_flags.push_back("--store=postgres");
  pg_flags.push_back("--postgres_dsn_file=" + dir + "/dsn");
  absl::StatusOr<ServerProcess> a = StartServer(
      "govreport-query", testing::MakeTempDir("bench_pg_a"), pg_flags);
  ASSERT_THAT(a, IsOk());
  absl::StatusOr<ServerProcess> b = StartServer(
      "govreport-query", testing::MakeTempDir("bench_pg_b"), pg_flags);
  ASSERT_THAT(b, IsOk());
  Measure("PostgreSQL, write A, read B:", *a, *b);
  Measure("PostgreSQL, write A, read A:", *a, *a);
}

}  // namespace
}  // namespace govreport
