// The three services in-process, called through their stubs.
#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "govreport/v1/parser_service_mock.grpc.pb.h"
#include "query_service/catalog_service_impl.h"
#include "query_service/query_service_impl.h"
#include "query_service/report_service_impl.h"
#include "query_service/store/fake_store.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::query::testing::TestRegions;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SetArgPointee;
using ::testing::SizeIs;

constexpr char kToken[] = "test-token";
constexpr auto kAchieved = v1::OBSERVATION_KIND_ACHIEVED;

class QueryServicesTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(/*require_auth_for_reads=*/false); }
  void TearDown() override { Stop(); }

  void Start(bool require_auth_for_reads) {
    ASSERT_TRUE(snapshots_.Refresh().ok());
    reads_ =
        std::make_unique<ReadGate>(snapshots_, auth_, require_auth_for_reads);
    catalog_ = std::make_unique<CatalogServiceImpl>(engine_, *reads_);
    ReportServiceOptions options;
    options.cache = &cache_;
    reports_ = std::make_unique<ReportServiceImpl>(engine_, *reads_, writer_,
                                                   parser_, auth_, options);
    queries_ = std::make_unique<QueryServiceImpl>(engine_, *reads_, &cache_);
    grpc::ServerBuilder builder;
    builder.RegisterService(catalog_.get());
    builder.RegisterService(reports_.get());
    builder.RegisterService(queries_.get());
    server_ = builder.BuildAndStart();
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    catalog_stub_ = v1::CatalogService::NewStub(channel);
    report_stub_ = v1::ReportService::NewStub(channel);
    query_stub_ = v1::QueryService::NewStub(channel);
  }
  void Stop() {
    if (server_ != nullptr) server_->Shutdown();
    server_.reset();
  }

  // A client context carrying `token` (none when empty).
  static std::unique_ptr<grpc::ClientContext> Context(
      const std::string& token = kToken) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    return context;
  }

  // Calls `method` ("/package.Service/Method") with `request` as its bytes,
  // as any client could send them.
  grpc::Status CallRaw(const std::string& method, const std::string& request,
                       const std::string& token = kToken) {
    grpc::GenericStub generic(
        server_->InProcessChannel(grpc::ChannelArguments()));
    grpc::Slice slice(request);
    const grpc::ByteBuffer request_bytes(&slice, 1);
    grpc::ByteBuffer response_bytes;
    std::unique_ptr<grpc::ClientContext> context = Context(token);
    absl::Notification done;
    grpc::Status status;
    generic.UnaryCall(context.get(), method, grpc::StubOptions(),
                      &request_bytes, &response_bytes, [&](grpc::Status s) {
                        status = std::move(s);
                        done.Notify();
                      });
    done.WaitForNotification();
    return status;
  }

  grpc::Status Put(v1::Report report, v1::PutReportResponse* response,
                   const std::string& token = kToken) {
    v1::PutReportRequest request;
    *request.mutable_report() = std::move(report);
    return report_stub_->PutReport(Context(token).get(), request, response);
  }

  void PutTwoCounties() {
    v1::PutReportResponse response;
    ASSERT_TRUE(
        Put(MakeReport("嵩县", 2024,
                       {Figure("城镇新增就业", kAchieved, 2023, 1200, "人"),
                        Figure("技能培训", kAchieved, 2023, 18000, "人次")}),
            &response)
            .ok());
    ASSERT_TRUE(
        Put(MakeReport("孟津区", 2024,
                       {Figure("城镇新增就业", kAchieved, 2023, 3400, "人")}),
            &response)
            .ok());
  }

  FakeStore store_;
  SnapshotManager snapshots_{store_};
  QueryEngine engine_{TestRegions(), TestIndicators()};
  ReportWriter writer_{store_, snapshots_, TestRegions(), TestIndicators()};
  BearerAuth auth_{std::string(kToken)};
  v1::MockParserServiceStub parser_stub_;
  ParserClient parser_{parser_stub_, absl::Seconds(5), "dns:///parser:50051"};
  ResponseCache cache_{1 << 20};
  std::unique_ptr<ReadGate> reads_;
  std::unique_ptr<CatalogServiceImpl> catalog_;
  std::unique_ptr<ReportServiceImpl> reports_;
  std::unique_ptr<QueryServiceImpl> queries_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_stub_;
  std::unique_ptr<v1::ReportService::Stub> report_stub_;
  std::unique_ptr<v1::QueryService::Stub> query_stub_;
};

TEST_F(QueryServicesTest, WritesWithoutOrWithAWrongTokenAreUnauthenticated) {
  v1::PutReportResponse response;
  EXPECT_EQ(Put(MakeReport("嵩县", 2024, {}), &response, "").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Put(MakeReport("嵩县", 2024, {}), &response, "wrong").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::DeleteReportRequest del;
  del.set_name("regions/410325/reports/2024");
  v1::DeleteReportResponse deleted;
  EXPECT_EQ(
      report_stub_->DeleteReport(Context("").get(), del, &deleted).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  v1::IngestDocumentRequest ingest;
  ingest.set_content("嵩县政府工作报告");
  v1::IngestDocumentResponse ingested;
  EXPECT_EQ(report_stub_->IngestDocument(Context("").get(), ingest, &ingested)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(QueryServicesTest, PutReportThenReadItBack) {
  v1::PutReportResponse put;
  const grpc::Status status =
      Put(MakeReport("嵩县", 2024,
                     {Figure("城镇新增就业", kAchieved, 2023, 1200, "人")}),
          &put);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(put.report().name(), "regions/410325/reports/2024");
  EXPECT_FALSE(put.replaced());
  EXPECT_EQ(put.data_version(), "1");

  v1::GetReportRequest get;
  get.set_name("regions/410325/reports/2024");
  v1::GetReportResponse report;
  ASSERT_TRUE(report_stub_->GetReport(Context("").get(), get, &report).ok());
  EXPECT_EQ(report.report().title(), "2024年嵩县政府工作报告");
  EXPECT_EQ(report.data_version(), "1");

  v1::ListObservationsRequest list;
  list.set_parent("regions/410325/reports/2024");
  v1::ListObservationsResponse observations;
  ASSERT_TRUE(
      report_stub_->ListObservations(Context("").get(), list, &observations)
          .ok());
  ASSERT_THAT(observations.observations(), SizeIs(1));
  EXPECT_EQ(observations.observations(0).indicator(),
            "indicators/new-urban-jobs");

  // The same report again is unchanged; a different one replaces it.
  ASSERT_TRUE(
      Put(MakeReport("嵩县", 2024,
                     {Figure("城镇新增就业", kAchieved, 2023, 1200, "人")}),
          &put)
          .ok());
  EXPECT_TRUE(put.unchanged());
  ASSERT_TRUE(Put(MakeReport("嵩县", 2024, {}), &put).ok());
  EXPECT_TRUE(put.replaced());
  EXPECT_EQ(put.data_version(), "2");
}

TEST_F(QueryServicesTest, PutReportNamesTheBadField) {
  v1::PutReportResponse put;
  const grpc::Status status = Put(MakeReport("嵩县", 0, {}), &put);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("report.year"));
}

TEST_F(QueryServicesTest, CompareRegionsAfterPut) {
  PutTwoCounties();
  v1::CompareRegionsRequest request;
  auto* names = request.mutable_regions()->mutable_region_list();
  names->add_names("regions/410325");
  names->add_names("regions/410322");  // 孟津县, now 孟津区
  request.mutable_series()->set_indicator("indicators/new-urban-jobs");
  request.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  request.mutable_series()->set_kind(kAchieved);
  request.set_year(2023);
  v1::CompareRegionsResponse response;
  const grpc::Status status =
      query_stub_->CompareRegions(Context("").get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.rows(), SizeIs(2));
  EXPECT_EQ(response.rows(0).region_display_name(), "孟津区");
  EXPECT_EQ(response.rows(0).observation().quantity().value(), 3400);
  EXPECT_EQ(response.rows(1).region_display_name(), "嵩县");
  EXPECT_EQ(response.data_version(), "2");
}

TEST_F(QueryServicesTest, UnknownRegionIsNotFound) {
  v1::GetRegionRequest request;
  request.set_name("regions/999999");
  v1::GetRegionResponse response;
  EXPECT_EQ(catalog_stub_->GetRegion(Context("").get(), request, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(QueryServicesTest, ListRegionsPagesToTheEnd) {
  v1::ListRegionsRequest request;
  request.set_parent("regions/410000");
  request.set_level(v1::REGION_LEVEL_COUNTY);
  request.set_page_size(1);
  int regions = 0;
  do {
    v1::ListRegionsResponse response;
    ASSERT_TRUE(
        catalog_stub_->ListRegions(Context("").get(), request, &response).ok());
    regions += response.regions_size();
    EXPECT_FALSE(response.data_version().empty());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(regions, 4);
}

TEST_F(QueryServicesTest, BadPageTokenIsInvalidArgument) {
  v1::ListReportsRequest request;
  request.set_parent("regions/-");
  request.set_page_token("forged");
  v1::ListReportsResponse response;
  const grpc::Status status =
      report_stub_->ListReports(Context("").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
}

TEST_F(QueryServicesTest, ReadsCanRequireTheToken) {
  Stop();
  Start(/*require_auth_for_reads=*/true);
  v1::GetDataSnapshotResponse response;
  EXPECT_EQ(catalog_stub_->GetDataSnapshot(Context("").get(), {}, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      catalog_stub_->GetDataSnapshot(Context().get(), {}, &response).ok());
}

TEST_F(QueryServicesTest, IngestStoresWhatTheParserFoundOnce) {
  v1::ParseDocumentResponse parsed;
  *parsed.add_reports() = MakeReport(
      "嵩县", 2024, {Figure("技能培训", kAchieved, 2023, 18000, "人次")});
  *parsed.add_reports() = MakeReport("火星县", 2024, {});
  parsed.set_extractor_version("parser/1");
  EXPECT_CALL(parser_stub_, ParseDocument(_, _, _))
      .Times(1)
      .WillOnce(DoAll(SetArgPointee<2>(parsed), Return(grpc::Status::OK)));

  v1::IngestDocumentRequest request;
  request.set_content("嵩县2024年政府工作报告……");
  request.set_source_uri("file:///tmp/songxian.txt");
  v1::IngestDocumentResponse response;
  grpc::Status status =
      report_stub_->IngestDocument(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.already_ingested());
  ASSERT_THAT(response.reports(), SizeIs(1));
  EXPECT_EQ(response.reports(0).name(), "regions/410325/reports/2024");
  EXPECT_EQ(response.reports(0).source_uri(), "file:///tmp/songxian.txt");
  EXPECT_EQ(response.reports(0).content_sha256(), response.content_sha256());
  EXPECT_THAT(response.unresolved_regions(), ::testing::ElementsAre("火星县"));
  EXPECT_EQ(response.data_version(), "1");

  // The second time the parser is not called at all.
  v1::IngestDocumentResponse again;
  status = report_stub_->IngestDocument(Context().get(), request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(again.already_ingested());
  EXPECT_THAT(again.reports(), SizeIs(1));
  EXPECT_EQ(again.data_version(), "1");
}

TEST_F(QueryServicesTest, ParserDownMakesIngestUnavailableWhileReadsWork) {
  PutTwoCounties();
  EXPECT_CALL(parser_stub_, ParseDocument(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")));
  v1::IngestDocumentRequest request;
  request.set_content("新的报告");
  v1::IngestDocumentResponse response;
  const grpc::Status status =
      report_stub_->IngestDocument(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("parser"));

  v1::GetReportRequest get;
  get.set_name("regions/410325/reports/2024");
  v1::GetReportResponse report;
  EXPECT_TRUE(report_stub_->GetReport(Context("").get(), get, &report).ok());
}

TEST_F(QueryServicesTest, DeleteReportRemovesItAndAnswersNotFoundAfter) {
  PutTwoCounties();
  v1::DeleteReportRequest request;
  request.set_name("regions/410325/reports/2024");
  v1::DeleteReportResponse response;
  ASSERT_TRUE(
      report_stub_->DeleteReport(Context().get(), request, &response).ok());
  EXPECT_EQ(response.data_version(), "3");
  EXPECT_EQ(report_stub_->DeleteReport(Context().get(), request, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetReportRequest get;
  get.set_name("regions/410325/reports/2024");
  v1::GetReportResponse report;
  EXPECT_EQ(
      report_stub_->GetReport(Context("").get(), get, &report).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

// A read asked again of the same data is answered from the cache; a write
// makes a new data version, and the next answer reflects it.
TEST_F(QueryServicesTest, CachedAnswersNeverOutliveTheirData) {
  PutTwoCounties();
  v1::GetReportRequest get;
  get.set_name("regions/410325/reports/2024");
  get.set_view(v1::REPORT_VIEW_FULL);
  v1::GetReportResponse first, second;
  ASSERT_TRUE(report_stub_->GetReport(Context().get(), get, &first).ok());
  for (int i = 0; i < 2; ++i) {  // the second answer is kept, the third hits
    ASSERT_TRUE(report_stub_->GetReport(Context().get(), get, &second).ok());
  }
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_GE(cache_.stats().hits, 1u);
  EXPECT_EQ(first.report().observations_size(), 2);

  v1::PutReportResponse put;
  ASSERT_TRUE(
      Put(MakeReport("嵩县", 2024,
                     {Figure("城镇新增就业", kAchieved, 2023, 1250, "人")}),
          &put)
          .ok());
  v1::GetReportResponse after;
  ASSERT_TRUE(report_stub_->GetReport(Context().get(), get, &after).ok());
  EXPECT_NE(after.data_version(), first.data_version());
  ASSERT_EQ(after.report().observations_size(), 1);
  EXPECT_DOUBLE_EQ(after.report().observations(0).quantity().value(), 1250);
}

// Every method decodes its own request: bytes that are not one are named
// as such (INVALID_ARGUMENT with the request type), not answered by gRPC
// with a bare UNIMPLEMENTED. Writes included, through the write queue.
TEST_F(QueryServicesTest,
       EveryMethodAnswersUndecodableBytesWithInvalidArgument) {
  int methods = 0;
  for (const char* name :
       {"govreport.v1.CatalogService", "govreport.v1.ReportService",
        "govreport.v1.QueryService"}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i, ++methods) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      const grpc::Status status =
          CallRaw(absl::StrCat("/", name, "/", method->name()), "\xff\xff\xff");
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << method->full_name() << ": " << status.error_message();
      EXPECT_THAT(status.error_message(),
                  HasSubstr(absl::StrCat("cannot parse the bytes as ",
                                         method->input_type()->full_name())))
          << method->full_name();
    }
  }
  EXPECT_EQ(methods, 18);
}

// proto3 refuses a string field that is not UTF-8: such a request does not
// decode either, and the message says so.
TEST_F(QueryServicesTest, TypedMethodAnswersInvalidUtf8WithInvalidArgument) {
  v1::GetRegionRequest request;
  request.GetReflection()->MutableUnknownFields(&request)->AddLengthDelimited(
      v1::GetRegionRequest::kNameFieldNumber, "regions/41\xc0\xaf");
  const grpc::Status status = CallRaw("/govreport.v1.CatalogService/GetRegion",
                                      request.SerializeAsString());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("govreport.v1.GetRegionRequest"));
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));
}

// A write that does not decode is refused at once, before its token is
// looked at and without taking a place in the write queue.
TEST_F(QueryServicesTest, UndecodableWriteIsInvalidArgumentEvenWithoutToken) {
  const grpc::Status status =
      CallRaw("/govreport.v1.ReportService/PutReport", "\xff\xff\xff",
              /*token=*/"");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("govreport.v1.PutReportRequest"));
}

}  // namespace
}  // namespace govreport::query
