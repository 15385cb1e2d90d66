#include "query_service/cache/response_cache.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace govreport::query {
namespace {

// What an entry costs beyond its key and response: the list node, the index
// slot and the shared string's control block, roughly.
constexpr size_t kEntryOverhead = 128;

// Keys a shard remembers having been offered once.
constexpr size_t kMaxOffered = 1 << 15;

}  // namespace

ResponseCache::ResponseCache(size_t max_bytes, int shards)
    : shard_budget_(max_bytes / static_cast<size_t>(std::max(shards, 1))) {
  shards_.reserve(static_cast<size_t>(std::max(shards, 1)));
  for (int i = 0; i < std::max(shards, 1); ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
}

std::string ResponseCache::Key(absl::string_view method, int64_t data_version,
                               absl::string_view request) {
  // The method and version cannot run into the request: both end at a NUL.
  std::string key;
  AppendKeyPrefix(method, data_version, &key);
  key.append(request.data(), request.size());
  return key;
}

void ResponseCache::AppendKeyPrefix(absl::string_view method,
                                    int64_t data_version, std::string* out) {
  absl::StrAppend(out, method, absl::string_view("\0", 1), data_version,
                  absl::string_view("\0", 1));
}

ResponseCache::Shard& ResponseCache::ShardOf(absl::string_view key) {
  // The high bits pick the shard; the set of offered keys hashes the hash.
  return *shards_[(absl::HashOf(key) >> 40) % shards_.size()];
}

ResponseCache::Bytes ResponseCache::Find(absl::string_view key) {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    ++shard.misses;
    return nullptr;
  }
  ++shard.hits;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->response;
}

void ResponseCache::Evict(Shard& shard, std::list<Entry>::iterator it) {
  shard.index.erase(it->key);
  shard.bytes -= it->cost;
  shard.lru.erase(it);
}

void ResponseCache::Insert(absl::string_view key, Bytes response) {
  if (response == nullptr) return;
  const size_t cost = key.size() + response->size() + kEntryOverhead;
  if (cost > shard_budget_) return;
  Shard& shard = ShardOf(key);
  const size_t hash = absl::HashOf(key);
  absl::MutexLock lock(&shard.mu);
  if (shard.offered.erase(hash) == 0) {
    if (shard.offered.size() >= kMaxOffered) shard.offered.clear();
    shard.offered.insert(hash);
    return;
  }
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    Evict(shard, it->second);
  }
  while (!shard.lru.empty() && shard.bytes + cost > shard_budget_) {
    Evict(shard, std::prev(shard.lru.end()));
  }
  shard.lru.push_front(Entry{std::string(key), std::move(response), cost});
  shard.index.emplace(shard.lru.front().key, shard.lru.begin());
  shard.bytes += cost;
}

ResponseCache::Stats ResponseCache::stats() const {
  Stats stats;
  for (const auto& shard : shards_) {
    absl::MutexLock lock(&shard->mu);
    stats.hits += shard->hits;
    stats.misses += shard->misses;
    stats.entries += shard->lru.size();
    stats.bytes += shard->bytes;
  }
  return stats;
}

}  // namespace govreport::query
