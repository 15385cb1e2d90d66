#include "parser_service/document_parser.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

#include "google/protobuf/util/message_differencer.h"
#include "parser_service/export/flat_rows.h"

namespace govreport::parser {
namespace {

absl::StatusOr<v1::ParseDocumentResponse> Parse(
    const std::string& content, ParserConfig config = ParserConfig()) {
  v1::ParseDocumentRequest request;
  request.set_content(content);
  return DocumentParser(config).Parse(request);
}

TEST(DocumentParser, RejectsEmptyAndWhitespaceOnlyInput) {
  for (const std::string& content :
       {std::string(), std::string(" \n\t "), std::string("\u3000\r\n")}) {
    auto r = Parse(content);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(DocumentParser, RejectsInvalidUtf8NamingTheOffset) {
  auto r = Parse(std::string("新建道路\xC3\x28"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("offset 12"), absl::string_view::npos)
      << r.status();
}

TEST(DocumentParser, RejectsDocumentsOverTheLimitNamingIt) {
  ParserConfig config;
  config.max_document_bytes = 16;
  auto r = Parse(std::string(17, 'x'), config);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("16"), absl::string_view::npos);
}

TEST(DocumentParser, TextWithoutAReportIsOkWithAWarning) {
  auto r = Parse("今天天气晴,适合出游。");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->reports_size(), 0);
  ASSERT_GE(r->warnings_size(), 1);
  EXPECT_EQ(r->warnings(0).code(), v1::PARSE_WARNING_CODE_NO_REPORT);
}

TEST(DocumentParser, TurnsAbsurdNumbersIntoWarnings) {
  const std::string digits(500, '9');
  auto r = Parse("青山县人民政府:新增投资1e400元,新建道路" + digits +
                 "公里,新建公园3座。");
  ASSERT_TRUE(r.ok()) << r.status();
  int unreadable = 0;
  for (const auto& w : r->warnings()) {
    unreadable += w.code() == v1::PARSE_WARNING_CODE_UNREADABLE_NUMBER;
  }
  EXPECT_EQ(unreadable, 2);
  ASSERT_EQ(r->reports_size(), 1);
  ASSERT_EQ(r->reports(0).observations_size(), 1);
  EXPECT_DOUBLE_EQ(r->reports(0).observations(0).quantity().value(), 3);
  const std::string rows = ToFlatRowsJsonl(*r);
  EXPECT_EQ(rows.find("inf"), std::string::npos);
  EXPECT_EQ(rows.find("nan"), std::string::npos);
}

TEST(DocumentParser, ReadsHtmlInput) {
  v1::ParseDocumentRequest request;
  request.set_content(
      "<html><body><h1>青山县十八届人大三次会议召开</h1>"
      "<p>2024年,全县新建道路<b>12</b>公里。</p></body></html>");
  auto r = DocumentParser(ParserConfig()).Parse(request);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->reports_size(), 1);
  ASSERT_EQ(r->reports(0).observations_size(), 1);
  const auto& o = r->reports(0).observations(0);
  EXPECT_EQ(o.subject_text(), "道路");
  EXPECT_EQ(o.source().quote(), "全县新建道路12公里");
}

TEST(DocumentParser, ReadsKindAndYearFromTimeCuesInNewsText) {
  auto r = Parse(
      "东湖区第三届人民代表大会第四次会议开幕\n"
      "报告指出,2023年,全区地区生产总值完成386.2亿元,同比增长5.8%。\n"
      "全年新开工亿元以上项目58个。\n"
      "报告提出,2024年主要预期目标是:地区生产总值增长6%以上。\n"
      "今年将新建农村公路120公里。到2027年,城镇化率达到60%。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->reports_size(), 1);
  const auto& report = r->reports(0);
  EXPECT_EQ(report.region_text(), "东湖区");
  ASSERT_EQ(report.observations_size(), 5);
  const int years[] = {2023, 2023, 2024, 2024, 2027};
  const v1::ObservationKind kinds[] = {
      v1::OBSERVATION_KIND_ACHIEVED, v1::OBSERVATION_KIND_ACHIEVED,
      v1::OBSERVATION_KIND_TARGET, v1::OBSERVATION_KIND_TARGET,
      v1::OBSERVATION_KIND_TARGET};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(report.observations(i).reference_period().first_year(), years[i])
        << i;
    EXPECT_EQ(report.observations(i).kind(), kinds[i]) << i;
  }
  EXPECT_DOUBLE_EQ(report.observations(0).growth_rate_percent(), 5.8);
}

// 主要目标任务较好完成 looks back; only 主要目标是/为 announces targets.
TEST(DocumentParser, ALookBackAtLastYearsGoalsIsNotATargetCue) {
  auto r = Parse(
      "青山市人民政府工作报告\n"
      "——2022年1月10日在青山市第五届人民代表大会第六次会议上\n"
      "一、2021年工作回顾\n"
      "2021年是开局之年,主要目标任务较好完成。地区生产总值增长7.6%。\n"
      "二、2022年工作安排\n"
      "今年主要目标是:地区生产总值增长7%左右。\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->reports_size(), 1);
  const auto& report = r->reports(0);
  ASSERT_EQ(report.observations_size(), 2);
  EXPECT_EQ(report.observations(0).kind(), v1::OBSERVATION_KIND_ACHIEVED);
  EXPECT_EQ(report.observations(0).reference_period().first_year(), 2021);
  EXPECT_EQ(report.observations(1).kind(), v1::OBSERVATION_KIND_TARGET);
  EXPECT_EQ(report.observations(1).reference_period().first_year(), 2022);
}

// Golden files: our own invented fixtures (parser_service/fuzz/seeds/) and
// the flat rows they must produce (parser_service/testdata/). After an
// intended change, regenerate with GOVREPORT_UPDATE_GOLDEN=1.
TEST(DocumentParser, MatchesTheGoldenRowsOfOurFixtures) {
  const char* root = std::getenv("GOVREPORT_SOURCE_DIR");
  if (root == nullptr) GTEST_SKIP() << "GOVREPORT_SOURCE_DIR is not set";
  for (const char* name : {"two_articles", "full_report", "page"}) {
    const std::string base = std::string(root) + "/parser_service/";
    std::string input_path = base + "fuzz/seeds/" + name + ".txt";
    std::ifstream in(input_path, std::ios::binary);
    if (!in) {
      input_path = base + "fuzz/seeds/" + name + ".html";
      in.open(input_path, std::ios::binary);
    }
    ASSERT_TRUE(in) << input_path;
    const std::string content(std::istreambuf_iterator<char>(in), {});
    auto r = Parse(content);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string rows = ToFlatRowsJsonl(*r);
    const std::string golden = base + "testdata/" + name + ".expected.jsonl";
    if (std::getenv("GOVREPORT_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(golden, std::ios::binary) << rows;
      continue;
    }
    std::ifstream expected_in(golden, std::ios::binary);
    ASSERT_TRUE(expected_in)
        << golden << " (run with GOVREPORT_UPDATE_GOLDEN=1)";
    const std::string expected(std::istreambuf_iterator<char>(expected_in), {});
    EXPECT_EQ(rows, expected) << name;
  }
}

// The wire form the server sends is the same response, serialized.
TEST(DocumentParser, WireFormParsesToTheSameResponse) {
  const char* root = std::getenv("GOVREPORT_SOURCE_DIR");
  if (root == nullptr) GTEST_SKIP() << "GOVREPORT_SOURCE_DIR is not set";
  const std::string path =
      std::string(root) + "/parser_service/fuzz/seeds/two_articles.txt";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  v1::ParseDocumentRequest request;
  request.set_content(std::string(std::istreambuf_iterator<char>(in), {}));
  request.set_source_uri("file:two_articles.txt");
  const DocumentParser parser{ParserConfig()};
  auto messages = parser.Parse(request);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->reports_size(), 2);
  auto wire = parser.ParseToWire(request);
  ASSERT_TRUE(wire.ok()) << wire.status();
  v1::ParseDocumentResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(*wire));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, *messages))
      << parsed.ShortDebugString();
}

TEST(DocumentParser, WireFormKeepsTheErrorsAndTheNoReportWarning) {
  const DocumentParser parser{ParserConfig()};
  v1::ParseDocumentRequest request;
  EXPECT_EQ(parser.ParseToWire(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_content("今天天气晴,适合出游。");
  auto wire = parser.ParseToWire(request);
  ASSERT_TRUE(wire.ok()) << wire.status();
  v1::ParseDocumentResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(*wire));
  EXPECT_EQ(parsed.reports_size(), 0);
  ASSERT_GE(parsed.warnings_size(), 1);
  EXPECT_EQ(parsed.warnings(0).code(), v1::PARSE_WARNING_CODE_NO_REPORT);
}

// The development page (not part of the repository): both reports and a
// sample of the figures the issue lists.
TEST(DocumentParser, ReadsTheDevelopmentPage) {
  const char* root = std::getenv("GOVREPORT_SOURCE_DIR");
  if (root == nullptr) GTEST_SKIP() << "GOVREPORT_SOURCE_DIR is not set";
  const std::string path =
      std::string(root) + "/../shared/data/reports/000_seed.txt";
  std::ifstream in(path, std::ios::binary);
  if (!in) GTEST_SKIP() << "development page not found at " << path;
  const std::string content(std::istreambuf_iterator<char>(in), {});
  auto r = Parse(content);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->reports_size(), 2);
  EXPECT_EQ(r->reports(0).region_text(), "嵩县");
  EXPECT_EQ(r->reports(1).region_text(), "孟津区");
  EXPECT_EQ(r->reports(0).year(), 2024);
  EXPECT_EQ(r->reports(1).presenter().name(), "常涌涛");
  int observations = 0;
  for (const auto& report : r->reports())
    observations += report.observations_size();
  EXPECT_GE(observations, 125);
  EXPECT_LE(observations, 135);
  const std::string rows = ToFlatRowsJsonl(*r);
  for (const char* expected :
       {"\"subject\": \"地区生产总值\"", "\"growth_pct\": 0.5",
        "\"value\": 54200000000", "\"subject\": \"羊饲养量\""}) {
    EXPECT_NE(rows.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace govreport::parser
