// Serialized responses of read RPCs, so that a request asked again of the
// same data is answered with the bytes sent the first time: no query, no
// serialization, no copy (gRPC sends the cached bytes themselves).
//
// Keyed by the method, the data version of the snapshot that answered and
// the request's bytes. A new data version makes the older entries
// unreachable; they age out as new ones come in. Bounded by the bytes held,
// least recently used first out. Only successful answers are kept, and only
// for requests seen before: a request asked once (ten regions picked at
// random) would otherwise push out the ones asked again and again.
//
// Thread-safe: the entries are split into shards, each with its own lock,
// so that concurrent readers seldom wait on one another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace govreport::query {

class ResponseCache {
 public:
  using Bytes = std::shared_ptr<const std::string>;

  // Holds at most `max_bytes` of keys and responses (0 keeps nothing).
  explicit ResponseCache(size_t max_bytes, int shards = 16);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The key of `request` (its serialized bytes) to `method` answered from
  // data version `data_version`.
  static std::string Key(absl::string_view method, int64_t data_version,
                         absl::string_view request);
  // The key's prefix for `method` and `data_version`: Key(m, v, r) is
  // KeyPrefix(m, v) followed by r.
  static void AppendKeyPrefix(absl::string_view method, int64_t data_version,
                              std::string* out);

  // The cached response for `key`, or null.
  Bytes Find(absl::string_view key);

  // Keeps `response` for `key` (replacing any) when `key` was offered
  // before and is still remembered, evicting the least recently used
  // entries of its shard to make room; otherwise remembers `key` (as a
  // hash) for next time. A response too large for a shard is not kept.
  void Insert(absl::string_view key, Bytes response);

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    Bytes response;
    size_t cost;  // key, response and bookkeeping
  };
  struct Shard {
    mutable absl::Mutex mu;
    std::list<Entry> lru ABSL_GUARDED_BY(mu);  // most recent first
    // Keys point into the entries of `lru`, whose nodes never move.
    absl::flat_hash_map<absl::string_view, std::list<Entry>::iterator> index
        ABSL_GUARDED_BY(mu);
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
    // Hashes of keys offered once; forgotten all at once when full.
    absl::flat_hash_set<size_t> offered ABSL_GUARDED_BY(mu);
    uint64_t hits ABSL_GUARDED_BY(mu) = 0;
    uint64_t misses ABSL_GUARDED_BY(mu) = 0;
  };

  Shard& ShardOf(absl::string_view key);
  static void Evict(Shard& shard, std::list<Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  const size_t shard_budget_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace govreport::query
