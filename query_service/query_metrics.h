// The query server's own Prometheus metrics, beside the per-RPC ones every
// server has (common/metrics.h): writes by result, parser-client errors by
// code, and the snapshot's size, age and data version.
#pragma once

#include <cstdint>
#include <memory>

#include <grpcpp/support/status.h>
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"

#include "govreport/v1/report_service.pb.h"
#include "query_service/cache/response_cache.h"
#include "query_service/snapshot/snapshot.h"
#include "query_service/snapshot/snapshot_manager.h"

namespace govreport::query {

// Counters fed by the write handlers and the parser client. Thread-safe.
class QueryMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  explicit QueryMetrics(prometheus::Registry& registry);

  // One PutReport that got past authentication: created, replaced,
  // unchanged or failed.
  void RecordPut(const absl::StatusOr<v1::PutReportResponse>& result);

  // One IngestDocument that got past authentication. `before` is the
  // snapshot current when the write began (may be null): a document whose
  // reports were already held for their region and year "replaced" them,
  // one seen before is "unchanged", any error is "failed".
  void RecordIngest(const Snapshot* before,
                    const absl::StatusOr<v1::IngestDocumentResponse>& result);

  // One failed call to the parser, by the code the parser (or the channel)
  // gave.
  void RecordParserError(grpc::StatusCode code);

 private:
  prometheus::Family<prometheus::Counter>& writes_;
  prometheus::Family<prometheus::Counter>& parser_errors_;
};

// Gauges of the current snapshot, computed at each scrape: regions, reports,
// observations, approximate bytes, data version, and the seconds since the
// last swap. `snapshots` must outlive the collectable.
std::shared_ptr<prometheus::Collectable> MakeSnapshotCollectable(
    const SnapshotManager& snapshots);

// A cache's hits, misses, entries and bytes, read at each scrape, as
// govreport_{name}_cache_{hits_total,misses_total,entries,bytes};
// `entries` says what it holds, for the help texts ("responses"). `cache`
// must outlive the collectable.
std::shared_ptr<prometheus::Collectable> MakeCacheCollectable(
    const ResponseCache& cache, absl::string_view name,
    absl::string_view entries);

}  // namespace govreport::query
