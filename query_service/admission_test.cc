// Admission control, deadlines, request ids and the write metrics of the
// query server: the three services behind a real ServerRunner (in-process
// channel), with a parser stub the test can hold inside a call.
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/test/client_context_test_peer.h>
#include <prometheus/text_serializer.h>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/server_runner.h"
#include "common/testing/status_matchers.h"
#include "govreport/v1/catalog_service.grpc.pb.h"
#include "govreport/v1/parser_service_mock.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "query_service/catalog_service_impl.h"
#include "query_service/query_metrics.h"
#include "query_service/report_service_impl.h"
#include "query_service/store/fake_store.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::query::testing::TestRegions;
using ::govreport::testing::IsOk;
using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr char kToken[] = "test-token";
constexpr auto kAchieved = v1::OBSERVATION_KIND_ACHIEVED;

// Holds parser calls until opened; counts the calls waiting.
class Gate {
 public:
  void Pass() {
    absl::MutexLock lock(&mu_);
    ++waiting_;
    mu_.Await(absl::Condition(&open_));
  }
  void WaitForWaiting(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return waiting_ >= n;
    };
    mu_.Await(absl::Condition(&enough));
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  absl::Mutex mu_;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

// What the parser stub saw of one call.
struct SeenByParser {
  std::string request_id;
  absl::Time deadline;
};

// An asynchronous call the test waits for.
template <typename Response>
struct Pending {
  grpc::ClientContext context;
  Response response;
  grpc::Status status;
  absl::Notification done;
  grpc::Status Wait() {
    done.WaitForNotification();
    return status;
  }
};

class AdmissionTest : public ::testing::Test {
 protected:
  void Start(int max_in_flight, int max_pending_writes,
             absl::Duration default_deadline = absl::ZeroDuration()) {
    ASSERT_THAT(snapshots_.Refresh(), IsOk());
    ON_CALL(parser_stub_, ParseDocument(_, _, _))
        .WillByDefault([this](grpc::ClientContext* context,
                              const v1::ParseDocumentRequest&,
                              v1::ParseDocumentResponse* response) {
          Record(context);
          gate_.Pass();
          *response = Parsed();
          return grpc::Status::OK;
        });
    reads_ = std::make_unique<ReadGate>(snapshots_, auth_, false);
    ReportServiceOptions write_options;
    write_options.max_pending_writes = max_pending_writes;
    write_options.metrics = &metrics_;
    reports_ = std::make_unique<ReportServiceImpl>(
        engine_, *reads_, writer_, parser_, auth_, write_options);
    catalog_ = std::make_unique<CatalogServiceImpl>(engine_, *reads_);
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.shutdown_deadline = absl::Seconds(2);
    options.calls.max_in_flight = max_in_flight;
    options.calls.default_deadline = default_deadline;
    runner_ = std::make_unique<ServerRunner>(options, registry_);
    runner_->AddService(reports_.get(), "govreport.v1.ReportService");
    runner_->AddService(catalog_.get(), "govreport.v1.CatalogService");
    ASSERT_THAT(runner_->Start(), IsOk());
    runner_->SetServing(true);
    auto channel = runner_->InProcessChannel();
    report_stub_ = v1::ReportService::NewStub(channel);
    catalog_stub_ = v1::CatalogService::NewStub(channel);
    health_stub_ = Health::NewStub(channel);
  }

  void TearDown() override {
    gate_.Open();  // never leave a call held: shutdown waits for it
    Stop();
  }

  // Stops the server, then the services: every write accepted has run.
  void Stop() {
    runner_.reset();
    reports_.reset();
    catalog_.reset();
  }

  static v1::ParseDocumentResponse Parsed() {
    v1::ParseDocumentResponse parsed;
    *parsed.add_reports() = MakeReport(
        "嵩县", 2024, {Figure("技能培训", kAchieved, 2023, 18000, "人次")});
    parsed.set_extractor_version("parser/1");
    return parsed;
  }

  void Record(grpc::ClientContext* context) {
    const auto metadata =
        grpc::testing::ClientContextTestPeer(context).GetSendInitialMetadata();
    SeenByParser seen;
    auto id = metadata.find("x-request-id");
    if (id != metadata.end()) seen.request_id = id->second;
    seen.deadline = absl::FromChrono(context->deadline());
    absl::MutexLock lock(&mu_);
    seen_.push_back(seen);
  }
  std::vector<SeenByParser> Seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

  static void Authorize(grpc::ClientContext& context) {
    context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  }

  // Starts an IngestDocument of `content`.
  std::unique_ptr<Pending<v1::IngestDocumentResponse>> StartIngest(
      const std::string& content) {
    auto pending = std::make_unique<Pending<v1::IngestDocumentResponse>>();
    Authorize(pending->context);
    v1::IngestDocumentRequest request;
    request.set_content(content);
    auto* p = pending.get();
    report_stub_->async()->IngestDocument(&p->context, &request, &p->response,
                                          [p](grpc::Status status) {
                                            p->status = std::move(status);
                                            p->done.Notify();
                                          });
    return pending;
  }

  grpc::Status Ingest(const std::string& content,
                      v1::IngestDocumentResponse* response = nullptr) {
    grpc::ClientContext context;
    Authorize(context);
    v1::IngestDocumentRequest request;
    request.set_content(content);
    v1::IngestDocumentResponse ignored;
    return report_stub_->IngestDocument(
        &context, request, response != nullptr ? response : &ignored);
  }

  grpc::Status Put(const v1::Report& report,
                   v1::PutReportResponse* response = nullptr) {
    grpc::ClientContext context;
    Authorize(context);
    v1::PutReportRequest request;
    *request.mutable_report() = report;
    v1::PutReportResponse ignored;
    return report_stub_->PutReport(&context, request,
                                   response != nullptr ? response : &ignored);
  }

  grpc::Status Read() {
    grpc::ClientContext context;
    v1::GetDataSnapshotResponse response;
    return catalog_stub_->GetDataSnapshot(&context, {}, &response);
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service) {
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    if (!health_stub_->Check(&context, request, &response).ok()) {
      return HealthCheckResponse::UNKNOWN;
    }
    return response.status();
  }

  // Retries `call` until OK: a finished call gives its slot back just after
  // its client has the answer.
  template <typename Call>
  static grpc::Status EventuallyOk(Call call) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    grpc::Status status = call();
    while (!status.ok() && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(2));
      status = call();
    }
    return status;
  }

  std::string Metrics() {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    for (auto& family : MakeSnapshotCollectable(snapshots_)->Collect()) {
      families.push_back(std::move(family));
    }
    return prometheus::TextSerializer().Serialize(families);
  }

  FakeStore store_;
  SnapshotManager snapshots_{store_};
  QueryEngine engine_{TestRegions(), TestIndicators()};
  ReportWriter writer_{store_, snapshots_, TestRegions(), TestIndicators()};
  BearerAuth auth_{std::string(kToken)};
  std::shared_ptr<prometheus::Registry> registry_ =
      std::make_shared<prometheus::Registry>();
  QueryMetrics metrics_{*registry_};
  ::testing::NiceMock<v1::MockParserServiceStub> parser_stub_;
  // A parser timeout far above the deadlines the tests set.
  ParserClient parser_{parser_stub_, absl::Seconds(60), "dns:///parser:50051",
                       &metrics_};
  Gate gate_;
  absl::Mutex mu_;
  std::vector<SeenByParser> seen_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<ReadGate> reads_;
  std::unique_ptr<ReportServiceImpl> reports_;
  std::unique_ptr<CatalogServiceImpl> catalog_;
  std::unique_ptr<ServerRunner> runner_;
  std::unique_ptr<v1::ReportService::Stub> report_stub_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_stub_;
  std::unique_ptr<Health::Stub> health_stub_;
};

TEST_F(AdmissionTest, OverTheInFlightLimitCallsAreRefusedWhileHealthAnswers) {
  Start(/*max_in_flight=*/1, /*max_pending_writes=*/16);
  auto held = StartIngest("报告一");
  gate_.WaitForWaiting(1);  // the ingest holds the only slot

  const grpc::Status refused = Read();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("--max_in_flight"));
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("govreport.v1.ReportService"), HealthCheckResponse::SERVING);
  EXPECT_THAT(Metrics(), HasSubstr("govreport_rpc_rejected_total{grpc_method="
                                   "\"/govreport.v1.CatalogService/"
                                   "GetDataSnapshot\",reason=\"overloaded\"} "
                                   "1"));

  gate_.Open();
  EXPECT_TRUE(held->Wait().ok()) << held->status.error_message();
  const grpc::Status recovered = EventuallyOk([this] { return Read(); });
  EXPECT_TRUE(recovered.ok()) << recovered.error_message();
}

TEST_F(AdmissionTest, WritesBeyondThePendingBoundAreRefusedAndReadsGoOn) {
  Start(/*max_in_flight=*/0, /*max_pending_writes=*/2);
  auto first = StartIngest("报告一");
  auto second = StartIngest("报告二");
  gate_.WaitForWaiting(2);

  const grpc::Status refused = Put(MakeReport("孟津区", 2024, {}));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("--max_pending_writes"));
  EXPECT_TRUE(Read().ok());

  gate_.Open();
  EXPECT_TRUE(first->Wait().ok()) << first->status.error_message();
  EXPECT_TRUE(second->Wait().ok()) << second->status.error_message();
  const grpc::Status recovered =
      EventuallyOk([this] { return Put(MakeReport("孟津区", 2024, {})); });
  EXPECT_TRUE(recovered.ok()) << recovered.error_message();
}

TEST_F(AdmissionTest, WriteWhoseDeadlinePassedInTheQueueIsNeverStarted) {
  Start(/*max_in_flight=*/0, /*max_pending_writes=*/16);
  // Both write workers held.
  auto first = StartIngest("报告一");
  auto second = StartIngest("报告二");
  gate_.WaitForWaiting(2);

  Pending<v1::PutReportResponse> late;
  Authorize(late.context);
  late.context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Milliseconds(100)));
  v1::PutReportRequest request;
  *request.mutable_report() = MakeReport("孟津区", 2024, {});
  report_stub_->async()->PutReport(&late.context, &request, &late.response,
                                   [&late](grpc::Status status) {
                                     late.status = std::move(status);
                                     late.done.Notify();
                                   });
  EXPECT_EQ(late.Wait().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  gate_.Open();
  EXPECT_TRUE(first->Wait().ok());
  EXPECT_TRUE(second->Wait().ok());
  Stop();  // every accepted write has now run, or been skipped
  absl::StatusOr<StoreListing> listing = store_.ListReports();
  ASSERT_THAT(listing, IsOk());
  for (const ReportVersion& report : listing->reports) {
    EXPECT_NE(report.key.region_code, "410308") << "the late write ran";
  }
}

TEST_F(AdmissionTest, RequestIdAndDeadlineAreHandedToTheParser) {
  Start(/*max_in_flight=*/0, /*max_pending_writes=*/16);
  gate_.Open();
  grpc::ClientContext context;
  Authorize(context);
  context.AddMetadata("x-request-id", "ingest-42");
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  context.set_deadline(absl::ToChronoTime(deadline));
  v1::IngestDocumentRequest request;
  request.set_content("报告一");
  v1::IngestDocumentResponse response;
  ASSERT_TRUE(report_stub_->IngestDocument(&context, request, &response).ok());

  // Without an id from the client, the server makes one and passes it on.
  ASSERT_TRUE(Ingest("报告二").ok());

  const std::vector<SeenByParser> seen = Seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].request_id, "ingest-42");
  // The client's deadline, not the 60 s parser timeout (the timeout header
  // is rounded, hence the slack).
  EXPECT_LE(seen[0].deadline, deadline + absl::Milliseconds(100));
  EXPECT_GE(seen[0].deadline, deadline - absl::Seconds(5));
  EXPECT_THAT(seen[1].request_id, MatchesRegex("[0-9a-f]{16}"));
}

TEST_F(AdmissionTest, DefaultDeadlinePassingDuringTheParseStopsTheIngest) {
  Start(/*max_in_flight=*/0, /*max_pending_writes=*/16,
        /*default_deadline=*/absl::Seconds(3));
  // The parser is still working when the deadline (set by the server: the
  // client sent none) passes; the channel then says DEADLINE_EXCEEDED.
  EXPECT_CALL(parser_stub_, ParseDocument(_, _, _))
      .WillOnce([this](grpc::ClientContext* context,
                       const v1::ParseDocumentRequest&,
                       v1::ParseDocumentResponse*) {
        Record(context);
        return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                            "Deadline Exceeded");
      });
  const absl::Time sent = absl::Now();
  const grpc::Status status = Ingest("报告一");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(), HasSubstr("parser"));
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_LE(Seen()[0].deadline, sent + absl::Seconds(3) + absl::Seconds(1));

  // Nothing was written.
  absl::StatusOr<StoreListing> listing = store_.ListReports();
  ASSERT_THAT(listing, IsOk());
  EXPECT_TRUE(listing->reports.empty());
  EXPECT_THAT(Metrics(),
              HasSubstr("govreport_parser_client_errors_total{grpc_code="
                        "\"DEADLINE_EXCEEDED\"} 1"));
}

TEST_F(AdmissionTest, WritesAreCountedByResultAndTheSnapshotIsDescribed) {
  Start(/*max_in_flight=*/0, /*max_pending_writes=*/16);
  gate_.Open();
  v1::Report songxian = MakeReport(
      "嵩县", 2024, {Figure("城镇新增就业", kAchieved, 2023, 1200, "人")});
  ASSERT_TRUE(Put(songxian).ok());                      // created
  ASSERT_TRUE(Put(songxian).ok());                      // unchanged
  ASSERT_TRUE(Put(MakeReport("嵩县", 2024, {})).ok());  // replaced
  ASSERT_TRUE(Ingest("报告一").ok());  // replaced again (嵩县 2024)
  ASSERT_TRUE(Ingest("报告一").ok());  // the same document: unchanged
  EXPECT_CALL(parser_stub_, ParseDocument(_, _, _))
      .WillOnce([](grpc::ClientContext*, const v1::ParseDocumentRequest&,
                   v1::ParseDocumentResponse*) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
      });
  EXPECT_FALSE(Ingest("报告二").ok());  // failed

  const std::string metrics = Metrics();
  for (const char* line :
       {"govreport_ingest_total{method=\"PutReport\",result=\"created\"} 1",
        "govreport_ingest_total{method=\"PutReport\",result=\"unchanged\"} 1",
        "govreport_ingest_total{method=\"PutReport\",result=\"replaced\"} 1",
        "govreport_ingest_total{method=\"IngestDocument\",result=\"replaced\"} "
        "1",
        "govreport_ingest_total{method=\"IngestDocument\",result=\"unchanged\"}"
        " 1",
        "govreport_ingest_total{method=\"IngestDocument\",result=\"failed\"} 1",
        "govreport_ingest_total{method=\"IngestDocument\",result=\"created\"} "
        "0",
        "govreport_parser_client_errors_total{grpc_code=\"UNAVAILABLE\"} 1",
        "govreport_snapshot_loaded 1", "govreport_snapshot_regions 1",
        "govreport_snapshot_reports 1", "govreport_snapshot_observations 1",
        "govreport_snapshot_data_version ", "govreport_snapshot_bytes ",
        "govreport_snapshot_age_seconds "}) {
    EXPECT_THAT(metrics, HasSubstr(line));
  }
}

}  // namespace
}  // namespace govreport::query
