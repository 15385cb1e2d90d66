#include "cli/output.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"

namespace govreport::cli {
namespace {

using ::govreport::testing::StatusIs;

TEST(DisplayWidth, CountsChineseAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("嵩县"), 4);
  EXPECT_EQ(DisplayWidth("孟津区 12"), 9);
  EXPECT_EQ(DisplayWidth("“四上”"), 6);  // curly quotes are narrow
}

TEST(Table, AlignsMixedWidthColumns) {
  Table table({"region", "value"});
  table.AddRow({"嵩县", "8600"});
  table.AddRow({"孟津区", "12"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "region  value\n"
            "------  -----\n"
            "嵩县    8600\n"
            "孟津区  12\n");
}

TEST(OutputFormat, AcceptsTableAndJsonEverywhereAndJsonlWhereAllowed) {
  EXPECT_EQ(*ParseOutputFormat("table", false), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("json", false), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("jsonl", true), OutputFormat::kJsonl);
  EXPECT_THAT(ParseOutputFormat("jsonl", false),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseOutputFormat("xml", true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("--format=xml")));
}

}  // namespace
}  // namespace govreport::cli
