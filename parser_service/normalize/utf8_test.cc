#include "parser_service/normalize/utf8.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace govreport::parser {
namespace {

struct ValidityCase {
  const char* name;
  std::string bytes;
  std::optional<size_t> first_invalid;
};

TEST(Utf8, FindsTheFirstInvalidByte) {
  const ValidityCase kCases[] = {
      {"ascii", "abc 123", std::nullopt},
      {"chinese", "新建高标准农田", std::nullopt},
      {"four_byte", "\xF0\x9F\x98\x80", std::nullopt},
      {"lone_continuation", "ab\x80", 2},
      {"truncated_sequence", "新\xE5\xBB", 3},
      {"overlong_slash", "\xC0\xAF", 0},
      {"surrogate", "x\xED\xA0\x80", 1},
      {"above_max", "\xF4\x90\x80\x80", 0},
      {"invalid_lead", "12\xFF", 2},
  };
  for (const ValidityCase& c : kCases) {
    EXPECT_EQ(FindInvalidUtf8(c.bytes), c.first_invalid) << c.name;
    size_t count = 0;
    EXPECT_EQ(ValidateUtf8(c.bytes, &count), c.first_invalid) << c.name;
  }
}

TEST(Utf8, CountsCodePointsWhileValidating) {
  size_t count = 0;
  EXPECT_EQ(ValidateUtf8("新增1家", &count), std::nullopt);
  EXPECT_EQ(count, 4u);
  EXPECT_EQ(CountCodePoints("新增1家"), 4u);
}

TEST(Utf8, RoundTripsThroughUtf32) {
  const std::string text = "完成投资12.5亿元，增长8%😀";
  EXPECT_EQ(ToUtf8(ToUtf32(text)), text);
  EXPECT_EQ(ToUtf32("亩").size(), 1u);
}

TEST(Utf8, DecodesMalformedBytesAsReplacementWithoutOverrun) {
  const std::string bytes = "\xE5\xBB";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8At(bytes, &pos), U'\uFFFD');
  EXPECT_EQ(pos, 1u);
}

TEST(Utf8, EncodesInvalidCodePointsAsReplacement) {
  std::string out;
  AppendUtf8(0xD800, &out);
  EXPECT_EQ(out, "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace govreport::parser
