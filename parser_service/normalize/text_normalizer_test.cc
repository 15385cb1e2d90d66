#include "parser_service/normalize/text_normalizer.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

struct FoldCase {
  char32_t in;
  char32_t out;
};

TEST(FoldCodePoint, FoldsFullWidthAndSpaces) {
  const FoldCase kCases[] = {
      {U'１', U'1'}, {U'９', U'9'},      {U'，', U','},     {U'；', U';'},
      {U'：', U':'}, {U'（', U'('},      {U'）', U')'},     {U'％', U'%'},
      {U'．', U'.'}, {U'Ａ', U'A'},      {U'\u3000', U' '}, {U'\u00A0', U' '},
      {U'\t', U' '}, {U'\u2028', U'\n'}, {U'。', U'。'},    {U'、', U'、'},
      {U'“', U'“'},  {U'亩', U'亩'},     {U'\u200B', 0},    {U'\uFEFF', 0},
  };
  for (const FoldCase& c : kCases) {
    EXPECT_EQ(FoldCodePoint(c.in), c.out) << static_cast<uint32_t>(c.in);
  }
}

TEST(NormalizeText, KeepsAnOffsetForEveryCharacter) {
  // Full-width digits fold; offsets still count input code points.
  auto n = NormalizeText("新建１２公里", InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "新建12公里");
  EXPECT_EQ(n->source[2], 2u);
  EXPECT_EQ(n->source[5], 5u);
  EXPECT_EQ(n->source.end(), 6u);
}

TEST(NormalizeText, FoldsCarriageReturnLineFeedIntoOneBreak) {
  auto n = NormalizeText("甲\r\n乙\r丙", InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "甲\n乙\n丙");
  EXPECT_EQ(n->source[1], 2u);  // the '\n' of "\r\n"
  EXPECT_EQ(n->source[2], 3u);
}

TEST(NormalizeText, DropsZeroWidthCharacters) {
  auto n = NormalizeText("5\u200B0家", InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "50家");
  EXPECT_EQ(n->source[1], 2u);
}

TEST(NormalizeText, RejectsInvalidUtf8NamingTheOffset) {
  auto n = NormalizeText(std::string("新增\xFF"), InputFormat::kAuto);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(n.status().message().find("offset 6"), absl::string_view::npos);
}

TEST(NormalizeText, StripsHtmlAndKeepsBlocks) {
  const std::string html =
      "<html><head><title>t</title><script>var x = '<p>9亿元</p>';</script>"
      "</head><body><p>新建&ldquo;托牛所&rdquo;<b>5</b>个</"
      "p><p>A&amp;B&#20159;</p>"
      "</body></html>";
  auto n = NormalizeText(html, InputFormat::kAuto);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->from_html);
  EXPECT_EQ(ToUtf8(n->text), "新建“托牛所”5个\nA&B亿\n");
  // "5" points at its place inside the markup.
  const size_t five = ToUtf8(n->text).find('5');
  ASSERT_NE(five, std::string::npos);
  EXPECT_EQ(n->source[7], static_cast<uint32_t>(CountCodePoints(
                              html.substr(0, html.find("5</b>")))));
}

TEST(NormalizeText, HtmlLineWrapsDoNotSplitWords) {
  auto n = NormalizeText("<p>高标准\n  农田</p>", InputFormat::kHtml);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "高标准农田\n");
}

TEST(NormalizeText, KeepsTheCellsOfAnHtmlRowOnOneLine) {
  const std::string html =
      "<table><tr><th>指标</th><th>单位</th><th>2024年完成</th></tr>\n"
      "<tr><td>粮食总产量</td><td>万吨</td><td>312.6</td></tr></table>";
  auto n = NormalizeText(html, InputFormat::kHtml);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text),
            "指标\t单位\t2024年完成\n粮食总产量\t万吨\t312.6\n");
  // A tab points at the tag that opens its cell.
  const size_t tab = n->text.find(U'\t');
  EXPECT_EQ(n->source[tab], static_cast<uint32_t>(CountCodePoints(
                                html.substr(0, html.find("<th>单位")))));
}

TEST(NormalizeText, KeepsEmptyCellsAndJoinsTheBlocksInsideDataCells) {
  auto n = NormalizeText(
      "<table><tr><td></td><td><p>2024年<br>完成</p></td><td>  <p>5.1</p>"
      "</td></tr></table>",
      InputFormat::kHtml);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "\t2024年完成\t5.1\n");
}

TEST(NormalizeText, LeavesTheBlocksOfALayoutTableOnLinesOfTheirOwn) {
  // A cell with a long text lays out the page: every cell and paragraph of
  // the table stays a block.
  const std::string para(70 * 3, 'x');
  auto n = NormalizeText(
      "<table><tr><td><h1>政府工作报告</h1><p>2024年1月</p></td><td><p>" +
          para + "</p><p>第二段</p></td></tr></table>",
      InputFormat::kHtml);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "政府工作报告\n2024年1月\n" + para + "\n第二段\n");
}

TEST(NormalizeText, KeepsTheTabsOfPlainText) {
  auto n = NormalizeText("指标\t单位\n新建1万亩", InputFormat::kPlainText);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(ToUtf8(n->text), "指标\t单位\n新建1万亩");
}

TEST(LooksLikeHtml, DetectsMarkup) {
  EXPECT_TRUE(LooksLikeHtml("<!DOCTYPE html><html>"));
  EXPECT_TRUE(LooksLikeHtml("  <p>正文</p>"));
  EXPECT_FALSE(LooksLikeHtml("增长<5%的企业"));
}

}  // namespace
}  // namespace govreport::parser
