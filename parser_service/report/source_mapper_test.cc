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

}  // namespace
}  // namespace govreport::parser
