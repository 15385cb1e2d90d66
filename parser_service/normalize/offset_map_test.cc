#include "parser_service/normalize/offset_map.h"

#include "gtest/gtest.h"

namespace govreport::parser {
namespace {

TEST(OffsetMap, StoresContiguousTextAsOneRun) {
  OffsetMap map;
  for (uint32_t i = 10; i < 20; ++i) map.Push(i);
  map.set_end(30);
  EXPECT_EQ(map.size(), 10u);
  EXPECT_EQ(map[0], 10u);
  EXPECT_EQ(map[9], 19u);
  EXPECT_EQ(map[10], 30u);  // one past the end
  EXPECT_EQ(map.RunStart(9), 0u);
}

TEST(OffsetMap, StartsARunWhereTheInputJumps) {
  OffsetMap map;
  for (uint32_t s : {0u, 1u, 2u, 7u, 8u, 20u}) map.Push(s);
  EXPECT_EQ(map[3], 7u);
  EXPECT_EQ(map[4], 8u);
  EXPECT_EQ(map[5], 20u);
  EXPECT_EQ(map.RunStart(4), 3u);
  EXPECT_EQ(map.RunStart(5), 5u);
}

TEST(OffsetMap, AppendsARangeOfAnotherMap) {
  OffsetMap from;
  for (uint32_t s : {0u, 1u, 2u, 7u, 8u, 9u}) from.Push(s);
  OffsetMap to;
  to.AppendRange(from, 1, 5);
  ASSERT_EQ(to.size(), 4u);
  EXPECT_EQ(to[0], 1u);
  EXPECT_EQ(to[1], 2u);
  EXPECT_EQ(to[2], 7u);
  EXPECT_EQ(to[3], 8u);
}

}  // namespace
}  // namespace govreport::parser
