// govreport-query: the query server (catalog, reports, comparisons).
//
// The composition root: SqliteStore → SnapshotManager → QueryEngine and
// ReportWriter → the three service implementations → ServerRunner. Health
// stays NOT_SERVING until the first snapshot is loaded from the store.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

#include "common/logging.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "common/status_macros.h"
#include "query_service/bearer_auth.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/catalog_service_impl.h"
#include "query_service/engine/query_engine.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/parser_client.h"
#include "query_service/query_metrics.h"
#include "query_service/query_service_impl.h"
#include "query_service/report_service_impl.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/change_feed.h"
#include "query_service/store/postgres_store.h"
#include "query_service/store/sqlite_store.h"

ABSL_FLAG(std::string, data_dir, "var/data",
          "directory of the SQLite database (govreport.sqlite3); created if "
          "missing");
ABSL_FLAG(std::string, parser_target, "dns:///localhost:50051",
          "gRPC target of ParserService, e.g. dns:///parser:50051 (balanced "
          "round_robin over every address the name resolves to)");
ABSL_FLAG(absl::Duration, parser_timeout, absl::Seconds(30),
          "deadline of each call to the parser, retries included");
ABSL_FLAG(std::string, auth_token_file, "",
          "file holding the bearer token that writes (IngestDocument, "
          "PutReport, DeleteReport) must present; without it writes are "
          "refused");
ABSL_FLAG(bool, require_auth_for_reads, false,
          "require the bearer token for reads too");
ABSL_FLAG(int, max_pending_writes, 16,
          "writes (IngestDocument, PutReport, DeleteReport) accepted but not "
          "finished; beyond it a write is refused at once with "
          "RESOURCE_EXHAUSTED rather than queued; 0 for no bound");

ABSL_FLAG(int64_t, response_cache_bytes, 64 << 20,
          "bytes of serialized GetReport and CompareRegions answers kept for "
          "requests asked again of the same data (0: no cache)");
ABSL_FLAG(int64_t, row_cache_bytes, 32 << 20,
          "bytes of CompareRegions rows kept (by region, series and year) for "
          "comparisons that ask for a region's row again (0: none)");
ABSL_FLAG(std::string, store, "sqlite",
          "where reports are kept: sqlite (one file in --data_dir, one "
          "replica) or postgres (--postgres_dsn_file; any number of replicas "
          "on one database)");
ABSL_FLAG(std::string, postgres_dsn_file, "",
          "with --store=postgres: file holding the libpq connection string "
          "or postgresql:// URI (e.g. a mounted Secret); never logged");
ABSL_FLAG(int, postgres_pool_size, 4,
          "with --store=postgres: connections kept for requests (the change "
          "feed has one more)");
ABSL_FLAG(absl::Duration, data_version_poll_interval, absl::Milliseconds(500),
          "how often the store's data version is read to pick up writes made "
          "by other processes (other replicas); with --store=postgres this "
          "backs up LISTEN/NOTIFY; 0 turns polling off");

namespace govreport {
namespace {

constexpr char kUsage[] =
    "govreport-query: stores reports and answers typed queries over gRPC.\n"
    "  govreport-query --listen=0.0.0.0:50052 --data_dir=var/data \\\n"
    "      --parser_target=dns:///parser:50051 --auth_token_file=token";

// round_robin over every resolved address; UNAVAILABLE is retried with
// backoff (the parser is stateless and ParseDocument has no side effects).
constexpr char kParserServiceConfig[] = R"json({
  "loadBalancingConfig": [{"round_robin": {}}],
  "methodConfig": [{
    "name": [{"service": "govreport.v1.ParserService"}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.1s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

std::shared_ptr<grpc::Channel> ParserChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(kParserServiceConfig);
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

absl::StatusOr<std::unique_ptr<query::SqliteStore>> OpenStore(
    const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create --data_dir ", data_dir, ": ", error.message()));
  }
  const std::string path = data_dir + "/govreport.sqlite3";
  spdlog::info("store: SQLite at {}", path);
  return query::SqliteStore::Open({path}, SystemClock::Get());
}

// The store --store chooses, and the feed through which this process sees
// writes made by others (nullptr for SQLite with polling off).
struct StoreAndFeed {
  std::unique_ptr<query::Store> store;
  std::unique_ptr<query::ChangeFeed> feed;
};

absl::StatusOr<StoreAndFeed> OpenConfiguredStore() {
  const std::string kind = absl::GetFlag(FLAGS_store);
  const absl::Duration poll = absl::GetFlag(FLAGS_data_version_poll_interval);
  if (poll < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--data_version_poll_interval must not be negative");
  }
  StoreAndFeed opened;
  if (kind == "sqlite") {
    GOVREPORT_ASSIGN_OR_RETURN(opened.store,
                               OpenStore(absl::GetFlag(FLAGS_data_dir)));
    // Only another process on the same file could change it under us (a
    // deployment runs one SQLite replica); a poll is one tiny query.
    if (poll > absl::ZeroDuration()) {
      opened.feed =
          std::make_unique<query::PollingChangeFeed>(*opened.store, poll);
    }
    return opened;
  }
  if (kind != "postgres") {
    return absl::InvalidArgumentError(
        absl::StrCat("--store must be sqlite or postgres, not '", kind, "'"));
  }
  const std::string dsn_file = absl::GetFlag(FLAGS_postgres_dsn_file);
  if (dsn_file.empty()) {
    return absl::InvalidArgumentError(
        "--store=postgres needs --postgres_dsn_file");
  }
  query::PostgresStore::Options options;
  GOVREPORT_ASSIGN_OR_RETURN(options.dsn,
                             query::PostgresStore::ReadDsnFile(dsn_file));
  options.pool_size = absl::GetFlag(FLAGS_postgres_pool_size);
  spdlog::info(
      "store: PostgreSQL (DSN from {}), {} pooled connections, LISTEN/NOTIFY "
      "with the data version polled every {}",
      dsn_file, options.pool_size,
      poll > absl::ZeroDuration() ? absl::FormatDuration(poll) : "(never)");
  GOVREPORT_ASSIGN_OR_RETURN(
      std::unique_ptr<query::PostgresStore> store,
      query::PostgresStore::Open(std::move(options), SystemClock::Get()));
  opened.feed = store->NewChangeFeed(
      poll > absl::ZeroDuration() ? poll : absl::InfiniteDuration());
  opened.store = std::move(store);
  return opened;
}

absl::Status Run(ServerOptions options) {
  const absl::Duration parser_timeout = absl::GetFlag(FLAGS_parser_timeout);
  if (parser_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--parser_timeout must be positive");
  }
  const int max_pending_writes = absl::GetFlag(FLAGS_max_pending_writes);
  if (max_pending_writes < 0) {
    return absl::InvalidArgumentError(
        "--max_pending_writes must not be negative (0 means no bound)");
  }
  // The token file's path only, never its content; the DSN likewise.
  spdlog::info(
      "config: data_dir={} parser_target={} parser_timeout={} "
      "auth_token_file={} require_auth_for_reads={} max_pending_writes={}",
      absl::GetFlag(FLAGS_data_dir), absl::GetFlag(FLAGS_parser_target),
      absl::FormatDuration(parser_timeout),
      absl::GetFlag(FLAGS_auth_token_file).empty()
          ? std::string("(none)")
          : absl::GetFlag(FLAGS_auth_token_file),
      absl::GetFlag(FLAGS_require_auth_for_reads),
      max_pending_writes > 0 ? absl::StrCat(max_pending_writes)
                             : std::string("(none)"));
  GOVREPORT_ASSIGN_OR_RETURN(StoreAndFeed opened, OpenConfiguredStore());
  query::Store* const store = opened.store.get();
  GOVREPORT_ASSIGN_OR_RETURN(
      query::BearerAuth auth,
      query::BearerAuth::FromFile(absl::GetFlag(FLAGS_auth_token_file)));
  if (absl::GetFlag(FLAGS_auth_token_file).empty()) {
    spdlog::warn("no --auth_token_file: every write will be refused");
  }
  const query::RegionCatalog& regions = query::RegionCatalog::Builtin();
  const query::IndicatorCatalog& indicators =
      query::IndicatorCatalog::Builtin();

  query::SnapshotManager snapshots(*store);
  query::ResponseCache row_cache(static_cast<size_t>(
      std::max<int64_t>(0, absl::GetFlag(FLAGS_row_cache_bytes))));
  query::QueryEngine engine(regions, indicators, &row_cache);
  query::ReportWriter writer(*store, snapshots, regions, indicators);
  const query::ReadGate reads(snapshots, auth,
                              absl::GetFlag(FLAGS_require_auth_for_reads));
  const std::string parser_target = absl::GetFlag(FLAGS_parser_target);
  auto parser_stub = v1::ParserService::NewStub(ParserChannel(parser_target));
  auto registry = std::make_shared<prometheus::Registry>();
  query::QueryMetrics metrics(*registry);
  const query::ParserClient parser(*parser_stub, parser_timeout, parser_target,
                                   &metrics);

  query::CatalogServiceImpl catalog_service(engine, reads);
  query::ResponseCache cache(static_cast<size_t>(
      std::max<int64_t>(0, absl::GetFlag(FLAGS_response_cache_bytes))));
  query::ReportServiceOptions write_options;
  write_options.max_pending_writes = max_pending_writes;
  write_options.metrics = &metrics;
  write_options.cache = &cache;
  query::ReportServiceImpl report_service(engine, reads, writer, parser, auth,
                                          write_options);
  query::QueryServiceImpl query_service(engine, reads, &cache);
  ServerRunner runner(std::move(options), registry);
  runner.AddCollectable(query::MakeSnapshotCollectable(snapshots));
  runner.AddCollectable(
      query::MakeCacheCollectable(cache, "response", "responses"));
  runner.AddCollectable(
      query::MakeCacheCollectable(row_cache, "row", "comparison rows"));
  runner.AddService(&catalog_service, "govreport.v1.CatalogService");
  runner.AddService(&report_service, "govreport.v1.ReportService");
  runner.AddService(&query_service, "govreport.v1.QueryService");
  GOVREPORT_RETURN_IF_ERROR(runner.Start());

  // Health stays NOT_SERVING until the snapshot is loaded.
  const absl::Time start = absl::Now();
  GOVREPORT_RETURN_IF_ERROR(snapshots.Refresh());
  const auto snapshot = snapshots.Current();
  spdlog::info(
      "snapshot loaded in {}: data version {}, {} reports, {} observations "
      "({} bytes each), {} regions, {} indicators",
      absl::FormatDuration(absl::Now() - start), snapshot->data_version(),
      snapshot->reports().size(), snapshot->observation_count(),
      snapshot->ApproximateBytes() /
          std::max<size_t>(snapshot->observation_count(), 1),
      regions.All().size(), indicators.All().size());
  // Writes by other replicas (or processes) refresh the snapshot too.
  std::unique_ptr<query::ChangeFollower> follower;
  if (opened.feed != nullptr) {
    follower = std::make_unique<query::ChangeFollower>(
        *opened.feed,
        [&snapshots] {
          const auto current = snapshots.Current();
          return current != nullptr ? current->data_version() : int64_t{-1};
        },
        [&snapshots] { return snapshots.Refresh(); });
    follower->Start();
  }
  runner.SetServing(true);
  return runner.Wait();
}

int Main(int argc, char** argv) {
  if (absl::Status s = InitServerProcess(argc, argv, "query", kUsage);
      !s.ok()) {
    spdlog::critical("{}", s);
    return EXIT_FAILURE;
  }
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags();
  if (!options.ok()) {
    spdlog::critical("{}", options.status());
    return EXIT_FAILURE;
  }
  if (absl::Status s = Run(*std::move(options)); !s.ok()) {
    spdlog::critical("{}", s);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace govreport

int main(int argc, char** argv) { return govreport::Main(argc, argv); }
