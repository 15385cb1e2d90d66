#include "query_service/engine/query_engine.h"

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "google/protobuf/util/message_differencer.h"
#include "query_service/engine/series.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/fake_store.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::query::testing::TestRegions;
using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr auto kTarget = v1::OBSERVATION_KIND_TARGET;
constexpr auto kAchieved = v1::OBSERVATION_KIND_ACHIEVED;

// Four reports of three counties of 洛阳市; 中原区 (郑州市) has none.
class QueryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Put(MakeReport("嵩县", 2024,
                   {Figure("城镇新增就业", kAchieved, 2023, 1200, "人"),
                    Figure("技能培训", kAchieved, 2023, 18000, "人次"),
                    Figure("城镇新增就业", kTarget, 2024, 1300, "人",
                           v1::COMPARATOR_AT_LEAST),
                    Figure("技能培训", kTarget, 2024, 20000, "人次",
                           v1::COMPARATOR_APPROXIMATELY)}));
    Put(MakeReport("嵩县", 2025,
                   {Figure("城镇新增就业", kAchieved, 2024, 1350, "人"),
                    Figure("技能培训", kAchieved, 2024, 19500, "人次"),
                    Figure("文旅项目", kTarget, 2025, 5, "个")}));
    Put(MakeReport("孟津县", 2024,
                   {Figure("新增城镇就业", kAchieved, 2023, 3400, "人"),
                    Figure("城镇新增就业", kTarget, 2024, 3500, "人")}));
    Put(MakeReport("孟津区", 2025,
                   {Figure("城镇新增就业", kAchieved, 2024, 3000, "人")}));
    Put(MakeReport("新安县", 2024,
                   {Figure("地区生产总值", kAchieved, 2023, 2.1e10, "元")}));
  }

  void Put(v1::Report report) {
    v1::PutReportRequest request;
    *request.mutable_report() = std::move(report);
    ASSERT_THAT(writer_.Put(request), IsOk());
  }
  const Snapshot& snapshot() { return *snapshots_.Current(); }

  v1::CompareRegionsRequest JobsInLuoyang(int32_t year) {
    v1::CompareRegionsRequest request;
    request.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
    request.mutable_regions()->mutable_subtree()->set_level(
        v1::REGION_LEVEL_COUNTY);
    request.mutable_series()->set_indicator("indicators/new-urban-jobs");
    request.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
    request.mutable_series()->set_kind(kAchieved);
    request.set_year(year);
    return request;
  }

  FakeStore store_;
  SnapshotManager snapshots_{store_};
  ReportWriter writer_{store_, snapshots_, TestRegions(), TestIndicators()};
  QueryEngine engine_{TestRegions(), TestIndicators()};
};

// --- catalog ---

TEST_F(QueryEngineTest, GetRegionByFormerCodeAnswersTheCurrentRegion) {
  v1::GetRegionRequest request;
  request.set_name("regions/410322");
  auto response = engine_.GetRegion(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->region().name(), "regions/410308");
  EXPECT_EQ(response->region().display_name(), "孟津区");
  EXPECT_EQ(response->region().parent(), "regions/410300");
  EXPECT_THAT(response->region().former_display_names(), ElementsAre("孟津县"));
  EXPECT_EQ(response->data_version(), "5");
}

TEST_F(QueryEngineTest, MalformedRegionNameIsInvalidArgumentNamingTheField) {
  v1::GetRegionRequest request;
  request.set_name("410325");
  EXPECT_THAT(engine_.GetRegion(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
}

TEST_F(QueryEngineTest, UnknownRegionIsNotFound) {
  v1::GetRegionRequest request;
  request.set_name("regions/999999");
  EXPECT_THAT(engine_.GetRegion(snapshot(), request),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueryEngineTest, ListRegionsPagesThroughDescendantsToTheEnd) {
  v1::ListRegionsRequest request;
  request.set_parent("regions/410000");
  request.set_level(v1::REGION_LEVEL_COUNTY);
  request.set_page_size(3);
  std::vector<std::string> names;
  int pages = 0;
  do {
    auto response = engine_.ListRegions(snapshot(), request);
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->total_size(), 4);
    for (const auto& region : response->regions()) {
      names.push_back(region.name());
    }
    request.set_page_token(response->next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(names, ElementsAre("regions/410102", "regions/410308",
                                 "regions/410323", "regions/410325"));
}

TEST_F(QueryEngineTest, ListRegionsWithoutParentListsProvinces) {
  auto response = engine_.ListRegions(snapshot(), {});
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->regions(), SizeIs(1));
  EXPECT_EQ(response->regions(0).display_name(), "河南省");
}

TEST_F(QueryEngineTest, PageTokenForAnotherRequestIsInvalidArgument) {
  v1::ListRegionsRequest request;
  request.set_parent("regions/410000");
  request.set_level(v1::REGION_LEVEL_COUNTY);
  request.set_page_size(1);
  auto first = engine_.ListRegions(snapshot(), request);
  ASSERT_THAT(first, IsOk());
  request.set_parent("regions/410300");
  request.set_page_token(first->next_page_token());
  EXPECT_THAT(engine_.ListRegions(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not match")));
}

TEST_F(QueryEngineTest, NegativePageSizeIsInvalidArgument) {
  v1::ListRegionsRequest request;
  request.set_page_size(-1);
  EXPECT_THAT(
      engine_.ListRegions(snapshot(), request),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST_F(QueryEngineTest, BatchGetRegionsKeepsRequestOrderAndFailsOnUnknown) {
  v1::BatchGetRegionsRequest request;
  request.add_names("regions/410325");
  request.add_names("regions/410102");
  auto response = engine_.BatchGetRegions(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->regions(0).display_name(), "嵩县");
  EXPECT_EQ(response->regions(1).display_name(), "中原区");
  request.add_names("regions/999999");
  EXPECT_THAT(engine_.BatchGetRegions(snapshot(), request),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("names[2]")));
}

TEST_F(QueryEngineTest, IndicatorsCanBeGotAndSearchedByAlias) {
  v1::GetIndicatorRequest get;
  get.set_name("indicators/skills-training");
  auto indicator = engine_.GetIndicator(snapshot(), get);
  ASSERT_THAT(indicator, IsOk());
  EXPECT_EQ(indicator->indicator().canonical_unit(), "人次");
  EXPECT_THAT(indicator->indicator().value_types(),
              ElementsAre(v1::VALUE_TYPE_LEVEL));
  get.set_name("indicators/nope");
  EXPECT_THAT(engine_.GetIndicator(snapshot(), get),
              StatusIs(absl::StatusCode::kNotFound));

  v1::ListIndicatorsRequest list;
  list.set_query("新增城镇就业");
  auto found = engine_.ListIndicators(snapshot(), list);
  ASSERT_THAT(found, IsOk());
  ASSERT_THAT(found->indicators(), SizeIs(1));
  EXPECT_EQ(found->indicators(0).name(), "indicators/new-urban-jobs");
}

TEST_F(QueryEngineTest, DataSnapshotDescribesWhatIsHeld) {
  v1::GetDataSnapshotResponse response = engine_.GetDataSnapshot(snapshot());
  EXPECT_EQ(response.data_version(), "5");
  EXPECT_EQ(response.region_count(), 7);
  EXPECT_EQ(response.report_count(), 5);
  EXPECT_EQ(response.report_years().first_year(), 2024);
  EXPECT_EQ(response.report_years().last_year(), 2025);
  EXPECT_THAT(response.extractor_versions(), ElementsAre("test-extractor/1"));
}

// --- reports ---

TEST_F(QueryEngineTest, GetReportBasicOmitsSectionsAndFullHasEverything) {
  v1::GetReportRequest request;
  request.set_name("regions/410322/reports/2024");  // former code
  auto basic = engine_.GetReport(snapshot(), request);
  ASSERT_THAT(basic, IsOk());
  EXPECT_EQ(basic->report().name(), "regions/410308/reports/2024");
  EXPECT_EQ(basic->report().sections_size(), 0);
  EXPECT_EQ(basic->report().observations_size(), 0);
  EXPECT_TRUE(basic->report().has_ingest_time());
  request.set_view(v1::REPORT_VIEW_FULL);
  auto full = engine_.GetReport(snapshot(), request);
  ASSERT_THAT(full, IsOk());
  EXPECT_EQ(full->report().sections(0).name(),
            "regions/410308/reports/2024/sections/1");
  ASSERT_EQ(full->report().observations_size(), 2);
  EXPECT_EQ(full->report().observations(0).indicator(),
            "indicators/new-urban-jobs");
  EXPECT_EQ(full->report().observations(0).section(),
            "regions/410308/reports/2024/sections/1");
}

TEST_F(QueryEngineTest, MissingReportIsNotFound) {
  v1::GetReportRequest request;
  request.set_name("regions/410325/reports/2019");
  EXPECT_THAT(engine_.GetReport(snapshot(), request),
              StatusIs(absl::StatusCode::kNotFound));
  request.set_name("regions/410325/reports/latest");
  EXPECT_THAT(engine_.GetReport(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, ListReportsOfAllRegionsFiltersYears) {
  v1::ListReportsRequest request;
  request.set_parent("regions/-");
  request.add_years(2025);
  auto response = engine_.ListReports(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  std::vector<std::string> names;
  for (const auto& report : response->reports()) names.push_back(report.name());
  EXPECT_THAT(names, ElementsAre("regions/410308/reports/2025",
                                 "regions/410325/reports/2025"));
}

TEST_F(QueryEngineTest, PageTokenIsStaleOnceTheDataChanged) {
  v1::ListReportsRequest request;
  request.set_parent("regions/-");
  request.set_page_size(1);
  auto first = engine_.ListReports(snapshot(), request);
  ASSERT_THAT(first, IsOk());
  Put(MakeReport("中原区", 2024, {}));
  request.set_page_token(first->next_page_token());
  EXPECT_THAT(engine_.ListReports(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stale")));
}

TEST_F(QueryEngineTest, ListPolicyMeasuresOfAReport) {
  v1::ListPolicyMeasuresRequest request;
  request.set_parent("regions/410325/reports/2024");
  auto response = engine_.ListPolicyMeasures(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->policy_measures(), SizeIs(1));
  EXPECT_EQ(response->policy_measures(0).name(),
            "regions/410325/reports/2024/measures/1");
}

TEST_F(QueryEngineTest, ListObservationsFiltersByIndicatorKindOrSubjectText) {
  v1::ListObservationsRequest request;
  request.set_parent("regions/410325/reports/2024");
  request.add_indicators("indicators/new-urban-jobs");
  auto jobs = engine_.ListObservations(snapshot(), request);
  ASSERT_THAT(jobs, IsOk());
  ASSERT_THAT(jobs->observations(), SizeIs(2));
  EXPECT_EQ(jobs->observations(1).name(),
            "regions/410325/reports/2024/observations/3");
  request.set_kind(kTarget);
  EXPECT_THAT(engine_.ListObservations(snapshot(), request)->observations(),
              SizeIs(1));

  // Subjects the catalog does not map stay queryable by their text.
  v1::ListObservationsRequest unmapped;
  unmapped.set_parent("regions/410325/reports/2025");
  unmapped.add_subject_texts("文旅项目");
  auto projects = engine_.ListObservations(snapshot(), unmapped);
  ASSERT_THAT(projects, IsOk());
  ASSERT_THAT(projects->observations(), SizeIs(1));
  EXPECT_EQ(projects->observations(0).indicator(), "");
  EXPECT_EQ(projects->observations(0).quantity().value(), 5);
}

// --- comparisons ---

TEST_F(QueryEngineTest, CompareRegionsRanksAndKeepsMissingDataAsRows) {
  auto response = engine_.CompareRegions(snapshot(), JobsInLuoyang(2023));
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->rows(), SizeIs(3));
  EXPECT_EQ(response->rows(0).region_display_name(), "孟津区");
  EXPECT_EQ(response->rows(0).rank(), 1);
  EXPECT_EQ(response->rows(0).observation().quantity().value(), 3400);
  EXPECT_EQ(response->rows(1).region_display_name(), "嵩县");
  EXPECT_EQ(response->rows(1).rank(), 2);
  EXPECT_EQ(response->rows(2).region_display_name(), "新安县");
  EXPECT_EQ(response->rows(2).availability(), v1::AVAILABILITY_NOT_STATED);
  EXPECT_EQ(response->rows(2).rank(), 0);
  EXPECT_EQ(response->summary().available_count(), 2);
  EXPECT_EQ(response->summary().unavailable_count(), 1);
  EXPECT_EQ(response->summary().min_value(), 1200);
  EXPECT_EQ(response->summary().max_value(), 3400);
  EXPECT_EQ(response->summary().median_value(), 2300);
  EXPECT_EQ(response->total_size(), 3);
  EXPECT_EQ(response->resolved_year(), 2023);
}

TEST_F(QueryEngineTest, CompareRegionsSaysWhenTheReportIsMissing) {
  v1::CompareRegionsRequest request = JobsInLuoyang(2023);
  request.mutable_regions()->mutable_subtree()->set_parent("regions/410000");
  request.set_order(v1::ROW_ORDER_DIVISION_CODE);
  auto response = engine_.CompareRegions(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->rows(), SizeIs(4));
  EXPECT_EQ(response->rows(0).region(), "regions/410102");
  EXPECT_EQ(response->rows(0).availability(), v1::AVAILABILITY_REPORT_MISSING);
  // Ranks follow the requested order among available rows.
  EXPECT_EQ(response->rows(1).rank(), 1);  // 孟津区
  EXPECT_EQ(response->rows(3).rank(), 2);  // 嵩县
}

TEST_F(QueryEngineTest, CompareRegionsOverEveryCountyWithTheWildcardParent) {
  v1::CompareRegionsRequest request = JobsInLuoyang(2023);
  request.mutable_regions()->mutable_subtree()->set_parent("regions/-");
  auto response = engine_.CompareRegions(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->total_size(), 4);
  EXPECT_EQ(response->summary().available_count(), 2);
}

TEST_F(QueryEngineTest, CompareRegionsCanDropUnavailableRowsAndSortAscending) {
  v1::CompareRegionsRequest request = JobsInLuoyang(2023);
  request.set_exclude_unavailable(true);
  request.set_order(v1::ROW_ORDER_VALUE_ASCENDING);
  auto response = engine_.CompareRegions(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->rows(), SizeIs(2));
  EXPECT_EQ(response->rows(0).region_display_name(), "嵩县");
  EXPECT_EQ(response->summary().unavailable_count(), 1);
}

TEST_F(QueryEngineTest, CompareRegionsLatestCommonYear) {
  v1::CompareRegionsRequest request;
  request.mutable_regions()->mutable_region_list()->add_names("regions/410325");
  request.mutable_regions()->mutable_region_list()->add_names("regions/410308");
  *request.mutable_series() = JobsInLuoyang(0).series();
  request.set_year_policy(v1::YEAR_POLICY_LATEST_COMMON);
  auto response = engine_.CompareRegions(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->resolved_year(), 2024);
  EXPECT_EQ(response->rows(0).observation().quantity().value(), 3000);
}

TEST_F(QueryEngineTest, CompareRegionsWalksPagesToTheEnd) {
  v1::CompareRegionsRequest request = JobsInLuoyang(2023);
  request.set_page_size(2);
  std::vector<int32_t> ranks;
  do {
    auto response = engine_.CompareRegions(snapshot(), request);
    ASSERT_THAT(response, IsOk());
    for (const auto& row : response->rows()) ranks.push_back(row.rank());
    request.set_page_token(response->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(ranks, ElementsAre(1, 2, 0));
}

TEST_F(QueryEngineTest, CompareRegionsNeedsAValueTypeAndAKnownIndicator) {
  v1::CompareRegionsRequest request = JobsInLuoyang(2023);
  request.mutable_series()->clear_value_type();
  EXPECT_THAT(engine_.CompareRegions(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("series.value_type")));
  request = JobsInLuoyang(2023);
  request.mutable_series()->set_indicator("indicators/unknown");
  EXPECT_THAT(engine_.CompareRegions(snapshot(), request),
              StatusIs(absl::StatusCode::kNotFound));
  request = JobsInLuoyang(0);
  EXPECT_THAT(engine_.CompareRegions(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("year")));
}

TEST_F(QueryEngineTest, CompareYearsPutsTargetAndAchievedSideBySide) {
  v1::CompareYearsRequest request;
  request.add_regions("regions/410325");
  request.mutable_series()->set_indicator("indicators/new-urban-jobs");
  request.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  request.mutable_years()->set_first_year(2023);
  request.mutable_years()->set_last_year(2025);
  auto response = engine_.CompareYears(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->series(), SizeIs(1));
  const auto& points = response->series(0).points();
  ASSERT_THAT(points, SizeIs(3));
  EXPECT_EQ(points[0].target_availability(), v1::AVAILABILITY_REPORT_MISSING);
  EXPECT_EQ(points[0].achieved().quantity().value(), 1200);
  EXPECT_EQ(points[1].target().quantity().value(), 1300);
  EXPECT_EQ(points[1].achieved().quantity().value(), 1350);
  EXPECT_EQ(points[1].achieved().report(), "regions/410325/reports/2025");
  EXPECT_EQ(points[2].target_availability(), v1::AVAILABILITY_NOT_STATED);
  EXPECT_EQ(points[2].achieved_availability(), v1::AVAILABILITY_NOT_STATED);
}

TEST_F(QueryEngineTest, EvaluateTargetsComparesReportYWithReportYPlusOne) {
  v1::EvaluateTargetsRequest request;
  request.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
  request.set_year(2024);
  auto response = engine_.EvaluateTargets(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->evaluations(), SizeIs(3));
  const auto& mengjin = response->evaluations(0);
  EXPECT_EQ(mengjin.region(), "regions/410308");
  EXPECT_EQ(mengjin.attainment(), v1::ATTAINMENT_NOT_MET);
  EXPECT_EQ(mengjin.gap(), -500);
  const auto& jobs = response->evaluations(1);
  EXPECT_EQ(jobs.indicator(), "indicators/new-urban-jobs");
  EXPECT_EQ(jobs.attainment(), v1::ATTAINMENT_MET);
  const auto& training = response->evaluations(2);
  EXPECT_EQ(training.indicator(), "indicators/skills-training");
  EXPECT_EQ(training.attainment(), v1::ATTAINMENT_APPROXIMATELY_MET);
}

TEST_F(QueryEngineTest, EvaluateTargetsWithoutAResultIsUndetermined) {
  v1::EvaluateTargetsRequest request;
  request.mutable_regions()->mutable_region_list()->add_names("regions/410325");
  request.add_indicators("indicators/new-urban-jobs");
  request.set_year(2025);
  Put(MakeReport("嵩县", 2025,
                 {Figure("城镇新增就业", kTarget, 2025, 1400, "人")}));
  auto response = engine_.EvaluateTargets(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->evaluations(), SizeIs(1));
  EXPECT_EQ(response->evaluations(0).attainment(), v1::ATTAINMENT_UNDETERMINED);
  EXPECT_FALSE(response->evaluations(0).has_achieved());
  EXPECT_FALSE(response->evaluations(0).has_gap());
}

// Found by query_request_fuzzer (UBSan): year + 1 overflowed in the series
// code for a year of INT32_MAX.
TEST_F(QueryEngineTest, YearsAfter9999AreInvalidArgument) {
  constexpr int32_t kHuge = std::numeric_limits<int32_t>::max();
  v1::CompareRegionsRequest compare;
  compare.mutable_regions()->mutable_region_list()->add_names("regions/410325");
  compare.mutable_series()->set_indicator("indicators/new-urban-jobs");
  compare.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  compare.mutable_series()->set_kind(v1::OBSERVATION_KIND_ACHIEVED);
  compare.set_year(kHuge);
  EXPECT_THAT(engine_.CompareRegions(snapshot(), compare),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("year: must be at most 9999")));
  compare.set_year(9999);
  EXPECT_THAT(engine_.CompareRegions(snapshot(), compare), IsOk());

  v1::CompareYearsRequest years;
  years.add_regions("regions/410325");
  years.mutable_series()->set_indicator("indicators/new-urban-jobs");
  years.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  years.mutable_years()->set_first_year(kHuge - 5);
  years.mutable_years()->set_last_year(kHuge);
  EXPECT_THAT(engine_.CompareYears(snapshot(), years),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("years.last_year: must be at most 9999")));

  v1::EvaluateTargetsRequest targets;
  targets.mutable_regions()->mutable_region_list()->add_names("regions/410325");
  targets.set_year(kHuge);
  EXPECT_THAT(engine_.EvaluateTargets(snapshot(), targets),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("year: must be at most 9999")));
}

TEST_F(QueryEngineTest, QueryObservationsOrdersByRegionIndicatorAndYear) {
  v1::QueryObservationsRequest request;
  request.mutable_regions()->mutable_region_list()->add_names("regions/410325");
  request.set_kind(kAchieved);
  request.set_page_size(3);
  std::vector<std::string> seen;
  do {
    auto response = engine_.QueryObservations(snapshot(), request);
    ASSERT_THAT(response, IsOk());
    for (const auto& obs : response->observations()) {
      seen.push_back(obs.indicator() + "@" +
                     std::to_string(obs.reference_period().last_year()));
    }
    request.set_page_token(response->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(seen, ElementsAre("indicators/new-urban-jobs@2023",
                                "indicators/new-urban-jobs@2024",
                                "indicators/skills-training@2023",
                                "indicators/skills-training@2024"));
}

TEST_F(QueryEngineTest, QueryObservationsFindsUnmappedSubjectsByText) {
  v1::QueryObservationsRequest request;
  request.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
  request.add_subject_texts("文旅项目");
  auto response = engine_.QueryObservations(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->observations(), SizeIs(1));
  EXPECT_EQ(response->observations(0).region(), "regions/410325");
}

TEST_F(QueryEngineTest, SummarizeCoverageCountsRegionsPerYear) {
  v1::SummarizeCoverageRequest request;
  request.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
  request.add_indicators("indicators/new-urban-jobs");
  auto response = engine_.SummarizeCoverage(snapshot(), request);
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->coverages(), SizeIs(2));  // target and achieved
  const v1::Coverage& target = response->coverages(0);
  EXPECT_EQ(target.series().kind(), kTarget);
  EXPECT_THAT(target.years(), ElementsAre(2024));
  EXPECT_THAT(target.region_counts(), ElementsAre(2));
  const v1::Coverage& achieved = response->coverages(1);
  EXPECT_THAT(achieved.years(), ElementsAre(2023, 2024));
  EXPECT_THAT(achieved.region_counts(), ElementsAre(2, 2));
  request.clear_indicators();
  EXPECT_THAT(engine_.SummarizeCoverage(snapshot(), request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, SelectorMustBeSet) {
  v1::QueryObservationsRequest request;
  EXPECT_THAT(
      engine_.QueryObservations(snapshot(), request),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("regions")));
}

// Every shape of CompareRegions request.
std::vector<v1::CompareRegionsRequest> CompareShapes(
    const std::function<v1::CompareRegionsRequest(int32_t)>& jobs) {
  std::vector<v1::CompareRegionsRequest> requests;
  requests.push_back(jobs(2023));
  requests.push_back(jobs(2024));
  requests.back().set_order(v1::ROW_ORDER_DIVISION_CODE);
  requests.push_back(jobs(2024));
  requests.back().set_exclude_unavailable(true);
  requests.push_back(jobs(0));
  requests.back().set_year_policy(v1::YEAR_POLICY_LATEST_PER_REGION);
  requests.push_back(jobs(0));
  requests.back().set_year_policy(v1::YEAR_POLICY_LATEST_COMMON);
  requests.push_back(jobs(2024));
  requests.back().set_page_size(1);
  requests.push_back(jobs(2024));
  requests.back().set_order(v1::ROW_ORDER_VALUE_ASCENDING);
  v1::CompareRegionsRequest target = jobs(2024);
  target.mutable_series()->set_kind(kTarget);
  requests.push_back(target);
  return requests;
}

// The wire form parses to the message form.
void ExpectWireMatches(const QueryEngine& wire_engine,
                       const QueryEngine& message_engine,
                       const Snapshot& snapshot,
                       const v1::CompareRegionsRequest& request) {
  auto typed = message_engine.CompareRegions(snapshot, request);
  ASSERT_THAT(typed, IsOk());
  std::string bytes;
  ASSERT_THAT(wire_engine.CompareRegionsWire(snapshot, request, &bytes),
              IsOk());
  v1::CompareRegionsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, *typed))
      << request.ShortDebugString() << "\n got: " << parsed.ShortDebugString()
      << "\nwant: " << typed->ShortDebugString();
}

// Rows from the row cache are the rows the engine would write, whether
// asked once (not kept), twice (kept) or more (written from the cache),
// and a report changing in one region changes that region's row only.
TEST_F(QueryEngineTest, CompareRegionsWithRowCacheAnswersAsWithout) {
  ResponseCache rows(1 << 20);
  const QueryEngine cached(TestRegions(), TestIndicators(), &rows);
  auto jobs = [&](int32_t year) { return JobsInLuoyang(year); };
  for (int round = 0; round < 3; ++round) {
    for (const v1::CompareRegionsRequest& request : CompareShapes(jobs)) {
      ExpectWireMatches(cached, engine_, snapshot(), request);
    }
  }
  EXPECT_GT(rows.stats().hits, 0u);
  EXPECT_GT(rows.stats().entries, 0u);
  // 嵩县 reports a new figure for 2023; its row changes, 孟津区's does not.
  Put(MakeReport("嵩县", 2024,
                 {Figure("城镇新增就业", kAchieved, 2023, 999, "人"),
                  Figure("技能培训", kAchieved, 2023, 18000, "人次")}));
  const uint64_t hits_before = rows.stats().hits;
  for (const v1::CompareRegionsRequest& request : CompareShapes(jobs)) {
    ExpectWireMatches(cached, engine_, snapshot(), request);
  }
  EXPECT_GT(rows.stats().hits, hits_before);
  std::string bytes;
  ASSERT_THAT(
      cached.CompareRegionsWire(snapshot(), JobsInLuoyang(2023), &bytes),
      IsOk());
  v1::CompareRegionsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  bool songxian = false;
  for (const v1::RegionRow& row : parsed.rows()) {
    if (row.region() != "regions/410325") continue;
    songxian = true;
    EXPECT_EQ(row.observation().quantity().value(), 999);
  }
  EXPECT_TRUE(songxian);
}

// The server sends CompareRegionsWire; it must parse to what the message
// form builds, for every shape of request.
TEST_F(QueryEngineTest, CompareRegionsWireParsesToTheSameResponse) {
  for (const v1::CompareRegionsRequest& request :
       CompareShapes([&](int32_t year) { return JobsInLuoyang(year); })) {
    ExpectWireMatches(engine_, engine_, snapshot(), request);
  }
}

TEST_F(QueryEngineTest, CompareRegionsWirePagesAndFailsAsTheMessageForm) {
  // The second page of a paged request, through its token.
  v1::CompareRegionsRequest paged = JobsInLuoyang(2024);
  paged.set_page_size(1);
  auto first = engine_.CompareRegions(snapshot(), paged);
  ASSERT_THAT(first, IsOk());
  ASSERT_FALSE(first->next_page_token().empty());
  paged.set_page_token(first->next_page_token());
  auto second = engine_.CompareRegions(snapshot(), paged);
  ASSERT_THAT(second, IsOk());
  std::string bytes;
  ASSERT_THAT(engine_.CompareRegionsWire(snapshot(), paged, &bytes), IsOk());
  v1::CompareRegionsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, *second));
  // Errors are the message form's.
  v1::CompareRegionsRequest bad = JobsInLuoyang(2024);
  bad.mutable_series()->clear_indicator();
  EXPECT_THAT(engine_.CompareRegionsWire(snapshot(), bad, &bytes),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- attainment rules ---

struct AttainCase {
  v1::Comparator comparator;
  double target;
  double achieved;
  v1::Attainment expected;
};

class AttainmentTest : public ::testing::TestWithParam<AttainCase> {};

TEST_P(AttainmentTest, FollowsTheDocumentedRule) {
  const AttainCase& c = GetParam();
  FakeStore store;
  SnapshotManager snapshots(store);
  ReportWriter writer(store, snapshots, TestRegions(), TestIndicators());
  v1::Observation target =
      Figure("技能培训", kTarget, 2024, c.target, "人次", c.comparator);
  if (c.comparator == v1::COMPARATOR_RANGE) {
    target.mutable_quantity()->set_lower_bound(c.target);
    target.mutable_quantity()->set_upper_bound(c.target * 2);
  }
  v1::PutReportRequest put;
  *put.mutable_report() = MakeReport("嵩县", 2024, {target});
  ASSERT_THAT(writer.Put(put), IsOk());
  *put.mutable_report() = MakeReport(
      "嵩县", 2025, {Figure("技能培训", kAchieved, 2024, c.achieved, "人次")});
  ASSERT_THAT(writer.Put(put), IsOk());
  const Snapshot& snapshot = *snapshots.Current();
  const ReportEntry* y = snapshot.FindReport("410325", 2024);
  const ReportEntry* y1 = snapshot.FindReport("410325", 2025);
  EXPECT_EQ(Attain(&y->observations[0], &y1->observations[0]), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, AttainmentTest,
    ::testing::Values(
        AttainCase{v1::COMPARATOR_EQUAL, 100, 100, v1::ATTAINMENT_MET},
        AttainCase{v1::COMPARATOR_EQUAL, 100, 99, v1::ATTAINMENT_NOT_MET},
        AttainCase{v1::COMPARATOR_AT_LEAST, 100, 120, v1::ATTAINMENT_MET},
        AttainCase{v1::COMPARATOR_GREATER_THAN, 100, 100,
                   v1::ATTAINMENT_NOT_MET},
        AttainCase{v1::COMPARATOR_AT_MOST, 100, 90, v1::ATTAINMENT_MET},
        AttainCase{v1::COMPARATOR_AT_MOST, 100, 101, v1::ATTAINMENT_NOT_MET},
        AttainCase{v1::COMPARATOR_LESS_THAN, 100, 100, v1::ATTAINMENT_NOT_MET},
        AttainCase{v1::COMPARATOR_APPROXIMATELY, 100, 96,
                   v1::ATTAINMENT_APPROXIMATELY_MET},
        AttainCase{v1::COMPARATOR_APPROXIMATELY, 100, 94,
                   v1::ATTAINMENT_NOT_MET},
        AttainCase{v1::COMPARATOR_APPROXIMATELY, 100, 130, v1::ATTAINMENT_MET},
        AttainCase{v1::COMPARATOR_RANGE, 100, 150, v1::ATTAINMENT_MET},
        AttainCase{v1::COMPARATOR_RANGE, 100, 201, v1::ATTAINMENT_NOT_MET}));

// 单位能耗下降3%: a growth rate of -3 is met by -4 and missed by -2.
TEST(Attainment, AReductionTargetIsMetByFallingFurther) {
  struct Case {
    v1::Comparator comparator;
    double achieved;
    v1::Attainment expected;
  };
  for (const Case& c :
       {Case{v1::COMPARATOR_EQUAL, -4, v1::ATTAINMENT_MET},
        Case{v1::COMPARATOR_EQUAL, -2, v1::ATTAINMENT_NOT_MET},
        Case{v1::COMPARATOR_APPROXIMATELY, -2.9,
             v1::ATTAINMENT_APPROXIMATELY_MET},
        Case{v1::COMPARATOR_APPROXIMATELY, -2, v1::ATTAINMENT_NOT_MET}}) {
    FakeStore store;
    SnapshotManager snapshots(store);
    ReportWriter writer(store, snapshots, TestRegions(), TestIndicators());
    v1::Observation target =
        Figure("单位能耗", kTarget, 2024, -3, "%", c.comparator);
    target.set_value_type(v1::VALUE_TYPE_GROWTH_RATE);
    v1::Observation achieved =
        Figure("单位能耗", kAchieved, 2024, c.achieved, "%");
    achieved.set_value_type(v1::VALUE_TYPE_GROWTH_RATE);
    v1::PutReportRequest put;
    *put.mutable_report() = MakeReport("嵩县", 2024, {target});
    ASSERT_THAT(writer.Put(put), IsOk());
    *put.mutable_report() = MakeReport("嵩县", 2025, {achieved});
    ASSERT_THAT(writer.Put(put), IsOk());
    const Snapshot& snapshot = *snapshots.Current();
    const ReportEntry* y = snapshot.FindReport("410325", 2024);
    const ReportEntry* y1 = snapshot.FindReport("410325", 2025);
    EXPECT_EQ(Attain(&y->observations[0], &y1->observations[0]), c.expected)
        << c.achieved;
  }
}

TEST(Attainment, DifferentUnitsOrNoResultAreUndetermined) {
  EXPECT_EQ(Attain(nullptr, nullptr), v1::ATTAINMENT_UNDETERMINED);
}

TEST(Median, OfOddAndEvenCounts) {
  std::vector<double> odd = {3, 1, 2};
  EXPECT_EQ(Median(odd), 2);
  std::vector<double> even = {4, 1, 3, 2};
  EXPECT_EQ(Median(even), 2.5);
}

}  // namespace
}  // namespace govreport::query
