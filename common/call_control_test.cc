#include "common/call_control.h"

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace govreport {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// Any generated service will do as the service under control; Health is at
// hand. Check records what the handler sees and, for request.service() ==
// "hold", keeps the call open until Release.
class RecordingService final : public Health::CallbackService {
 public:
  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    {
      absl::MutexLock lock(&mu_);
      request_id_ = RequestIdOf(*context);
      deadline_ = DeadlineOf(*context);
    }
    if (absl::Status s = CheckAdmitted(*context); !s.ok()) {
      reactor->Finish(ToGrpcStatus(s));
      return reactor;
    }
    response->set_status(HealthCheckResponse::SERVING);
    if (request->service() == "hold") {
      absl::MutexLock lock(&mu_);
      held_ = reactor;
      entered_.Notify();
      return reactor;
    }
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  void WaitUntilHeld() { entered_.WaitForNotification(); }
  void Release() {
    absl::MutexLock lock(&mu_);
    held_->Finish(grpc::Status::OK);
  }
  std::string request_id() {
    absl::MutexLock lock(&mu_);
    return request_id_;
  }
  absl::Time deadline() {
    absl::MutexLock lock(&mu_);
    return deadline_;
  }

 private:
  absl::Mutex mu_;
  absl::Notification entered_;
  grpc::ServerUnaryReactor* held_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::string request_id_ ABSL_GUARDED_BY(mu_);
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
};

class CallControlTest : public ::testing::Test {
 protected:
  void Start(int max_in_flight,
             absl::Duration default_deadline = absl::ZeroDuration()) {
    CallControlOptions options;
    options.max_in_flight = max_in_flight;
    options.default_deadline = default_deadline;
    // Health is the service under test here, so nothing is exempt.
    options.exempt_method_prefixes.clear();
    control_ = std::make_unique<CallControl>(options, registry_);
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(control_->MakeInterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    stub_ = Health::NewStub(server_->InProcessChannel({}));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  grpc::Status Call(const std::string& service,
                    grpc::ClientContext* context = nullptr) {
    grpc::ClientContext own;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    return stub_->Check(context != nullptr ? context : &own, request,
                        &response);
  }

  // The slot of a finished call is given back when the server is done with
  // it, which can be just after the client has its answer.
  bool WaitForIdle() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (control_->in_flight() > 0 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    return control_->in_flight() == 0;
  }

  prometheus::Registry registry_;
  RecordingService service_;
  std::unique_ptr<CallControl> control_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(CallControlTest, CallsOverTheLimitAreRefusedUntilASlotIsFree) {
  Start(/*max_in_flight=*/1);
  grpc::ClientContext held_context;
  HealthCheckRequest hold;
  hold.set_service("hold");
  HealthCheckResponse held_response;
  absl::Notification held_done;
  grpc::Status held_status;
  stub_->async()->Check(&held_context, &hold, &held_response,
                        [&](grpc::Status s) {
                          held_status = s;
                          held_done.Notify();
                        });
  service_.WaitUntilHeld();
  EXPECT_EQ(control_->in_flight(), 1);

  const grpc::Status refused = Call("other");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("1 calls already in progress (--max_in_flight)"));

  service_.Release();
  held_done.WaitForNotification();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  ASSERT_TRUE(WaitForIdle());
  EXPECT_TRUE(Call("other").ok());
}

TEST_F(CallControlTest, NoLimitAdmitsEverything) {
  Start(/*max_in_flight=*/0);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(Call("x").ok());
}

TEST_F(CallControlTest, ForgedAdmissionRecordsFromTheClientAreDropped) {
  Start(/*max_in_flight=*/4);
  grpc::ClientContext context;
  context.AddMetadata("govreport-internal-overloaded", "1");
  context.AddMetadata("govreport-internal-deadline-us", "1");
  EXPECT_TRUE(Call("x", &context).ok());
  EXPECT_EQ(service_.deadline(), absl::InfiniteFuture());
}

TEST_F(CallControlTest, KeepsTheClientsRequestIdAndMakesOneOtherwise) {
  Start(/*max_in_flight=*/0);
  grpc::ClientContext with_id;
  with_id.AddMetadata("x-request-id", "client-id-42");
  ASSERT_TRUE(Call("x", &with_id).ok());
  EXPECT_EQ(service_.request_id(), "client-id-42");

  ASSERT_TRUE(Call("x").ok());
  EXPECT_THAT(service_.request_id(), MatchesRegex("[0-9a-f]{16}"));

  // Bytes that do not belong in a log line are replaced, not passed on.
  grpc::ClientContext bad_id;
  bad_id.AddMetadata("x-request-id", "a b;c=\"d\"");
  ASSERT_TRUE(Call("x", &bad_id).ok());
  EXPECT_THAT(service_.request_id(), MatchesRegex("[0-9a-f]{16}"));
}

TEST_F(CallControlTest, CallsWithoutADeadlineGetTheDefaultOne) {
  Start(/*max_in_flight=*/0, /*default_deadline=*/absl::Hours(1));
  const absl::Time before = absl::Now();
  ASSERT_TRUE(Call("x").ok());
  EXPECT_GE(service_.deadline(), before + absl::Hours(1));
  EXPECT_LE(service_.deadline(), absl::Now() + absl::Hours(1));

  // The client's own deadline is kept (the timeout header is rounded up,
  // hence the slack).
  grpc::ClientContext context;
  const absl::Time clients = absl::Now() + absl::Seconds(30);
  context.set_deadline(absl::ToChronoTime(clients));
  ASSERT_TRUE(Call("x", &context).ok());
  EXPECT_LE(service_.deadline(), clients + absl::Milliseconds(100));
  EXPECT_GE(service_.deadline(), clients - absl::Seconds(5));
}

TEST_F(CallControlTest, ExpiredDefaultDeadlineIsDeadlineExceededFromServer) {
  // Over before the handler runs: the handler's own check answers.
  Start(/*max_in_flight=*/0, /*default_deadline=*/absl::Microseconds(1));
  const grpc::Status status = Call("x");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(), HasSubstr("deadline exceeded before"));
}

TEST(RequestId, OnlyPlainShortIdsAreUsable) {
  EXPECT_TRUE(IsUsableRequestId("3f2a9c1e-7b1d-4c55-9a0e-1c2d3e4f5a6b"));
  EXPECT_TRUE(IsUsableRequestId("soak:ingest.17_x"));
  EXPECT_FALSE(IsUsableRequestId(""));
  EXPECT_FALSE(IsUsableRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsUsableRequestId("id with spaces"));
  EXPECT_FALSE(IsUsableRequestId("line\nbreak"));
  EXPECT_FALSE(IsUsableRequestId("引号"));
}

TEST(RequestId, FreshIdsAreSixteenHexDigitsAndDiffer) {
  const std::string a = NewRequestId();
  EXPECT_THAT(a, MatchesRegex("[0-9a-f]{16}"));
  EXPECT_NE(a, NewRequestId());
}

}  // namespace
}  // namespace govreport
