#include "parser_service/grammar/quantity_grammar.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

struct QuantityCase {
  const char* text;  // the number starts after the marker '|'
  double value;
  double upper;  // NAN unless a range
  Bound bound;
  const char* unit;    // base unit, "" for none
  const char* phrase;  // the whole quantity phrase
};

void ExpectQuantities(const QuantityCase* begin, const QuantityCase* end) {
  for (const QuantityCase* c = begin; c != end; ++c) {
    std::string s = c->text;
    const size_t bar = s.find('|');
    ASSERT_NE(bar, std::string::npos) << c->text;
    s.erase(bar, 1);
    const std::u32string text = ToUtf32(s);
    const size_t pos = ToUtf32(std::string(c->text).substr(0, bar)).size();
    auto q = ReadQuantity(text, pos);
    ASSERT_TRUE(q.has_value()) << c->text;
    EXPECT_DOUBLE_EQ(q->value, c->value) << c->text;
    EXPECT_EQ(q->bound, c->bound) << c->text << " got " << BoundName(q->bound);
    if (std::isnan(c->upper)) {
      EXPECT_FALSE(q->upper.has_value()) << c->text;
    } else {
      EXPECT_DOUBLE_EQ(q->upper_value, c->upper) << c->text;
    }
    EXPECT_EQ(q->unit == nullptr ? "" : ToUtf8(q->unit->base), c->unit)
        << c->text;
    EXPECT_EQ(ToUtf8(text.substr(q->begin, q->end - q->begin)), c->phrase)
        << c->text;
  }
}

TEST(QuantityGrammar, ReadsUnitsAndClassifiers) {
  const QuantityCase kCases[] = {
      {"新增企业|113家", 113, NAN, Bound::kExact, "家", "113家"},
      {"完成培训|2.1万人次", 21000, NAN, Bound::kExact, "人次", "2.1万人次"},
      {"总产值|542亿元、", 54200000000, NAN, Bound::kExact, "元", "542亿元"},
      {"乐道|13.1公里", 13.1, NAN, Bound::kExact, "千米", "13.1公里"},
      {"增长|6.5%", 6.5, NAN, Bound::kExact, "%", "6.5%"},
      {"提高|2个百分点", 2, NAN, Bound::kExact, "百分点", "2个百分点"},
  };
  ExpectQuantities(std::begin(kCases), std::end(kCases));
}

TEST(QuantityGrammar, ReadsComparatorsInEveryPosition) {
  const QuantityCase kCases[] = {
      {"存栏|30万只以上", 300000, NAN, Bound::kAtLeast, "只", "30万只以上"},
      {"储备项目不低于|90个", 90, NAN, Bound::kAtLeast, "个", "不低于90个"},
      {"车位|2700余个", 2700, NAN, Bound::kApprox, "个", "2700余个"},
      {"就业|8600多人", 8600, NAN, Bound::kApprox, "人", "8600多人"},
      {"收入|1000多万元", 10000000, NAN, Bound::kApprox, "元", "1000多万元"},
      {"投资|3余亿元", 300000000, NAN, Bound::kApprox, "元", "3余亿元"},
      {"新建道路|120 公里", 120, NAN, Bound::kExact, "千米", "120 公里"},
      {"饲养量超|7万头", 70000, NAN, Bound::kMoreThan, "头", "超7万头"},
      {"交易额突破|35亿元", 3500000000, NAN, Bound::kMoreThan, "元",
       "突破35亿元"},
      {"涨幅|3%左右", 3, NAN, Bound::kApprox, "%", "3%左右"},
      {"涨幅控制在|3%左右", 3, NAN, Bound::kApprox, "%", "控制在3%左右"},
      {"失业率控制在|5.5%以内", 5.5, NAN, Bound::kAtMost, "%",
       "控制在5.5%以内"},
      {"约|1.2万人", 12000, NAN, Bound::kApprox, "人", "约1.2万人"},
      {"不超过|3%", 3, NAN, Bound::kAtMost, "%", "不超过3%"},
      {"粮食|5亿斤以上。", 500000000, NAN, Bound::kAtLeast, "斤", "5亿斤以上"},
  };
  ExpectQuantities(std::begin(kCases), std::end(kCases));
}

TEST(QuantityGrammar, ReadsRangesWithTheUnitAtTheEnd) {
  const QuantityCase kCases[] = {
      {"养殖场|2至4家", 2, 4, Bound::kRange, "家", "2至4家"},
      {"形成|3至4个", 3, 4, Bound::kRange, "个", "3至4个"},
      {"增长|5%-6%", 5, 6, Bound::kRange, "%", "5%-6%"},
      {"种植|10至15万亩", 100000, 150000, Bound::kRange, "亩", "10至15万亩"},
      {"儿童|0至14岁", 0, 14, Bound::kRange, "", "0至14岁"},
  };
  for (const QuantityCase& c : kCases) {
    if (std::string(c.unit).empty())
      continue;  // the age case: unit checked below
    ExpectQuantities(&c, &c + 1);
  }
  auto age = ReadQuantity(ToUtf32("0至14岁"), 0);
  ASSERT_TRUE(age.has_value());
  ASSERT_NE(age->unit, nullptr);
  EXPECT_EQ(age->unit->kind, UnitKind::kNotFigure);
}

TEST(QuantityGrammar, LeavesBareNumbersWithoutUnit) {
  auto q = ReadQuantity(ToUtf32("S312提升"), 1);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->unit, nullptr);
  EXPECT_DOUBLE_EQ(q->value, 312);
}

TEST(QuantityGrammar, DoesNotTakeDiverseForMore) {
  // 多元 (diverse) after a unit is a word, not "more than".
  auto q = ReadQuantity(ToUtf32("5个多元主体"), 0);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->bound, Bound::kExact);
  EXPECT_EQ(q->end, 2u);
}

}  // namespace
}  // namespace govreport::parser
