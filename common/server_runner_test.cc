#include "common/server_runner.h"

#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/http_get.h"
#include "common/testing/status_matchers.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace govreport {
namespace {

using ::govreport::testing::HttpGet;
using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// A service with no methods is enough to have a name for health.
class EmptyService : public grpc::Service {};

ServerOptions LoopbackOptions() {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.shutdown_deadline = absl::Seconds(2);
  return options;
}

HealthCheckResponse::ServingStatus Check(int port, const std::string& service) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return HealthCheckResponse::UNKNOWN;
  return response.status();
}

TEST(ServerRunner, BindsPortZeroAndReportsThePort) {
  ServerRunner runner(LoopbackOptions());
  ASSERT_THAT(runner.Start(), IsOk());
  EXPECT_GT(runner.port(), 0);
}

TEST(ServerRunner, HealthIsNotServingUntilReady) {
  EmptyService service;
  ServerRunner runner(LoopbackOptions());
  runner.AddService(&service, "test.Empty");
  ASSERT_THAT(runner.Start(), IsOk());
  EXPECT_EQ(Check(runner.port(), "test.Empty"),
            HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(runner.port(), ""), HealthCheckResponse::NOT_SERVING);

  runner.SetServing(true);
  EXPECT_EQ(Check(runner.port(), "test.Empty"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(runner.port(), ""), HealthCheckResponse::SERVING);
}

TEST(ServerRunner, SecondServerCannotShareAPort) {
  ServerRunner first(LoopbackOptions());
  ASSERT_THAT(first.Start(), IsOk());
  ServerOptions same_port = LoopbackOptions();
  same_port.listen_address = absl::StrCat("127.0.0.1:", first.port());
  ServerRunner second(same_port);
  EXPECT_THAT(second.Start(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(ServerRunner, AddressWithoutPortIsInvalid) {
  ServerOptions options = LoopbackOptions();
  options.listen_address = "127.0.0.1";
  ServerRunner runner(options);
  EXPECT_THAT(runner.Start(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ServerRunner, RequestShutdownEndsWaitCleanly) {
  ServerRunner runner(LoopbackOptions());
  ASSERT_THAT(runner.Start(), IsOk());
  runner.SetServing(true);
  std::thread stopper([&runner] { runner.RequestShutdown(); });
  EXPECT_THAT(runner.Wait(), IsOk());
  stopper.join();
}

TEST(ServerRunner, ExportsRpcCountsByMethodAndCodeOnMetricsEndpoint) {
  ServerOptions options = LoopbackOptions();
  options.metrics_listen_address = "127.0.0.1:0";
  ServerRunner runner(options);
  ASSERT_THAT(runner.Start(), IsOk());
  ASSERT_GT(runner.metrics_port(), 0);
  runner.SetServing(true);
  ASSERT_EQ(Check(runner.port(), ""), HealthCheckResponse::SERVING);
  // An unknown service is NOT_FOUND from the health service.
  ASSERT_EQ(Check(runner.port(), "no.such.Service"),
            HealthCheckResponse::UNKNOWN);

  // The server counts a call when it is done with it, which can be just
  // after the client has its answer: read until both calls are counted.
  const std::string ok_line =
      "grpc_server_handled_total{grpc_code=\"OK\","
      "grpc_method=\"/grpc.health.v1.Health/Check\"} 1";
  std::string metrics;
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  do {
    metrics = HttpGet(runner.metrics_port(), "/metrics");
  } while ((metrics.find(ok_line) == std::string::npos ||
            metrics.find("grpc_code=\"NOT_FOUND\"") == std::string::npos) &&
           absl::Now() < deadline);
  EXPECT_THAT(metrics, ::testing::HasSubstr(ok_line));
  EXPECT_THAT(metrics, ::testing::HasSubstr("grpc_code=\"NOT_FOUND\""));
  EXPECT_THAT(metrics,
              ::testing::HasSubstr("grpc_server_handling_seconds_bucket"));
}

TEST(ServerRunner, WaitBeforeStartIsAnError) {
  ServerRunner runner(LoopbackOptions());
  EXPECT_THAT(runner.Wait(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace govreport
