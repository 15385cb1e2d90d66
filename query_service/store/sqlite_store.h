// The embedded default Store: one SQLite file, WAL journal, synchronous=FULL,
// schema versioned and migrated at open.
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

#include "common/clock.h"
#include "query_service/store/store.h"

struct sqlite3;

namespace govreport::query {

// A Store on one SQLite database. Thread-safe: one connection, every call
// serialized by a mutex (SQLite serializes writers anyway; reads are served
// from the snapshot, not from here).
class SqliteStore final : public Store {
 public:
  // The newest schema this binary knows.
  static constexpr int kLatestSchemaVersion = 3;

  struct Options {
    // Database file, or ":memory:" for a private in-memory database.
    std::string path;
    // Migrate up to this schema version only (tests of migrations use a
    // lower one); never above kLatestSchemaVersion.
    int target_schema_version = kLatestSchemaVersion;
  };

  // Opens (creating if needed) the database and runs pending migrations in
  // one transaction each. `clock` stamps ingest times and must outlive the
  // store. UNAVAILABLE when the file cannot be opened; FAILED_PRECONDITION
  // when the file's schema is newer than this binary.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(Options options,
                                                           const Clock& clock);
  ~SqliteStore() override;

  // Overwrites the schema version recorded in the file at `path`, to test
  // how Open treats files from other binaries. Never use outside tests.
  static absl::Status SetSchemaVersionForTesting(const std::string& path,
                                                 int version);

  // The schema version of the open database.
  absl::StatusOr<int> SchemaVersion();

  absl::StatusOr<WriteResult> WriteReports(
      absl::string_view document_sha256,
      std::vector<ReportRow> reports) override;
  absl::StatusOr<int64_t> DeleteReport(const ReportKey& key) override;
  absl::StatusOr<int64_t> DataVersion() override;
  absl::StatusOr<StoreListing> ListReports() override;
  absl::StatusOr<std::vector<ReportRow>> GetReports(
      const std::vector<ReportKey>& keys) override;
  absl::StatusOr<std::vector<ObservationRow>> ListObservationRows(
      const ReportKey& key) override;
  absl::StatusOr<IndicatorRows> FindObservations(absl::string_view indicator,
                                                 int32_t year) override;

 private:
  SqliteStore(sqlite3* db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::Status Migrate(int target) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<WriteResult> WriteLocked(absl::string_view document_sha256,
                                          std::vector<ReportRow>& reports)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<WriteOutcome> UpsertLocked(ReportRow& row, int64_t version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int64_t> DataVersionLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);
  const Clock& clock_;
};

}  // namespace govreport::query
