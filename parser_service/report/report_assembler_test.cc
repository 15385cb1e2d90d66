#include "parser_service/report/report_assembler.h"

#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

constexpr char kPage[] =
    "青山县十八届人大三次会议召开\n\n"
    "1月8日至11日,"
    "青山县第十八届人民代表大会第三次会议召开。县长李明作政府工作报告。\n\n"
    "2023年\n\n"
    "2023年,全县地区生产总值320亿元、增长6%。\n\n"
    "2024年 重点工作\n\n"
    "●抓项目。新建标准化厂房8万平方米。\n\n"
    "张三/文\n";

v1::ParseDocumentResponse Assemble(const std::string& input) {
  auto n = NormalizeText(input, InputFormat::kPlainText);
  EXPECT_TRUE(n.ok());
  const LayoutResult layout = RepairLayout(*std::move(n));
  const auto reports = AnalyzeStructure(layout, 0);
  AssembleOptions options;
  options.source_uri = "test://page";
  options.extractor_version = "test";
  options.content_sha256 = Sha256Hex(input);
  v1::ParseDocumentResponse response;
  ResponseBuilder builder(input, layout, options, &response);
  for (const ReportInfo& r : reports)
    builder.AddReport(r, ExtractFigures(layout, r));
  builder.Finish();
  return response;
}

TEST(ReportAssembler, BuildsTheReportWithItsMetadata) {
  const auto response = Assemble(kPage);
  ASSERT_EQ(response.reports_size(), 1);
  const v1::Report& r = response.reports(0);
  EXPECT_EQ(r.region_text(), "青山县");
  EXPECT_EQ(r.region_level(), v1::REGION_LEVEL_COUNTY);
  EXPECT_EQ(r.year(), 2024);
  EXPECT_EQ(r.source_uri(), "test://page");
  ASSERT_EQ(r.sessions_size(), 1);
  EXPECT_EQ(r.sessions(0).body(), v1::SESSION_BODY_PEOPLES_CONGRESS);
  EXPECT_EQ(r.sessions(0).term(), 18);
  EXPECT_EQ(r.sessions(0).start_date().day(), 8);
  EXPECT_EQ(r.sessions(0).end_date().day(), 11);
  EXPECT_EQ(r.presenter().name(), "李明");
  EXPECT_EQ(r.authors_size(), 1);
  ASSERT_EQ(r.measures_size(), 1);
  EXPECT_EQ(r.measures(0).title(), "抓项目");
}

TEST(ReportAssembler, TypesEveryObservation) {
  const auto response = Assemble(kPage);
  ASSERT_EQ(response.reports_size(), 1);
  const v1::Report& r = response.reports(0);
  ASSERT_EQ(r.observations_size(), 2);
  const v1::Observation& gdp = r.observations(0);
  EXPECT_EQ(gdp.name(), "observations/1");
  EXPECT_EQ(gdp.subject_text(), "地区生产总值");
  EXPECT_EQ(gdp.kind(), v1::OBSERVATION_KIND_ACHIEVED);
  EXPECT_EQ(gdp.reference_period().first_year(), 2023);
  EXPECT_DOUBLE_EQ(gdp.quantity().value(), 32000000000);
  EXPECT_EQ(gdp.quantity().unit(), "元");
  EXPECT_EQ(gdp.quantity().original_unit_multiplier(), 8);
  EXPECT_EQ(gdp.quantity().original_unit_text(), "元");
  EXPECT_DOUBLE_EQ(gdp.growth_rate_percent(), 6);
  const v1::Observation& plant = r.observations(1);
  EXPECT_EQ(plant.kind(), v1::OBSERVATION_KIND_TARGET);
  EXPECT_EQ(plant.reference_period().first_year(), 2024);
  EXPECT_EQ(plant.measure(), "measures/1");
  // The span points into the input and quotes it.
  const std::u32string in = ToUtf32(kPage);
  EXPECT_EQ(ToUtf8(in.substr(
                plant.source().start_offset(),
                plant.source().end_offset() - plant.source().start_offset())),
            plant.source().quote());
  EXPECT_EQ(plant.source().quote(), "新建标准化厂房8万平方米");
}

TEST(ReportAssembler, ListsBylinesAsLayoutArtifacts) {
  const auto response = Assemble(kPage);
  ASSERT_EQ(response.layout_artifacts_size(), 1);
  EXPECT_EQ(response.layout_artifacts(0).kind(),
            v1::LAYOUT_ARTIFACT_KIND_BYLINE);
  EXPECT_EQ(response.layout_artifacts(0).source().quote(), "张三/文");
}

TEST(ReportAssembler, WarnsWhenNoReportWasAdded) {
  const std::string input = "今天天气很好。";
  auto n = NormalizeText(input, InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  const LayoutResult layout = RepairLayout(*std::move(n));
  v1::ParseDocumentResponse response;
  ResponseBuilder builder(input, layout, AssembleOptions{}, &response);
  builder.Finish();
  EXPECT_EQ(response.reports_size(), 0);
  ASSERT_EQ(response.warnings_size(), 1);
  EXPECT_EQ(response.warnings(0).code(), v1::PARSE_WARNING_CODE_NO_REPORT);
  EXPECT_EQ(response.content_length(), 7);
}

TEST(Sha256Hex, HashesBytes) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace govreport::parser
