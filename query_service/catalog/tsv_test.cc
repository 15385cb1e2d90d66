#include "query_service/catalog/tsv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"

namespace govreport::query::internal {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;

const std::vector<absl::string_view> kColumns = {"a", "b"};

TEST(ParseTsv, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  auto rows = ParseTsv("# comment\n\na\tb\n1\t2\r\n# more\n3\t\n", kColumns);
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].line, 4);
  EXPECT_THAT((*rows)[0].cells, ElementsAre(Eq("1"), Eq("2")));
  EXPECT_EQ((*rows)[1].line, 6);
  EXPECT_THAT((*rows)[1].cells, ElementsAre(Eq("3"), Eq("")));
}

TEST(ParseTsv, RejectsBadInputNamingTheLine) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "no header"},
      {"# only a comment\n", "no header"},
      {"x\ty\n1\t2\n", "line 1: expected the header"},
      {"a\tb\n1\t2\n1\t2\t3\n",
       "line 3: expected 2 tab-separated columns, found 3"},
      {"a\tb\n\n1\n", "line 3: expected 2 tab-separated columns, found 1"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        ParseTsv(c.text, kColumns),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.text;
  }
}

TEST(SplitList, TrimsAndDropsEmptyItems) {
  EXPECT_THAT(SplitList("a| b||c "), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitList(""), ElementsAre());
}

TEST(ReadFile, MissingFileIsNotFound) {
  EXPECT_THAT(ReadFile(::testing::TempDir() + "/no/such/file.tsv"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("file.tsv")));
}

}  // namespace
}  // namespace govreport::query::internal
