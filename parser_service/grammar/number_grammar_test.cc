#include "parser_service/grammar/number_grammar.h"

#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

struct NumberCase {
  const char* text;  // the number starts at 0
  double value;
  size_t length;   // code points consumed
  int multiplier;  // SDMX UNIT_MULT
  bool chinese;
};

void ExpectNumbers(const NumberCase* begin, const NumberCase* end) {
  for (const NumberCase* c = begin; c != end; ++c) {
    const std::u32string text = ToUtf32(c->text);
    auto n = ReadNumber(text, 0);
    ASSERT_TRUE(n.has_value()) << c->text;
    EXPECT_EQ(n->problem, NumberProblem::kNone) << c->text;
    EXPECT_DOUBLE_EQ(n->value, c->value) << c->text;
    EXPECT_EQ(n->end, c->length) << c->text;
    EXPECT_EQ(n->multiplier_exponent, c->multiplier) << c->text;
    EXPECT_EQ(n->chinese, c->chinese) << c->text;
  }
}

TEST(NumberGrammar, ReadsArabicNumerals) {
  const NumberCase kCases[] = {
      {"145个", 145, 3, 0, false},
      {"13.1公里", 13.1, 4, 0, false},
      {"0.5%", 0.5, 3, 0, false},
      {"1,234人", 1234, 5, 0, false},
      {"12,345,678元", 12345678, 10, 0, false},
      {"007号", 7, 3, 0, false},
  };
  ExpectNumbers(std::begin(kCases), std::end(kCases));
}

TEST(NumberGrammar, ReadsWanAndYiWithDecimals) {
  const NumberCase kCases[] = {
      {"1.8万人次", 18000, 4, 4, false}, {"41.82亿元", 4182000000, 6, 8, false},
      {"5.25万亩", 52500, 5, 4, false},  {"3千万元", 30000000, 3, 7, false},
      {"2百万吨", 2000000, 3, 6, false}, {"1.2万亿元", 1.2e12, 5, 12, false},
      {"5千人", 5000, 2, 3, false},
  };
  ExpectNumbers(std::begin(kCases), std::end(kCases));
}

TEST(NumberGrammar, KeepsQianOfAUnitOutOfTheMultiplier) {
  // 千米, 千伏, 千瓦 are units: 10千伏 is ten kilovolts, not ten thousand.
  const NumberCase kCases[] = {
      {"10千伏线路", 10, 2, 0, false},
      {"25千米", 25, 2, 0, false},
      {"300千瓦", 300, 3, 0, false},
  };
  ExpectNumbers(std::begin(kCases), std::end(kCases));
}

TEST(NumberGrammar, ReadsChineseNumerals) {
  const NumberCase kCases[] = {
      {"两个", 2, 1, 0, true},          {"十类", 10, 1, 0, true},
      {"十五届", 15, 2, 0, true},       {"二十届", 20, 2, 0, true},
      {"一万人", 10000, 2, 4, true},    {"百万吨", 1000000, 2, 4, true},
      {"两千五百亩", 2500, 4, 0, true}, {"一亿二千万元", 120000000, 5, 8, true},
      {"三百零五户", 305, 4, 0, true},  {"二〇二三年", 2023, 4, 0, true},
  };
  ExpectNumbers(std::begin(kCases), std::end(kCases));
}

TEST(NumberGrammar, NeverStartsAtWanYiOrLing) {
  for (const char* text : {"万人助万企", "亿元以上", "零星", "新建"}) {
    EXPECT_FALSE(ReadNumber(ToUtf32(text), 0).has_value()) << text;
  }
}

TEST(NumberGrammar, FlagsAbsurdNumbersInsteadOfReadingThem) {
  const std::string five_hundred_digits(500, '9');
  struct Case {
    std::string text;
    NumberProblem problem;
  } const kCases[] = {
      {"1e400", NumberProblem::kScientific},
      {"2E-5", NumberProblem::kScientific},
      {five_hundred_digits + "元", NumberProblem::kTooManyDigits},
      {"99999999999999999亿元", NumberProblem::kOutOfRange},
  };
  for (const Case& c : kCases) {
    auto n = ReadNumber(ToUtf32(c.text), 0);
    ASSERT_TRUE(n.has_value()) << c.text.substr(0, 20);
    EXPECT_EQ(n->problem, c.problem) << c.text.substr(0, 20);
    EXPECT_EQ(n->value, 0) << c.text.substr(0, 20);
  }
}

TEST(NumberGrammar, CanStartNumber) {
  for (char32_t c : {U'0', U'9', U'一', U'两', U'十', U'百', U'千', U'〇'}) {
    EXPECT_TRUE(CanStartNumber(c)) << static_cast<uint32_t>(c);
  }
  for (char32_t c : {U'万', U'亿', U'零', U'a', U'年', U'%'}) {
    EXPECT_FALSE(CanStartNumber(c)) << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace govreport::parser
