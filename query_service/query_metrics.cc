#include "query_service/query_metrics.h"

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

#include "common/metrics.h"

namespace govreport::query {
namespace {

constexpr char kRegionPrefix[] = "regions/";

// Whether `before` held a report for the region and year of `report`.
bool WasHeld(const Snapshot& before, const v1::Report& report) {
  absl::string_view code = report.region();
  if (absl::StartsWith(code, kRegionPrefix)) {
    code.remove_prefix(sizeof(kRegionPrefix) - 1);
  }
  return before.FindReport(code, report.year()) != nullptr;
}

prometheus::MetricFamily Gauge(std::string name, std::string help,
                               double value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric metric;
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family;
}

class SnapshotCollectable final : public prometheus::Collectable {
 public:
  explicit SnapshotCollectable(const SnapshotManager& snapshots)
      : snapshots_(snapshots) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> families;
    const std::shared_ptr<const Snapshot> snapshot = snapshots_.Current();
    families.push_back(Gauge("govreport_snapshot_loaded",
                             "1 once the first snapshot is loaded",
                             snapshot != nullptr ? 1 : 0));
    if (snapshot == nullptr) return families;
    const absl::Time swapped = snapshots_.last_swap();
    families.push_back(Gauge("govreport_snapshot_data_version",
                             "the store data version the snapshot reflects",
                             static_cast<double>(snapshot->data_version())));
    families.push_back(Gauge(
        "govreport_snapshot_age_seconds",
        "seconds since the snapshot was last swapped (a write, or another "
        "replica's write, makes a new one)",
        absl::ToDoubleSeconds(absl::Now() - swapped)));
    families.push_back(
        Gauge("govreport_snapshot_last_swap_timestamp_seconds",
              "Unix time of the last snapshot swap",
              absl::ToDoubleSeconds(swapped - absl::UnixEpoch())));
    families.push_back(Gauge("govreport_snapshot_regions",
                             "regions holding at least one report",
                             static_cast<double>(snapshot->shards().size())));
    families.push_back(Gauge("govreport_snapshot_reports", "reports held",
                             static_cast<double>(snapshot->reports().size())));
    families.push_back(
        Gauge("govreport_snapshot_observations", "observations held",
              static_cast<double>(snapshot->observation_count())));
    families.push_back(
        Gauge("govreport_snapshot_bytes",
              "approximate heap bytes of the snapshot and its reports",
              static_cast<double>(BytesOf(*snapshot))));
    return families;
  }

 private:
  // Walking every shard costs milliseconds at 30,000 reports: once per
  // snapshot, not per scrape.
  size_t BytesOf(const Snapshot& snapshot) const {
    absl::MutexLock lock(&mu_);
    if (cached_version_ != snapshot.data_version()) {
      cached_bytes_ = snapshot.ApproximateBytes();
      cached_version_ = snapshot.data_version();
    }
    return cached_bytes_;
  }

  const SnapshotManager& snapshots_;
  mutable absl::Mutex mu_;
  mutable int64_t cached_version_ ABSL_GUARDED_BY(mu_) = -1;
  mutable size_t cached_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

prometheus::MetricFamily Counter(std::string name, std::string help,
                                 double value) {
  prometheus::MetricFamily family = Gauge(std::move(name), std::move(help), 0);
  family.type = prometheus::MetricType::Counter;
  family.metric.front().counter.value = value;
  return family;
}

class CacheCollectable final : public prometheus::Collectable {
 public:
  CacheCollectable(const ResponseCache& cache, std::string name,
                   std::string entries)
      : cache_(cache),
        name_(std::move(name)),
        prefix_(absl::StrCat("govreport_", name_, "_cache_")),
        entries_(std::move(entries)) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    const ResponseCache::Stats stats = cache_.stats();
    return {
        Counter(prefix_ + "hits_total",
                absl::StrCat(entries_, " found in the ", name_, " cache"),
                static_cast<double>(stats.hits)),
        Counter(prefix_ + "misses_total",
                absl::StrCat(entries_, " looked for in the ", name_,
                             " cache and not found"),
                static_cast<double>(stats.misses)),
        Gauge(prefix_ + "entries", absl::StrCat(entries_, " held"),
              static_cast<double>(stats.entries)),
        Gauge(prefix_ + "bytes",
              absl::StrCat("bytes held by the ", name_,
                           " cache (keys and values)"),
              static_cast<double>(stats.bytes)),
    };
  }

 private:
  const ResponseCache& cache_;
  const std::string name_;
  const std::string prefix_;
  const std::string entries_;
};

}  // namespace

QueryMetrics::QueryMetrics(prometheus::Registry& registry)
    : writes_(prometheus::BuildCounter()
                  .Name("govreport_ingest_total")
                  .Help("writes that got past authentication, by method "
                        "(PutReport: one report; IngestDocument: one "
                        "document) and result (created, replaced, "
                        "unchanged, failed)")
                  .Register(registry)),
      parser_errors_(prometheus::BuildCounter()
                         .Name("govreport_parser_client_errors_total")
                         .Help("failed calls to the parser, by gRPC code")
                         .Register(registry)) {
  // Every series exists from the start, at 0, so that rates work at once.
  for (const char* method : {"PutReport", "IngestDocument"}) {
    for (const char* result : {"created", "replaced", "unchanged", "failed"}) {
      writes_.Add({{"method", method}, {"result", result}});
    }
  }
}

void QueryMetrics::RecordPut(
    const absl::StatusOr<v1::PutReportResponse>& result) {
  const char* outcome = !result.ok()          ? "failed"
                        : result->unchanged() ? "unchanged"
                        : result->replaced()  ? "replaced"
                                              : "created";
  writes_.Add({{"method", "PutReport"}, {"result", outcome}}).Increment();
}

void QueryMetrics::RecordIngest(
    const Snapshot* before,
    const absl::StatusOr<v1::IngestDocumentResponse>& result) {
  const char* outcome = "created";
  if (!result.ok()) {
    outcome = "failed";
  } else if (result->already_ingested()) {
    outcome = "unchanged";
  } else if (before != nullptr) {
    for (const v1::Report& report : result->reports()) {
      if (WasHeld(*before, report)) {
        outcome = "replaced";
        break;
      }
    }
  }
  writes_.Add({{"method", "IngestDocument"}, {"result", outcome}}).Increment();
}

void QueryMetrics::RecordParserError(grpc::StatusCode code) {
  parser_errors_.Add({{"grpc_code", GrpcCodeName(code)}}).Increment();
}

std::shared_ptr<prometheus::Collectable> MakeSnapshotCollectable(
    const SnapshotManager& snapshots) {
  return std::make_shared<SnapshotCollectable>(snapshots);
}

std::shared_ptr<prometheus::Collectable> MakeCacheCollectable(
    const ResponseCache& cache, absl::string_view name,
    absl::string_view entries) {
  return std::make_shared<CacheCollectable>(cache, std::string(name),
                                            std::string(entries));
}

}  // namespace govreport::query
