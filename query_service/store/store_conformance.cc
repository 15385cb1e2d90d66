#include "query_service/store/store_conformance.h"

#include "absl/time/time.h"
#include "gmock/gmock.h"

#include "common/testing/status_matchers.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FixedClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::FromUnixSeconds(1700000000); }
};

ReportRow Row(std::string code, int32_t year, std::string bytes) {
  ReportRow row;
  row.key = {std::move(code), year};
  row.content_sha256 = "doc";
  row.report = std::move(bytes);
  ObservationRow obs;
  obs.ordinal = 1;
  obs.indicator = "gdp";
  obs.subject_text = "地区生产总值";
  obs.value_type = 1;
  obs.kind = 2;
  obs.reference_first_year = year - 1;
  obs.reference_last_year = year - 1;
  obs.effective_value = 5.42e10;
  obs.unit = "元";
  row.observations.push_back(obs);
  obs.ordinal = 2;
  obs.indicator = "";
  obs.subject_text = "文旅项目";
  obs.effective_value.reset();
  obs.unit = "个";
  row.observations.push_back(obs);
  return row;
}

std::vector<ReportRow> Rows(ReportRow row) {
  std::vector<ReportRow> rows;
  rows.push_back(std::move(row));
  return rows;
}

TEST_P(StoreConformanceTest, NewStoreIsEmptyAtVersionZero) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  EXPECT_EQ(*store->DataVersion(), 0);
  absl::StatusOr<StoreListing> listing = store->ListReports();
  ASSERT_THAT(listing, IsOk());
  EXPECT_THAT(listing->reports, IsEmpty());
}

TEST_P(StoreConformanceTest, WrittenReportReadsBackWholeWithItsRows) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  absl::StatusOr<WriteResult> write =
      store->WriteReports("sha-a", Rows(Row("410325", 2024, "bytes-1")));
  ASSERT_THAT(write, IsOk());
  EXPECT_FALSE(write->already_ingested);
  EXPECT_THAT(write->outcomes, ElementsAre(WriteOutcome::kInserted));
  EXPECT_EQ(write->data_version, 1);

  absl::StatusOr<std::vector<ReportRow>> rows =
      store->GetReports({{"410325", 2024}, {"999999", 2024}});
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  const ReportRow& row = (*rows)[0];
  EXPECT_EQ(row.report, "bytes-1");
  EXPECT_EQ(row.content_sha256, "doc");
  EXPECT_EQ(row.ingest_time, clock.Now());
  EXPECT_EQ(row.version, 1);
  EXPECT_TRUE(row.observations.empty());
  absl::StatusOr<std::vector<ObservationRow>> observations =
      store->ListObservationRows({"410325", 2024});
  ASSERT_THAT(observations, IsOk());
  EXPECT_EQ(*observations, Row("410325", 2024, "").observations);
  EXPECT_THAT(*store->ListObservationRows({"410325", 2023}), IsEmpty());
}

TEST_P(StoreConformanceTest, SecondIngestOfSameContentIsANoOp) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  ASSERT_THAT(store->WriteReports("sha-a", Rows(Row("410325", 2024, "b1"))),
              IsOk());
  absl::StatusOr<WriteResult> again =
      store->WriteReports("sha-a", Rows(Row("410325", 2024, "b2")));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_ingested);
  EXPECT_THAT(again->keys, ElementsAre(ReportKey{"410325", 2024}));
  EXPECT_EQ(again->data_version, 1);
  EXPECT_EQ((*store->GetReports({{"410325", 2024}}))[0].report, "b1");
}

TEST_P(StoreConformanceTest, NewReportForSameRegionAndYearReplacesTheOld) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  ASSERT_THAT(store->WriteReports("sha-a", Rows(Row("410325", 2024, "b1"))),
              IsOk());
  absl::StatusOr<WriteResult> write =
      store->WriteReports("sha-b", Rows(Row("410325", 2024, "b2")));
  ASSERT_THAT(write, IsOk());
  EXPECT_THAT(write->outcomes, ElementsAre(WriteOutcome::kReplaced));
  EXPECT_EQ(write->data_version, 2);
  absl::StatusOr<StoreListing> listing = store->ListReports();
  ASSERT_EQ(listing->reports.size(), 1u);
  EXPECT_EQ(listing->reports[0].version, 2);
  EXPECT_EQ((*store->GetReports({{"410325", 2024}}))[0].report, "b2");
}

TEST_P(StoreConformanceTest, IdenticalReportIsUnchangedAndKeepsTheVersion) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  ASSERT_THAT(store->WriteReports("", Rows(Row("410325", 2024, "b1"))), IsOk());
  absl::StatusOr<WriteResult> write =
      store->WriteReports("", Rows(Row("410325", 2024, "b1")));
  ASSERT_THAT(write, IsOk());
  EXPECT_FALSE(write->already_ingested);
  EXPECT_THAT(write->outcomes, ElementsAre(WriteOutcome::kUnchanged));
  EXPECT_EQ(write->data_version, 1);
}

TEST_P(StoreConformanceTest, OneWriteOfSeveralReportsBumpsTheVersionOnce) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  std::vector<ReportRow> rows;
  rows.push_back(Row("410325", 2024, "a"));
  rows.push_back(Row("410322", 2024, "b"));
  absl::StatusOr<WriteResult> write = store->WriteReports("sha", rows);
  ASSERT_THAT(write, IsOk());
  EXPECT_EQ(write->data_version, 1);
  absl::StatusOr<StoreListing> listing = store->ListReports();
  ASSERT_EQ(listing->reports.size(), 2u);
  EXPECT_EQ(listing->reports[0].key, (ReportKey{"410322", 2024}));
  EXPECT_EQ(listing->data_version, 1);
}

TEST_P(StoreConformanceTest, DuplicateKeysInOneWriteAreInvalidAndWriteNothing) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  std::vector<ReportRow> rows;
  rows.push_back(Row("410325", 2024, "a"));
  rows.push_back(Row("410325", 2024, "b"));
  EXPECT_THAT(store->WriteReports("sha", rows),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(*store->DataVersion(), 0);
}

TEST_P(StoreConformanceTest, DeleteRemovesTheReportAndBumpsTheVersion) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  ASSERT_THAT(store->WriteReports("sha-a", Rows(Row("410325", 2024, "b1"))),
              IsOk());
  absl::StatusOr<int64_t> version = store->DeleteReport({"410325", 2024});
  ASSERT_THAT(version, IsOk());
  EXPECT_EQ(*version, 2);
  EXPECT_THAT(*store->GetReports({{"410325", 2024}}), IsEmpty());
  EXPECT_THAT(store->FindObservations("gdp", 2023)->rows, IsEmpty());
}

TEST_P(StoreConformanceTest, DeletingAMissingReportIsNotFound) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  EXPECT_THAT(store->DeleteReport({"410325", 2024}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest,
       DocumentCanBeIngestedAgainAfterItsReportIsDeleted) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  ASSERT_THAT(store->WriteReports("sha-a", Rows(Row("410325", 2024, "b1"))),
              IsOk());
  ASSERT_THAT(store->DeleteReport({"410325", 2024}), IsOk());
  absl::StatusOr<WriteResult> again =
      store->WriteReports("sha-a", Rows(Row("410325", 2024, "b1")));
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->already_ingested);
  EXPECT_THAT(again->outcomes, ElementsAre(WriteOutcome::kInserted));
}

TEST_P(StoreConformanceTest, FindsObservationsByIndicatorAndReferenceYear) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  std::vector<ReportRow> rows;
  rows.push_back(Row("410325", 2024, "a"));
  rows.push_back(Row("410322", 2024, "b"));
  rows.push_back(Row("410322", 2025, "c"));
  ASSERT_THAT(store->WriteReports("", rows), IsOk());
  absl::StatusOr<Store::IndicatorRows> found =
      store->FindObservations("gdp", 2023);
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(found->keys, ElementsAre(ReportKey{"410322", 2024},
                                       ReportKey{"410325", 2024}));
  ASSERT_EQ(found->rows.size(), 2u);
  EXPECT_EQ(found->rows[0].effective_value, 5.42e10);
}

TEST_P(StoreConformanceTest, RowWithoutRegionIsInvalid) {
  FixedClock clock;
  auto store = GetParam().make(clock);
  EXPECT_THAT(store->WriteReports("", Rows(Row("", 2024, "a"))),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace

std::string StoreFactoryName(
    const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

}  // namespace govreport::query
