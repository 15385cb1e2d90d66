#include "query_service/engine/series.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/fake_store.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::testing::IsOk;

constexpr auto kAchieved = v1::OBSERVATION_KIND_ACHIEVED;

// 200 counties 410101..410300 of one prefecture: enough for the merge path.
std::string ManyCounties() {
  std::string tsv =
      "code\tname\tlevel\tparent_code\tformer_codes\tformer_names\n"
      "410000\t河南省\tprovince\t\t\t\n"
      "410100\t郑州市\tprefecture\t410000\t\t\n";
  for (int i = 1; i <= 200; ++i) {
    absl::StrAppend(&tsv, 410100 + i + (i >= 100 ? 100 : 0), "\t第", i,
                    "县\tcounty\t410100\t\t\n");
  }
  return tsv;
}

TEST(PickPoints, WalkingTheIndexAgreesWithLookingEachRegionUp) {
  auto regions = RegionCatalog::FromTsv(ManyCounties());
  ASSERT_THAT(regions, IsOk());
  FakeStore store;
  SnapshotManager snapshots(store);
  ReportWriter writer(store, snapshots, *regions, TestIndicators());
  std::vector<std::string> codes;
  for (const RegionEntry* county :
       regions->Descendants("410000", RegionLevel::kCounty)) {
    codes.push_back(county->code);
    const int n = static_cast<int>(codes.size());
    if (n % 3 == 0) continue;  // no report: REPORT_MISSING
    std::vector<v1::Observation> figures;
    if (n % 3 == 1) {  // two figures, one restated
      figures.push_back(Figure("城镇新增就业", kAchieved, 2023, n, "人"));
      figures.push_back(Figure("城镇新增就业", kAchieved, 2023, n + 1, "人"));
    }
    v1::PutReportRequest put;
    *put.mutable_report() = MakeReport("", 2024, figures);
    put.mutable_report()->set_region("regions/" + county->code);
    ASSERT_THAT(writer.Put(put), IsOk());
  }
  const Snapshot& snapshot = *snapshots.Current();
  const SeriesSpec spec{"new-urban-jobs", v1::VALUE_TYPE_LEVEL, kAchieved};
  const std::vector<absl::string_view> views(codes.begin(), codes.end());
  const std::vector<SeriesPoint> merged =
      PickPoints(snapshot, views, spec, 2023);
  ASSERT_EQ(merged.size(), codes.size());
  int available = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    const SeriesPoint one = PickPoint(snapshot, codes[i], spec, 2023);
    EXPECT_EQ(merged[i].availability, one.availability) << codes[i];
    EXPECT_EQ(merged[i].chosen, one.chosen) << codes[i];
    EXPECT_EQ(merged[i].alternatives, one.alternatives) << codes[i];
    available += one.available();
  }
  EXPECT_EQ(available, 67);
  EXPECT_EQ(merged[2].availability, v1::AVAILABILITY_REPORT_MISSING);
  EXPECT_EQ(merged[1].availability, v1::AVAILABILITY_NOT_STATED);
  ASSERT_EQ(merged[0].alternatives.size(), 1u);
}

}  // namespace
}  // namespace govreport::query
