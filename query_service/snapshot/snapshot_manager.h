// Keeps the current Snapshot and replaces it, atomically, after writes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "query_service/snapshot/snapshot.h"
#include "query_service/store/store.h"

namespace govreport::query {

// Owns the current snapshot. Readers call Current() and keep the returned
// pointer for the whole request: they never wait for a refresh, and a
// refresh never changes a snapshot a reader holds. Writers call Refresh()
// after each store write; refreshes are serialized among themselves and
// reuse the parsed reports whose version did not change, so only changed
// reports are read from the store and parsed again, and the region shards
// whose reports did not change, so only changed regions are indexed again.
// Thread-safe.
class SnapshotManager {
 public:
  // `store` must outlive the manager.
  explicit SnapshotManager(Store& store) : store_(store) {}
  SnapshotManager(const SnapshotManager&) = delete;
  SnapshotManager& operator=(const SnapshotManager&) = delete;

  // The current snapshot; nullptr until the first Refresh succeeds.
  std::shared_ptr<const Snapshot> Current() const {
    return std::atomic_load(&current_);
  }

  // Brings the snapshot up to the store's current data version (a no-op
  // when it is already there) and publishes it. Errors are the store's; on
  // error the previous snapshot stays current.
  absl::Status Refresh();

  // When the current snapshot was published (the last swap); InfinitePast
  // before the first. For the snapshot-age metric.
  absl::Time last_swap() const {
    const int64_t micros = last_swap_micros_.load();
    return micros == 0 ? absl::InfinitePast() : absl::FromUnixMicros(micros);
  }

 private:
  Store& store_;
  std::atomic<int64_t> last_swap_micros_{0};  // 0: never
  absl::Mutex refresh_mu_;  // serializes Refresh; readers never take it
  std::shared_ptr<const Snapshot> current_;  // atomic_load / atomic_store only
};

}  // namespace govreport::query
