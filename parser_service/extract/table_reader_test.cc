#include "parser_service/extract/table_reader.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

// The figures of the tables of `input`, read as one report of `year`.
Extraction Read(const std::string& input, InputFormat format, int year,
                LayoutResult* layout_out = nullptr) {
  auto n = NormalizeText(input, format);
  EXPECT_TRUE(n.ok());
  LayoutResult layout = RepairLayout(*std::move(n));
  ReportInfo report;
  report.range = {0, static_cast<uint32_t>(layout.text.size())};
  report.year = year;
  Extraction out = ExtractTableFigures(layout, report);
  if (layout_out != nullptr) *layout_out = std::move(layout);
  return out;
}

// One expected figure.
struct Expected {
  std::string subject;
  std::string action;
  double value;
  std::string unit;
  Bound bound;
  bool target;
  int year;
  double growth = NAN;  // growth_percent
};

constexpr bool kTarget = true;
constexpr bool kAchieved = false;

void ExpectFigures(const std::vector<Figure>& got,
                   const std::vector<Expected>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const Figure& f = got[i];
    const Expected& w = want[i];
    EXPECT_EQ(f.subject, w.subject) << "#" << i;
    EXPECT_EQ(f.action, w.action) << "#" << i;
    EXPECT_DOUBLE_EQ(f.value, w.value) << "#" << i;
    EXPECT_EQ(f.unit, w.unit) << "#" << i;
    EXPECT_EQ(f.bound, w.bound) << "#" << i << " got " << BoundName(f.bound);
    EXPECT_EQ(f.target, w.target) << "#" << i;
    EXPECT_EQ(f.year, w.year) << "#" << i;
    if (std::isnan(w.growth)) {
      EXPECT_FALSE(f.growth_percent.has_value()) << "#" << i;
    } else {
      ASSERT_TRUE(f.growth_percent.has_value()) << "#" << i;
      EXPECT_DOUBLE_EQ(*f.growth_percent, w.growth) << "#" << i;
    }
  }
}

std::string Text(const LayoutResult& layout, TextRange r) {
  return ToUtf8(
      std::u32string_view(layout.text).substr(r.begin, r.end - r.begin));
}

constexpr char kHtmlTable[] =
    "<h2>二、2024年主要指标完成情况及2025年预期目标</h2>\n"
    "<table border=\"1\">\n"
    "<tr><th>指标</th><th>单位</th><th>2024年完成</th><th>2025年目标</th></"
    "tr>\n"
    "<tr><td>地区生产总值增长<sup>[1]</sup></td><td>%</td><td>5.1</td>"
    "<td>5左右</td></tr>\n"
    "<tr><td>城镇新增就业</td><td>万人</td><td>5.12</td><td>5以上</td></tr>\n"
    "<tr><td>城镇调查失业率</td><td>%</td><td>5.2</td><td>5.5以内</td></tr>\n"
    "<tr><td>粮食总产量</td><td>万吨</td><td>312.6</td><td>310以上</td></tr>\n"
    "</table>\n"
    "<p>注:[1]地区生产总值为初步核算数。</p>";

TEST(TableReader, ReadsAnHtmlTableWithAHeader) {
  // One figure a value cell: year and kind from the column header, the unit
  // from the unit column (万人 -> 人, 万吨 -> 吨), the bound from the cell; a
  // name ending in 增长 is a growth rate, as the prose reader has it.
  const Extraction got = Read(kHtmlTable, InputFormat::kHtml, 2025);
  ExpectFigures(
      got.figures,
      {
          {"地区生产总值", "增长", 5.1, "%", Bound::kExact, kAchieved, 2024},
          {"地区生产总值", "增长", 5, "%", Bound::kApprox, kTarget, 2025},
          {"城镇新增就业", "", 51200, "人", Bound::kExact, kAchieved, 2024},
          {"城镇新增就业", "", 50000, "人", Bound::kAtLeast, kTarget, 2025},
          {"城镇调查失业率", "", 5.2, "%", Bound::kExact, kAchieved, 2024},
          {"城镇调查失业率", "", 5.5, "%", Bound::kAtMost, kTarget, 2025},
          {"粮食总产量", "", 3126000, "吨", Bound::kExact, kAchieved, 2024},
          {"粮食总产量", "", 3100000, "吨", Bound::kAtLeast, kTarget, 2025},
      });
  EXPECT_EQ(got.figures[0].value_kind, ValueKind::kGrowthRate);
  EXPECT_EQ(got.figures[2].value_kind, ValueKind::kLevel);
  EXPECT_EQ(got.figures[2].unit_text, "万人");
  EXPECT_EQ(got.figures[2].multiplier_exponent, 4);
  EXPECT_TRUE(got.warnings.empty());
}

TEST(TableReader, SpansTheValueCellAndTheFigureFromItsIndicator) {
  LayoutResult layout;
  const Extraction got = Read(kHtmlTable, InputFormat::kHtml, 2025, &layout);
  ASSERT_EQ(got.figures.size(), 8u);
  const Figure& target = got.figures[3];  // 5以上
  EXPECT_EQ(Text(layout, target.quantity), "5以上");
  EXPECT_EQ(Text(layout, target.raw), "城镇新增就业\t万人\t5.12\t5以上");
  EXPECT_EQ(target.original_text, "5以上");
}

TEST(TableReader, ReadsAPlainTextTableWithAGrowthColumn) {
  // Cells apart by runs of full-width spaces, units after the indicator, a
  // growth column beside the level of its year; "—" is no value.
  const Extraction got = Read(
      "主要指标　　　　2023年实际　　增长(%)　　2024年预期\n"
      "地区生产总值(亿元)　　542　　0.5　　580\n"
      "固定资产投资(亿元)　　120　　—　　130\n"
      "规模以上工业增加值增速(%)　　6.8　　—　　7\n",
      InputFormat::kPlainText, 2024);
  ExpectFigures(
      got.figures,
      {
          {"地区生产总值", "", 542e8, "元", Bound::kExact, kAchieved, 2023,
           0.5},
          {"地区生产总值", "", 580e8, "元", Bound::kExact, kTarget, 2024},
          {"固定资产投资", "", 120e8, "元", Bound::kExact, kAchieved, 2023},
          {"固定资产投资", "", 130e8, "元", Bound::kExact, kTarget, 2024},
          {"规模以上工业增加值", "增长", 6.8, "%", Bound::kExact, kAchieved,
           2023},
          {"规模以上工业增加值", "增长", 7, "%", Bound::kExact, kTarget, 2024},
      });
}

TEST(TableReader, ReadsATableWithoutAUnitColumn) {
  // Years without a kind: achieved before the report year, targets from it
  // on. Units written in the cells; a number without any unit is no figure.
  const Extraction got = Read(
      "<table><tr><td></td><td>2023年</td><td>2024年</td></tr>"
      "<tr><td>1.城镇居民人均可支配收入</td><td>49862元</td>"
      "<td>5.2万元以上</td></tr>"
      "<tr><td>2.人口密度</td><td>580</td><td>600</td></tr></table>",
      InputFormat::kHtml, 2024);
  ExpectFigures(got.figures, {
                                 {"城镇居民人均可支配收入", "", 49862, "元",
                                  Bound::kExact, kAchieved, 2023},
                                 {"城镇居民人均可支配收入", "", 52000, "元",
                                  Bound::kAtLeast, kTarget, 2024},
                             });
}

TEST(TableReader, GivesNothingForCellsWithoutANumber) {
  const Extraction got = Read(
      "指标\t单位\t2024年完成\t2025年目标\n"
      "进出口总额增长\t%\t持平\t—\n"
      "单位地区生产总值能耗降低\t%\t-\t完成省下达任务\n"
      "一、生态环境\n"
      "森林覆盖率\t%\t约57\t2025年\n"
      "多出一格的行\t%\t1\t2\t3\n",
      InputFormat::kPlainText, 2025);
  // Only 约57: the row with more cells than the header is skipped.
  ExpectFigures(got.figures,
                {{"森林覆盖率", "", 57, "%", Bound::kApprox, kAchieved, 2024}});
}

TEST(TableReader, ReadsNegativeValues) {
  // A minus sign, a down arrow, and 下降/降低 in the name all make the value
  // negative (能耗降低 3.2 is -3.2, as the prose reader says 能耗下降3.2%).
  const Extraction got = Read(
      "指标\t单位\t2024年完成\t2025年目标\n"
      "固定资产投资增长\t%\t-2.4\t3左右\n"
      "单位地区生产总值能耗降低[2]\t%\t3.2\t3以上\n"
      "PM2.5平均浓度\t微克/立方米\t32\t↓5\n",
      InputFormat::kPlainText, 2025);
  ExpectFigures(
      got.figures,
      {
          {"固定资产投资", "增长", -2.4, "%", Bound::kExact, kAchieved, 2024},
          {"固定资产投资", "增长", 3, "%", Bound::kApprox, kTarget, 2025},
          {"单位地区生产总值能耗", "降低", -3.2, "%", Bound::kExact, kAchieved,
           2024},
          {"单位地区生产总值能耗", "降低", -3, "%", Bound::kAtLeast, kTarget,
           2025},
          {"PM2.5平均浓度", "", 32, "微克/立方米", Bound::kExact, kAchieved,
           2024},
          {"PM2.5平均浓度", "下降", -5, "微克/立方米", Bound::kExact, kTarget,
           2025},
      });
  EXPECT_EQ(got.figures[0].value_kind, ValueKind::kGrowthRate);
  EXPECT_EQ(got.figures[5].value_kind, ValueKind::kChange);
}

TEST(TableReader, WarnsAboutANumberItCannotRead) {
  const Extraction got =
      Read("指标\t单位\t2024年完成\n地区生产总值\t亿元\t1e400\n",
           InputFormat::kPlainText, 2025);
  EXPECT_TRUE(got.figures.empty());
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_EQ(got.warnings[0].code, ExtractWarningCode::kUnreadableNumber);
}

TEST(AddTableFigures, ReplacesWhatProseFoundOnTableRowsInTextOrder) {
  auto n = NormalizeText(
      "全年新建高标准农田1万亩。\n"
      "指标\t单位\t2024年完成\n"
      "粮食总产量\t万吨\t312.6\n"
      "新增就业5万人。\n",
      InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  const LayoutResult layout = RepairLayout(*std::move(n));
  ASSERT_EQ(layout.lines.size(), 4u);
  ReportInfo report;
  report.range = {0, static_cast<uint32_t>(layout.text.size())};
  report.year = 2025;
  auto figure_at = [&](size_t line, const std::string& subject) {
    Figure f;
    f.subject = subject;
    f.quantity = {layout.lines[line].begin + 1, layout.lines[line].begin + 2};
    return f;
  };
  Extraction extraction;
  extraction.figures = {figure_at(0, "高标准农田"), figure_at(2, "万吨"),
                        figure_at(3, "就业")};
  extraction.warnings.push_back({ExtractWarningCode::kNoSubject,
                                 "row",
                                 {layout.lines[2].begin, layout.lines[2].end}});
  AddTableFigures(layout, report, &extraction);
  ASSERT_EQ(extraction.figures.size(), 3u);
  EXPECT_EQ(extraction.figures[0].subject, "高标准农田");
  EXPECT_EQ(extraction.figures[1].subject, "粮食总产量");
  EXPECT_DOUBLE_EQ(extraction.figures[1].value, 3126000);
  EXPECT_EQ(extraction.figures[2].subject, "就业");
  EXPECT_TRUE(extraction.warnings.empty());
}

}  // namespace
}  // namespace govreport::parser
