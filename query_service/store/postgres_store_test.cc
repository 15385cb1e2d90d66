// PostgresStore against a real PostgreSQL 15 (GOVREPORT_TEST_PG_DSN, set by
// scripts/with_postgres; every test skips without it): the store conformance
// suite that SQLite passes too, then what only a shared database has —
// several stores (replicas) on one schema, migrations racing at start,
// connections lost under the store, and the change feed.
#include "query_service/store/postgres_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "query_service/store/store_conformance.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::string TestDsn() {
  const char* dsn = std::getenv("GOVREPORT_TEST_PG_DSN");
  return dsn != nullptr ? dsn : "";
}

// Skips every test of this binary when there is no database to test with.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (TestDsn().empty()) {
      GTEST_SKIP() << "GOVREPORT_TEST_PG_DSN is not set; run under "
                      "scripts/with_postgres (make test does)";
    }
  }
};
const ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

// A schema no other test (or test process) uses: each test starts empty.
std::string FreshSchema() {
  static std::atomic<int> counter{0};
  return absl::StrCat("t", getpid(), "_", counter++);
}

PostgresStore::Options OptionsFor(const std::string& schema) {
  PostgresStore::Options options;
  options.dsn = TestDsn();
  options.schema = schema;
  options.pool_size = 2;
  return options;
}

std::unique_ptr<PostgresStore> OpenOrDie(PostgresStore::Options options,
                                         const Clock& clock) {
  auto store = PostgresStore::Open(std::move(options), clock);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreConformanceTest,
                         ::testing::Values(StoreFactory{
                             "Postgres",
                             [](const Clock& clock) -> std::unique_ptr<Store> {
                               return OpenOrDie(OptionsFor(FreshSchema()),
                                                clock);
                             }}),
                         StoreFactoryName);

// Runs SQL through psql (outside the store, as an operator would); true when
// it succeeded.
bool Psql(const std::string& dsn, const std::string& sql) {
  auto psql = govreport::testing::Subprocess::Start(
      {"/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c",
       sql});
  if (!psql.ok()) return false;
  absl::StatusOr<int> status = psql->Wait(absl::Seconds(60));
  return status.ok() && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

ReportRow Row(std::string code, int32_t year, std::string bytes) {
  ReportRow row;
  row.key = {std::move(code), year};
  row.report = std::move(bytes);
  ObservationRow obs;
  obs.ordinal = 1;
  obs.indicator = "new-urban-jobs";
  obs.subject_text = "城镇新增就业";
  obs.reference_first_year = obs.reference_last_year = year;
  obs.effective_value = 0.1;  // not exact in binary: must round-trip anyway
  obs.unit = "人";
  row.observations.push_back(obs);
  return row;
}

std::vector<ReportRow> Rows(ReportRow row) {
  std::vector<ReportRow> rows;
  rows.push_back(std::move(row));
  return rows;
}

TEST(PostgresStore, ReportBytesAndValuesRoundTripExactly) {
  auto store = OpenOrDie(OptionsFor(FreshSchema()), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  // Every byte value, NUL included: the report is BYTEA, not text.
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  ASSERT_THAT(store->WriteReports("", Rows(Row("410325", 2024, bytes))),
              IsOk());
  auto rows = store->GetReports({{"410325", 2024}});
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].report, bytes);
  auto observations = store->ListObservationRows({"410325", 2024});
  ASSERT_THAT(observations, IsOk());
  EXPECT_EQ(*observations, Row("410325", 2024, "").observations);
}

TEST(PostgresStore, DataAndIngestedDocumentsOutliveTheStore) {
  const std::string schema = FreshSchema();
  {
    auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->WriteReports("sha", Rows(Row("410325", 2024, "b"))),
                IsOk());
  }
  auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->DataVersion(), 1);
  EXPECT_EQ((*store->GetReports({{"410325", 2024}}))[0].report, "b");
  EXPECT_TRUE(store->WriteReports("sha", Rows(Row("410325", 2024, "b")))
                  ->already_ingested);
}

TEST(PostgresStore, NewDatabaseIsAtTheLatestSchemaVersion) {
  auto store = OpenOrDie(OptionsFor(FreshSchema()), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), PostgresStore::kLatestSchemaVersion);
}

TEST(PostgresStore, OpeningAnOlderSchemaMigratesItAndKeepsTheData) {
  const std::string schema = FreshSchema();
  {
    PostgresStore::Options options = OptionsFor(schema);
    options.target_schema_version = 1;
    auto old = OpenOrDie(options, SystemClock::Get());
    ASSERT_NE(old, nullptr);
    EXPECT_EQ(*old->SchemaVersion(), 1);
    ASSERT_THAT(old->WriteReports("sha", Rows(Row("410325", 2024, "v1"))),
                IsOk());
  }
  auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), PostgresStore::kLatestSchemaVersion);
  EXPECT_EQ((*store->GetReports({{"410325", 2024}}))[0].report, "v1");
  EXPECT_EQ(store->FindObservations("new-urban-jobs", 2024)->rows.size(), 1u);
}

TEST(PostgresStore, OpeningASchemaNewerThanTheBinaryIsAFailedPrecondition) {
  const std::string schema = FreshSchema();
  auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  // As if a newer binary had migrated the database.
  ASSERT_THAT(store->SetSchemaVersionForTesting(
                  PostgresStore::kLatestSchemaVersion + 1),
              IsOk());
  EXPECT_THAT(PostgresStore::Open(OptionsFor(schema), SystemClock::Get()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(PostgresStore, ReplicasStartingTogetherMigrateOnce) {
  const std::string schema = FreshSchema();
  constexpr int kReplicas = 6;
  std::vector<absl::Status> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          PostgresStore::Open(OptionsFor(schema), SystemClock::Get()).status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& status : results) EXPECT_THAT(status, IsOk());
  auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), PostgresStore::kLatestSchemaVersion);
  EXPECT_EQ(*store->DataVersion(), 0);
}

TEST(PostgresStore, ConcurrentWritersOnTwoReplicasGetDistinctVersions) {
  const std::string schema = FreshSchema();
  auto a = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  auto b = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kWritesPerWriter = 15;
  // Two writer threads per replica.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  int writer = 0;
  for (PostgresStore* store : {a.get(), b.get(), a.get(), b.get()}) {
    threads.emplace_back([&failures, store, w = writer++] {
      for (int i = 0; i < kWritesPerWriter; ++i) {
        const std::string code = absl::StrCat(410000 + w * 100 + i);
        if (!store
                 ->WriteReports(absl::StrCat("sha-", code),
                                Rows(Row(code, 2024, code)))
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<StoreListing> listing = b->ListReports();
  ASSERT_THAT(listing, IsOk());
  EXPECT_EQ(listing->data_version, 4 * kWritesPerWriter);
  std::set<int64_t> versions;
  for (const ReportVersion& rv : listing->reports) versions.insert(rv.version);
  // One version per write: no two writes saw the same data version.
  EXPECT_EQ(versions.size(), 4u * kWritesPerWriter);
  EXPECT_EQ(*versions.begin(), 1);
  EXPECT_EQ(*versions.rbegin(), 4 * kWritesPerWriter);
}

TEST(PostgresStore, SameDocumentIngestedOnTwoReplicasIsStoredOnce) {
  const std::string schema = FreshSchema();
  auto a = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  auto b = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_THAT(a->WriteReports("sha-doc", Rows(Row("410325", 2024, "x"))),
              IsOk());
  absl::StatusOr<WriteResult> again =
      b->WriteReports("sha-doc", Rows(Row("410325", 2024, "x")));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_ingested);
  EXPECT_EQ(again->data_version, 1);
}

TEST(PostgresStore, ConnectionsKilledUnderTheStoreAreReplacedUnnoticed) {
  // Connections of this store only, by application_name: other tests may be
  // running on the same server.
  const std::string app = absl::StrCat("kill_", getpid());
  PostgresStore::Options options = OptionsFor(FreshSchema());
  options.dsn += " application_name=" + app;
  auto store = OpenOrDie(options, SystemClock::Get());
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->WriteReports("", Rows(Row("410325", 2024, "a"))), IsOk());
  ASSERT_TRUE(Psql(TestDsn(), absl::StrCat("SELECT pg_terminate_backend(pid) "
                                           "FROM pg_stat_activity WHERE "
                                           "application_name = '",
                                           app, "'")));
  EXPECT_THAT(store->DataVersion(), IsOk());
  EXPECT_THAT(store->WriteReports("", Rows(Row("410325", 2025, "b"))), IsOk());
  EXPECT_EQ(*store->DataVersion(), 2);
}

TEST(PostgresStore, UnreachableDatabaseIsUnavailableWithoutTheSecret) {
  PostgresStore::Options options;
  // Nothing listens on port 1.
  options.dsn =
      "host=127.0.0.1 port=1 user=someone password=hunter2-secret "
      "connect_timeout=5";
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(options, SystemClock::Get());
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kUnavailable,
                              HasSubstr("cannot connect")));
  EXPECT_THAT(std::string(store.status().message()), Not(HasSubstr("hunter2")));
}

TEST(PostgresStore, BadOptionsAreInvalid) {
  PostgresStore::Options options = OptionsFor("bad schema; DROP");
  EXPECT_THAT(PostgresStore::Open(options, SystemClock::Get()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options = OptionsFor(FreshSchema());
  options.pool_size = 0;
  EXPECT_THAT(PostgresStore::Open(options, SystemClock::Get()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PostgresStore, DsnFileIsReadWithoutSurroundingWhitespace) {
  const std::string path =
      ::testing::TempDir() + "/dsn_" + std::to_string(getpid());
  std::ofstream(path) << "  host=db dbname=x\n";
  EXPECT_EQ(*PostgresStore::ReadDsnFile(path), "host=db dbname=x");
  std::ofstream(path) << "\n";
  EXPECT_THAT(PostgresStore::ReadDsnFile(path),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(PostgresStore::ReadDsnFile(path + ".missing"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// --- The change feed ---------------------------------------------------

TEST(PostgresChangeFeed, NotificationOfAWriteOnAnotherReplicaWakesTheWaiter) {
  const std::string schema = FreshSchema();
  auto writer = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  auto reader = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  // Polling an hour apart: only the notification can wake it in time.
  std::unique_ptr<ChangeFeed> feed = reader->NewChangeFeed(absl::Hours(1));
  // The first call connects, LISTENs and polls once: nothing new yet.
  EXPECT_EQ(*feed->WaitForChange(0, absl::ZeroDuration()), 0);

  ASSERT_THAT(writer->WriteReports("", Rows(Row("410325", 2024, "a"))), IsOk());
  const absl::Time start = absl::Now();
  absl::StatusOr<int64_t> seen = feed->WaitForChange(0, absl::Seconds(30));
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(*seen, 1);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(PostgresChangeFeed, PollingFindsAChangeThatSentNoNotification) {
  const std::string schema = FreshSchema();
  auto store = OpenOrDie(OptionsFor(schema), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  std::unique_ptr<ChangeFeed> feed =
      store->NewChangeFeed(absl::Milliseconds(20));
  EXPECT_EQ(*feed->WaitForChange(0, absl::ZeroDuration()), 0);
  // A change behind the store's back: no NOTIFY.
  ASSERT_TRUE(Psql(TestDsn(), absl::StrCat("UPDATE ", schema,
                                           ".meta SET value = 7 WHERE key = "
                                           "'data_version'")));
  absl::StatusOr<int64_t> seen = feed->WaitForChange(0, absl::Seconds(30));
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(*seen, 7);
}

TEST(PostgresChangeFeed, WaitWithoutChangeReturnsTheKnownVersionAtTimeout) {
  auto store = OpenOrDie(OptionsFor(FreshSchema()), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  std::unique_ptr<ChangeFeed> feed =
      store->NewChangeFeed(absl::Milliseconds(20));
  EXPECT_EQ(*feed->WaitForChange(0, absl::Milliseconds(100)), 0);
}

TEST(PostgresChangeFeed, CancelEndsAWaitInProgress) {
  auto store = OpenOrDie(OptionsFor(FreshSchema()), SystemClock::Get());
  ASSERT_NE(store, nullptr);
  std::unique_ptr<ChangeFeed> feed = store->NewChangeFeed(absl::Hours(1));
  absl::Status result;
  std::thread waiter(
      [&] { result = feed->WaitForChange(0, absl::Hours(1)).status(); });
  feed->Cancel();
  waiter.join();
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kCancelled));
}

TEST(PostgresChangeFeed, FailingPollsDoNotEndTheWait) {
  PostgresStore::Options options = OptionsFor(FreshSchema());
  auto store = OpenOrDie(options, SystemClock::Get());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Psql(TestDsn(),
                   absl::StrCat("DROP SCHEMA ", options.schema, " CASCADE")));
  std::unique_ptr<ChangeFeed> feed =
      store->NewChangeFeed(absl::Milliseconds(20));
  // Every poll fails (no table), but the connection is fine: the feed keeps
  // listening and answers the known version at the timeout.
  EXPECT_EQ(*feed->WaitForChange(3, absl::Milliseconds(100)), 3);
}

}  // namespace
}  // namespace govreport::query
