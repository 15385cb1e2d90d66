// Admission control and request ids across real processes: the parser,
// flooded past its --max_in_flight, refuses the excess with
// RESOURCE_EXHAUSTED while its health service answers, and recovers; a call
// whose (default) deadline has passed is DEADLINE_EXCEEDED without being
// parsed; the query server passes the request id on to the parser, whose
// log shows it, and neither log shows the bearer token.
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/http_get.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "govreport/v1/parser_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::ServerProcess;
using ::govreport::testing::StartServer;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "overload-test-token-5b1c";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Our own sample page (always in the repository), `copies` times over.
std::string SampleDocument(int copies) {
  const char* source = std::getenv("GOVREPORT_SOURCE_DIR");
  const std::string page = ReadFile(absl::StrCat(
      source != nullptr ? source : ".", "/scripts/sample/sample_report.txt"));
  std::string document;
  for (int i = 0; i < copies; ++i) absl::StrAppend(&document, page, "\n");
  return document;
}

HealthCheckResponse::ServingStatus CheckOnce(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  HealthCheckResponse response;
  if (!stub->Check(&context, {}, &response).ok()) {
    return HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

grpc::Status Parse(v1::ParserService::Stub& stub, const std::string& content) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::ParseDocumentRequest request;
  request.set_content(content);
  v1::ParseDocumentResponse response;
  return stub.ParseDocument(&context, request, &response);
}

class OverloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("overload");
    ASSERT_FALSE(dir_.empty());
  }
  std::string dir_;
};

TEST_F(OverloadTest, FloodedParserRefusesTheExcessKeepsHealthAndRecovers) {
  const std::string metrics_port_file = dir_ + "/metrics.port";
  absl::StatusOr<ServerProcess> parser = StartServer(
      "govreport-parser", dir_,
      {"--max_in_flight=2", "--metrics_listen=127.0.0.1:0",
       "--metrics_port_file=" + metrics_port_file, "--shutdown_deadline=5s"});
  ASSERT_THAT(parser, IsOk());
  // Each call parses long enough that many overlap.
  const std::string document = SampleDocument(40);
  constexpr int kCalls = 48;
  struct Call {
    grpc::ClientContext context;
    v1::ParseDocumentRequest request;
    v1::ParseDocumentResponse response;
  };
  std::vector<std::unique_ptr<Call>> calls;
  std::vector<std::unique_ptr<v1::ParserService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("govreport.test.channel", i);  // one connection each
    stubs.push_back(v1::ParserService::NewStub(grpc::CreateCustomChannel(
        parser->address(), grpc::InsecureChannelCredentials(), args)));
  }
  absl::Mutex mu;
  int finished = 0;
  std::map<grpc::StatusCode, int> codes;
  for (int i = 0; i < kCalls; ++i) {
    auto call = std::make_unique<Call>();
    call->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
    call->request.set_content(document);
    stubs[i % stubs.size()]->async()->ParseDocument(
        &call->context, &call->request, &call->response,
        [&](grpc::Status status) {
          absl::MutexLock lock(&mu);
          ++codes[status.error_code()];
          ++finished;
        });
    calls.push_back(std::move(call));
  }
  // Health answers while the flood is on.
  EXPECT_EQ(CheckOnce(parser->channel), HealthCheckResponse::SERVING);
  {
    absl::MutexLock lock(&mu);
    auto all_done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return finished == kCalls;
    };
    mu.Await(absl::Condition(&all_done));
  }
  EXPECT_GT(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 0);
  EXPECT_GE(codes[grpc::StatusCode::OK], 2);
  EXPECT_EQ(
      codes[grpc::StatusCode::OK] + codes[grpc::StatusCode::RESOURCE_EXHAUSTED],
      kCalls)
      << "only OK or RESOURCE_EXHAUSTED expected";

  // Recovered: calls one at a time succeed (a slot comes back just after
  // its client has the answer, hence a few tries).
  auto stub = v1::ParserService::NewStub(parser->channel);
  grpc::Status after = Parse(*stub, document);
  for (int tries = 0; !after.ok() && tries < 50; ++tries) {
    absl::SleepFor(absl::Milliseconds(20));
    after = Parse(*stub, document);
  }
  EXPECT_TRUE(after.ok()) << after.error_message();
  absl::StatusOr<int> metrics_port =
      testing::WaitForPortFile(metrics_port_file, absl::Seconds(5));
  ASSERT_THAT(metrics_port, IsOk());
  const std::string metrics = testing::HttpGet(*metrics_port, "/metrics");
  EXPECT_THAT(metrics, HasSubstr("govreport_rpc_rejected_total{grpc_method=\"/"
                                 "govreport.v1.ParserService/ParseDocument\""));
  EXPECT_THAT(metrics, HasSubstr("govreport_parser_documents_total{grpc_code="
                                 "\"OK\"}"));
  EXPECT_THAT(metrics, HasSubstr("govreport_parser_observations_total"));
}

TEST_F(OverloadTest, CallPastItsDefaultDeadlineIsDeadlineExceededUnparsed) {
  // The client sets no deadline; the server's default has passed by the
  // time the handler looks.
  const std::string metrics_port_file = dir_ + "/metrics.port";
  absl::StatusOr<ServerProcess> parser =
      StartServer("govreport-parser", dir_,
                  {"--default_deadline=1us", "--metrics_listen=127.0.0.1:0",
                   "--metrics_port_file=" + metrics_port_file});
  ASSERT_THAT(parser, IsOk());
  auto stub = v1::ParserService::NewStub(parser->channel);
  grpc::ClientContext context;  // no deadline
  v1::ParseDocumentRequest request;
  request.set_content(SampleDocument(1));
  v1::ParseDocumentResponse response;
  const grpc::Status status = stub->ParseDocument(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(), HasSubstr("deadline exceeded before"));

  absl::StatusOr<int> metrics_port =
      testing::WaitForPortFile(metrics_port_file, absl::Seconds(5));
  ASSERT_THAT(metrics_port, IsOk());
  // Nothing was parsed.
  EXPECT_THAT(testing::HttpGet(*metrics_port, "/metrics"),
              HasSubstr("govreport_parser_bytes_total 0"));
}

TEST_F(OverloadTest, RequestIdReachesTheParserLogAndTheTokenNoLog) {
  const std::string token_file = dir_ + "/token";
  std::ofstream(token_file) << kToken << "\n";
  absl::StatusOr<ServerProcess> parser =
      StartServer("govreport-parser", dir_,
                  {"--log_level=debug", "--shutdown_deadline=2s"});
  ASSERT_THAT(parser, IsOk());
  absl::StatusOr<ServerProcess> query = StartServer(
      "govreport-query", dir_,
      {"--data_dir=" + dir_ + "/data", "--parser_target=" + parser->address(),
       "--auth_token_file=" + token_file, "--log_level=debug",
       "--shutdown_deadline=2s"});
  ASSERT_THAT(query, IsOk());

  auto reports = v1::ReportService::NewStub(query->channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  context.AddMetadata("x-request-id", "it-req-7f3a");
  v1::IngestDocumentRequest request;
  request.set_content(SampleDocument(1));
  v1::IngestDocumentResponse response;
  const grpc::Status status =
      reports->IngestDocument(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Stopped, so that every line is written.
  ASSERT_THAT(testing::StopServer(*query), IsOk());
  ASSERT_THAT(testing::StopServer(*parser), IsOk());
  const std::string parser_log = ReadFile(dir_ + "/govreport-parser.log");
  const std::string query_log = ReadFile(dir_ + "/govreport-query.log");
  EXPECT_THAT(parser_log, HasSubstr("request_id=it-req-7f3a"));
  EXPECT_THAT(query_log, HasSubstr("request_id=it-req-7f3a"));
  EXPECT_THAT(query_log, Not(HasSubstr(kToken)));
  EXPECT_THAT(parser_log, Not(HasSubstr(kToken)));
}

}  // namespace
}  // namespace govreport
