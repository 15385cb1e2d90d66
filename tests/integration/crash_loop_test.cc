// Crash safety of the query server (issue 7, item 3): a client thread writes
// in a loop (PutReport and DeleteReport of hand-built reports, so that no
// parser is needed) while the test kills govreport-query with SIGKILL at a
// random moment, restarts it on the same --data_dir, and checks that
//   * every acknowledged write is there, intact (GetReport FULL equals what
//     was written, ListObservations pages through exactly its
//     observations), and every acknowledged delete stayed deleted;
//   * the one write in flight at the kill is either wholly there or wholly
//     absent;
//   * nothing half-written is visible: ListReports agrees with GetReport,
//     and in the SQLite file itself every report has exactly its
//     observation rows and no observation row lacks its report;
//   * data_version never goes back, across restarts included.
// Repeated GOVREPORT_CRASH_LOOP_ITERATIONS times (default 25); the kill
// delays come from GOVREPORT_CRASH_LOOP_SEED (printed, random when unset),
// and the longest delay is GOVREPORT_CRASH_LOOP_MAX_DELAY_MS (default 400).
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <sys/wait.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/clock.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "govreport/v1/catalog_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "query_service/store/sqlite_store.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::govreport::testing::IsOk;
using ::govreport::testing::ServerProcess;
using ::govreport::testing::StartServer;

constexpr char kToken[] = "crash-loop-token";
// The key space: few enough keys that writes often replace or delete a
// report written before.
constexpr const char* kRegionCodes[] = {"410325", "410308", "410323", "410324"};
constexpr int32_t kFirstYear = 2015;
constexpr int32_t kYearCount = 10;
constexpr char kTitlePrefix[] = "crash loop write ";

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  int64_t parsed = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &parsed)) return fallback;
  return parsed;
}

struct Key {
  std::string region_code;
  int32_t year = 0;
  friend bool operator<(const Key& a, const Key& b) {
    return std::tie(a.region_code, a.year) < std::tie(b.region_code, b.year);
  }
  std::string ReportName() const {
    return absl::StrCat("regions/", region_code, "/reports/", year);
  }
};

std::vector<Key> AllKeys() {
  std::vector<Key> keys;
  for (const char* code : kRegionCodes) {
    for (int32_t y = kFirstYear; y < kFirstYear + kYearCount; ++y) {
      keys.push_back({code, y});
    }
  }
  return keys;
}

int ObservationCount(int64_t seq) {
  return 1 + static_cast<int>((seq * 7919) % 120);
}

// The report of write number `seq` to `key`. The title and every number
// carry `seq`, so that what a restarted server returns names exactly one
// write; the observation count varies so that writes differ in size.
v1::Report BuildReport(const Key& key, int64_t seq) {
  v1::Report report;
  report.set_region(absl::StrCat("regions/", key.region_code));
  report.set_year(key.year);
  report.set_title(absl::StrCat(kTitlePrefix, seq));
  report.set_source_uri(absl::StrCat("crash-loop://write/", seq));
  report.set_extractor_version("crash_loop_test");
  const int count = ObservationCount(seq);
  for (int i = 0; i < count; ++i) {
    v1::Observation* obs = report.add_observations();
    // The first subject maps to a catalog indicator, the others do not.
    obs->set_subject_text(i == 0 ? "城镇新增就业"
                                 : absl::StrCat("崩溃测试项目", i));
    obs->set_kind(i % 2 == 0 ? v1::OBSERVATION_KIND_TARGET
                             : v1::OBSERVATION_KIND_ACHIEVED);
    obs->set_value_type(v1::VALUE_TYPE_LEVEL);
    obs->mutable_reference_period()->set_first_year(key.year);
    obs->mutable_reference_period()->set_last_year(key.year);
    const double value = static_cast<double>(seq) * 1000 + i;
    v1::Quantity* quantity = obs->mutable_quantity();
    quantity->set_value(value);
    quantity->set_effective_value(value);
    quantity->set_comparator(v1::COMPARATOR_EQUAL);
    quantity->set_unit("人");
    quantity->set_original_text(absl::StrCat(value, "人"));
  }
  return report;
}

// The write number in a served report's title; -1 when it has none.
int64_t SeqOf(const v1::Report& report) {
  absl::string_view title = report.title();
  int64_t seq = -1;
  if (!absl::ConsumePrefix(&title, kTitlePrefix) ||
      !absl::SimpleAtoi(title, &seq)) {
    return -1;
  }
  return seq;
}

// `report` without what the server adds to a written report (resource
// names, the region, ingest time, mapped indicators).
v1::Report WithoutServerFields(v1::Report report) {
  report.clear_name();
  report.clear_ingest_time();
  for (v1::Observation& obs : *report.mutable_observations()) {
    obs.clear_name();
    obs.clear_region();
    obs.clear_report();
    obs.clear_indicator();
  }
  return report;
}

// "" when `served` (FULL view) is exactly write `seq` to `key` as the
// server stores it; else what differs.
std::string DiffFromWrite(const v1::Report& served, const Key& key,
                          int64_t seq) {
  const v1::Report written = BuildReport(key, seq);
  if (served.name() != key.ReportName()) {
    return absl::StrCat("name is ", served.name());
  }
  if (!served.has_ingest_time()) return "ingest_time is not set";
  for (int i = 0; i < served.observations_size(); ++i) {
    const v1::Observation& obs = served.observations(i);
    if (obs.name() != absl::StrCat(key.ReportName(), "/observations/", i + 1)) {
      return absl::StrCat("observation ", i, " is named ", obs.name());
    }
    if (obs.report() != key.ReportName()) {
      return absl::StrCat("observation ", i, " is of report ", obs.report());
    }
  }
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (!differencer.Compare(WithoutServerFields(written),
                           WithoutServerFields(served))) {
    return diff.substr(0, 2000);
  }
  return "";
}

// A context with a deadline; with the token for writes.
std::unique_ptr<grpc::ClientContext> Context(bool write) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  if (write)
    context->AddMetadata("authorization", std::string("Bearer ") + kToken);
  return context;
}

// What the test knows the store holds: the write number of each report.
using Model = std::map<Key, int64_t>;

// The write that was on the wire when the server was killed: its outcome
// is unknown until the server is back.
struct InFlight {
  Key key;
  std::optional<int64_t> seq;  // the Put's write number; nullopt: a delete
};

// The client of one round: writes until the server goes away (or until
// an unexpected answer, recorded in `error`).
class Writer {
 public:
  Writer(v1::ReportService::Stub& reports, Model& model, uint64_t seed,
         int64_t& next_seq, int64_t& max_version,
         const std::atomic<bool>& killed)
      : reports_(reports),
        model_(model),
        rng_(seed),
        next_seq_(next_seq),
        max_version_(max_version),
        killed_(killed) {}

  void Run() {
    while (error_.empty() && !in_flight_.has_value()) Step();
  }

  int acked() const { return acked_; }
  const std::optional<InFlight>& in_flight() const { return in_flight_; }
  const std::string& error() const { return error_; }

 private:
  void Step() {
    const int choice = static_cast<int>(rng_() % 10);
    const std::vector<Key> keys = AllKeys();
    if (choice < 2 && !model_.empty()) {
      auto it = model_.begin();
      std::advance(it, static_cast<long>(rng_() % model_.size()));
      Delete(it->first);
    } else if (choice == 2 && !model_.empty()) {
      // The report held, again: unchanged, no new data version.
      auto it = model_.begin();
      std::advance(it, static_cast<long>(rng_() % model_.size()));
      Put(it->first, it->second);
    } else {
      Put(keys[rng_() % keys.size()], next_seq_++);
    }
  }

  void Put(const Key& key, int64_t seq) {
    v1::PutReportRequest request;
    *request.mutable_report() = BuildReport(key, seq);
    v1::PutReportResponse response;
    auto context = Context(true);
    const grpc::Status status =
        reports_.PutReport(context.get(), request, &response);
    if (!status.ok()) return Failed(status, {key, seq});
    const auto held = model_.find(key);
    const bool unchanged = held != model_.end() && held->second == seq;
    const bool replaced = held != model_.end() && !unchanged;
    if (response.report().name() != key.ReportName() ||
        response.unchanged() != unchanged || response.replaced() != replaced) {
      error_ =
          absl::StrCat("PutReport of write ", seq, " to ", key.ReportName(),
                       " answered ", response.ShortDebugString());
      return;
    }
    Acked(response.data_version(), !unchanged);
    model_[key] = seq;
  }

  void Delete(const Key& key) {
    v1::DeleteReportRequest request;
    request.set_name(key.ReportName());
    v1::DeleteReportResponse response;
    auto context = Context(true);
    const grpc::Status status =
        reports_.DeleteReport(context.get(), request, &response);
    if (!status.ok()) return Failed(status, {key, std::nullopt});
    Acked(response.data_version(), true);
    model_.erase(key);
  }

  // A write's data version: above every earlier one when it changed
  // something, else equal to the last.
  void Acked(const std::string& data_version, bool changed) {
    int64_t version = 0;
    if (!absl::SimpleAtoi(data_version, &version) ||
        (changed ? version <= max_version_ : version != max_version_)) {
      error_ = absl::StrCat("data_version ", data_version, " after ",
                            max_version_, " (changed: ", changed, ")");
      return;
    }
    max_version_ = version;
    ++acked_;
  }

  void Failed(const grpc::Status& status, InFlight write) {
    // The kill is announced before it is sent: a failure seen while
    // `killed_` is false came from a live server.
    if (!killed_.load()) {
      error_ = absl::StrCat("write failed before the kill: code ",
                            status.error_code(), ": ", status.error_message());
      return;
    }
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) {
      error_ = absl::StrCat("write failed at the kill with code ",
                            status.error_code(), ": ", status.error_message());
      return;
    }
    in_flight_ = std::move(write);
  }

  v1::ReportService::Stub& reports_;
  Model& model_;
  std::mt19937_64 rng_;
  int64_t& next_seq_;
  int64_t& max_version_;
  const std::atomic<bool>& killed_;
  int acked_ = 0;
  std::optional<InFlight> in_flight_;
  std::string error_;
};

// Reads while the writer writes, until the kill: what it sees must have
// been durable, so a restarted server may not go back on it.
class Reader {
 public:
  Reader(v1::ReportService::Stub& reports, const std::atomic<bool>& killed)
      : reports_(reports), killed_(killed) {}

  void Run() {
    const std::vector<Key> keys = AllKeys();
    for (size_t i = 0; error_.empty() && !killed_.load(); ++i) {
      Read(keys[i % keys.size()]);
    }
  }

  // The highest data version a read was answered from.
  int64_t max_version() const { return max_version_; }
  // Whether a read saw write `seq` in `key`.
  bool Saw(const Key& key, int64_t seq) const {
    const auto it = seen_.find(key);
    return it != seen_.end() && it->second.count(seq) > 0;
  }
  int reads() const { return reads_; }
  const std::string& error() const { return error_; }

 private:
  void Read(const Key& key) {
    v1::GetReportRequest request;
    request.set_name(key.ReportName());
    v1::GetReportResponse response;
    auto context = Context(false);
    const grpc::Status status =
        reports_.GetReport(context.get(), request, &response);
    if (!status.ok()) {
      if (status.error_code() != grpc::StatusCode::NOT_FOUND &&
          !killed_.load()) {
        error_ =
            absl::StrCat("read failed before the kill: code ",
                         status.error_code(), ": ", status.error_message());
      }
      return;
    }
    ++reads_;
    seen_[key].insert(SeqOf(response.report()));
    int64_t version = 0;
    if (absl::SimpleAtoi(response.data_version(), &version)) {
      max_version_ = std::max(max_version_, version);
    }
  }

  v1::ReportService::Stub& reports_;
  const std::atomic<bool>& killed_;
  std::map<Key, std::set<int64_t>> seen_;
  int64_t max_version_ = 0;
  int reads_ = 0;
  std::string error_;
};

class CrashLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("crash_loop");
    ASSERT_FALSE(dir_.empty());
    std::ofstream(dir_ + "/token") << kToken << "\n";
  }

  void TearDown() override {
    query_.reset();  // kills the server if it still runs
    if (!HasFailure()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    } else {
      std::printf("data, logs: %s\n", dir_.c_str());
    }
  }

  void StartQuery() {
    // No parser: PutReport and DeleteReport do not need one.
    absl::StatusOr<ServerProcess> query = StartServer(
        "govreport-query", dir_,
        {"--data_dir=" + dir_ + "/data", "--parser_target=127.0.0.1:1",
         "--auth_token_file=" + dir_ + "/token", "--shutdown_deadline=2s"},
        absl::Seconds(30));
    ASSERT_THAT(query, IsOk());
    query_ = std::make_unique<ServerProcess>(*std::move(query));
    reports_ = v1::ReportService::NewStub(query_->channel);
    catalog_ = v1::CatalogService::NewStub(query_->channel);
  }

  // The report of `key` in the FULL view; nullopt when NOT_FOUND.
  std::optional<v1::Report> GetFull(const Key& key) {
    v1::GetReportRequest request;
    request.set_name(key.ReportName());
    request.set_view(v1::REPORT_VIEW_FULL);
    v1::GetReportResponse response;
    auto context = Context(false);
    const grpc::Status status =
        reports_->GetReport(context.get(), request, &response);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      return std::nullopt;
    }
    EXPECT_TRUE(status.ok())
        << key.ReportName() << ": " << status.error_message();
    return response.report();
  }

  // Settles the write in flight at the kill: the server must hold either
  // the state before it or the state after it, wholly.
  void SettleInFlight(const InFlight& write, const Reader& reader) {
    const std::optional<v1::Report> served = GetFull(write.key);
    const auto held = model_.find(write.key);
    std::optional<int64_t> before;
    if (held != model_.end()) before = held->second;
    std::optional<int64_t> now;
    if (served.has_value()) now = SeqOf(*served);
    // A write a reader saw was visible, so durable: it must be there.
    const bool seen = write.seq.has_value() && write.seq != before &&
                      reader.Saw(write.key, *write.seq);
    if (seen) ++in_flight_seen_;
    if (now == write.seq) {
      ++in_flight_applied_;
    } else if (now == before && !seen) {
      ++in_flight_lost_;
    } else {
      ADD_FAILURE() << "the write in flight to " << write.key.ReportName()
                    << " left write "
                    << (now.has_value() ? absl::StrCat(*now) : "(none)")
                    << ", neither the state before ("
                    << (before.has_value() ? absl::StrCat(*before) : "none")
                    << ") nor after it";
      return;
    }
    if (now.has_value()) {
      model_[write.key] = *now;
    } else {
      model_.erase(write.key);
    }
  }

  // Every report of the model, intact, and nothing else; through the API
  // and in the file.
  void VerifyEverything() {
    v1::GetDataSnapshotResponse snapshot;
    {
      v1::GetDataSnapshotRequest request;
      auto context = Context(false);
      ASSERT_TRUE(
          catalog_->GetDataSnapshot(context.get(), request, &snapshot).ok());
    }
    int64_t version = 0;
    ASSERT_TRUE(absl::SimpleAtoi(snapshot.data_version(), &version));
    EXPECT_GE(version, max_version_) << "data_version went back";
    max_version_ = std::max(max_version_, version);
    EXPECT_EQ(snapshot.report_count(), static_cast<int>(model_.size()));

    for (const Key& key : AllKeys()) {
      const std::optional<v1::Report> served = GetFull(key);
      const auto held = model_.find(key);
      if (held == model_.end()) {
        EXPECT_FALSE(served.has_value())
            << key.ReportName() << " is served (write " << SeqOf(*served)
            << ") but was deleted or never acknowledged";
        continue;
      }
      ASSERT_TRUE(served.has_value())
          << "acknowledged write " << held->second << " to " << key.ReportName()
          << " is lost";
      EXPECT_EQ(DiffFromWrite(*served, key, held->second), "")
          << key.ReportName() << " is not write " << held->second;
      ExpectObservationPages(key, *served);
    }
    ExpectListMatchesModel();
    ExpectStoreFileMatchesModel(version);
  }

  // ListObservations pages through exactly the report's observations.
  void ExpectObservationPages(const Key& key, const v1::Report& served) {
    std::vector<std::string> names;
    v1::ListObservationsRequest request;
    request.set_parent(key.ReportName());
    request.set_page_size(50);
    do {
      v1::ListObservationsResponse response;
      auto context = Context(false);
      const grpc::Status status =
          reports_->ListObservations(context.get(), request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      for (const v1::Observation& obs : response.observations()) {
        names.push_back(obs.name());
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    std::vector<std::string> expected;
    for (const v1::Observation& obs : served.observations()) {
      expected.push_back(obs.name());
    }
    EXPECT_EQ(names, expected) << key.ReportName();
  }

  // ListReports (paged) names the model's reports, in order, each as
  // GetReport BASIC returns it.
  void ExpectListMatchesModel() {
    std::vector<std::string> names;
    v1::ListReportsRequest request;
    request.set_parent("regions/-");
    request.set_page_size(7);
    do {
      v1::ListReportsResponse response;
      auto context = Context(false);
      const grpc::Status status =
          reports_->ListReports(context.get(), request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      for (const v1::Report& listed : response.reports()) {
        names.push_back(listed.name());
        v1::GetReportRequest get;
        get.set_name(listed.name());
        v1::GetReportResponse got;
        auto get_context = Context(false);
        ASSERT_TRUE(reports_->GetReport(get_context.get(), get, &got).ok());
        EXPECT_TRUE(MessageDifferencer::Equals(listed, got.report()))
            << listed.name() << " is listed as " << listed.ShortDebugString()
            << " but got as " << got.report().ShortDebugString();
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    std::vector<std::string> expected;
    for (const auto& [key, seq] : model_) expected.push_back(key.ReportName());
    EXPECT_EQ(names, expected);
  }

  // The SQLite file, read beside the running server: the reports of the
  // model with exactly their observation rows, no row of any other key,
  // and the data version the server serves.
  void ExpectStoreFileMatchesModel(int64_t served_version) {
    absl::StatusOr<std::unique_ptr<query::SqliteStore>> store =
        query::SqliteStore::Open({dir_ + "/data/govreport.sqlite3"},
                                 SystemClock::Get());
    ASSERT_THAT(store, IsOk());
    absl::StatusOr<query::StoreListing> listing = (*store)->ListReports();
    ASSERT_THAT(listing, IsOk());
    EXPECT_EQ(listing->data_version, served_version);
    EXPECT_EQ(listing->reports.size(), model_.size());
    for (const Key& key : AllKeys()) {
      const query::ReportKey store_key{key.region_code, key.year};
      absl::StatusOr<std::vector<query::ObservationRow>> rows =
          (*store)->ListObservationRows(store_key);
      ASSERT_THAT(rows, IsOk());
      absl::StatusOr<std::vector<query::ReportRow>> reports =
          (*store)->GetReports({store_key});
      ASSERT_THAT(reports, IsOk());
      const auto held = model_.find(key);
      if (held == model_.end()) {
        EXPECT_TRUE(reports->empty()) << key.ReportName();
        EXPECT_TRUE(rows->empty()) << rows->size() << " observation rows of "
                                   << key.ReportName() << ", which is not held";
        continue;
      }
      ASSERT_EQ(reports->size(), 1u) << key.ReportName();
      v1::Report stored;
      ASSERT_TRUE(stored.ParseFromString((*reports)[0].report))
          << key.ReportName();
      EXPECT_EQ(SeqOf(stored), held->second) << key.ReportName();
      EXPECT_EQ(static_cast<int>(rows->size()), stored.observations_size())
          << key.ReportName();
      EXPECT_EQ(static_cast<int>(rows->size()), ObservationCount(held->second))
          << key.ReportName();
    }
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> query_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  Model model_;
  int64_t max_version_ = 0;
  int64_t next_seq_ = 1;
  int in_flight_applied_ = 0;
  int in_flight_lost_ = 0;
  int in_flight_seen_ = 0;
};

TEST_F(CrashLoopTest, AcknowledgedWritesSurviveSigkillAndNothingIsHalfWritten) {
  const int64_t iterations = EnvInt("GOVREPORT_CRASH_LOOP_ITERATIONS", 25);
  const int64_t max_delay_ms = EnvInt("GOVREPORT_CRASH_LOOP_MAX_DELAY_MS", 400);
  const uint64_t seed = static_cast<uint64_t>(
      EnvInt("GOVREPORT_CRASH_LOOP_SEED", std::random_device{}()));
  std::printf(
      "crash loop: %lld iterations, kill delay 0..%lld ms, seed %llu "
      "(rerun with GOVREPORT_CRASH_LOOP_SEED=%llu)\n",
      static_cast<long long>(iterations), static_cast<long long>(max_delay_ms),
      static_cast<unsigned long long>(seed),
      static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  const absl::Time start = absl::Now();
  int total_acked = 0;
  int total_reads = 0;
  int kills_mid_write = 0;

  ASSERT_NO_FATAL_FAILURE(StartQuery());
  for (int64_t i = 0; i < iterations; ++i) {
    ASSERT_NO_FATAL_FAILURE(VerifyEverything()) << "before iteration " << i;
    if (HasFailure()) return;

    std::atomic<bool> killed{false};
    Writer writer(*reports_, model_, rng(), next_seq_, max_version_, killed);
    Reader reader(*reports_, killed);
    std::thread writing([&writer] { writer.Run(); });
    std::thread reading([&reader] { reader.Run(); });
    const auto delay_ms =
        static_cast<int64_t>(rng() % static_cast<uint64_t>(max_delay_ms + 1));
    absl::SleepFor(absl::Milliseconds(delay_ms));
    // Announced before it is sent: see Writer::Failed.
    killed.store(true);
    const absl::Status signalled = query_->process.Signal(SIGKILL);
    absl::StatusOr<int> wstatus = query_->process.Wait(absl::Seconds(10));
    writing.join();
    reading.join();
    ASSERT_THAT(signalled, IsOk()) << "the server had already exited; see "
                                   << dir_ << "/govreport-query.log";
    ASSERT_THAT(wstatus, IsOk());
    EXPECT_TRUE(WIFSIGNALED(*wstatus) && WTERMSIG(*wstatus) == SIGKILL)
        << "wait status " << *wstatus;
    ASSERT_EQ(writer.error(), "") << "iteration " << i;
    ASSERT_EQ(reader.error(), "") << "iteration " << i;
    total_reads += reader.reads();
    // What reads saw was published, so durable: the restarted server may
    // not serve an older data version.
    max_version_ = std::max(max_version_, reader.max_version());

    total_acked += writer.acked();
    const std::optional<InFlight>& in_flight = writer.in_flight();
    if (in_flight.has_value()) ++kills_mid_write;
    std::printf(
        "iteration %lld: killed after %lld ms, %d writes acked, %s\n",
        static_cast<long long>(i), static_cast<long long>(delay_ms),
        writer.acked(),
        in_flight.has_value()
            ? absl::StrCat("in flight: ",
                           in_flight->seq.has_value() ? "put " : "delete ",
                           in_flight->key.ReportName())
                  .c_str()
            : "none in flight");
    ASSERT_NO_FATAL_FAILURE(StartQuery());
    if (in_flight.has_value()) SettleInFlight(*in_flight, reader);
  }
  ASSERT_NO_FATAL_FAILURE(VerifyEverything()) << "after the last restart";
  EXPECT_THAT(testing::StopServer(*query_), IsOk());

  const absl::Duration took = absl::Now() - start;
  std::printf(
      "crash loop: %lld SIGKILLs, %d acknowledged writes all intact, %d "
      "concurrent reads, %d kills with a write in flight (%d applied wholly, "
      "%d absent wholly; %d seen by a read before the kill), %zu reports "
      "held at the end, final data_version %lld, %s\n",
      static_cast<long long>(iterations), total_acked, total_reads,
      kills_mid_write, in_flight_applied_, in_flight_lost_, in_flight_seen_,
      model_.size(), static_cast<long long>(max_version_),
      absl::FormatDuration(took).c_str());
}

}  // namespace
}  // namespace govreport
