#include "query_service/store/sqlite_store.h"

#include <set>
#include <utility>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"

namespace govreport::query {
namespace {

// Migration i takes the schema from version i to i + 1. Never edit a
// migration that has shipped; append a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: reports kept whole, their observation rows, and the documents
    // already ingested (by SHA-256), plus the data version.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES('data_version', 0);
CREATE TABLE reports(
  region_code TEXT NOT NULL, year INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL, ingest_time_us INTEGER NOT NULL,
  version INTEGER NOT NULL, report BLOB NOT NULL,
  PRIMARY KEY(region_code, year)) WITHOUT ROWID;
CREATE TABLE observations(
  region_code TEXT NOT NULL, year INTEGER NOT NULL, ordinal INTEGER NOT NULL,
  indicator TEXT NOT NULL, subject_text TEXT NOT NULL,
  value_type INTEGER NOT NULL, kind INTEGER NOT NULL,
  reference_first_year INTEGER NOT NULL, reference_last_year INTEGER NOT NULL,
  effective_value REAL, unit TEXT NOT NULL,
  PRIMARY KEY(region_code, year, ordinal)) WITHOUT ROWID;
CREATE TABLE documents(
  content_sha256 TEXT NOT NULL, region_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  PRIMARY KEY(content_sha256, region_code, year)) WITHOUT ROWID;
)sql",
    // 1 -> 2: the indexes for lookups by indicator and by report.
    R"sql(
CREATE INDEX observations_by_indicator
  ON observations(indicator, reference_last_year);
CREATE INDEX documents_by_report ON documents(region_code, year);
)sql",
    // 2 -> 3: the keys and versions of the reports on their own, so that
    // listing them (each snapshot refresh does) reads this small index
    // instead of every page of the reports with their bytes: 30,000
    // reports, 10 ms -> 2-3 ms.
    R"sql(
CREATE INDEX reports_versions ON reports(region_code, year, version);
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) ==
              SqliteStore::kLatestSchemaVersion);

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const std::string message =
      absl::StrCat("sqlite: ", what, ": ",
                   db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return absl::UnavailableError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    default:
      return absl::InternalError(message);
  }
}

// A prepared statement, finalized on destruction. Bind indexes start at 1,
// column indexes at 0.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  absl::Status status() const {
    return rc_ == SQLITE_OK ? absl::OkStatus()
                            : SqliteError(db_, rc_, "prepare");
  }
  Statement& Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int i, absl::string_view bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Statement& Bind(int i, std::optional<double> value) {
    if (value.has_value()) {
      sqlite3_bind_double(stmt_, i, *value);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
    return *this;
  }
  // Makes the statement ready to run again with new bindings.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // Advances: true with a row, false when done.
  absl::StatusOr<bool> Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, "step");
  }
  absl::Status Run() {
    GOVREPORT_ASSIGN_OR_RETURN(bool row, Step());
    (void)row;
    return absl::OkStatus();
  }
  std::string Text(int i) const {
    const auto* p = sqlite3_column_blob(stmt_, i);
    const int n = sqlite3_column_bytes(stmt_, i);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), n);
  }
  int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::optional<double> Double(int i) const {
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_, i);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status = SqliteError(db, rc, error != nullptr ? error : sql);
  sqlite3_free(error);
  return status;
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
template <typename Fn>
auto InTransaction(sqlite3* db, Fn body) -> decltype(body()) {
  GOVREPORT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  auto result = body();
  if (!result.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();
    return result;
  }
  if (absl::Status s = Exec(db, "COMMIT"); !s.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();
    return s;
  }
  return result;
}

absl::StatusOr<int> ReadSchemaVersion(sqlite3* db) {
  Statement select(db, "SELECT version FROM schema_version");
  GOVREPORT_RETURN_IF_ERROR(select.status());
  GOVREPORT_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return absl::DataLossError("sqlite: schema_version has no row");
  return static_cast<int>(select.Int(0));
}

absl::Status InsertObservations(sqlite3* db, const ReportRow& row) {
  Statement insert(
      db,
      "INSERT INTO observations(region_code, year, ordinal, indicator, "
      "subject_text, value_type, kind, reference_first_year, "
      "reference_last_year, effective_value, unit) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  GOVREPORT_RETURN_IF_ERROR(insert.status());
  for (const ObservationRow& obs : row.observations) {
    insert.Reset();
    insert.Bind(1, row.key.region_code)
        .Bind(2, int64_t{row.key.year})
        .Bind(3, int64_t{obs.ordinal})
        .Bind(4, obs.indicator)
        .Bind(5, obs.subject_text)
        .Bind(6, int64_t{obs.value_type})
        .Bind(7, int64_t{obs.kind})
        .Bind(8, int64_t{obs.reference_first_year})
        .Bind(9, int64_t{obs.reference_last_year})
        .Bind(10, obs.effective_value)
        .Bind(11, obs.unit);
    GOVREPORT_RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::Status DeleteObservations(sqlite3* db, const ReportKey& key) {
  Statement del(
      db, "DELETE FROM observations WHERE region_code = ?1 AND year = ?2");
  GOVREPORT_RETURN_IF_ERROR(del.status());
  del.Bind(1, key.region_code).Bind(2, int64_t{key.year});
  return del.Run();
}

absl::StatusOr<std::vector<ObservationRow>> ReadObservations(
    sqlite3* db, const ReportKey& key) {
  Statement select(db,
                   "SELECT ordinal, indicator, subject_text, value_type, kind, "
                   "reference_first_year, reference_last_year, "
                   "effective_value, unit FROM observations "
                   "WHERE region_code = ?1 AND year = ?2 ORDER BY ordinal");
  GOVREPORT_RETURN_IF_ERROR(select.status());
  select.Bind(1, key.region_code).Bind(2, int64_t{key.year});
  std::vector<ObservationRow> rows;
  while (true) {
    GOVREPORT_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    ObservationRow obs;
    obs.ordinal = static_cast<int32_t>(select.Int(0));
    obs.indicator = select.Text(1);
    obs.subject_text = select.Text(2);
    obs.value_type = static_cast<int>(select.Int(3));
    obs.kind = static_cast<int>(select.Int(4));
    obs.reference_first_year = static_cast<int32_t>(select.Int(5));
    obs.reference_last_year = static_cast<int32_t>(select.Int(6));
    obs.effective_value = select.Double(7);
    obs.unit = select.Text(8);
    rows.push_back(std::move(obs));
  }
  return rows;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    Options options, const Clock& clock) {
  if (options.target_schema_version < 1 ||
      options.target_schema_version > kLatestSchemaVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sqlite: target schema version ", options.target_schema_version,
        " is not in 1..", kLatestSchemaVersion));
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      options.path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status =
        SqliteError(db, rc, absl::StrCat("opening ", options.path));
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, clock));
  absl::MutexLock lock(&store->mu_);
  sqlite3_busy_timeout(db, 5000);
  GOVREPORT_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  GOVREPORT_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=FULL"));
  GOVREPORT_RETURN_IF_ERROR(Exec(db, "PRAGMA foreign_keys=ON"));
  GOVREPORT_RETURN_IF_ERROR(store->Migrate(options.target_schema_version));
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

absl::Status SqliteStore::Migrate(int target) {
  GOVREPORT_RETURN_IF_ERROR(
      Exec(db_,
           "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT "
           "NULL);"
           "INSERT INTO schema_version(version) SELECT 0 WHERE NOT EXISTS "
           "(SELECT 1 FROM schema_version)"));
  GOVREPORT_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db_));
  if (version > kLatestSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sqlite: database schema version ", version,
        " is newer than this binary knows (", kLatestSchemaVersion, ")"));
  }
  for (; version < target; ++version) {
    const int next = version + 1;
    GOVREPORT_RETURN_IF_ERROR(InTransaction(db_, [&]() -> absl::Status {
      GOVREPORT_RETURN_IF_ERROR(Exec(db_, kMigrations[version]));
      Statement update(db_, "UPDATE schema_version SET version = ?1");
      GOVREPORT_RETURN_IF_ERROR(update.status());
      update.Bind(1, int64_t{next});
      return update.Run();
    }));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::SetSchemaVersionForTesting(const std::string& path,
                                                     int version) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open(path.c_str(), &db);
  absl::Status status =
      rc == SQLITE_OK ? absl::OkStatus() : SqliteError(db, rc, "opening");
  if (status.ok()) {
    Statement update(db, "UPDATE schema_version SET version = ?1");
    status = update.status();
    if (status.ok()) status = update.Bind(1, int64_t{version}).Run();
  }
  sqlite3_close(db);
  return status;
}

absl::StatusOr<int> SqliteStore::SchemaVersion() {
  absl::MutexLock lock(&mu_);
  return ReadSchemaVersion(db_);
}

absl::StatusOr<int64_t> SqliteStore::DataVersionLocked() {
  Statement select(db_, "SELECT value FROM meta WHERE key = 'data_version'");
  GOVREPORT_RETURN_IF_ERROR(select.status());
  GOVREPORT_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return absl::DataLossError("sqlite: meta has no data_version");
  return select.Int(0);
}

absl::StatusOr<int64_t> SqliteStore::DataVersion() {
  absl::MutexLock lock(&mu_);
  return DataVersionLocked();
}

absl::StatusOr<WriteResult> SqliteStore::WriteReports(
    absl::string_view document_sha256, std::vector<ReportRow> reports) {
  GOVREPORT_RETURN_IF_ERROR(ValidateWriteRows(reports));
  absl::MutexLock lock(&mu_);
  return InTransaction(db_,
                       [&] { return WriteLocked(document_sha256, reports); });
}

absl::StatusOr<WriteResult> SqliteStore::WriteLocked(
    absl::string_view document_sha256, std::vector<ReportRow>& reports) {
  WriteResult result;
  GOVREPORT_ASSIGN_OR_RETURN(result.data_version, DataVersionLocked());
  if (!document_sha256.empty()) {
    Statement select(db_,
                     "SELECT region_code, year FROM documents "
                     "WHERE content_sha256 = ?1 ORDER BY region_code, year");
    GOVREPORT_RETURN_IF_ERROR(select.status());
    select.Bind(1, document_sha256);
    while (true) {
      GOVREPORT_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      result.keys.push_back(
          {select.Text(0), static_cast<int32_t>(select.Int(1))});
    }
    if (!result.keys.empty()) {
      result.already_ingested = true;
      return result;
    }
  }
  const int64_t next_version = result.data_version + 1;
  bool changed = false;
  for (ReportRow& row : reports) {
    GOVREPORT_ASSIGN_OR_RETURN(WriteOutcome outcome,
                               UpsertLocked(row, next_version));
    changed |= outcome != WriteOutcome::kUnchanged;
    result.keys.push_back(row.key);
    result.outcomes.push_back(outcome);
    if (!document_sha256.empty()) {
      Statement insert(db_,
                       "INSERT OR IGNORE INTO documents(content_sha256, "
                       "region_code, year) VALUES(?1, ?2, ?3)");
      GOVREPORT_RETURN_IF_ERROR(insert.status());
      insert.Bind(1, document_sha256)
          .Bind(2, row.key.region_code)
          .Bind(3, int64_t{row.key.year});
      GOVREPORT_RETURN_IF_ERROR(insert.Run());
    }
  }
  if (changed) {
    Statement update(db_,
                     "UPDATE meta SET value = ?1 WHERE key = 'data_version'");
    GOVREPORT_RETURN_IF_ERROR(update.status());
    update.Bind(1, next_version);
    GOVREPORT_RETURN_IF_ERROR(update.Run());
    result.data_version = next_version;
  }
  return result;
}

absl::StatusOr<WriteOutcome> SqliteStore::UpsertLocked(ReportRow& row,
                                                       int64_t version) {
  Statement select(db_,
                   "SELECT report FROM reports "
                   "WHERE region_code = ?1 AND year = ?2");
  GOVREPORT_RETURN_IF_ERROR(select.status());
  select.Bind(1, row.key.region_code).Bind(2, int64_t{row.key.year});
  GOVREPORT_ASSIGN_OR_RETURN(bool exists, select.Step());
  if (exists && select.Text(0) == row.report) return WriteOutcome::kUnchanged;

  Statement upsert(db_,
                   "INSERT OR REPLACE INTO reports(region_code, year, "
                   "content_sha256, ingest_time_us, version, report) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  GOVREPORT_RETURN_IF_ERROR(upsert.status());
  upsert.Bind(1, row.key.region_code)
      .Bind(2, int64_t{row.key.year})
      .Bind(3, row.content_sha256)
      .Bind(4, absl::ToUnixMicros(clock_.Now()))
      .Bind(5, version)
      .BindBlob(6, row.report);
  GOVREPORT_RETURN_IF_ERROR(upsert.Run());
  GOVREPORT_RETURN_IF_ERROR(DeleteObservations(db_, row.key));
  GOVREPORT_RETURN_IF_ERROR(InsertObservations(db_, row));
  return exists ? WriteOutcome::kReplaced : WriteOutcome::kInserted;
}

absl::StatusOr<int64_t> SqliteStore::DeleteReport(const ReportKey& key) {
  absl::MutexLock lock(&mu_);
  return InTransaction(db_, [&]() -> absl::StatusOr<int64_t> {
    Statement del(db_,
                  "DELETE FROM reports WHERE region_code = ?1 AND year = ?2");
    GOVREPORT_RETURN_IF_ERROR(del.status());
    del.Bind(1, key.region_code).Bind(2, int64_t{key.year});
    GOVREPORT_RETURN_IF_ERROR(del.Run());
    if (sqlite3_changes(db_) == 0) {
      return absl::NotFoundError(absl::StrCat(
          "no report for region ", key.region_code, " and year ", key.year));
    }
    GOVREPORT_RETURN_IF_ERROR(DeleteObservations(db_, key));
    Statement forget(db_,
                     "DELETE FROM documents WHERE content_sha256 IN (SELECT "
                     "content_sha256 FROM documents WHERE region_code = ?1 "
                     "AND year = ?2)");
    GOVREPORT_RETURN_IF_ERROR(forget.status());
    forget.Bind(1, key.region_code).Bind(2, int64_t{key.year});
    GOVREPORT_RETURN_IF_ERROR(forget.Run());
    GOVREPORT_RETURN_IF_ERROR(Exec(db_,
                                   "UPDATE meta SET value = value + 1 "
                                   "WHERE key = 'data_version'"));
    return DataVersionLocked();
  });
}

absl::StatusOr<StoreListing> SqliteStore::ListReports() {
  absl::MutexLock lock(&mu_);
  // One read transaction, so that the version matches the keys.
  GOVREPORT_RETURN_IF_ERROR(Exec(db_, "BEGIN"));
  auto listing = [&]() -> absl::StatusOr<StoreListing> {
    StoreListing listing;
    GOVREPORT_ASSIGN_OR_RETURN(listing.data_version, DataVersionLocked());
    Statement select(db_,
                     "SELECT region_code, year, version FROM reports "
                     "ORDER BY region_code, year");
    GOVREPORT_RETURN_IF_ERROR(select.status());
    while (true) {
      GOVREPORT_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      listing.reports.push_back(
          {{select.Text(0), static_cast<int32_t>(select.Int(1))},
           select.Int(2)});
    }
    return listing;
  }();
  Exec(db_, "COMMIT").IgnoreError();
  return listing;
}

absl::StatusOr<std::vector<ReportRow>> SqliteStore::GetReports(
    const std::vector<ReportKey>& keys) {
  absl::MutexLock lock(&mu_);
  std::vector<ReportRow> rows;
  rows.reserve(keys.size());
  for (const ReportKey& key : keys) {
    Statement select(db_,
                     "SELECT content_sha256, ingest_time_us, version, report "
                     "FROM reports WHERE region_code = ?1 AND year = ?2");
    GOVREPORT_RETURN_IF_ERROR(select.status());
    select.Bind(1, key.region_code).Bind(2, int64_t{key.year});
    GOVREPORT_ASSIGN_OR_RETURN(bool found, select.Step());
    if (!found) continue;
    ReportRow row;
    row.key = key;
    row.content_sha256 = select.Text(0);
    row.ingest_time = absl::FromUnixMicros(select.Int(1));
    row.version = select.Int(2);
    row.report = select.Text(3);
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<std::vector<ObservationRow>> SqliteStore::ListObservationRows(
    const ReportKey& key) {
  absl::MutexLock lock(&mu_);
  return ReadObservations(db_, key);
}

absl::StatusOr<Store::IndicatorRows> SqliteStore::FindObservations(
    absl::string_view indicator, int32_t year) {
  absl::MutexLock lock(&mu_);
  Statement select(db_,
                   "SELECT region_code, year, ordinal, subject_text, "
                   "value_type, kind, reference_first_year, "
                   "reference_last_year, effective_value, unit "
                   "FROM observations WHERE indicator = ?1 AND "
                   "reference_last_year = ?2 ORDER BY region_code, year, "
                   "ordinal");
  GOVREPORT_RETURN_IF_ERROR(select.status());
  select.Bind(1, indicator).Bind(2, int64_t{year});
  IndicatorRows result;
  while (true) {
    GOVREPORT_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    result.keys.push_back(
        {select.Text(0), static_cast<int32_t>(select.Int(1))});
    ObservationRow obs;
    obs.ordinal = static_cast<int32_t>(select.Int(2));
    obs.indicator = std::string(indicator);
    obs.subject_text = select.Text(3);
    obs.value_type = static_cast<int>(select.Int(4));
    obs.kind = static_cast<int>(select.Int(5));
    obs.reference_first_year = static_cast<int32_t>(select.Int(6));
    obs.reference_last_year = static_cast<int32_t>(select.Int(7));
    obs.effective_value = select.Double(8);
    obs.unit = select.Text(9);
    result.rows.push_back(std::move(obs));
  }
  return result;
}

}  // namespace govreport::query
