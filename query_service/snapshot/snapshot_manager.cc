#include "query_service/snapshot/snapshot_manager.h"

#include <algorithm>
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
  // Reuse every report whose stored version is the one already parsed. Both
  // lists are sorted by key: one merge pass, no lookups.
  static const std::vector<ReportPtr> kNone;
  const std::vector<ReportPtr>& known = old != nullptr ? old->reports() : kNone;
  // `reused[i]` is the parsed report of listing.reports[i], or null when it
  // must be read again; the result keeps the listing's (key) order, so the
  // snapshot need not sort.
  std::vector<ReportPtr> reused(listing.reports.size());
  std::vector<ReportKey> missing;
  size_t next = 0;
  for (size_t i = 0; i < listing.reports.size(); ++i) {
    const ReportVersion& rv = listing.reports[i];
    while (next < known.size() && known[next]->key < rv.key) ++next;
    if (next < known.size() && known[next]->key == rv.key &&
        known[next]->version == rv.version) {
      reused[i] = known[next];
    } else {
      missing.push_back(rv.key);
    }
  }
  // Read and parse in batches, so that the raw rows of a full load never
  // sit in memory all at once.
  const absl::Time start = absl::Now();
  std::vector<ReportPtr> fresh;
  for (size_t begin = 0; begin < missing.size(); begin += kBatch) {
    const std::vector<ReportKey> batch(
        missing.begin() + static_cast<ptrdiff_t>(begin),
        missing.begin() +
            static_cast<ptrdiff_t>(std::min(missing.size(), begin + kBatch)));
    GOVREPORT_ASSIGN_OR_RETURN(std::vector<ReportRow> rows,
                               store_.GetReports(batch));
    for (ReportPtr& entry : ParseRows(rows)) fresh.push_back(std::move(entry));
  }
  auto by_key = [](const ReportPtr& a, const ReportPtr& b) {
    return a->key < b->key;
  };
  if (!std::is_sorted(fresh.begin(), fresh.end(), by_key)) {
    std::sort(fresh.begin(), fresh.end(), by_key);
  }
  // Merge the fresh reports into the gaps (a report that could not be read
  // or parsed leaves its gap empty).
  std::vector<ReportPtr> reports;
  reports.reserve(listing.reports.size());
  size_t f = 0;
  for (size_t i = 0; i < reused.size(); ++i) {
    if (reused[i] != nullptr) {
      reports.push_back(std::move(reused[i]));
      continue;
    }
    while (f < fresh.size() && fresh[f]->key < listing.reports[i].key) {
      reports.push_back(std::move(fresh[f++]));  // not in the listing order
    }
    if (f < fresh.size() && fresh[f]->key == listing.reports[i].key) {
      reports.push_back(std::move(fresh[f++]));
    }
  }
  for (; f < fresh.size(); ++f) reports.push_back(std::move(fresh[f]));
  const absl::Time parsed = absl::Now();
  // Regions whose reports did not change keep their shards.
  auto snapshot = std::make_shared<const Snapshot>(
      listing.data_version, std::move(reports), old.get());
  spdlog::debug(
      "snapshot: data version {}, {} reports ({} read and parsed in {}), "
      "indexed in {}",
      snapshot->data_version(), snapshot->reports().size(), missing.size(),
      absl::FormatDuration(parsed - start),
      absl::FormatDuration(absl::Now() - parsed));
  std::atomic_store(&current_,
                    std::shared_ptr<const Snapshot>(std::move(snapshot)));
  last_swap_micros_.store(absl::ToUnixMicros(absl::Now()));
  return absl::OkStatus();
}

}  // namespace govreport::query
