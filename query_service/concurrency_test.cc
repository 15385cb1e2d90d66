// Many readers while reports are written: the query server's read path
// (QueryEngine over SnapshotManager::Current()) against its write path
// (ReportWriter on a two-worker Executor, as ReportServiceImpl runs it) and a
// ChangeFollower refreshing the snapshot as a replica does, on FakeStore and
// on a SQLite file. Readers must only ever see whole snapshots, and data
// versions that never go back. Built under TSan by scripts/test_sanitizers
// (label tsan), where it also checks the locking of every class involved.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "query_service/engine/query_engine.h"
#include "common/executor.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/change_feed.h"
#include "query_service/store/fake_store.h"
#include "query_service/store/sqlite_store.h"
#include "query_service/testing/fixtures.h"

namespace govreport::query {
namespace {

using ::govreport::query::testing::Figure;
using ::govreport::query::testing::MakeReport;
using ::govreport::query::testing::TestIndicators;
using ::govreport::query::testing::TestRegions;
using ::govreport::testing::IsOk;
using ::testing::HasSubstr;

constexpr int kReaders = 4;
constexpr int kWrites = 120;
// The counties of the test catalog (all of 洛阳市 but one of 郑州市).
constexpr absl::string_view kCounties[] = {"嵩县", "新安县", "孟津区",
                                           "中原区"};
constexpr absl::string_view kCodes[] = {"410325", "410323", "410308", "410102"};

// A report whose every figure carries `stamp`: a reader that finds two
// different values in one report has seen a torn write.
v1::Report StampedReport(int county, int32_t year, double stamp) {
  return MakeReport(
      kCounties[county], year,
      {Figure("城镇新增就业", v1::OBSERVATION_KIND_ACHIEVED, year - 1, stamp,
              "人"),
       Figure("技能培训", v1::OBSERVATION_KIND_ACHIEVED, year - 1, stamp,
              "人次"),
       Figure("高标准农田", v1::OBSERVATION_KIND_TARGET, year, stamp, "亩")});
}

// Write number `i`: mostly puts, some deletes, some two-report ingests.
void Write(ReportWriter& writer, int i) {
  const int county = i % 4;
  const int32_t year = 2022 + (i / 4) % 4;
  if (i % 10 == 9) {
    v1::DeleteReportRequest request;
    request.set_name(
        absl::StrCat("regions/", kCodes[county], "/reports/", year));
    absl::StatusOr<v1::DeleteReportResponse> deleted = writer.Delete(request);
    // The report may not be held (never written, or deleted already).
    EXPECT_TRUE(deleted.ok() || absl::IsNotFound(deleted.status()))
        << deleted.status();
  } else if (i % 10 == 4) {
    v1::ParseDocumentResponse parsed;
    *parsed.add_reports() = StampedReport(county, year, i);
    *parsed.add_reports() = StampedReport((county + 1) % 4, year, i);
    parsed.set_extractor_version("parser/1");
    EXPECT_THAT(writer
                    .Ingest(absl::StrCat("sha-", i), "file:///doc.txt",
                            std::move(parsed))
                    .status(),
                IsOk());
  } else {
    v1::PutReportRequest request;
    *request.mutable_report() = StampedReport(county, year, i);
    EXPECT_THAT(writer.Put(request).status(), IsOk());
  }
}

// What one reader checks on every round, on one snapshot unless it says
// otherwise. Returns the snapshot's data version.
int64_t ReadRound(const QueryEngine& engine, const SnapshotManager& snapshots,
                  int64_t last_version) {
  std::shared_ptr<const Snapshot> snapshot = snapshots.Current();
  EXPECT_NE(snapshot, nullptr);
  if (snapshot == nullptr) return last_version;
  EXPECT_GE(snapshot->data_version(), last_version);

  // Every report, in pages of 3: as many as the snapshot holds, and each
  // one readable whole, all its figures from the same write.
  v1::ListReportsRequest list;
  list.set_parent("regions/-");
  list.set_page_size(3);
  size_t listed = 0;
  std::string first_page_token;
  do {
    absl::StatusOr<v1::ListReportsResponse> page =
        engine.ListReports(*snapshot, list);
    EXPECT_THAT(page.status(), IsOk());
    if (!page.ok()) break;
    if (first_page_token.empty()) first_page_token = page->next_page_token();
    for (const v1::Report& report : page->reports()) {
      ++listed;
      v1::GetReportRequest get;
      get.set_name(report.name());
      get.set_view(v1::REPORT_VIEW_FULL);
      absl::StatusOr<v1::GetReportResponse> full =
          engine.GetReport(*snapshot, get);
      EXPECT_THAT(full.status(), IsOk());
      if (!full.ok()) continue;
      EXPECT_EQ(full->report().observations_size(), 3) << report.name();
      for (const v1::Observation& obs : full->report().observations()) {
        EXPECT_EQ(obs.quantity().value(),
                  full->report().observations(0).quantity().value())
            << report.name();
      }
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(listed, snapshot->reports().size());
  EXPECT_EQ(engine.GetDataSnapshot(*snapshot).report_count(),
            static_cast<int32_t>(listed));

  // A comparison over every county of 洛阳市: one row each, held or not.
  v1::CompareRegionsRequest compare;
  compare.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
  compare.mutable_series()->set_indicator("indicators/new-urban-jobs");
  compare.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  compare.mutable_series()->set_kind(v1::OBSERVATION_KIND_ACHIEVED);
  compare.set_year(2023);
  absl::StatusOr<v1::CompareRegionsResponse> rows =
      engine.CompareRegions(*snapshot, compare);
  EXPECT_THAT(rows.status(), IsOk());
  if (rows.ok()) {
    EXPECT_EQ(rows->rows_size(), 3);
  }

  // The second page on whatever snapshot is current by now: the same data
  // version answers it, a newer one says the token is stale.
  if (!first_page_token.empty()) {
    std::shared_ptr<const Snapshot> later = snapshots.Current();
    list.set_page_token(first_page_token);
    absl::StatusOr<v1::ListReportsResponse> page =
        engine.ListReports(*later, list);
    if (later->data_version() == snapshot->data_version()) {
      EXPECT_THAT(page.status(), IsOk());
    } else {
      EXPECT_TRUE(absl::IsInvalidArgument(page.status())) << page.status();
      EXPECT_THAT(page.status().message(), HasSubstr("stale"));
    }
  }
  return snapshot->data_version();
}

// Opens the store a test runs on.
struct StoreCase {
  const char* name;
  std::unique_ptr<Store> (*open)();
};

std::unique_ptr<Store> OpenFake() { return std::make_unique<FakeStore>(); }

std::unique_ptr<Store> OpenSqliteFile() {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/concurrency_test_", getpid(), ".db");
  std::remove(path.c_str());
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open({path}, SystemClock::Get());
  EXPECT_THAT(store.status(), IsOk());
  return store.ok() ? *std::move(store) : nullptr;
}

class ConcurrentReadsAndWrites : public ::testing::TestWithParam<StoreCase> {};

TEST_P(ConcurrentReadsAndWrites, ReadersSeeWholeSnapshotsThroughEverySwap) {
  std::unique_ptr<Store> store = GetParam().open();
  ASSERT_NE(store, nullptr);
  SnapshotManager snapshots(*store);
  ASSERT_THAT(snapshots.Refresh(), IsOk());
  const QueryEngine engine(TestRegions(), TestIndicators());
  ReportWriter writer(*store, snapshots, TestRegions(), TestIndicators());

  // A second source of snapshot swaps, as on a replica: a follower that
  // polls the store and refreshes whenever the version moved.
  PollingChangeFeed feed(*store, absl::Milliseconds(1));
  ChangeFollower follower(
      feed,
      [&snapshots] {
        std::shared_ptr<const Snapshot> current = snapshots.Current();
        return current == nullptr ? int64_t{-1} : current->data_version();
      },
      [&snapshots] { return snapshots.Refresh(); });
  follower.Start();

  std::atomic<bool> writes_done{false};
  std::atomic<int> rounds{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      int64_t version = 0;
      // At least one round after the last write, so every reader also sees
      // the final snapshot.
      bool last = false;
      while (!last) {
        last = writes_done.load();
        version = ReadRound(engine, snapshots, version);
        rounds.fetch_add(1);
      }
    });
  }
  {
    Executor writes(2);
    for (int i = 0; i < kWrites; ++i) {
      writes.Submit([&writer, i] { Write(writer, i); });
    }
  }  // waits for every write
  writes_done.store(true);
  for (std::thread& reader : readers) reader.join();
  follower.Stop();

  // The snapshot is the store's latest, and readers overlapped the writes.
  absl::StatusOr<int64_t> version = store->DataVersion();
  ASSERT_THAT(version.status(), IsOk());
  EXPECT_EQ(snapshots.Current()->data_version(), *version);
  EXPECT_GT(*version, kWrites / 2);
  EXPECT_GE(rounds.load(), 2 * kReaders);
}

INSTANTIATE_TEST_SUITE_P(Stores, ConcurrentReadsAndWrites,
                         ::testing::Values(StoreCase{"Fake", OpenFake},
                                           StoreCase{"SqliteFile",
                                                     OpenSqliteFile}),
                         [](const ::testing::TestParamInfo<StoreCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace govreport::query
