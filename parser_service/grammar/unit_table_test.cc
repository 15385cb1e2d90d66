#include "parser_service/grammar/unit_table.h"

#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

struct UnitCase {
  const char* text;
  const char* written;
  const char* base;
  UnitKind kind;
};

TEST(UnitTable, MatchesTheLongestUnitAndNormalizesIt) {
  const UnitCase kCases[] = {
      {"亩以上", "亩", "亩", UnitKind::kMeasure},
      {"公里,", "公里", "千米", UnitKind::kMeasure},
      {"平方米。", "平方米", "平方米", UnitKind::kMeasure},
      {"平方公里", "平方公里", "平方公里", UnitKind::kMeasure},
      {"元/人", "元", "元", UnitKind::kMoney},
      {"人次", "人次", "人次", UnitKind::kCount},
      {"人以上", "人", "人", UnitKind::kCount},
      {"批次", "批次", "批次", UnitKind::kCount},
      {"个百分点", "个百分点", "百分点", UnitKind::kPercent},
      {"个老旧小区", "个", "个", UnitKind::kCount},
      {"%左右", "%", "%", UnitKind::kPercent},
      {"个月", "个月", "", UnitKind::kNotFigure},
      {"千伏线路", "千伏", "", UnitKind::kNotFigure},
      {"岁残疾儿童", "岁", "", UnitKind::kNotFigure},
      {"届人大", "届", "", UnitKind::kNotFigure},
      {"周年", "周年", "", UnitKind::kNotFigure},
      {"年度", "年度", "", UnitKind::kNotFigure},
      {"元人民币,", "元人民币", "元", UnitKind::kMoney},
      {"标准箱", "标准箱", "标准箱", UnitKind::kMeasure},
      {"微克/立方米以内", "微克/立方米", "微克/立方米", UnitKind::kMeasure},
      {"头(只)", "头(只)", "头(只)", UnitKind::kCount},
      {"例", "例", "例", UnitKind::kCount},
  };
  for (const UnitCase& c : kCases) {
    const std::u32string text = ToUtf32(c.text);
    const UnitInfo* unit = MatchUnit(text, 0);
    ASSERT_NE(unit, nullptr) << c.text;
    EXPECT_EQ(ToUtf8(unit->text), c.written) << c.text;
    EXPECT_EQ(ToUtf8(unit->base), c.base) << c.text;
    EXPECT_EQ(unit->kind, c.kind) << c.text;
  }
}

TEST(UnitTable, KnowsNoUnitForOtherWords) {
  for (const char* text : {"强", "A景区", "增长", ""}) {
    const std::u32string t = ToUtf32(text);
    const UnitInfo* unit = MatchUnit(t, 0);
    if (unit != nullptr) {
      EXPECT_EQ(unit->kind, UnitKind::kNotFigure) << text;
    }
  }
  EXPECT_EQ(MatchUnit(ToUtf32("增长"), 0), nullptr);
  EXPECT_EQ(MatchUnit(ToUtf32("A景区"), 0), nullptr);
}

}  // namespace
}  // namespace govreport::parser
