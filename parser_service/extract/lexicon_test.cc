#include "parser_service/extract/lexicon.h"

#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

TEST(Lexicon, MatchesTheLongestWordAtAPosition) {
  const Lexicon lexicon({U"新建", U"新建改造", U"改造"});
  const std::u32string text = ToUtf32("新建改造道路");
  EXPECT_EQ(lexicon.MatchAt(text, 0), 4u);
  EXPECT_EQ(lexicon.MatchAt(text, 2), 2u);
  EXPECT_EQ(lexicon.MatchAt(text, 4), 0u);
  EXPECT_EQ(lexicon.MatchAt(text, 99), 0u);
}

TEST(Lexicon, MatchesTheLongestWordEndingAtAPosition) {
  const Lexicon lexicon({U"为", U"均为", U"稳定在"});
  const std::u32string text = ToUtf32("满意率均为");
  EXPECT_EQ(lexicon.MatchEndingAt(text, text.size()), 2u);
  EXPECT_EQ(lexicon.MatchEndingAt(text, 3), 0u);
  EXPECT_TRUE(lexicon.Contains(U"稳定在"));
  EXPECT_FALSE(lexicon.Contains(U"稳定"));
}

TEST(Lexicon, GenreTablesHoldTheirWords) {
  struct Case {
    const Lexicon& lexicon;
    const char* word;
  } const kCases[] = {
      {ActionVerbs(), "新建"},
      {ActionVerbs(), "提质改造"},
      {ActionVerbs(), "引进"},
      {LeadingModifiers(), "力争"},
      {LeadingModifiers(), "全年"},
      {PlaceModifiers(), "城区"},
      {InnerVerbs(), "稳定在"},
      {InnerVerbs(), "均为"},
      {GrowthWords(), "同比增长"},
      {ChangeVerbs(), "提高至"},
      {TrailingPredicates(), "完成改造"},
      {QuantityFollowers(), "增长"},
  };
  for (const Case& c : kCases) {
    EXPECT_TRUE(c.lexicon.Contains(ToUtf32(c.word))) << c.word;
  }
  EXPECT_TRUE(IsDecreaseWord(U"同比下降"));
  EXPECT_FALSE(IsDecreaseWord(U"增长"));
}

}  // namespace
}  // namespace govreport::parser
