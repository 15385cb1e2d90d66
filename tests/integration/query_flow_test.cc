// Both servers as real processes, end to end: ingest the development
// document through the query server (which calls the parser), compare
// regions against the gold annotation, survive a restart, refuse writes
// without the token, and keep reading while the parser is down.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "govreport/v1/query_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::ServerProcess;
using ::govreport::testing::StartServer;
using ::govreport::testing::StopServer;

constexpr char kToken[] = "integration-test-token";
constexpr char kSongxian[] = "regions/410325";
constexpr char kMengjin[] = "regions/410308";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One gold row of the development annotation.
struct GoldRow {
  std::string region, kind, subject, unit;
  int year = 0;
  double value = 0;
};

std::vector<GoldRow> ReadGold(const std::string& path) {
  std::vector<GoldRow> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    google::protobuf::Struct row;
    if (!google::protobuf::util::JsonStringToMessage(line, &row).ok()) continue;
    const auto& f = row.fields();
    GoldRow gold;
    gold.region = f.at("region").string_value();
    gold.kind = f.at("kind").string_value() == "plan"
                    ? "target"
                    : f.at("kind").string_value();
    gold.subject = f.at("subject").string_value();
    gold.unit = f.at("unit").string_value();
    gold.year = static_cast<int>(f.at("year").number_value());
    gold.value = f.at("value").number_value();
    rows.push_back(gold);
  }
  return rows;
}

// The gold value of `subject` (exactly as annotated) for a region, kind and
// year; 0 when the gold has none.
double GoldValue(const std::vector<GoldRow>& gold, const std::string& region,
                 const std::string& kind, int year,
                 const std::vector<std::string>& subjects) {
  for (const GoldRow& row : gold) {
    if (row.region != region || row.kind != kind || row.year != year) continue;
    for (const std::string& subject : subjects) {
      if (row.subject == subject) return row.value;
    }
  }
  return 0;
}

class QueryFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    document_path_ = testing::SharedDataPath("000_seed.txt");
    gold_path_ = testing::SharedDataPath("000_seed.jsonl");
    if (document_path_.empty() || gold_path_.empty()) {
      GTEST_SKIP() << "the development document is not at "
                      "../shared/data/reports/000_seed.{txt,jsonl}; this "
                      "end-to-end test needs it";
    }
    dir_ = testing::MakeTempDir("query_flow");
    ASSERT_FALSE(dir_.empty());
    token_file_ = dir_ + "/token";
    std::ofstream(token_file_) << kToken << "\n";
    absl::StatusOr<ServerProcess> parser =
        StartServer("govreport-parser", dir_, {"--shutdown_deadline=2s"});
    ASSERT_THAT(parser, IsOk());
    parser_ = std::make_unique<ServerProcess>(*std::move(parser));
    StartQuery();
  }

  void StartQuery() {
    absl::StatusOr<ServerProcess> query = StartServer(
        "govreport-query", dir_,
        {"--data_dir=" + dir_ + "/data",
         "--parser_target=" + parser_->address(), "--parser_timeout=10s",
         "--auth_token_file=" + token_file_, "--shutdown_deadline=2s"});
    ASSERT_THAT(query, IsOk());
    query_ = std::make_unique<ServerProcess>(*std::move(query));
    reports_ = v1::ReportService::NewStub(query_->channel);
    queries_ = v1::QueryService::NewStub(query_->channel);
  }

  grpc::Status Ingest(const std::string& token,
                      v1::IngestDocumentResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::IngestDocumentRequest request;
    request.set_content(ReadFile(document_path_));
    request.set_source_uri("000_seed.txt");
    return reports_->IngestDocument(&context, request, response);
  }

  // CompareRegions over 嵩县 and 孟津区; the value per region (0 if none).
  std::map<std::string, double> Compare(const std::string& indicator,
                                        v1::ObservationKind kind, int year) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::CompareRegionsRequest request;
    request.mutable_regions()->mutable_region_list()->add_names(kSongxian);
    request.mutable_regions()->mutable_region_list()->add_names(kMengjin);
    request.mutable_series()->set_indicator(indicator);
    request.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
    request.mutable_series()->set_kind(kind);
    request.set_year(year);
    v1::CompareRegionsResponse response;
    const grpc::Status status =
        queries_->CompareRegions(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, double> values;
    for (const v1::RegionRow& row : response.rows()) {
      EXPECT_TRUE(row.region() == kSongxian || row.region() == kMengjin);
      values[row.region()] = row.availability() == v1::AVAILABILITY_AVAILABLE
                                 ? row.observation().quantity().value()
                                 : 0;
    }
    EXPECT_EQ(response.rows_size(), 2);
    return values;
  }

  void ExpectComparisonsMatchGold() {
    const std::vector<GoldRow> gold = ReadGold(gold_path_);
    const std::vector<std::string> employment = {"城镇就业", "城镇新增就业"};
    const std::vector<std::string> training = {"技能培训"};
    auto jobs = Compare("indicators/urban-new-employment",
                        v1::OBSERVATION_KIND_TARGET, 2024);
    EXPECT_EQ(jobs[kSongxian],
              GoldValue(gold, "嵩县", "target", 2024, employment));
    EXPECT_EQ(jobs[kMengjin],
              GoldValue(gold, "孟津区", "target", 2024, employment));
    EXPECT_GT(jobs[kSongxian], 0);
    EXPECT_GT(jobs[kMengjin], 0);

    auto trained = Compare("indicators/skills-training",
                           v1::OBSERVATION_KIND_TARGET, 2024);
    EXPECT_EQ(trained[kSongxian],
              GoldValue(gold, "嵩县", "target", 2024, training));
    EXPECT_GT(trained[kSongxian], 0);
    auto trained_before = Compare("indicators/skills-training",
                                  v1::OBSERVATION_KIND_ACHIEVED, 2023);
    EXPECT_EQ(trained_before[kMengjin],
              GoldValue(gold, "孟津区", "achieved", 2023, training));
    EXPECT_GT(trained_before[kMengjin], 0);
  }

  std::string dir_, token_file_, document_path_, gold_path_;
  std::unique_ptr<ServerProcess> parser_, query_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
};

TEST_F(QueryFlowTest, IngestedDocumentAnswersComparisonsWithGoldValues) {
  v1::IngestDocumentResponse response;
  const grpc::Status status = Ingest(kToken, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.already_ingested());
  std::vector<std::string> names;
  for (const v1::Report& report : response.reports())
    names.push_back(report.name());
  EXPECT_THAT(names,
              ::testing::UnorderedElementsAre("regions/410325/reports/2024",
                                              "regions/410308/reports/2024"));
  ExpectComparisonsMatchGold();

  v1::IngestDocumentResponse again;
  ASSERT_TRUE(Ingest(kToken, &again).ok());
  EXPECT_TRUE(again.already_ingested());
  EXPECT_EQ(again.data_version(), response.data_version());
}

TEST_F(QueryFlowTest, EverythingIsStillThereAfterARestart) {
  v1::IngestDocumentResponse response;
  ASSERT_TRUE(Ingest(kToken, &response).ok());
  ASSERT_THAT(StopServer(*query_), IsOk());
  StartQuery();
  ExpectComparisonsMatchGold();
  v1::IngestDocumentResponse again;
  ASSERT_TRUE(Ingest(kToken, &again).ok());
  EXPECT_TRUE(again.already_ingested());
}

TEST_F(QueryFlowTest, IngestWithoutTheTokenIsRefused) {
  v1::IngestDocumentResponse response;
  EXPECT_EQ(Ingest("", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Ingest("wrong-token", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(QueryFlowTest, ReadsKeepWorkingAndIngestIsUnavailableWhileParserIsDown) {
  v1::IngestDocumentResponse response;
  ASSERT_TRUE(Ingest(kToken, &response).ok());
  ASSERT_THAT(StopServer(*parser_), IsOk());

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::GetReportRequest get;
  get.set_name("regions/410325/reports/2024");
  v1::GetReportResponse report;
  const grpc::Status read = reports_->GetReport(&context, get, &report);
  EXPECT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(report.report().year(), 2024);

  // Different content, so the ingest really needs the parser.
  grpc::ClientContext ingest_context;
  ingest_context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ingest_context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  v1::IngestDocumentRequest request;
  request.set_content(ReadFile(document_path_) + "\n");
  v1::IngestDocumentResponse refused;
  const grpc::Status status =
      reports_->IngestDocument(&ingest_context, request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("parser"));
}

}  // namespace
}  // namespace govreport
