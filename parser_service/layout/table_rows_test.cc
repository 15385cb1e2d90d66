#include "parser_service/layout/table_rows.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/layout/layout.h"
#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

std::vector<std::string> Rows(const std::string& text) {
  const std::u32string t = ToUtf32(text);
  std::vector<std::string> out;
  for (const TableRowRange& r : FindTableRows(t)) {
    out.push_back(
        ToUtf8(std::u32string_view(t).substr(r.begin, r.end - r.begin)));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(FindTableRows, FindsAHeaderAndTheRowsUnderIt) {
  EXPECT_EQ(Rows("二、主要指标\n"
                 "指标\t单位\t2024年完成\t2025年目标\n"
                 "地区生产总值增长\t%\t5.1\t5左右\n"
                 "粮食总产量\t万吨\t312.6\t310以上\n"
                 "注:地区生产总值为初步核算数。\n"),
            (Strings{"指标\t单位\t2024年完成\t2025年目标",
                     "地区生产总值增长\t%\t5.1\t5左右",
                     "粮食总产量\t万吨\t312.6\t310以上"}));
}

TEST(FindTableRows, ReadsPlainTextTablesWithBlankLinesAndCategories) {
  // Full-width spaces fold to spaces before this stage.
  EXPECT_EQ(Rows("  指标      2023年实际    增长(%)\n"
                 "\n"
                 "一、经济发展\n"
                 "  地区生产总值(亿元)   542    0.5\n"
                 "\n"
                 "  固定资产投资(亿元)   120    -3.2\n"),
            (Strings{"指标      2023年实际    增长(%)", "一、经济发展",
                     "地区生产总值(亿元)   542    0.5",
                     "固定资产投资(亿元)   120    -3.2"}));
}

TEST(FindTableRows, LeavesAHeadingBetweenTwoTablesOut) {
  EXPECT_EQ(
      Rows("指标\t2024年完成\n甲\t1%\n"
           "二、今年目标\n"
           "指标\t2025年目标\n乙\t2%\n"),
      (Strings{"指标\t2024年完成", "甲\t1%", "指标\t2025年目标", "乙\t2%"}));
}

TEST(FindTableRows, KeepsALeadingEmptyCell) {
  EXPECT_EQ(Rows("\t2024年\t2025年\n地区生产总值\t5.1%\t5%\n"),
            (Strings{"\t2024年\t2025年", "地区生产总值\t5.1%\t5%"}));
}

TEST(FindTableRows, FindsNothingWithoutAHeaderOrWithoutRows) {
  EXPECT_TRUE(Rows("地区生产总值  2563.8亿元  ↑5.2%\n"
                   "一般公共预算收入  86.4亿元  ↑3.1%\n")
                  .empty());
  EXPECT_TRUE(Rows("首页\t新闻\t政务公开\n首页\t新闻\t政务公开\n").empty());
  EXPECT_TRUE(
      Rows("指标\t2024年完成\n报告指出,全年完成投资100亿元。\n").empty());
}

TEST(ResolveStrayTabs, TurnsTabsOutsideTablesBackIntoBreaksOrSpaces) {
  const std::u32string original = U"导航\t首页\n指标\t2024年\nA\t1%\n";
  const std::vector<TableRowRange> rows = FindTableRows(original);
  ASSERT_EQ(rows.size(), 2u);
  std::u32string html = original, unfolded = original;
  ResolveStrayTabs(rows, /*html=*/true, &html, &unfolded);
  EXPECT_EQ(html, U"导航\n首页\n指标\t2024年\nA\t1%\n");
  EXPECT_EQ(unfolded, html);
  std::u32string plain = original, none;
  ResolveStrayTabs(rows, /*html=*/false, &plain, &none);
  EXPECT_EQ(plain, U"导航 首页\n指标\t2024年\nA\t1%\n");
}

TEST(RepairLayout, MakesTableRowsLinesOfTheirOwn) {
  auto n = NormalizeText(
      "2024年,全市经济稳中有进,\n"
      "指标\t单位\t2024年完成\n"
      "\t%\t5.1\n"
      "城镇新增就业\t万人\t5.12\n",
      InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  const LayoutResult r = RepairLayout(*std::move(n));
  ASSERT_EQ(r.lines.size(), 4u);
  EXPECT_EQ(r.lines[0].kind, LineKind::kBody);  // not joined to the header
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(r.lines[i].kind, LineKind::kTableRow) << i;
  }
  // The empty first cell stays: the row starts with its tab.
  EXPECT_EQ(r.text.substr(r.lines[2].begin, r.lines[2].end - r.lines[2].begin),
            U"\t%\t5.1");
}

}  // namespace
}  // namespace govreport::parser
