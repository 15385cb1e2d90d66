#include "parser_service/report/source_mapper.h"

#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

LayoutResult Layout(const std::string& input, InputFormat format) {
  auto n = NormalizeText(input, format);
  EXPECT_TRUE(n.ok());
  return RepairLayout(*std::move(n));
}

// Clean-text range of the first occurrence of `part`.
TextRange Find(const LayoutResult& layout, const std::string& part) {
  const std::u32string p = ToUtf32(part);
  const size_t at = layout.text.find(p);
  EXPECT_NE(at, std::u32string::npos) << part;
  return {static_cast<uint32_t>(at), static_cast<uint32_t>(at + p.size())};
}

TEST(SourceMapper, QuotesPlainTextExactlyAsWritten) {
  // Full-width digits fold in the clean text but are quoted as written.
  const std::string input = "●民生。新建幼儿园３所，新增学位９００个。";
  const LayoutResult layout = Layout(input, InputFormat::kPlainText);
  const SourceMapper mapper(input, layout);
  const MappedSpan span = mapper.Map(Find(layout, "学位900个"));
  EXPECT_EQ(span.quote, "学位９００个");
  const std::u32string in = ToUtf32(input);
  EXPECT_EQ(ToUtf8(in.substr(span.start, span.end - span.start)), span.quote);
}

TEST(SourceMapper, CutsAQuoteAtAJoinedCaption) {
  const std::string input =
      "●抓项目。全年实施重点\n\n园区鸟瞰\n\n项目80个,涉及多个领域。";
  const LayoutResult layout = Layout(input, InputFormat::kPlainText);
  const SourceMapper mapper(input, layout);
  const TextRange range = Find(layout, "重点项目80个");
  const MappedSpan whole = mapper.Map(range);
  EXPECT_EQ(whole.quote, "重点\n\n园区鸟瞰\n\n项目80个");
  const MappedSpan cut = mapper.MapContiguous(range, range.begin + 3);
  EXPECT_EQ(cut.quote, "项目80个");
}

TEST(SourceMapper, QuotesHtmlAsPageText) {
  const std::string input = "<p>新增&ldquo;四上&rdquo;企业<b>12</b>家</p>";
  const LayoutResult layout = Layout(input, InputFormat::kHtml);
  const SourceMapper mapper(input, layout);
  const MappedSpan span = mapper.Map(Find(layout, "企业12家"));
  EXPECT_EQ(span.quote, "企业12家");
  EXPECT_EQ(span.start, static_cast<uint32_t>(CountCodePoints(
                            input.substr(0, input.find("企业")))));
}

TEST(SourceMapper, QuotesASpanAcrossTableCellsAsTheInputWritesIt) {
  // The page text of a row has its cells apart by tabs, which the input
  // does not hold: such a span is quoted from the input, markup and all.
  const std::string input =
      "<table><tr><th>指标</th><th>单位</th><th>2024年完成</th></tr>"
      "<tr><td>能耗降低<sup>[2]</sup></td><td>%</td><td>3.2</td></tr>"
      "</table>";
  const LayoutResult layout = Layout(input, InputFormat::kHtml);
  const SourceMapper mapper(input, layout);
  const MappedSpan row = mapper.Map(Find(layout, "能耗降低[2]\t%\t3.2"));
  EXPECT_EQ(row.quote, "能耗降低<sup>[2]</sup></td><td>%</td><td>3.2");
  const std::u32string in = ToUtf32(input);
  EXPECT_EQ(ToUtf8(in.substr(row.start, row.end - row.start)), row.quote);
  // Within one cell the quote is still the page text.
  EXPECT_EQ(mapper.Map(Find(layout, "能耗降低[2]")).quote, "能耗降低[2]");
}

}  // namespace
}  // namespace govreport::parser
