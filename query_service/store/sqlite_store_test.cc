#include "query_service/store/sqlite_store.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "query_service/store/fake_store.h"
#include "query_service/store/store_conformance.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;

// A database file under the test's temporary directory, unique per call.
std::string TempDbPath() {
  static std::atomic<int> counter{0};
  std::string path = absl::StrCat(::testing::TempDir(), "/sqlite_store_test_",
                                  getpid(), "_", counter++, ".db");
  std::remove(path.c_str());
  return path;
}

std::unique_ptr<Store> OpenOrDie(SqliteStore::Options options,
                                 const Clock& clock) {
  auto store = SqliteStore::Open(std::move(options), clock);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    AllStores, StoreConformanceTest,
    ::testing::Values(StoreFactory{"SqliteMemory",
                                   [](const Clock& clock) {
                                     return OpenOrDie({":memory:"}, clock);
                                   }},
                      StoreFactory{"SqliteFile",
                                   [](const Clock& clock) {
                                     return OpenOrDie({TempDbPath()}, clock);
                                   }},
                      StoreFactory{
                          "Fake",
                          [](const Clock& clock) -> std::unique_ptr<Store> {
                            return std::make_unique<FakeStore>(clock);
                          }}),
    StoreFactoryName);

ReportRow SimpleRow(std::string code, int32_t year, std::string bytes) {
  ReportRow row;
  row.key = {std::move(code), year};
  row.report = std::move(bytes);
  ObservationRow obs;
  obs.ordinal = 1;
  obs.indicator = "new-urban-jobs";
  obs.reference_first_year = obs.reference_last_year = year;
  obs.effective_value = 1200;
  row.observations.push_back(obs);
  return row;
}

TEST(SqliteStore, DataIsStillThereAfterReopeningTheFile) {
  const std::string path = TempDbPath();
  {
    auto store = SqliteStore::Open({path}, SystemClock::Get());
    ASSERT_THAT(store, IsOk());
    std::vector<ReportRow> rows;
    rows.push_back(SimpleRow("410325", 2024, "report-bytes"));
    ASSERT_THAT((*store)->WriteReports("sha", std::move(rows)), IsOk());
  }
  auto store = SqliteStore::Open({path}, SystemClock::Get());
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(*(*store)->DataVersion(), 1);
  auto rows = (*store)->GetReports({{"410325", 2024}});
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].report, "report-bytes");
  EXPECT_EQ((*store)->ListObservationRows({"410325", 2024})->size(), 1u);
  // The document is remembered across restarts too.
  std::vector<ReportRow> again;
  again.push_back(SimpleRow("410325", 2024, "report-bytes"));
  EXPECT_TRUE(
      (*store)->WriteReports("sha", std::move(again))->already_ingested);
}

TEST(SqliteStore, NewDatabaseIsAtTheLatestSchemaVersion) {
  auto store = SqliteStore::Open({":memory:"}, SystemClock::Get());
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(*(*store)->SchemaVersion(), SqliteStore::kLatestSchemaVersion);
}

TEST(SqliteStore, OpeningAnOlderSchemaMigratesItAndKeepsTheData) {
  const std::string path = TempDbPath();
  {
    auto old = SqliteStore::Open({path, /*target_schema_version=*/1},
                                 SystemClock::Get());
    ASSERT_THAT(old, IsOk());
    EXPECT_EQ(*(*old)->SchemaVersion(), 1);
    std::vector<ReportRow> rows;
    rows.push_back(SimpleRow("410325", 2024, "v1-bytes"));
    ASSERT_THAT((*old)->WriteReports("sha", std::move(rows)), IsOk());
  }
  auto store = SqliteStore::Open({path}, SystemClock::Get());
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(*(*store)->SchemaVersion(), SqliteStore::kLatestSchemaVersion);
  EXPECT_EQ((*(*store)->GetReports({{"410325", 2024}}))[0].report, "v1-bytes");
  EXPECT_EQ((*store)->FindObservations("new-urban-jobs", 2024)->rows.size(),
            1u);
}

TEST(SqliteStore, OpeningASchemaNewerThanTheBinaryIsAFailedPrecondition) {
  const std::string path = TempDbPath();
  ASSERT_THAT(SqliteStore::Open({path}, SystemClock::Get()), IsOk());
  // As if a newer binary had migrated the file.
  ASSERT_THAT(SqliteStore::SetSchemaVersionForTesting(
                  path, SqliteStore::kLatestSchemaVersion + 1),
              IsOk());
  EXPECT_THAT(SqliteStore::Open({path}, SystemClock::Get()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SqliteStore, TargetSchemaAboveTheLatestIsInvalid) {
  EXPECT_THAT(
      SqliteStore::Open({":memory:", SqliteStore::kLatestSchemaVersion + 1},
                        SystemClock::Get()),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SqliteStore, UnopenablePathIsUnavailable) {
  EXPECT_THAT(
      SqliteStore::Open({"/nonexistent-dir/x/y.db"}, SystemClock::Get()),
      StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace govreport::query
