#include "parser_service/layout/layout.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

LayoutResult Repair(const std::string& text) {
  auto n = NormalizeText(text, InputFormat::kPlainText);
  EXPECT_TRUE(n.ok());
  return RepairLayout(*std::move(n));
}

std::vector<std::string> Lines(const LayoutResult& r) {
  std::vector<std::string> out;
  for (const CleanLine& l : r.lines) {
    out.push_back(
        ToUtf8(std::u32string_view(r.text).substr(l.begin, l.end - l.begin)));
  }
  return out;
}

struct ClassifyCase {
  const char* line;
  LineKind kind;
};

TEST(ClassifyLine, TellsProseHeadingsAndBylines) {
  const ClassifyCase kCases[] = {
      {"●稳增长。新建标准厂房10万平方米,新增企业8家。", LineKind::kBody},
      {"2024年 砥砺前行 再创佳绩", LineKind::kHeading},
      {"青山县十八届人大三次会议、政协青山县十届三次会议召开",
       LineKind::kHeading},
      {"张三 李四 赵五 文/图", LineKind::kByline},
      {"王小明/文 刘大海 陈一/图", LineKind::kByline},
      {"记者 周某某", LineKind::kByline},
      {"孙某某 摄", LineKind::kByline},
      {"记者:报告提出新开工住房2,400套,您怎么看?", LineKind::kBody},
  };
  for (const ClassifyCase& c : kCases) {
    EXPECT_EQ(ClassifyLine(ToUtf32(c.line)), c.kind) << c.line;
  }
}

TEST(IsNoiseLine, RecognizesPageFurniture) {
  struct Case {
    const char* line;
    NoiseKind kind;
  } const kCases[] = {
      {"青山日报 2024年1月12日 星期五", NoiseKind::kPageHeader},
      {"第03版", NoiseKind::kPageHeader},
      {"责任编辑:李某", NoiseKind::kPageHeader},
      {"相关新闻:", NoiseKind::kRelatedNews},
      {"扫码关注我们", NoiseKind::kRelatedNews},
      {"新闻热线:0123-4567890", NoiseKind::kContact},
      {"图为新建成的产业园区", NoiseKind::kCaption},
      {"首页 > 新闻中心 > 县区动态", NoiseKind::kRelatedNews},
      {"发布时间:2024-01-20 09:30 来源:融媒体中心", NoiseKind::kRelatedNews},
      {"原文链接:https://www.example.gov.cn/art/2024/1/20/art_1_2.html",
       NoiseKind::kRelatedNews},
      {"▶点击阅读原文", NoiseKind::kRelatedNews},
  };
  for (const Case& c : kCases) {
    NoiseKind kind;
    ASSERT_TRUE(IsNoiseLine(ToUtf32(c.line), &kind)) << c.line;
    EXPECT_EQ(kind, c.kind) << c.line;
  }
  NoiseKind kind;
  EXPECT_FALSE(IsNoiseLine(ToUtf32("新增城镇就业5000人。"), &kind));
  // In a post, ▶ also opens a heading.
  EXPECT_FALSE(IsNoiseLine(ToUtf32("▶ 2024 · 年度成绩单"), &kind));
}

TEST(RepairLayout, JoinsASentenceBrokenByACaption) {
  const LayoutResult r = Repair(
      "●抓项目。全年计划实施重点\n\n\n产业园区鸟瞰\n\n项目80个,"
      "涉及装备制造等领域。\n");
  ASSERT_EQ(Lines(r),
            std::vector<std::string>{
                "●抓项目。全年计划实施重点项目80个,涉及装备制造等领域。"});
  ASSERT_EQ(r.noise.size(), 1u);
  EXPECT_EQ(r.noise[0].kind, NoiseKind::kCaption);
  EXPECT_EQ(r.noise[0].text, "产业园区鸟瞰");
}

TEST(RepairLayout, JoinsAWordSplitAcrossLines) {
  const LayoutResult r =
      Repair("●医疗保障。乡镇卫生院不设起付\n\n线,报销比例提高至70%。\n");
  EXPECT_EQ(Lines(r),
            std::vector<std::string>{
                "●医疗保障。乡镇卫生院不设起付线,报销比例提高至70%。"});
}

TEST(RepairLayout, KeepsHeadingsAndBulletTitlesApart) {
  const LayoutResult r = Repair(
      "2024年\n\n十项民生实事\n\n●办好教育\n新建幼儿园3所,新增学位900个。\n");
  EXPECT_EQ(Lines(r),
            (std::vector<std::string>{"2024年", "十项民生实事", "●办好教育",
                                      "新建幼儿园3所,新增学位900个。"}));
  EXPECT_EQ(r.lines[0].kind, LineKind::kHeading);
  EXPECT_EQ(r.lines[3].kind, LineKind::kBody);
}

TEST(RepairLayout, KeepsTheEntriesOfAnIndicatorListApart) {
  const LayoutResult r = Repair(
      "主要指标完成情况:\n地区生产总值:632.5亿元,增长5.1%\n"
      "一般公共预算收入:58.36亿元\n");
  EXPECT_NE(r.text.find(U"5.1%\n一般公共预算收入"), std::u32string::npos);
}

TEST(RepairLayout, SetsAsideRelatedNewsBlocks) {
  const LayoutResult r = Repair(
      "新建道路12公里。\n相关新闻:"
      "\n青山县召开经济工作会议\n青山县部署安全工作\n");
  EXPECT_EQ(Lines(r), std::vector<std::string>{"新建道路12公里。"});
  EXPECT_EQ(r.noise.size(), 3u);
}

TEST(RepairLayout, SetsAsideAPostsEarlierArticles) {
  const LayoutResult r = Repair(
      "新建道路12公里。\n\n往期推荐\n· 青山县召开经济工作会议\n"
      "· 春节期间全县接待游客12万人次\n");
  EXPECT_EQ(Lines(r), std::vector<std::string>{"新建道路12公里。"});
}

TEST(RepairLayout, KeepsTheTitleAfterANavigationLine) {
  const LayoutResult r =
      Repair("首页 > 新闻\n青山县十八届人大三次会议召开\n新建道路12公里。\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{"青山县十八届人大三次会议召开",
                                                "新建道路12公里。"}));
}

TEST(RepairLayout, MapsEveryCharacterBackToTheInput) {
  const std::string input = "全年计划实施重点\n\n鸟瞰图\n\n项目80个。";
  const LayoutResult r = Repair(input);
  const std::u32string in = ToUtf32(input);
  for (uint32_t i = 0; i < r.text.size(); ++i) {
    if (r.text[i] == U'\n') continue;
    EXPECT_EQ(in[r.source[i]], r.text[i]) << i;
  }
  EXPECT_EQ(r.source.end(), in.size());
}

}  // namespace
}  // namespace govreport::parser
