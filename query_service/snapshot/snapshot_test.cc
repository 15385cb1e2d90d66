#include "query_service/snapshot/snapshot.h"

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/fake_store.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::testing::IsEmpty;
using ::testing::SizeIs;

v1::Observation Obs(absl::string_view indicator, absl::string_view subject,
                    int32_t ref_year, double value) {
  v1::Observation obs;
  if (!indicator.empty()) {
    obs.set_indicator(absl::StrCat("indicators/", indicator));
  }
  obs.set_subject_text(std::string(subject));
  obs.set_value_type(v1::VALUE_TYPE_LEVEL);
  obs.set_kind(v1::OBSERVATION_KIND_ACHIEVED);
  obs.mutable_reference_period()->set_first_year(ref_year);
  obs.mutable_reference_period()->set_last_year(ref_year);
  obs.mutable_quantity()->set_value(value);
  obs.mutable_quantity()->set_effective_value(value);
  obs.mutable_quantity()->set_unit("人");
  return obs;
}

ReportRow Row(absl::string_view code, int32_t year,
              std::vector<v1::Observation> observations) {
  v1::Report report;
  report.set_year(year);
  report.set_title("政府工作报告");
  report.set_extractor_version("test/1");
  for (auto& obs : observations) *report.add_observations() = obs;
  ReportRow row;
  row.key = {std::string(code), year};
  report.SerializeToString(&row.report);
  return row;
}

absl::Status Write(Store& store, ReportRow row) {
  std::vector<ReportRow> rows;
  rows.push_back(std::move(row));
  return store.WriteReports("", std::move(rows)).status();
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(
        Write(store_, Row("410325", 2024,
                          {Obs("new-urban-jobs", "城镇新增就业", 2023, 1200),
                           Obs("", "文旅项目", 2023, 5)})),
        IsOk());
    ASSERT_THAT(
        Write(store_, Row("410322", 2024,
                          {Obs("new-urban-jobs", "城镇新增就业", 2023, 3400)})),
        IsOk());
    ASSERT_THAT(
        Write(store_, Row("410325", 2025,
                          {Obs("new-urban-jobs", "城镇新增就业", 2024, 1300)})),
        IsOk());
    ASSERT_THAT(manager_.Refresh(), IsOk());
    snapshot_ = manager_.Current();
    ASSERT_NE(snapshot_, nullptr);
  }

  FakeStore store_;
  SnapshotManager manager_{store_};
  std::shared_ptr<const Snapshot> snapshot_;
};

TEST(SnapshotManager, HasNoSnapshotBeforeTheFirstRefresh) {
  FakeStore store;
  SnapshotManager manager(store);
  EXPECT_EQ(manager.Current(), nullptr);
  ASSERT_THAT(manager.Refresh(), IsOk());
  ASSERT_NE(manager.Current(), nullptr);
  EXPECT_EQ(manager.Current()->data_version(), 0);
  EXPECT_THAT(manager.Current()->reports(), IsEmpty());
}

TEST_F(SnapshotTest, HoldsEveryReportSortedByRegionAndYear) {
  EXPECT_EQ(snapshot_->data_version(), 3);
  ASSERT_THAT(snapshot_->reports(), SizeIs(3));
  EXPECT_EQ(snapshot_->reports()[0]->key, (ReportKey{"410322", 2024}));
  EXPECT_EQ(snapshot_->report_years(), std::make_pair(2024, 2025));
  EXPECT_THAT(snapshot_->ReportsOf("410325"), SizeIs(2));
  EXPECT_THAT(snapshot_->ReportsOf("999999"), IsEmpty());
  EXPECT_NE(snapshot_->FindReport("410325", 2025), nullptr);
  EXPECT_EQ(snapshot_->FindReport("410325", 2023), nullptr);
  EXPECT_EQ(snapshot_->observation_count(), 4u);
}

TEST_F(SnapshotTest, KeepsOneShardPerRegionSortedByCode) {
  ASSERT_THAT(snapshot_->shards(), SizeIs(2));
  EXPECT_EQ(snapshot_->shards()[0]->code(), "410322");
  EXPECT_EQ(snapshot_->shards()[1]->code(), "410325");
  EXPECT_THAT(snapshot_->shards()[1]->reports(), SizeIs(2));
  EXPECT_EQ(snapshot_->FindShard("999999"), nullptr);
  EXPECT_NE(snapshot_->FindSlug("new-urban-jobs"), nullptr);
  EXPECT_EQ(snapshot_->FindSlug("no-such-indicator"), nullptr);
  EXPECT_THAT(
      snapshot_->ByRegionIndicatorYear("410325", "new-urban-jobs", 2020),
      IsEmpty());
  EXPECT_THAT(
      snapshot_->ByRegionIndicatorYear("410325", "no-such-indicator", 2023),
      IsEmpty());
}

TEST_F(SnapshotTest, IndexesObservationsByRegionAndIndicatorInYearOrder) {
  auto list = snapshot_->ByRegionIndicator("410325", "new-urban-jobs");
  ASSERT_THAT(list, SizeIs(2));
  EXPECT_EQ(list[0]->reference_year(), 2023);
  EXPECT_EQ(list[1]->reference_year(), 2024);
  auto cell =
      snapshot_->ByRegionIndicatorYear("410325", "new-urban-jobs", 2024);
  ASSERT_THAT(cell, SizeIs(1));
  EXPECT_EQ(cell[0]->effective_value, 1300);
  EXPECT_THAT(snapshot_->ByRegionIndicatorYear("410325", "gdp", 2024),
              IsEmpty());
}

TEST_F(SnapshotTest, ObservationProtoRestoresResourceNames) {
  const ReportEntry* report = snapshot_->FindReport("410325", 2024);
  ASSERT_NE(report, nullptr);
  v1::Observation obs = Snapshot::ObservationProto(report->observations[1]);
  EXPECT_EQ(obs.name(), "regions/410325/reports/2024/observations/2");
  EXPECT_EQ(obs.report(), "regions/410325/reports/2024");
  EXPECT_EQ(obs.region(), "regions/410325");
  EXPECT_EQ(obs.subject_text(), "文旅项目");
  EXPECT_EQ(obs.indicator(), "");
}

TEST(Snapshot, ObservationRoundTripsThroughTheCompactForm) {
  v1::Observation original = Obs("new-urban-jobs", "城镇新增就业", 2023, 1200);
  original.set_name("regions/410325/reports/2024/observations/1");
  original.set_region("regions/410325");
  original.set_report("regions/410325/reports/2024");
  original.set_section("regions/410325/reports/2024/sections/2");
  original.set_action("新增");
  original.set_growth_rate_percent(3.5);
  original.add_flags(v1::OBSERVATION_FLAG_ESTIMATED);
  original.mutable_quantity()->set_comparator(v1::COMPARATOR_AT_LEAST);
  original.mutable_quantity()->set_original_text("1200人以上");
  original.mutable_source()->set_report("regions/410325/reports/2024");
  original.mutable_source()->set_section(
      "regions/410325/reports/2024/sections/2");
  original.mutable_source()->set_quote("城镇新增就业1200人以上");
  original.mutable_source()->set_start_offset(10);
  original.mutable_source()->set_end_offset(23);
  auto entry = ReportEntry::FromRow(Row("410325", 2024, {original}));
  ASSERT_THAT(entry, IsOk());
  const v1::Observation restored =
      Snapshot::ObservationProto((*entry)->observations[0]);
  EXPECT_EQ(restored.SerializeAsString(), original.SerializeAsString())
      << restored.DebugString();
}

TEST_F(SnapshotTest, ReportProtoIsBasicOrFull) {
  const ReportEntry* report = snapshot_->FindReport("410325", 2024);
  v1::Report basic = Snapshot::ReportProto(*report, /*full=*/false);
  EXPECT_EQ(basic.name(), "regions/410325/reports/2024");
  EXPECT_EQ(basic.title(), "政府工作报告");
  EXPECT_EQ(basic.observations_size(), 0);
  v1::Report full = Snapshot::ReportProto(*report, /*full=*/true);
  EXPECT_EQ(full.observations_size(), 2);
}

TEST_F(SnapshotTest, RefreshReusesUnchangedReportsAndLeavesHeldSnapshots) {
  ASSERT_THAT(
      Write(store_, Row("410322", 2024,
                        {Obs("new-urban-jobs", "城镇新增就业", 2023, 9999)})),
      IsOk());
  ASSERT_THAT(manager_.Refresh(), IsOk());
  std::shared_ptr<const Snapshot> next = manager_.Current();
  EXPECT_EQ(next->data_version(), 4);
  // The reader's snapshot is untouched.
  EXPECT_EQ(
      snapshot_->ByRegionIndicatorYear("410322", "new-urban-jobs", 2023)[0]
          ->effective_value,
      3400);
  EXPECT_EQ(next->ByRegionIndicatorYear("410322", "new-urban-jobs", 2023)[0]
                ->effective_value,
            9999);
  // Unchanged reports are shared, not parsed again, and so are the indexes
  // of regions whose reports did not change.
  EXPECT_EQ(next->FindReport("410325", 2024),
            snapshot_->FindReport("410325", 2024));
  EXPECT_EQ(next->FindShard("410325"), snapshot_->FindShard("410325"));
  EXPECT_NE(next->FindShard("410322"), snapshot_->FindShard("410322"));
}

TEST_F(SnapshotTest, RefreshWithoutChangesKeepsTheSameSnapshot) {
  ASSERT_THAT(manager_.Refresh(), IsOk());
  EXPECT_EQ(manager_.Current(), snapshot_);
}

TEST(SnapshotManager, ReadersSeeWholeSnapshotsWhileAWriterRefreshes) {
  FakeStore store;
  SnapshotManager manager(store);
  ASSERT_THAT(manager.Refresh(), IsOk());
  std::atomic<bool> done{false};
  std::thread reader([&] {
    int64_t last = 0;
    while (!done.load()) {
      std::shared_ptr<const Snapshot> snapshot = manager.Current();
      // Each write adds one report: a snapshot is never half-built.
      EXPECT_EQ(snapshot->reports().size(),
                static_cast<size_t>(snapshot->data_version()));
      EXPECT_GE(snapshot->data_version(), last);
      last = snapshot->data_version();
    }
  });
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(Write(store, Row(absl::StrCat(410000 + i), 2024,
                                 {Obs("gdp", "地区生产总值", 2023, i)})),
                IsOk());
    ASSERT_THAT(manager.Refresh(), IsOk());
  }
  done.store(true);
  reader.join();
  EXPECT_EQ(manager.Current()->data_version(), 50);
}

// What a snapshot answers, flattened for comparison: every report with its
// version, and for every region and indicator the indexed observations as
// (report year, ordinal, value).
std::string Describe(const Snapshot& snapshot,
                     const std::vector<std::string>& indicators) {
  std::string out = absl::StrCat(
      "v", snapshot.data_version(), " n", snapshot.observation_count(), " y",
      snapshot.report_years().first, "-", snapshot.report_years().second);
  for (const std::string& ev : snapshot.extractor_versions()) {
    absl::StrAppend(&out, " e", ev);
  }
  for (const ReportPtr& report : snapshot.reports()) {
    absl::StrAppend(&out, "\n", report->name, "@", report->version);
  }
  for (const ShardPtr& shard : snapshot.shards()) {
    for (const std::string& indicator : indicators) {
      absl::StrAppend(&out, "\n", shard->code(), " ", indicator, ":");
      for (const ObservationEntry* obs :
           snapshot.ByRegionIndicator(shard->code(), indicator)) {
        absl::StrAppend(&out, " ", obs->reference_year(), "/",
                        obs->report->key.year, "#", obs->ordinal(), "=",
                        obs->effective_value);
      }
      for (int32_t year = 2018; year <= 2026; ++year) {
        absl::StrAppend(
            &out, " [", year, "]",
            snapshot.ByRegionIndicatorYear(shard->code(), indicator, year)
                .size());
      }
    }
  }
  return out;
}

TEST(SnapshotManager, IncrementalRefreshIndexesLikeAFullRebuild) {
  const std::vector<std::string> indicators = {"gdp", "new-urban-jobs",
                                               "general-budget-revenue"};
  std::mt19937 random(20261129);
  FakeStore store;
  SnapshotManager incremental(store);
  ASSERT_THAT(incremental.Refresh(), IsOk());
  for (int step = 0; step < 200; ++step) {
    const std::string code = absl::StrCat(410300 + random() % 6);
    const int32_t year = 2020 + static_cast<int32_t>(random() % 5);
    if (random() % 5 == 0) {
      // Deleting what is not held is NOT_FOUND; either way nothing breaks.
      (void)store.DeleteReport({code, year});
    } else {
      std::vector<v1::Observation> observations;
      const int count = static_cast<int>(random() % 6);
      for (int i = 0; i < count; ++i) {
        // Some unmapped, some about other years, some multi-year.
        const std::string indicator =
            random() % 4 == 0 ? "" : indicators[random() % indicators.size()];
        v1::Observation obs = Obs(indicator, "指标",
                                  year - 1 + static_cast<int32_t>(random() % 2),
                                  static_cast<double>(random() % 1000));
        if (random() % 5 == 0) {
          obs.mutable_reference_period()->set_first_year(year - 3);
        }
        observations.push_back(std::move(obs));
      }
      ReportRow row = Row(code, year, std::move(observations));
      ASSERT_THAT(Write(store, std::move(row)), IsOk());
    }
    ASSERT_THAT(incremental.Refresh(), IsOk());
    SnapshotManager full(store);
    ASSERT_THAT(full.Refresh(), IsOk());
    ASSERT_EQ(Describe(*incremental.Current(), indicators),
              Describe(*full.Current(), indicators))
        << "after step " << step;
  }
}

// A plausible report: 150 figures with subject, action, wording and quote.
ReportRow PlausibleReport(absl::string_view code, int32_t year) {
  std::vector<v1::Observation> observations;
  for (int i = 0; i < 150; ++i) {
    v1::Observation obs = Obs(i % 3 == 0 ? "" : "general-budget-revenue",
                              "一般公共预算收入", year - 1, 1.0e9 + i);
    obs.set_section("sections/2");
    obs.set_action("完成");
    obs.mutable_quantity()->set_original_unit_text("亿元");
    obs.mutable_quantity()->set_original_text("10.2亿元");
    obs.mutable_quantity()->set_original_unit_multiplier(8);
    obs.mutable_source()->set_quote("一般公共预算收入完成10.2亿元");
    obs.mutable_source()->set_start_offset(1000 + i * 40);
    obs.mutable_source()->set_end_offset(1016 + i * 40);
    observations.push_back(std::move(obs));
  }
  return Row(code, year, std::move(observations));
}

TEST(SnapshotMemory, StaysUnder250BytesPerObservation) {
  FakeStore store;
  for (int region = 0; region < 20; ++region) {
    for (int year = 2015; year < 2025; ++year) {
      ASSERT_THAT(
          Write(store, PlausibleReport(absl::StrCat(410300 + region), year)),
          IsOk());
    }
  }
  SnapshotManager manager(store);
  ASSERT_THAT(manager.Refresh(), IsOk());
  const Snapshot& snapshot = *manager.Current();
  const double per_observation =
      static_cast<double>(snapshot.ApproximateBytes()) /
      static_cast<double>(snapshot.observation_count());
  EXPECT_LT(per_observation, 250.0);
  RecordProperty("bytes_per_observation", static_cast<int>(per_observation));
}

}  // namespace
}  // namespace govreport::query
