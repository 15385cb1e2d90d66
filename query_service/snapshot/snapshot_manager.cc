#include "query_service/snapshot/snapshot_manager.h"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"

#include "common/logging.h"
#include "common/status_macros.h"

namespace govreport::query {
namespace {

// Reports read from the store per round trip.
constexpr size_t kBatch = 1024;

// Parses `rows` on up to hardware_concurrency() threads; unreadable rows are
// logged and skipped (one bad row must not take every other report
// offline).
std::vector<ReportPtr> ParseRows(const std::vector<ReportRow>& rows) {
  std::vector<ReportPtr> entries(rows.size());
  const size_t threads =
      std::clamp<size_t>(std::thread::hardware_concurrency(), 1,
                         std::max<size_t>(rows.size() / 64, 1));
  auto parse = [&](size_t first) {
    for (size_t i = first; i < rows.size(); i += threads) {
      absl::StatusOr<ReportPtr> entry = ReportEntry::FromRow(rows[i]);
      if (entry.ok()) {
        entries[i] = *std::move(entry);
      } else {
        spdlog::error("snapshot: skipping report: {}", entry.status());
      }
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads; ++t) workers.emplace_back(parse, t);
  parse(0);
  for (std::thread& worker : workers) worker.join();
  entries.erase(std::remove(entries.begin(), entries.end(), nullptr),
                entries.end());
  return entries;
}

}  // namespace

absl::Status SnapshotManager::Refresh() {
  absl::MutexLock lock(&refresh_mu_);
  GOVREPORT_ASSIGN_OR_RETURN(StoreListing listing, store_.ListReports());
  std::shared_ptr<const Snapshot> old = Current();
  if (old != nullptr && old->data_version() == listing.data_version) {
    return absl::OkStatus();
  }
  // Reuse every report whose stored version is the one already parsed.
  std::map<ReportKey, ReportPtr> known;
  if (old != nullptr) {
    for (const ReportPtr& r : old->reports()) known.emplace(r->key, r);
  }
  std::vector<ReportPtr> reports;
  reports.reserve(listing.reports.size());
  std::vector<ReportKey> missing;
  for (const ReportVersion& rv : listing.reports) {
    auto it = known.find(rv.key);
    if (it != known.end() && it->second->version == rv.version) {
      reports.push_back(it->second);
    } else {
      missing.push_back(rv.key);
    }
  }
  // Read and parse in batches, so that the raw rows of a full load never
  // sit in memory all at once.
  const absl::Time start = absl::Now();
  for (size_t begin = 0; begin < missing.size(); begin += kBatch) {
    const std::vector<ReportKey> batch(
        missing.begin() + static_cast<ptrdiff_t>(begin),
        missing.begin() +
            static_cast<ptrdiff_t>(std::min(missing.size(), begin + kBatch)));
    GOVREPORT_ASSIGN_OR_RETURN(std::vector<ReportRow> rows,
                               store_.GetReports(batch));
    for (ReportPtr& entry : ParseRows(rows)) {
      reports.push_back(std::move(entry));
    }
  }
  const absl::Time parsed = absl::Now();
  auto snapshot = std::make_shared<const Snapshot>(listing.data_version,
                                                   std::move(reports));
  spdlog::debug(
      "snapshot: data version {}, {} reports ({} read and parsed in {}), "
      "indexed in {}",
      snapshot->data_version(), snapshot->reports().size(), missing.size(),
      absl::FormatDuration(parsed - start),
      absl::FormatDuration(absl::Now() - parsed));
  std::atomic_store(&current_,
                    std::shared_ptr<const Snapshot>(std::move(snapshot)));
  return absl::OkStatus();
}

}  // namespace govreport::query
