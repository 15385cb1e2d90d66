// Both servers as real processes on 127.0.0.1 with OS-picked ports: they come
// up SERVING, list our services through reflection, and stop cleanly on
// SIGTERM within the shutdown deadline.
#include <signal.h>

#include <memory>
#include <set>
#include <string>

#include <grpcpp/grpcpp.h>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/http_get.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::Subprocess;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::IsSupersetOf;

struct ServerCase {
  std::string binary;
  std::set<std::string> services;
  bool has_data_dir = false;
};

class ServersTest : public ::testing::TestWithParam<ServerCase> {};

// One Health/Check of the whole server; UNKNOWN when the call fails.
HealthCheckResponse::ServingStatus CheckOnce(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  HealthCheckResponse response;
  if (!stub->Check(&context, {}, &response).ok()) {
    return HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

std::set<std::string> ListServices(
    const std::shared_ptr<grpc::Channel>& channel) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  auto stub = ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionRequest request;
  request.set_list_services("");
  std::set<std::string> names;
  if (!stream->Write(request)) return names;
  stream->WritesDone();
  ServerReflectionResponse response;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      names.insert(service.name());
    }
  }
  stream->Finish();
  return names;
}

TEST_P(ServersTest, ServesHealthAndReflectionAndStopsCleanlyOnSigterm) {
  const ServerCase& server = GetParam();
  const std::string dir = testing::MakeTempDir(server.binary);
  ASSERT_FALSE(dir.empty());
  const std::string metrics_port_file = dir + "/metrics.port";
  std::vector<std::string> args = {"--metrics_listen=127.0.0.1:0",
                                   "--metrics_port_file=" + metrics_port_file,
                                   "--drain_delay=500ms",
                                   "--shutdown_deadline=2s"};
  if (server.has_data_dir) args.push_back("--data_dir=" + dir + "/data");
  absl::StatusOr<testing::ServerProcess> started =
      testing::StartServer(server.binary, dir, args);
  ASSERT_THAT(started, IsOk());
  auto& process = started->process;
  const auto& channel = started->channel;
  EXPECT_THAT(ListServices(channel),
              IsSupersetOf({"grpc.health.v1.Health",
                            "grpc.reflection.v1alpha.ServerReflection"}));
  EXPECT_THAT(ListServices(channel), IsSupersetOf(server.services));

  absl::StatusOr<int> metrics_port =
      testing::WaitForPortFile(metrics_port_file, absl::Seconds(5));
  ASSERT_THAT(metrics_port, IsOk());
  EXPECT_THAT(testing::HttpGet(*metrics_port, "/metrics"),
              ::testing::HasSubstr("grpc_server_handled_total"));

  // SIGTERM: health turns NOT_SERVING during the drain delay, then the
  // process exits 0 within drain delay + shutdown deadline (2.5 s), even
  // with this client's connection still open.
  const absl::Time sent = absl::Now();
  ASSERT_THAT(process.Signal(SIGTERM), IsOk());
  HealthCheckResponse::ServingStatus during_drain = CheckOnce(channel);
  while (during_drain == HealthCheckResponse::SERVING &&
         absl::Now() - sent < absl::Milliseconds(400)) {
    during_drain = CheckOnce(channel);
  }
  EXPECT_EQ(during_drain, HealthCheckResponse::NOT_SERVING);
  absl::StatusOr<int> wstatus = process.Wait(absl::Seconds(10));
  ASSERT_THAT(wstatus, IsOk());
  EXPECT_TRUE(WIFEXITED(*wstatus)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(*wstatus), 0);
  EXPECT_LT(absl::Now() - sent, absl::Seconds(3));
}

INSTANTIATE_TEST_SUITE_P(
    BothServers, ServersTest,
    ::testing::Values(
        ServerCase{"govreport-parser", {"govreport.v1.ParserService"}},
        ServerCase{"govreport-query",
                   {"govreport.v1.CatalogService", "govreport.v1.ReportService",
                    "govreport.v1.QueryService"},
                   /*has_data_dir=*/true}),
    [](const ::testing::TestParamInfo<ServerCase>& info) {
      return info.param.binary == "govreport-parser" ? std::string("Parser")
                                                     : std::string("Query");
    });

}  // namespace
}  // namespace govreport
