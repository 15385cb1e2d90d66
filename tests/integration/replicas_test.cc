// Two query replicas on one PostgreSQL database, as the ha overlay runs
// them: what is ingested on one is visible on the other within a second,
// each replica refreshing its own snapshot (LISTEN/NOTIFY, polled data
// version as the fallback). Label pg: needs scripts/with_postgres.
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

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

constexpr char kToken[] = "replicas-test-token";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class TwoReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::PostgresDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgresMessage;
    }
    dir_ = testing::MakeTempDir("replicas");
    ASSERT_FALSE(dir_.empty());
    absl::StatusOr<std::string> dsn = testing::CreateFreshDatabase("replicas");
    ASSERT_THAT(dsn, IsOk());
    ASSERT_THAT(testing::WriteFile(dir_ + "/dsn", *dsn + "\n"), IsOk());
    ASSERT_THAT(testing::WriteFile(dir_ + "/token", kToken), IsOk());
    absl::StatusOr<ServerProcess> parser =
        StartServer("govreport-parser", dir_, {"--shutdown_deadline=2s"});
    ASSERT_THAT(parser, IsOk());
    parser_ = std::make_unique<ServerProcess>(*std::move(parser));
    a_ = StartReplica("a");
    b_ = StartReplica("b");
  }

  // Each replica in its own folder (port file, log).
  std::unique_ptr<ServerProcess> StartReplica(const std::string& name) {
    const std::string dir = testing::MakeTempDir("replica_" + name);
    absl::StatusOr<ServerProcess> replica = StartServer(
        "govreport-query", dir,
        {"--store=postgres", "--postgres_dsn_file=" + dir_ + "/dsn",
         "--postgres_pool_size=2", "--data_version_poll_interval=500ms",
         "--parser_target=" + parser_->address(), "--parser_timeout=20s",
         "--auth_token_file=" + dir_ + "/token", "--shutdown_deadline=2s",
         "--log_level=debug"});
    EXPECT_THAT(replica, IsOk());
    if (!replica.ok()) return nullptr;
    return std::make_unique<ServerProcess>(*std::move(replica));
  }

  static grpc::Status Put(const ServerProcess& server, const v1::Report& report,
                          v1::PutReportResponse* response) {
    auto stub = v1::ReportService::NewStub(server.channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    v1::PutReportRequest request;
    *request.mutable_report() = report;
    return stub->PutReport(&context, request, response);
  }

  // Polls GetReport(`name`) on `server` until it answers with `title` (any
  // title when empty) or `deadline`; the time it took, or nothing.
  static std::optional<absl::Duration> AwaitVisible(const ServerProcess& server,
                                                    const std::string& name,
                                                    const std::string& title,
                                                    absl::Time since,
                                                    absl::Time deadline) {
    auto stub = v1::ReportService::NewStub(server.channel);
    while (true) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(deadline));
      v1::GetReportRequest request;
      request.set_name(name);
      v1::GetReportResponse response;
      const grpc::Status status = stub->GetReport(&context, request, &response);
      const absl::Time now = absl::Now();
      if (status.ok() &&
          (title.empty() || response.report().title() == title)) {
        return now - since;
      }
      if (now >= deadline) return std::nullopt;
      absl::SleepFor(absl::Milliseconds(2));
    }
  }

  static v1::Report HandBuiltReport(int32_t year, const std::string& title) {
    v1::Report report = query::testing::MakeReport(
        "嵩县", year,
        {query::testing::Figure("城镇新增就业", v1::OBSERVATION_KIND_TARGET,
                                year, 6000, "人")});
    report.set_region("regions/410325");
    report.set_title(title);
    return report;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> parser_, a_, b_;
};

TEST_F(TwoReplicasTest, IngestOnOneReplicaIsVisibleOnTheOtherWithinASecond) {
  ASSERT_NE(a_, nullptr);
  ASSERT_NE(b_, nullptr);
  std::string name;
  absl::Time written;
  const std::string document = testing::SharedDataPath("000_seed.txt");
  if (!document.empty()) {
    // The development document, through the parser.
    auto stub = v1::ReportService::NewStub(a_->channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    v1::IngestDocumentRequest request;
    request.set_content(ReadFile(document));
    request.set_source_uri("000_seed.txt");
    v1::IngestDocumentResponse response;
    const grpc::Status status =
        stub->IngestDocument(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_GT(response.reports_size(), 0);
    name = response.reports(0).name();
    written = absl::Now();
  } else {
    std::printf("000_seed.txt is absent: PutReport of a hand-built report\n");
    v1::PutReportResponse response;
    const grpc::Status status =
        Put(*a_, HandBuiltReport(2024, "hand-built"), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    name = response.report().name();
    written = absl::Now();
  }
  const std::optional<absl::Duration> latency =
      AwaitVisible(*b_, name, "", written, written + absl::Seconds(1));
  ASSERT_TRUE(latency.has_value())
      << name << " ingested on replica A is not visible on B after 1 s";
  std::printf("ingested on A, visible on B after %s\n",
              absl::FormatDuration(*latency).c_str());
  RecordProperty("a_to_b_ms",
                 static_cast<int>(absl::ToInt64Milliseconds(*latency)));
}

TEST_F(TwoReplicasTest, WritesOnEitherReplicaReachTheOther) {
  ASSERT_NE(a_, nullptr);
  ASSERT_NE(b_, nullptr);
  for (int i = 0; i < 5; ++i) {
    const ServerProcess& writer = i % 2 == 0 ? *a_ : *b_;
    const ServerProcess& reader = i % 2 == 0 ? *b_ : *a_;
    const std::string title = absl::StrCat("revision ", i);
    v1::PutReportResponse response;
    const grpc::Status status =
        Put(writer, HandBuiltReport(2024, title), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const absl::Time written = absl::Now();
    const std::optional<absl::Duration> latency =
        AwaitVisible(reader, response.report().name(), title, written,
                     written + absl::Seconds(1));
    ASSERT_TRUE(latency.has_value()) << title << " not visible within 1 s";
    std::printf("%s: visible on the other replica after %s\n", title.c_str(),
                absl::FormatDuration(*latency).c_str());
  }
}

}  // namespace
}  // namespace govreport
