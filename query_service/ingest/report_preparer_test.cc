#include "query_service/ingest/report_preparer.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "govreport/v1/resources.pb.h"
#include "query_service/ingest/sha256.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::query::testing::TestRegions;
using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<ReportRow> Prepare(const v1::Report& report) {
  return PrepareReport(report, TestRegions(), TestIndicators());
}

v1::Report Stored(const ReportRow& row) {
  v1::Report report;
  report.ParseFromString(row.report);
  return report;
}

TEST(PrepareReport, ResolvesAFormerNameToTheCurrentRegion) {
  auto row = Prepare(MakeReport("孟津县", 2020, {}));
  ASSERT_THAT(row, IsOk());
  EXPECT_EQ(row->key.region_code, "410308");
  EXPECT_EQ(Stored(*row).name(), "regions/410308/reports/2020");
  EXPECT_EQ(Stored(*row).region(), "regions/410308");
}

TEST(PrepareReport, AnExplicitRegionWinsOverTheText) {
  v1::Report report = MakeReport("嵩县", 2024, {});
  report.set_region("regions/410323");
  EXPECT_EQ(Prepare(report)->key.region_code, "410323");
}

TEST(PrepareReport, MapsSubjectsToIndicatorsAndNamesEverything) {
  auto row = Prepare(MakeReport(
      "嵩县", 2024,
      {Figure("新增城镇就业", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1200, "人"),
       Figure("文旅项目", v1::OBSERVATION_KIND_TARGET, 2024, 5, "个")}));
  ASSERT_THAT(row, IsOk());
  const v1::Report report = Stored(*row);
  EXPECT_EQ(report.observations(0).indicator(), "indicators/new-urban-jobs");
  EXPECT_EQ(report.observations(0).name(),
            "regions/410325/reports/2024/observations/1");
  EXPECT_EQ(report.observations(0).section(),
            "regions/410325/reports/2024/sections/1");
  EXPECT_EQ(report.observations(1).indicator(), "");
  EXPECT_EQ(report.measures(0).name(),
            "regions/410325/reports/2024/measures/1");
  ASSERT_EQ(row->observations.size(), 2u);
  EXPECT_EQ(row->observations[0].indicator, "new-urban-jobs");
  EXPECT_EQ(row->observations[1].subject_text, "文旅项目");
}

TEST(PrepareReport, SameReportGivesTheSameBytes) {
  const v1::Report report = MakeReport(
      "嵩县", 2024,
      {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 18000, "人次")});
  EXPECT_EQ(Prepare(report)->report, Prepare(report)->report);
}

TEST(PrepareReport, NamesTheFirstBadField) {
  v1::Report no_year = MakeReport("嵩县", 0, {});
  EXPECT_THAT(Prepare(no_year), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("report.year")));
  v1::Report no_region = MakeReport("", 2024, {});
  EXPECT_THAT(Prepare(no_region), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("report.region")));
  v1::Report unknown_text = MakeReport("不存在县", 2024, {});
  EXPECT_THAT(Prepare(unknown_text),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("report.region_text")));
  v1::Report bad_name = MakeReport("嵩县", 2024, {});
  bad_name.set_region("410325");
  EXPECT_THAT(Prepare(bad_name), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("report.region")));
  v1::Report unknown_code = MakeReport("嵩县", 2024, {});
  unknown_code.set_region("regions/999999");
  EXPECT_THAT(Prepare(unknown_code), StatusIs(absl::StatusCode::kNotFound));
  v1::Report bad_value = MakeReport(
      "嵩县", 2024,
      {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次"),
       Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次")});
  bad_value.mutable_observations(1)->mutable_quantity()->set_value(
      std::numeric_limits<double>::infinity());
  EXPECT_THAT(Prepare(bad_value),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("report.observations[1].quantity")));
  v1::Report bad_indicator = MakeReport(
      "嵩县", 2024,
      {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次")});
  bad_indicator.mutable_observations(0)->set_indicator("indicators/nope");
  EXPECT_THAT(Prepare(bad_indicator),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("report.observations[0].indicator")));
}

TEST(PrepareReport, RefusesReferenceYearsThatAreNotFourDigits) {
  // Found by report_ingest_fuzzer: such a year was stored, then read back
  // clamped to 16 bits (-1854345752 as -32768).
  for (int32_t year : {-1854345752, -1, 999, 10000, 40000}) {
    v1::Report report = MakeReport(
        "嵩县", 2024,
        {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次")});
    report.mutable_observations(0)->mutable_reference_period()->set_first_year(
        year);
    EXPECT_THAT(Prepare(report),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("report.observations[0].reference_period: "
                                   "years must be 0")))
        << year;
  }
  v1::Report unknown_start = MakeReport(
      "嵩县", 2024,
      {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次")});
  unknown_start.mutable_observations(0)
      ->mutable_reference_period()
      ->set_first_year(0);
  EXPECT_THAT(Prepare(unknown_start), IsOk());
}

TEST(PrepareReport, RefusesGrowthAndPreviousValuesThatAreNotFinite) {
  for (bool growth : {true, false}) {
    v1::Report report = MakeReport(
        "嵩县", 2024,
        {Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, 2023, 1, "人次")});
    v1::Observation& obs = *report.mutable_observations(0);
    if (growth) {
      obs.set_growth_rate_percent(std::numeric_limits<double>::quiet_NaN());
    } else {
      obs.set_previous_value(std::numeric_limits<double>::infinity());
    }
    EXPECT_THAT(
        Prepare(report),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 HasSubstr(growth ? "growth_rate_percent" : "previous_value")));
  }
}

TEST(Sha256Hex, MatchesAKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(PrepareReport, RefusesEnumNumbersTheApiDoesNotDefine) {
  // proto3 enums are open: a client can send any number.
  v1::Report report = MakeReport("嵩县", 2024, {});
  report.set_region_level(static_cast<v1::RegionLevel>(9));
  EXPECT_THAT(Prepare(report),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("report.region_level: unknown value")));
  report = MakeReport(
      "嵩县", 2024,
      {Figure("文旅项目", v1::OBSERVATION_KIND_TARGET, 2024, 5, "个")});
  report.mutable_observations(0)->add_flags(
      static_cast<v1::ObservationFlag>(9));
  EXPECT_THAT(Prepare(report),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("report.observations[0].flags[0]")));
}

TEST(PrepareReport, QuotesALongRegionTextInShort) {
  const auto row = Prepare(MakeReport(std::string(100000, 'x'), 2024, {}));
  EXPECT_THAT(row, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("report.region_text")));
  EXPECT_LT(row.status().message().size(), 200u);
}

}  // namespace
}  // namespace govreport::query
