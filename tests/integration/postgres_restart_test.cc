// PostgreSQL restarted under a running query replica: reads keep answering
// from the snapshot, writes fail with UNAVAILABLE while it is down, and
// succeed again once it is back, without restarting the replica. Label pg;
// runs alone (RUN_SERIAL): it stops the server every pg test shares.
#include <signal.h>

#include <cstdio>
#include <string>

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
using ::testing::HasSubstr;

constexpr char kToken[] = "restart-test-token";

class PostgresRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::PostgresDsn().empty()) {
      GTEST_SKIP() << testing::kNoPostgresMessage;
    }
    dir_ = testing::MakeTempDir("pg_restart");
    ASSERT_FALSE(dir_.empty());
    absl::StatusOr<std::string> dsn = testing::CreateFreshDatabase("restart");
    ASSERT_THAT(dsn, IsOk());
    ASSERT_THAT(testing::WriteFile(dir_ + "/dsn", *dsn), IsOk());
    ASSERT_THAT(testing::WriteFile(dir_ + "/token", kToken), IsOk());
    absl::StatusOr<ServerProcess> replica = StartServer(
        "govreport-query", dir_,
        {"--store=postgres", "--postgres_dsn_file=" + dir_ + "/dsn",
         "--postgres_pool_size=2", "--data_version_poll_interval=200ms",
         "--auth_token_file=" + dir_ + "/token", "--shutdown_deadline=2s"});
    ASSERT_THAT(replica, IsOk());
    replica_ = std::make_unique<ServerProcess>(*std::move(replica));
    reports_ = v1::ReportService::NewStub(replica_->channel);
  }

  void TearDown() override {
    // Leave the server running for the tests after this one.
    if (stopped_) {
      EXPECT_THAT(testing::PgCtl("start"), IsOk());
    }
  }

  grpc::Status Put(int32_t year, v1::PutReportResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    v1::PutReportRequest request;
    *request.mutable_report() = query::testing::MakeReport(
        "嵩县", year,
        {query::testing::Figure("城镇新增就业", v1::OBSERVATION_KIND_TARGET,
                                year, 6000, "人")});
    request.mutable_report()->set_region("regions/410325");
    return reports_->PutReport(&context, request, response);
  }

  grpc::Status Get(int32_t year) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::GetReportRequest request;
    request.set_name(absl::StrCat("regions/410325/reports/", year));
    v1::GetReportResponse response;
    return reports_->GetReport(&context, request, &response);
  }

  std::string dir_;
  bool stopped_ = false;
  std::unique_ptr<ServerProcess> replica_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
};

TEST_F(PostgresRestartTest, ReadsSurviveAndWritesRecoverWithoutARestart) {
  v1::PutReportResponse put;
  grpc::Status status = Put(2024, &put);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(Get(2024).ok());

  ASSERT_THAT(testing::PgCtl("stop -m fast"), IsOk());
  stopped_ = true;

  // Reads: from the snapshot, as if nothing happened.
  status = Get(2024);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // Writes: UNAVAILABLE, saying why.
  status = Put(2025, &put);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("postgres"));
  std::printf("write while PostgreSQL is down: %s\n",
              status.error_message().c_str());
  EXPECT_TRUE(testing::WaitUntilServing(replica_->channel, absl::Seconds(5)));

  ASSERT_THAT(testing::PgCtl("start"), IsOk());
  stopped_ = false;
  const absl::Time back = absl::Now();
  int attempts = 0;
  while (true) {
    ++attempts;
    status = Put(2025, &put);
    if (status.ok() || absl::Now() > back + absl::Seconds(30)) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::printf(
      "writes succeed again %s after PostgreSQL is back (%d attempts)\n",
      absl::FormatDuration(absl::Now() - back).c_str(), attempts);
  // The first write after the restart already succeeds: the pool replaced
  // its dead connections instead of failing on them.
  EXPECT_EQ(attempts, 1);
  EXPECT_TRUE(Get(2025).ok());
  // The same process all along.
  EXPECT_THAT(replica_->process.Signal(0), IsOk());
}

}  // namespace
}  // namespace govreport
