// A Store on PostgreSQL 15 through libpqxx, for several query replicas on one
// database: the same schema, migrations, durability and idempotence as
// SqliteStore, a small connection pool that replaces connections lost when
// the database restarts, and a change feed (LISTEN/NOTIFY plus a polled data
// version) so that each replica sees the others' writes.
//
// postgres_store.cc is the only file that includes libpqxx/libpq.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "common/clock.h"
#include "query_service/store/change_feed.h"
#include "query_service/store/store.h"

namespace govreport::query {

// Thread-safe: every call takes a connection from the pool for its duration
// (waiting up to Options::acquire_timeout when all are busy), so up to
// `pool_size` calls run at once. Writes are serialized across every process
// on the database by a row lock on the data version, taken first in each
// write transaction; the version is bumped and a notification sent in that
// same transaction, committed (synchronous_commit=on) before the call
// returns.
//
// Errors: UNAVAILABLE when the database cannot be reached (down, restarting,
// refusing connections, or the connection was lost mid-call; the message
// says which, never the DSN); a connection lost while idle is replaced and
// the call retried once on a fresh connection. ABORTED for a serialization
// failure, deadlock or constraint conflict (retry the call); INVALID_ARGUMENT
// for data PostgreSQL refuses (e.g. a NUL byte in text); FAILED_PRECONDITION
// for a schema newer than this binary; INTERNAL otherwise. No exception
// escapes.
class PostgresStore final : public Store {
 public:
  // The newest schema this binary knows (the same steps as SQLite's).
  static constexpr int kLatestSchemaVersion = 2;

  struct Options {
    // libpq connection string ("host=… dbname=…") or postgresql:// URI.
    // Secret: never logged, never put in an error message.
    std::string dsn;
    // When not empty, the schema that holds the tables (created if missing,
    // set as search_path on every connection); else the DSN's search_path.
    // Letters, digits and '_' only, at most 40 characters. Tests use one per
    // test; replicas of one deployment must use the same.
    std::string schema;
    // Connections kept open for calls (the change feed has its own).
    int pool_size = 4;
    // How long a call waits for a free connection before UNAVAILABLE.
    absl::Duration acquire_timeout = absl::Seconds(10);
    // Migrate up to this schema version only (tests of migrations); never
    // above kLatestSchemaVersion.
    int target_schema_version = kLatestSchemaVersion;
  };

  // Connects and runs pending migrations, one transaction each, under a
  // PostgreSQL advisory lock so that replicas starting together migrate
  // once. `clock` stamps ingest times and must outlive the store.
  // INVALID_ARGUMENT for bad options; UNAVAILABLE when the database cannot
  // be reached; FAILED_PRECONDITION when its schema is newer than this
  // binary.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      Options options, const Clock& clock);
  ~PostgresStore() override;

  // Reads a DSN from a file (e.g. a mounted Kubernetes Secret), without
  // surrounding whitespace. FAILED_PRECONDITION when it cannot be read or is
  // empty (the message names the file, not its content).
  static absl::StatusOr<std::string> ReadDsnFile(const std::string& path);

  // A feed of this database's changes on its own connection: LISTEN on the
  // store's channel, with the data version also read every `poll_interval`
  // (the fallback for a missed notification, e.g. while reconnecting).
  // Reconnects by itself, at most once per min(`poll_interval`, 1 s); an
  // infinite `poll_interval` means notifications only. The feed may
  // outlive the store.
  std::unique_ptr<ChangeFeed> NewChangeFeed(absl::Duration poll_interval);

  // The schema version of the database.
  absl::StatusOr<int> SchemaVersion();

  // Overwrites the recorded schema version, to test how Open treats a
  // database migrated by another binary. Never use outside tests.
  absl::Status SetSchemaVersionForTesting(int version);

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
  class Pool;
  PostgresStore(Options options, const Clock& clock);
  absl::Status Migrate(int target);

  const Options options_;
  const Clock& clock_;
  // The NOTIFY channel: one per schema, so that stores in other schemas of
  // the same database do not wake each other.
  const std::string channel_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace govreport::query
