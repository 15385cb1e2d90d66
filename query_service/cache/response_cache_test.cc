#include "query_service/cache/response_cache.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace govreport::query {
namespace {

ResponseCache::Bytes Bytes(std::string s) {
  return std::make_shared<const std::string>(std::move(s));
}

TEST(ResponseCache, AnswersARequestAskedAgainOfTheSameData) {
  ResponseCache cache(1 << 20);
  const std::string key = ResponseCache::Key("GetReport", 7, "request");
  // The first answer is not kept: most requests are never asked again.
  EXPECT_EQ(cache.Find(key), nullptr);
  cache.Insert(key, Bytes("response"));
  EXPECT_EQ(cache.Find(key), nullptr);
  // The second is.
  cache.Insert(key, Bytes("response"));
  ASSERT_NE(cache.Find(key), nullptr);
  EXPECT_EQ(*cache.Find(key), "response");
  const ResponseCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_EQ(stats.entries, 1u);
}

// Insert twice: once to be remembered, once to be kept.
void Keep(ResponseCache& cache, const std::string& key, std::string value) {
  cache.Insert(key, Bytes(value));
  cache.Insert(key, Bytes(std::move(value)));
}

TEST(ResponseCache, KeysTellMethodsVersionsAndRequestsApart) {
  ResponseCache cache(1 << 20);
  Keep(cache, ResponseCache::Key("GetReport", 7, "request"), "a");
  ASSERT_NE(cache.Find(ResponseCache::Key("GetReport", 7, "request")), nullptr);
  EXPECT_EQ(cache.Find(ResponseCache::Key("GetReport", 8, "request")), nullptr);
  EXPECT_EQ(cache.Find(ResponseCache::Key("ListReports", 7, "request")),
            nullptr);
  EXPECT_EQ(cache.Find(ResponseCache::Key("GetReport", 7, "request2")),
            nullptr);
  // A method name cannot run into the version or the request.
  EXPECT_NE(ResponseCache::Key("A", 12, "3"), ResponseCache::Key("A", 1, "23"));
}

TEST(ResponseCache, EvictsTheLeastRecentlyUsedWhenFull) {
  // One shard of about 4 entries of 100 bytes.
  ResponseCache cache(4 * (100 + 1 + 128), /*shards=*/1);
  for (int i = 0; i < 4; ++i) {
    Keep(cache, absl::StrCat(i), std::string(100, 'x'));
  }
  ASSERT_NE(cache.Find("0"), nullptr);  // 0 is now the most recent
  Keep(cache, "4", std::string(100, 'x'));
  EXPECT_NE(cache.Find("0"), nullptr);
  EXPECT_EQ(cache.Find("1"), nullptr);  // the least recently used went
  EXPECT_NE(cache.Find("4"), nullptr);
  EXPECT_LE(cache.stats().bytes, 4u * (100 + 1 + 128));
}

TEST(ResponseCache, KeepsNothingTooLargeOrWhenDisabled) {
  ResponseCache small(1000, /*shards=*/1);
  Keep(small, "big", std::string(2000, 'x'));
  EXPECT_EQ(small.Find("big"), nullptr);
  ResponseCache off(0);
  Keep(off, "k", "v");
  EXPECT_EQ(off.Find("k"), nullptr);
  EXPECT_EQ(off.stats().entries, 0u);
}

TEST(ResponseCache, AResponseHandedOutOutlivesItsEviction) {
  ResponseCache cache(2 * (1 + 1 + 128), /*shards=*/1);
  Keep(cache, "a", "1");
  ResponseCache::Bytes held = cache.Find("a");
  Keep(cache, "b", "2");
  Keep(cache, "c", "3");  // evicts a
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_EQ(*held, "1");
}

TEST(ResponseCache, ServesManyThreadsAtOnce) {
  ResponseCache cache(1 << 16, /*shards=*/4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = absl::StrCat((i * 7 + t) % 300);
        if (ResponseCache::Bytes hit = cache.Find(key)) {
          EXPECT_EQ(*hit, key);
        } else {
          cache.Insert(key, Bytes(key));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(cache.stats().bytes, 1u << 16);
}

}  // namespace
}  // namespace govreport::query
