#include "parser_service/grammar/table_grammar.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

std::vector<std::string> Cells(const std::string& row) {
  const std::u32string text = ToUtf32(row);
  std::vector<std::string> out;
  for (const CellSpan& c : SplitCells(text)) {
    out.push_back(
        ToUtf8(std::u32string_view(text).substr(c.begin, c.end - c.begin)));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(SplitCells, EveryTabEndsACell) {
  EXPECT_EQ(Cells("指标\t单位\t2024年完成"),
            (Strings{"指标", "单位", "2024年完成"}));
  // An empty HTML cell leaves an empty cell, first or inside.
  EXPECT_EQ(Cells("\t单位\t\t2025年"), (Strings{"", "单位", "", "2025年"}));
}

TEST(SplitCells, TwoOrMoreSpacesEndACellAndOneDoesNot) {
  EXPECT_EQ(Cells("PM2.5 浓度   微克/立方米  32"),
            (Strings{"PM2.5 浓度", "微克/立方米", "32"}));
  // Indentation is no empty cell.
  EXPECT_EQ(Cells("    地区生产总值  5.1"), (Strings{"地区生产总值", "5.1"}));
  EXPECT_EQ(Cells("新建高标准农田1万亩。"), (Strings{"新建高标准农田1万亩。"}));
}

struct HeaderCase {
  const char* cell;
  ColumnRole role;
  int year;
  ColumnKind kind;
};

TEST(ReadColumnHeader, NamesTheRoleYearAndKindOfAColumn) {
  const HeaderCase kCases[] = {
      {"指标", ColumnRole::kIndicator, 0, ColumnKind::kUnknown},
      {"指标名称", ColumnRole::kIndicator, 0, ColumnKind::kUnknown},
      {"项目", ColumnRole::kIndicator, 0, ColumnKind::kUnknown},
      {"单位", ColumnRole::kUnit, 0, ColumnKind::kUnknown},
      {"序号", ColumnRole::kIndex, 0, ColumnKind::kUnknown},
      {"2024年完成", ColumnRole::kValue, 2024, ColumnKind::kAchieved},
      {"2023年实际", ColumnRole::kValue, 2023, ColumnKind::kAchieved},
      {"2024年实现", ColumnRole::kValue, 2024, ColumnKind::kAchieved},
      {"2025年目标", ColumnRole::kValue, 2025, ColumnKind::kTarget},
      {"2024年预期", ColumnRole::kValue, 2024, ColumnKind::kTarget},
      {"2024年计划", ColumnRole::kValue, 2024, ColumnKind::kTarget},
      {"2024年度预期目标", ColumnRole::kValue, 2024, ColumnKind::kTarget},
      {"2024年", ColumnRole::kValue, 2024, ColumnKind::kUnknown},
      {"目标", ColumnRole::kValue, 0, ColumnKind::kTarget},
      {"增长(%)", ColumnRole::kGrowth, 0, ColumnKind::kUnknown},
      {"比上年增长%", ColumnRole::kGrowth, 0, ColumnKind::kUnknown},
      {"增速", ColumnRole::kGrowth, 0, ColumnKind::kUnknown},
      {"属性", ColumnRole::kOther, 0, ColumnKind::kUnknown},
      {"完成省下达任务", ColumnRole::kOther, 0, ColumnKind::kUnknown},
      {"2024年主要指标完成情况表", ColumnRole::kOther, 2024,
       ColumnKind::kUnknown},
  };
  for (const HeaderCase& c : kCases) {
    const TableColumn col = ReadColumnHeader(ToUtf32(c.cell));
    EXPECT_EQ(col.role, c.role) << c.cell;
    EXPECT_EQ(col.year, c.year) << c.cell;
    EXPECT_EQ(col.kind, c.kind) << c.cell;
  }
}

TEST(ReadColumnHeader, ReadsEstimatesGrowthTargetsAndUnits) {
  const TableColumn estimate = ReadColumnHeader(U"2024年预计完成");
  EXPECT_EQ(estimate.kind, ColumnKind::kAchieved);
  EXPECT_TRUE(estimate.estimated);
  const TableColumn growth_target = ReadColumnHeader(U"2025年增长目标(%)");
  EXPECT_EQ(growth_target.role, ColumnRole::kValue);
  EXPECT_TRUE(growth_target.growth);
  EXPECT_EQ(growth_target.unit, U"%");
  EXPECT_EQ(ReadColumnHeader(U"2023年(亿元)").unit, U"亿元");
}

TEST(ReadTableHeader, ReadsAHeaderRow) {
  const auto columns = ReadTableHeader(U"指标\t单位\t2024年完成\t2025年目标");
  ASSERT_TRUE(columns.has_value());
  ASSERT_EQ(columns->size(), 4u);
  EXPECT_EQ((*columns)[0].role, ColumnRole::kIndicator);
  EXPECT_EQ((*columns)[1].role, ColumnRole::kUnit);
  EXPECT_EQ((*columns)[2].kind, ColumnKind::kAchieved);
  EXPECT_EQ((*columns)[3].year, 2025);
}

TEST(ReadTableHeader, TakesTheFirstColumnForTheIndicatorWhenUnnamed) {
  const auto columns = ReadTableHeader(U"\t2023年实际\t增长(%)\t2024年预期");
  ASSERT_TRUE(columns.has_value());
  EXPECT_EQ((*columns)[0].role, ColumnRole::kIndicator);
  // The growth column belongs to the value column before it.
  EXPECT_EQ((*columns)[2].role, ColumnRole::kGrowth);
  EXPECT_EQ((*columns)[2].value_column, 1);
  EXPECT_EQ((*columns)[2].year, 2023);
  EXPECT_EQ((*columns)[2].kind, ColumnKind::kAchieved);
}

TEST(ReadTableHeader, RejectsDataRowsAndProse) {
  EXPECT_FALSE(ReadTableHeader(U"地区生产总值增长\t%\t5.1\t5左右"));
  EXPECT_FALSE(ReadTableHeader(U"城镇新增就业\t万人\t5.12\t5以上"));
  EXPECT_FALSE(ReadTableHeader(U"2024年,全县地区生产总值增长5%。"));
  EXPECT_FALSE(ReadTableHeader(U"九江市人民政府市长  吴建国"));
  EXPECT_FALSE(ReadTableHeader(U"地区生产总值  2563.8亿元  ↑5.2%"));
  // Values without an indicator column.
  EXPECT_FALSE(ReadTableHeader(U"2024年完成\t2025年目标"));
}

struct UnitCase {
  const char* text;
  const char* base;
  double factor;
  int exponent;
};

TEST(ReadUnitText, ReadsAUnitWithItsMultiplier) {
  const UnitCase kCases[] = {
      {"%", "%", 1, 0},           {"万人", "人", 1e4, 4},
      {"万吨", "吨", 1e4, 4},     {"亿元", "元", 1e8, 8},
      {"公里", "千米", 1, 0},     {"元/人", "元", 1, 0},
      {"万人次", "人次", 1e4, 4}, {"个百分点", "百分点", 1, 0},
  };
  for (const UnitCase& c : kCases) {
    const auto unit = ReadUnitText(ToUtf32(c.text));
    ASSERT_TRUE(unit.has_value()) << c.text;
    EXPECT_EQ(ToUtf8(unit->base), c.base) << c.text;
    EXPECT_DOUBLE_EQ(unit->factor, c.factor) << c.text;
    EXPECT_EQ(unit->multiplier_exponent, c.exponent) << c.text;
  }
}

TEST(ReadUnitText, ReadsAnUnknownUnitOnlyWhenAllowed) {
  // A unit column says its text is a unit, even one the table lacks.
  EXPECT_FALSE(ReadUnitText(U"万艘次").has_value());
  const auto unit = ReadUnitText(U"万艘次", /*allow_unknown=*/true);
  ASSERT_TRUE(unit.has_value());
  EXPECT_EQ(unit->base, U"艘次");
  EXPECT_DOUBLE_EQ(unit->factor, 1e4);
}

TEST(ReadUnitText, RejectsWhatIsNoUnit) {
  for (const char* text : {"", "万", "5", ".5", "以上", "-2"}) {
    EXPECT_FALSE(ReadUnitText(ToUtf32(text), true).has_value()) << text;
  }
  for (const char* text : {"单位", "增长", "项目", "2024年"}) {
    EXPECT_FALSE(ReadUnitText(ToUtf32(text)).has_value()) << text;
  }
}

}  // namespace
}  // namespace govreport::parser
