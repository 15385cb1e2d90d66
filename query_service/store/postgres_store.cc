#include "query_service/store/postgres_store.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <pqxx/pqxx>
#include <sys/eventfd.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

#include "common/logging.h"
#include "common/status_macros.h"

namespace govreport::query {
namespace {

// Migration i takes the schema from version i to i + 1: the same steps as
// SqliteStore's. Never edit a migration that has shipped; append a new one.
// Text is ordered with COLLATE "C" in queries (byte order, as SQLite does),
// whatever the database's locale.
constexpr const char* kMigrations[] = {
    // 0 -> 1: reports kept whole, their observation rows, the documents
    // already ingested (by SHA-256), and the data version.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO meta(key, value) VALUES('data_version', 0);
CREATE TABLE reports(
  region_code TEXT NOT NULL, year INTEGER NOT NULL,
  content_sha256 TEXT NOT NULL, ingest_time_us BIGINT NOT NULL,
  version BIGINT NOT NULL, report BYTEA NOT NULL,
  PRIMARY KEY(region_code, year));
CREATE TABLE observations(
  region_code TEXT NOT NULL, year INTEGER NOT NULL, ordinal INTEGER NOT NULL,
  indicator TEXT NOT NULL, subject_text TEXT NOT NULL,
  value_type INTEGER NOT NULL, kind INTEGER NOT NULL,
  reference_first_year INTEGER NOT NULL, reference_last_year INTEGER NOT NULL,
  effective_value DOUBLE PRECISION, unit TEXT NOT NULL,
  PRIMARY KEY(region_code, year, ordinal));
CREATE TABLE documents(
  content_sha256 TEXT NOT NULL, region_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  PRIMARY KEY(content_sha256, region_code, year));
)sql",
    // 1 -> 2: the indexes for lookups by indicator and by report.
    R"sql(
CREATE INDEX observations_by_indicator
  ON observations(indicator, reference_last_year);
CREATE INDEX documents_by_report ON documents(region_code, year);
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) ==
              PostgresStore::kLatestSchemaVersion);

constexpr char kChannelPrefix[] = "govreport_data_version";
constexpr size_t kMaxSchemaLength = 40;  // the channel stays under 63 bytes
// Rows per multi-row INSERT and keys per lookup: one round trip each.
constexpr size_t kBatch = 500;

// ---------------------------------------------------------------------------
// Exceptions to Status, at the boundary.

// How a failed call left its connection.
enum class Failure {
  kNone,            // an error of the statement; the connection is fine
  kConnectionLost,  // the connection is gone, nothing was committed
  kInDoubt,         // the connection was lost during COMMIT
};

bool IsConnectionSqlState(const std::string& state) {
  // 08: connection exception; 57P01..57P03: the server is shutting down,
  // crashed or is starting; 53300: too many connections.
  return absl::StartsWith(state, "08") || state == "57P01" ||
         state == "57P02" || state == "57P03" || state == "53300";
}

// libpq's messages span lines ("…failed: Connection refused\n\tIs the
// server running…"); ours are one line.
std::string OneLine(const char* message) {
  std::string text = absl::StrReplaceAll(message, {{"\n", " "}, {"\t", ""}});
  absl::StripAsciiWhitespace(&text);
  return text;
}

// Converts the exception being handled into a Status and says what became of
// the connection. Call only inside a catch block.
absl::Status StatusFromCurrentException(Failure* failure) {
  *failure = Failure::kNone;
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    *failure = Failure::kInDoubt;
    return absl::UnavailableError(
        absl::StrCat("connection lost while committing; the write may or may "
                     "not have been applied: ",
                     OneLine(e.what())));
  } catch (const pqxx::broken_connection& e) {
    *failure = Failure::kConnectionLost;
    return absl::UnavailableError(
        absl::StrCat("database unreachable: ", OneLine(e.what())));
  } catch (const pqxx::transaction_rollback& e) {
    // Serialization failure, deadlock, or a statement of unknown outcome.
    return absl::AbortedError(OneLine(e.what()));
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    const std::string message =
        absl::StrCat(OneLine(e.what()), " (SQLSTATE ", state, ")");
    if (IsConnectionSqlState(state)) {
      *failure = Failure::kConnectionLost;
      return absl::UnavailableError(
          absl::StrCat("database unreachable: ", message));
    }
    if (absl::StartsWith(state, "23") || absl::StartsWith(state, "40")) {
      return absl::AbortedError(message);
    }
    if (absl::StartsWith(state, "22")) {
      return absl::InvalidArgumentError(message);
    }
    if (absl::StartsWith(state, "53") || state == "57014") {
      // Out of disk, memory or connections; statement cancelled.
      return absl::UnavailableError(message);
    }
    if (state == "42P01" || state == "3F000") {
      return absl::FailedPreconditionError(
          absl::StrCat("schema not ready: ", message));
    }
    return absl::InternalError(message);
  } catch (const std::exception& e) {
    return absl::InternalError(OneLine(e.what()));
  } catch (...) {
    return absl::InternalError("unknown exception");
  }
}

absl::Status WithContext(absl::string_view what, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat("postgres: ", what, ": ", status.message()));
}

// A new connection with our session settings. pqxx restores variables set
// with set_variable should it ever reconnect by itself. Throws as libpqxx
// does.
std::unique_ptr<pqxx::connection> MakeConnection(const std::string& dsn,
                                                 const std::string& schema) {
  auto conn = std::make_unique<pqxx::connection>(dsn);
  conn->set_client_encoding("UTF8");
  // Commit means durable, whatever the server's default.
  conn->set_variable("synchronous_commit", "on");
  // No NOTICEs ("schema already exists, skipping") on stderr.
  conn->set_variable("client_min_messages", "warning");
  if (!schema.empty())
    conn->set_variable("search_path", conn->quote_name(schema));
  return conn;
}

// Whether an idle connection was closed under us (e.g. the server
// restarted): the server then sent an error and closed the socket, so it is
// readable. Costs one poll(2), no round trip.
bool LooksClosed(const pqxx::connection& conn) {
  const int fd = conn.sock();
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

// ---------------------------------------------------------------------------
// The connection pool.

class ConnectionPool {
 public:
  ConnectionPool(std::string dsn, std::string schema, int size,
                 absl::Duration acquire_timeout)
      : dsn_(std::move(dsn)),
        schema_(std::move(schema)),
        size_(size),
        acquire_timeout_(acquire_timeout) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection lent for one call; goes back to the pool on destruction
  // unless discarded (or found closed).
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> conn,
          bool reused)
        : pool_(pool), conn_(std::move(conn)), reused_(reused) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_ != nullptr) pool_->Release(std::move(conn_), discarded_);
    }
    pqxx::connection& conn() { return *conn_; }
    // Whether the connection had served calls before (and may have died
    // while idle), as opposed to opened for this call.
    bool reused() const { return reused_; }
    void Discard() { discarded_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool reused_;
    bool discarded_ = false;
  };

  // An idle connection, else a new one while fewer than `size` are open,
  // else waits for one. UNAVAILABLE when none frees up within the acquire
  // timeout or a new one cannot be opened.
  absl::StatusOr<Lease> Acquire() {
    std::vector<std::unique_ptr<pqxx::connection>> closed;  // freed unlocked
    {
      absl::MutexLock lock(&mu_);
      const absl::Time deadline = absl::Now() + acquire_timeout_;
      while (true) {
        if (!mu_.AwaitWithDeadline(
                absl::Condition(this, &ConnectionPool::CanAcquire), deadline)) {
          return absl::UnavailableError(
              absl::StrCat("all ", size_, " connections stayed busy for ",
                           absl::FormatDuration(acquire_timeout_)));
        }
        if (idle_.empty()) break;  // room for a new connection
        std::unique_ptr<pqxx::connection> conn = std::move(idle_.back());
        idle_.pop_back();
        if (!conn->is_open() || LooksClosed(*conn)) {
          --open_;
          closed.push_back(std::move(conn));
          continue;
        }
        return Lease(this, std::move(conn), /*reused=*/true);
      }
      ++open_;
    }
    if (!closed.empty()) {
      spdlog::info("postgres: replacing {} connection(s) closed by the server",
                   closed.size());
    }
    closed.clear();
    try {
      return Lease(this, MakeConnection(dsn_, schema_), /*reused=*/false);
    } catch (const pqxx::broken_connection& e) {
      absl::MutexLock lock(&mu_);
      --open_;
      return absl::UnavailableError(
          absl::StrCat("cannot connect: ", OneLine(e.what())));
    } catch (...) {
      Failure failure;
      absl::Status status = StatusFromCurrentException(&failure);
      absl::MutexLock lock(&mu_);
      --open_;
      return absl::UnavailableError(
          absl::StrCat("cannot connect: ", status.message()));
    }
  }

 private:
  bool CanAcquire() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() || open_ < size_;
  }

  void Release(std::unique_ptr<pqxx::connection> conn, bool discard) {
    if (discard || !conn->is_open()) {
      {
        absl::MutexLock lock(&mu_);
        --open_;
      }
      conn.reset();  // closes the socket, outside the lock
      return;
    }
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(conn));
  }

  const std::string dsn_;
  const std::string schema_;
  const int size_;
  const absl::Duration acquire_timeout_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle plus lent
};

// Runs `fn(connection)` on a pooled connection and turns any exception into
// a Status prefixed with "postgres: `what`". A connection that turns out to
// be dead is dropped; when it was a reused one (it may have died with a
// server restart while idle), the call is tried once more on a fresh
// connection: nothing was committed on the dead one. Not after a commit in
// doubt.
template <typename Fn>
auto WithConnection(ConnectionPool& pool, absl::string_view what, Fn&& fn)
    -> decltype(fn(std::declval<pqxx::connection&>())) {
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease.ok()) return WithContext(what, lease.status());
    absl::Status error;
    Failure failure = Failure::kNone;
    try {
      return fn(lease->conn());
    } catch (...) {
      error = StatusFromCurrentException(&failure);
    }
    if (failure != Failure::kNone) lease->Discard();
    if (failure == Failure::kConnectionLost && lease->reused() &&
        attempt == 0) {
      continue;
    }
    return WithContext(what, error);
  }
}

// ---------------------------------------------------------------------------
// Statements.

// Locks the data version row until the end of `txn` and returns its value:
// the first statement of every write, so writes from every replica are
// serialized and each sees the others' committed rows.
absl::StatusOr<int64_t> LockDataVersion(pqxx::work& txn) {
  const pqxx::result r =
      txn.exec("SELECT value FROM meta WHERE key = 'data_version' FOR UPDATE");
  if (r.empty()) return absl::DataLossError("meta has no data_version");
  return r[0][0].as<int64_t>();
}

// Sets the data version and notifies listeners, both taking effect at commit.
void PublishDataVersion(pqxx::work& txn, const std::string& channel,
                        int64_t version) {
  txn.exec_params("UPDATE meta SET value = $1 WHERE key = 'data_version'",
                  version);
  txn.exec_params("SELECT pg_notify($1, $2)", channel, std::to_string(version));
}

// Multi-row INSERTs of the observation rows, kBatch rows per statement.
void InsertObservations(pqxx::work& txn, const ReportRow& row) {
  const std::string region = txn.quote(row.key.region_code);
  const std::string year = std::to_string(row.key.year);
  for (size_t start = 0; start < row.observations.size(); start += kBatch) {
    std::string sql =
        "INSERT INTO observations(region_code, year, ordinal, indicator, "
        "subject_text, value_type, kind, reference_first_year, "
        "reference_last_year, effective_value, unit) VALUES ";
    const size_t end = std::min(row.observations.size(), start + kBatch);
    for (size_t i = start; i < end; ++i) {
      const ObservationRow& obs = row.observations[i];
      absl::StrAppend(
          &sql, i == start ? "(" : ",(", region, ",", year, ",", obs.ordinal,
          ",", txn.quote(obs.indicator), ",", txn.quote(obs.subject_text), ",",
          obs.value_type, ",", obs.kind, ",", obs.reference_first_year, ",",
          obs.reference_last_year, ",",
          obs.effective_value.has_value()
              ? absl::StrCat(txn.quote(*obs.effective_value), "::float8")
              : "NULL",
          ",", txn.quote(obs.unit), ")");
    }
    txn.exec(sql);
  }
}

WriteOutcome Upsert(pqxx::work& txn, const ReportRow& row, int64_t version,
                    int64_t ingest_time_us) {
  const pqxx::binarystring bytes(row.report.data(), row.report.size());
  const pqxx::result held = txn.exec_params(
      "SELECT report = $3 FROM reports WHERE region_code = $1 AND year = $2",
      row.key.region_code, row.key.year, bytes);
  if (!held.empty() && held[0][0].as<bool>()) return WriteOutcome::kUnchanged;
  txn.exec_params(
      "INSERT INTO reports(region_code, year, content_sha256, ingest_time_us, "
      "version, report) VALUES($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (region_code, year) DO UPDATE SET "
      "content_sha256 = EXCLUDED.content_sha256, "
      "ingest_time_us = EXCLUDED.ingest_time_us, version = EXCLUDED.version, "
      "report = EXCLUDED.report",
      row.key.region_code, row.key.year, row.content_sha256, ingest_time_us,
      version, bytes);
  txn.exec_params(
      "DELETE FROM observations WHERE region_code = $1 AND year = $2",
      row.key.region_code, row.key.year);
  InsertObservations(txn, row);
  return held.empty() ? WriteOutcome::kInserted : WriteOutcome::kReplaced;
}

std::optional<double> OptionalDouble(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<double>();
}

// Columns: ordinal, indicator, subject_text, value_type, kind,
// reference_first_year, reference_last_year, effective_value, unit, from
// column `first` on.
ObservationRow ObservationFromRow(const pqxx::row& r, int first) {
  ObservationRow obs;
  obs.ordinal = r[first].as<int32_t>();
  obs.indicator = r[first + 1].as<std::string>();
  obs.subject_text = r[first + 2].as<std::string>();
  obs.value_type = r[first + 3].as<int>();
  obs.kind = r[first + 4].as<int>();
  obs.reference_first_year = r[first + 5].as<int32_t>();
  obs.reference_last_year = r[first + 6].as<int32_t>();
  obs.effective_value = OptionalDouble(r[first + 7]);
  obs.unit = r[first + 8].as<std::string>();
  return obs;
}

constexpr char kObservationColumns[] =
    "ordinal, indicator, subject_text, value_type, kind, "
    "reference_first_year, reference_last_year, effective_value, unit";

// ---------------------------------------------------------------------------
// The change feed: LISTEN on its own connection, plus polling.

class PostgresChangeFeed final : public ChangeFeed {
 public:
  PostgresChangeFeed(std::string dsn, std::string schema, std::string channel,
                     absl::Duration poll_interval)
      : dsn_(std::move(dsn)),
        schema_(std::move(schema)),
        channel_(std::move(channel)),
        poll_interval_(std::max(poll_interval, absl::Milliseconds(10))),
        wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~PostgresChangeFeed() override {
    Disconnect();
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  absl::StatusOr<int64_t> WaitForChange(int64_t known_version,
                                        absl::Duration timeout) override;
  void Cancel() override {
    cancelled_ = true;
    const uint64_t one = 1;
    if (wake_fd_ >= 0 && ::write(wake_fd_, &one, sizeof one) < 0) {
      // Full counter: a wake-up is pending anyway.
    }
  }

 private:
  // Turns each notification's payload (the new data version) into
  // `notified_`; an unreadable payload makes the next step poll.
  class Receiver final : public pqxx::notification_receiver {
   public:
    Receiver(pqxx::connection& conn, const std::string& channel,
             PostgresChangeFeed& feed)
        : pqxx::notification_receiver(conn, channel), feed_(feed) {}
    void operator()(const std::string& payload, int) override {
      int64_t version = 0;
      if (absl::SimpleAtoi(payload, &version)) {
        feed_.notified_ = std::max(feed_.notified_, version);
      } else {
        feed_.poll_now_ = true;
      }
    }

   private:
    PostgresChangeFeed& feed_;
  };

  absl::Status Connect();
  void Disconnect();
  void Lost(const absl::Status& status);
  // Waits until the connection's socket or the wake-up is readable, or
  // `timeout` passes.
  void WaitReadable(absl::Duration timeout);

  const std::string dsn_;
  const std::string schema_;
  const std::string channel_;
  const absl::Duration poll_interval_;
  const int wake_fd_;
  std::atomic<bool> cancelled_{false};

  // Used by the waiting thread only.
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<Receiver> receiver_;  // destroyed before conn_
  int64_t notified_ = -1;               // newest version notified, unseen
  bool poll_now_ = true;
  absl::Time next_poll_ = absl::InfinitePast();
  absl::Time next_connect_ = absl::InfinitePast();
  absl::Status last_error_ = absl::UnavailableError("postgres: not connected");
  bool was_connected_ = false;
};

absl::Status PostgresChangeFeed::Connect() {
  try {
    conn_ = MakeConnection(dsn_, schema_);
    // LISTEN first, poll right after: nothing committed in between is
    // missed.
    receiver_ = std::make_unique<Receiver>(*conn_, channel_, *this);
    poll_now_ = true;
    if (was_connected_) spdlog::info("postgres: change feed listening again");
    was_connected_ = true;
    return absl::OkStatus();
  } catch (...) {
    Failure failure;
    absl::Status status = StatusFromCurrentException(&failure);
    Disconnect();
    return WithContext("change feed",
                       absl::UnavailableError(
                           absl::StrCat("cannot listen: ", status.message())));
  }
}

void PostgresChangeFeed::Disconnect() {
  receiver_.reset();  // UNLISTEN; errors are swallowed by libpqxx
  conn_.reset();
}

void PostgresChangeFeed::Lost(const absl::Status& status) {
  if (conn_ != nullptr) {
    spdlog::warn("postgres: change feed lost its connection: {}", status);
  }
  Disconnect();
  last_error_ = status;
  next_connect_ = absl::Now();  // once right away, then once per interval
}

void PostgresChangeFeed::WaitReadable(absl::Duration timeout) {
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {-1, POLLIN, 0}};
  if (conn_ != nullptr) fds[1].fd = conn_->sock();
  const int64_t ms = std::max<int64_t>(
      0, absl::ToInt64Milliseconds(absl::Ceil(timeout, absl::Milliseconds(1))));
  ::poll(fds, 2, static_cast<int>(std::min<int64_t>(ms, 60'000)));
}

absl::StatusOr<int64_t> PostgresChangeFeed::WaitForChange(
    int64_t known_version, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (cancelled_) return absl::CancelledError("change feed cancelled");
    absl::Time now = absl::Now();
    if (conn_ == nullptr && now >= next_connect_) {
      if (absl::Status s = Connect(); !s.ok()) {
        last_error_ = s;
        next_connect_ = now + std::min(poll_interval_, absl::Seconds(1));
      }
    }
    if (conn_ != nullptr) {
      if (notified_ > known_version) {
        const int64_t version = notified_;
        notified_ = -1;
        return version;
      }
      notified_ = -1;  // old news
      if (poll_now_ || now >= next_poll_) {
        try {
          pqxx::nontransaction tx(*conn_);
          const pqxx::result r =
              tx.exec("SELECT value FROM meta WHERE key = 'data_version'");
          poll_now_ = false;
          next_poll_ = now + poll_interval_;
          if (!r.empty() && r[0][0].as<int64_t>() != known_version) {
            return r[0][0].as<int64_t>();
          }
        } catch (...) {
          Failure failure;
          absl::Status status = StatusFromCurrentException(&failure);
          if (failure == Failure::kNone) {
            // E.g. the tables do not exist yet: keep listening, poll later.
            last_error_ = WithContext("change feed", status);
            poll_now_ = false;
            next_poll_ = now + poll_interval_;
          } else {
            Lost(WithContext("change feed", status));
            continue;
          }
        }
      }
    }
    now = absl::Now();
    if (now >= deadline) {
      if (conn_ == nullptr) return last_error_;
      return known_version;
    }
    WaitReadable(
        std::min(deadline, conn_ != nullptr ? next_poll_ : next_connect_) -
        now);
    if (conn_ != nullptr) {
      try {
        conn_->get_notifs();  // runs Receiver for each notification
      } catch (...) {
        Failure failure;
        absl::Status status = StatusFromCurrentException(&failure);
        Lost(WithContext("change feed", status));
      }
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// PostgresStore.

class PostgresStore::Pool : public ConnectionPool {
 public:
  using ConnectionPool::ConnectionPool;
};

PostgresStore::PostgresStore(Options options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      channel_(options_.schema.empty()
                   ? std::string(kChannelPrefix)
                   : absl::StrCat(kChannelPrefix, "_", options_.schema)),
      pool_(std::make_unique<Pool>(options_.dsn, options_.schema,
                                   options_.pool_size,
                                   options_.acquire_timeout)) {}

PostgresStore::~PostgresStore() = default;

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    Options options, const Clock& clock) {
  if (options.dsn.empty()) {
    return absl::InvalidArgumentError("postgres: empty DSN");
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "postgres: pool size ", options.pool_size, " is not at least 1"));
  }
  if (options.target_schema_version < 1 ||
      options.target_schema_version > kLatestSchemaVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "postgres: target schema version ", options.target_schema_version,
        " is not in 1..", kLatestSchemaVersion));
  }
  if (options.schema.size() > kMaxSchemaLength ||
      !std::all_of(options.schema.begin(), options.schema.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        "postgres: schema name '", options.schema, "' is not up to ",
        kMaxSchemaLength, " letters, digits and '_'"));
  }
  const int target = options.target_schema_version;
  std::unique_ptr<PostgresStore> store(
      new PostgresStore(std::move(options), clock));
  GOVREPORT_RETURN_IF_ERROR(store->Migrate(target));
  return store;
}

absl::Status PostgresStore::Migrate(int target) {
  // One transaction per step, each under a transaction-scoped advisory lock:
  // replicas starting together queue here, and each re-reads the version
  // after taking the lock, so every step runs once.
  const std::string lock_name =
      absl::StrCat("govreport.migrations.", options_.schema);
  while (true) {
    GOVREPORT_ASSIGN_OR_RETURN(
        bool done,
        WithConnection(
            *pool_, "migrating the schema",
            [&](pqxx::connection& conn) -> absl::StatusOr<bool> {
              pqxx::work txn(conn);
              txn.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                              lock_name);
              if (!options_.schema.empty()) {
                txn.exec("CREATE SCHEMA IF NOT EXISTS " +
                         txn.quote_name(options_.schema));
              }
              txn.exec(
                  "CREATE TABLE IF NOT EXISTS schema_version("
                  "version INTEGER NOT NULL);"
                  "INSERT INTO schema_version(version) SELECT 0 WHERE NOT "
                  "EXISTS (SELECT 1 FROM schema_version)");
              const int version =
                  txn.exec("SELECT version FROM schema_version")[0][0]
                      .as<int>();
              if (version > kLatestSchemaVersion) {
                return absl::FailedPreconditionError(
                    absl::StrCat("postgres: database schema version ", version,
                                 " is newer than this binary knows (",
                                 kLatestSchemaVersion, ")"));
              }
              if (version >= target) {
                txn.commit();
                return true;
              }
              txn.exec(kMigrations[version]);
              txn.exec_params("UPDATE schema_version SET version = $1",
                              version + 1);
              txn.commit();
              spdlog::info("postgres: schema migrated to version {}",
                           version + 1);
              return false;
            }));
    if (done) return absl::OkStatus();
  }
}

absl::StatusOr<std::string> PostgresStore::ReadDsnFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the PostgreSQL DSN file ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string dsn = buffer.str();
  absl::StripAsciiWhitespace(&dsn);
  if (dsn.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the PostgreSQL DSN file ", path, " is empty"));
  }
  return dsn;
}

std::unique_ptr<ChangeFeed> PostgresStore::NewChangeFeed(
    absl::Duration poll_interval) {
  return std::make_unique<PostgresChangeFeed>(options_.dsn, options_.schema,
                                              channel_, poll_interval);
}

absl::StatusOr<int> PostgresStore::SchemaVersion() {
  return WithConnection(
      *pool_, "reading the schema version",
      [&](pqxx::connection& conn) -> absl::StatusOr<int> {
        pqxx::nontransaction tx(conn);
        const pqxx::result r = tx.exec("SELECT version FROM schema_version");
        if (r.empty()) return absl::DataLossError("schema_version is empty");
        return r[0][0].as<int>();
      });
}

absl::Status PostgresStore::SetSchemaVersionForTesting(int version) {
  return WithConnection(
      *pool_, "setting the schema version", [&](pqxx::connection& conn) {
        pqxx::work txn(conn);
        txn.exec_params("UPDATE schema_version SET version = $1", version);
        txn.commit();
        return absl::OkStatus();
      });
}

absl::StatusOr<WriteResult> PostgresStore::WriteReports(
    absl::string_view document_sha256, std::vector<ReportRow> reports) {
  GOVREPORT_RETURN_IF_ERROR(ValidateWriteRows(reports));
  const std::string document(document_sha256);
  const int64_t now_us = absl::ToUnixMicros(clock_.Now());
  return WithConnection(
      *pool_, "writing reports",
      [&](pqxx::connection& conn) -> absl::StatusOr<WriteResult> {
        pqxx::work txn(conn);
        WriteResult result;
        GOVREPORT_ASSIGN_OR_RETURN(result.data_version, LockDataVersion(txn));
        if (!document.empty()) {
          const pqxx::result held = txn.exec_params(
              "SELECT region_code, year FROM documents WHERE "
              "content_sha256 = $1 ORDER BY region_code COLLATE \"C\", year",
              document);
          if (!held.empty()) {
            for (const pqxx::row& r : held) {
              result.keys.push_back(
                  {r[0].as<std::string>(), r[1].as<int32_t>()});
            }
            result.already_ingested = true;
            txn.commit();
            return result;
          }
        }
        const int64_t next_version = result.data_version + 1;
        bool changed = false;
        for (const ReportRow& row : reports) {
          const WriteOutcome outcome = Upsert(txn, row, next_version, now_us);
          changed |= outcome != WriteOutcome::kUnchanged;
          result.keys.push_back(row.key);
          result.outcomes.push_back(outcome);
          if (!document.empty()) {
            txn.exec_params(
                "INSERT INTO documents(content_sha256, region_code, year) "
                "VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                document, row.key.region_code, row.key.year);
          }
        }
        if (changed) {
          PublishDataVersion(txn, channel_, next_version);
          result.data_version = next_version;
        }
        txn.commit();
        return result;
      });
}

absl::StatusOr<int64_t> PostgresStore::DeleteReport(const ReportKey& key) {
  return WithConnection(
      *pool_, "deleting a report",
      [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
        pqxx::work txn(conn);
        GOVREPORT_ASSIGN_OR_RETURN(int64_t version, LockDataVersion(txn));
        const pqxx::result deleted = txn.exec_params(
            "DELETE FROM reports WHERE region_code = $1 AND year = $2",
            key.region_code, key.year);
        if (deleted.affected_rows() == 0) {
          return absl::NotFoundError(absl::StrCat("no report for region ",
                                                  key.region_code, " and year ",
                                                  key.year));
        }
        txn.exec_params(
            "DELETE FROM observations WHERE region_code = $1 AND year = $2",
            key.region_code, key.year);
        txn.exec_params(
            "DELETE FROM documents WHERE content_sha256 IN (SELECT "
            "content_sha256 FROM documents WHERE region_code = $1 AND "
            "year = $2)",
            key.region_code, key.year);
        PublishDataVersion(txn, channel_, version + 1);
        txn.commit();
        return version + 1;
      });
}

absl::StatusOr<int64_t> PostgresStore::DataVersion() {
  return WithConnection(
      *pool_, "reading the data version",
      [&](pqxx::connection& conn) -> absl::StatusOr<int64_t> {
        pqxx::nontransaction tx(conn);
        const pqxx::result r =
            tx.exec("SELECT value FROM meta WHERE key = 'data_version'");
        if (r.empty()) return absl::DataLossError("meta has no data_version");
        return r[0][0].as<int64_t>();
      });
}

absl::StatusOr<StoreListing> PostgresStore::ListReports() {
  return WithConnection(
      *pool_, "listing reports",
      [&](pqxx::connection& conn) -> absl::StatusOr<StoreListing> {
        // One snapshot, so that the version matches the keys.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
        StoreListing listing;
        const pqxx::result version =
            tx.exec("SELECT value FROM meta WHERE key = 'data_version'");
        if (version.empty()) {
          return absl::DataLossError("meta has no data_version");
        }
        listing.data_version = version[0][0].as<int64_t>();
        const pqxx::result rows = tx.exec(
            "SELECT region_code, year, version FROM reports "
            "ORDER BY region_code COLLATE \"C\", year");
        listing.reports.reserve(rows.size());
        for (const pqxx::row& r : rows) {
          listing.reports.push_back(
              {{r[0].as<std::string>(), r[1].as<int32_t>()},
               r[2].as<int64_t>()});
        }
        tx.commit();
        return listing;
      });
}

absl::StatusOr<std::vector<ReportRow>> PostgresStore::GetReports(
    const std::vector<ReportKey>& keys) {
  return WithConnection(
      *pool_, "reading reports",
      [&](pqxx::connection& conn) -> absl::StatusOr<std::vector<ReportRow>> {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(conn);
        std::map<ReportKey, ReportRow> found;
        for (size_t start = 0; start < keys.size(); start += kBatch) {
          std::string values;
          const size_t end = std::min(keys.size(), start + kBatch);
          for (size_t i = start; i < end; ++i) {
            absl::StrAppend(&values, i == start ? "(" : ",(",
                            tx.quote(keys[i].region_code), ",", keys[i].year,
                            ")");
          }
          const pqxx::result rows = tx.exec(absl::StrCat(
              "SELECT r.region_code, r.year, r.content_sha256, "
              "r.ingest_time_us, r.version, r.report FROM reports r JOIN "
              "(VALUES ",
              values,
              ") AS k(region_code, year) ON r.region_code = k.region_code "
              "AND r.year = k.year"));
          for (const pqxx::row& r : rows) {
            ReportRow row;
            row.key = {r[0].as<std::string>(), r[1].as<int32_t>()};
            row.content_sha256 = r[2].as<std::string>();
            row.ingest_time = absl::FromUnixMicros(r[3].as<int64_t>());
            row.version = r[4].as<int64_t>();
            row.report = pqxx::binarystring(r[5]).str();
            ReportKey key = row.key;
            found.emplace(std::move(key), std::move(row));
          }
        }
        tx.commit();
        std::vector<ReportRow> result;
        result.reserve(found.size());
        for (const ReportKey& key : keys) {
          auto it = found.find(key);
          if (it == found.end()) continue;
          result.push_back(std::move(it->second));
          found.erase(it);  // a key asked for twice is answered once
        }
        return result;
      });
}

absl::StatusOr<std::vector<ObservationRow>> PostgresStore::ListObservationRows(
    const ReportKey& key) {
  return WithConnection(
      *pool_, "reading observation rows",
      [&](pqxx::connection& conn)
          -> absl::StatusOr<std::vector<ObservationRow>> {
        pqxx::nontransaction tx(conn);
        const pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT ", kObservationColumns,
                         " FROM observations WHERE region_code = $1 AND "
                         "year = $2 ORDER BY ordinal"),
            key.region_code, key.year);
        std::vector<ObservationRow> result;
        result.reserve(rows.size());
        for (const pqxx::row& r : rows) {
          result.push_back(ObservationFromRow(r, 0));
        }
        return result;
      });
}

absl::StatusOr<Store::IndicatorRows> PostgresStore::FindObservations(
    absl::string_view indicator, int32_t year) {
  const std::string name(indicator);
  return WithConnection(
      *pool_, "finding observations",
      [&](pqxx::connection& conn) -> absl::StatusOr<IndicatorRows> {
        pqxx::nontransaction tx(conn);
        const pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT region_code, year, ", kObservationColumns,
                         " FROM observations WHERE indicator = $1 AND "
                         "reference_last_year = $2 ORDER BY region_code "
                         "COLLATE \"C\", year, ordinal"),
            name, year);
        IndicatorRows result;
        for (const pqxx::row& r : rows) {
          result.keys.push_back({r[0].as<std::string>(), r[1].as<int32_t>()});
          result.rows.push_back(ObservationFromRow(r, 2));
        }
        return result;
      });
}

}  // namespace govreport::query
