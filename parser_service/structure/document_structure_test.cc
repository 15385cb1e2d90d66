#include "parser_service/structure/document_structure.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

// An invented newspaper page with two county articles.
constexpr char kTwoArticles[] =
    "凝心聚力谋发展 砥砺奋进开新局\n\n"
    "青山县十八届人大三次会议、政协青山县十届三次会议召开\n\n"
    "1月8日至11日,"
    "青山县第十八届人民代表大会第三次会议、政协第十届青山县委员会第三次会议召开"
    "。"
    "经过选举,李明当选青山县人民政府县长,"
    "王芳当选政协第十届青山县委员会主席。\n\n"
    "2024年\n\n六项重点任务\n\n"
    "●抓项目。全年实施重点项目80个。\n\n"
    "●惠民生。新增城镇就业3000人。\n\n"
    "十件民生实事\n\n"
    "●办教育。新建幼儿园3所。\n\n"
    "张三 李四 文/图\n\n"
    "乘势而上谱新篇\n\n"
    "白水区二届人大四次会议召开\n\n"
    "1月9日,"
    "白水区第二届人民代表大会第四次会议召开。区委副书记、区长赵强作政府工作报告"
    "。\n\n"
    "2023年\n\n稳中有进\n\n"
    "2023年,全区地区生产总值增长5%。\n\n"
    "2024年 再接再厉\n\n"
    "新建公园3座。\n\n"
    "周某/文 吴某/图\n";

std::vector<ReportInfo> Analyze(const std::string& text, int default_year = 0) {
  auto n = NormalizeText(text, InputFormat::kPlainText);
  EXPECT_TRUE(n.ok());
  static LayoutResult layout;  // reports point into it
  layout = RepairLayout(*std::move(n));
  return AnalyzeStructure(layout, default_year);
}

TEST(DocumentStructure, SplitsAPageIntoItsReports) {
  const auto reports = Analyze(kTwoArticles);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].region, "青山县");
  EXPECT_EQ(reports[0].region_suffix, "县");
  EXPECT_EQ(reports[0].title, "凝心聚力谋发展 砥砺奋进开新局");
  EXPECT_EQ(reports[1].region, "白水区");
  EXPECT_EQ(reports[1].title, "乘势而上谱新篇");
  EXPECT_EQ(reports[0].range.end, reports[1].range.begin);
}

TEST(DocumentStructure, ReadsSessionsDatesAndPeople) {
  const auto reports = Analyze(kTwoArticles);
  ASSERT_EQ(reports.size(), 2u);
  const ReportInfo& a = reports[0];
  ASSERT_EQ(a.sessions.size(), 2u);
  EXPECT_TRUE(a.sessions[0].congress);
  EXPECT_EQ(a.sessions[0].term, 18);
  EXPECT_EQ(a.sessions[0].session, 3);
  EXPECT_FALSE(a.sessions[1].congress);
  EXPECT_EQ(a.sessions[1].term, 10);
  EXPECT_EQ(a.sessions[1].session, 3);
  ASSERT_FALSE(a.meeting_dates.empty());
  EXPECT_EQ(a.meeting_dates[0].start_month, 1);
  EXPECT_EQ(a.meeting_dates[0].start_day, 8);
  EXPECT_EQ(a.meeting_dates[0].end_day, 11);
  ASSERT_EQ(a.elections.size(), 2u);
  EXPECT_EQ(a.elections[0].name, "李明");
  EXPECT_EQ(a.elections[0].post, "青山县人民政府县长");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"张三", "李四"}));
  const ReportInfo& b = reports[1];
  EXPECT_EQ(b.presenter.name, "赵强");
  EXPECT_EQ(b.presenter.post, "区长");
  EXPECT_EQ(b.authors, (std::vector<std::string>{"周某", "吴某"}));
}

TEST(DocumentStructure, FindsTheYearAndTheSections) {
  const auto reports = Analyze(kTwoArticles);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].year, 2024);
  std::vector<SectionType> kinds;
  for (const SectionInfo& s : reports[0].sections) kinds.push_back(s.type);
  EXPECT_EQ(kinds,
            (std::vector<SectionType>{SectionType::kMeeting, SectionType::kPlan,
                                      SectionType::kLivelihood}));
  EXPECT_EQ(reports[0].sections[1].heading, "2024年 六项重点任务");
  const ReportInfo& b = reports[1];
  EXPECT_EQ(b.year, 2024);
  ASSERT_EQ(b.sections.size(), 3u);
  EXPECT_EQ(b.sections[1].type, SectionType::kReview);
  EXPECT_EQ(b.sections[1].year, 2023);
  EXPECT_EQ(b.sections[2].type, SectionType::kPlan);
}

TEST(DocumentStructure, APagesDateGivesTheYearWhenNoHeadingDoes) {
  const auto reports = Analyze(
      "东湖晚报 2023年1月6日 星期五 第A06版 区县·两会\n"
      "东湖区三届人大二次会议开幕\n"
      "报告指出,过去一年,预计2022年全区实现地区生产总值1468亿元。\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].year, 2023);
}

TEST(DocumentStructure, AnEstimateLooksBackOnTheYearBeforeTheReport) {
  const auto reports = Analyze(
      "东湖区三届人大二次会议开幕\n"
      "报告指出,预计2022年全区实现地区生产总值1468亿元。\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].year, 2023);
}

TEST(DocumentStructure, ReadsBulletMeasuresWithTitles) {
  const auto reports = Analyze(kTwoArticles);
  ASSERT_EQ(reports.size(), 2u);
  ASSERT_EQ(reports[0].measures.size(), 3u);
  EXPECT_EQ(reports[0].measures[0].title, "抓项目");
  EXPECT_EQ(reports[0].measures[2].title, "办教育");
  EXPECT_EQ(reports[0].measures[2].section, 2u);
}

TEST(DocumentStructure, DatelineIsNotASectionHeading) {
  // The year of a date tells when the page was printed, not which year its
  // figures are about: no plan section may start at the dateline.
  const auto reports = Analyze(
      "青山晚报 2025年1月20日 第03版\n\n"
      "青石县第九届人民代表大会第五次会议开幕\n\n"
      "报告指出,2024年,全县新增就业3000人。\n\n"
      "2025年工作安排\n\n新增就业3500人。\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].year, 2025);
  for (const SectionInfo& section : reports[0].sections) {
    EXPECT_EQ(section.heading.find("晚报"), std::string::npos)
        << "dateline taken as the heading of a section";
  }
  EXPECT_EQ(reports[0].sections.back().type, SectionType::kPlan);
  EXPECT_EQ(reports[0].sections.back().year, 2025);
}

TEST(DocumentStructure, ASidebarTitleWithABareYearOpensASection) {
  const auto reports = Analyze(
      "青石县第九届人民代表大会第五次会议开幕\n\n"
      "县长作2025年政府工作报告。\n\n"
      "【数读2024】\n\n"
      "地区生产总值 312.5亿元 ↑5.6%\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].year, 2025);
  EXPECT_EQ(reports[0].sections.back().type, SectionType::kReview);
  EXPECT_EQ(reports[0].sections.back().year, 2024);
}

TEST(DocumentStructure, APostsTitleGivesTheReportYear) {
  // The post's title names the report; a section later reviews the year
  // before, and a body line cites last year's report.
  const auto reports = Analyze(
      "一图读懂!青石县2025年政府工作报告来了\n\n"
      "青石县第九届人民代表大会第五次会议开幕\n\n"
      "2024年主要指标\n\n"
      "2024年政府工作报告确定的目标任务全面完成。\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].year, 2025);
}

TEST(DocumentStructure, SetsAsideACppccArticleOnThePage) {
  const auto reports = Analyze(
      "青石县第九届人民代表大会第五次会议开幕\n\n"
      "报告指出,2024年全县新增就业3000人。\n\n"
      "政协青石县第八届委员会第三次会议开幕\n\n"
      "大会共收到委员提案150件。\n\n"
      "【代表委员热议】\n\n"
      "县人大代表、东村书记王五说,报告说全县新增民宿300家。\n");
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_EQ(reports[0].other_articles.size(), 1u);
  // The CPPCC article runs from its headline to the next column.
  const TextRange& other = reports[0].other_articles[0];
  EXPECT_LT(other.begin, other.end);
  EXPECT_LT(other.end, reports[0].range.end);
}

TEST(DocumentStructure, ReadsAFullReportWithNumberedSections) {
  const auto reports = Analyze(
      "政府工作报告\n"
      "——2024年1月6日在绿原市第九届人民代表大会第四次会议上\n"
      "一、2023年工作回顾\n过去一年,全市新增就业1.2万人。\n"
      "二、2024年工作安排\n(一)稳增长。新建厂房5万平方米。\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].region, "绿原市");
  EXPECT_EQ(reports[0].year, 2024);
  ASSERT_EQ(reports[0].sections.size(), 3u);
  EXPECT_EQ(reports[0].sections[1].type, SectionType::kReview);
  EXPECT_EQ(reports[0].sections[2].type, SectionType::kPlan);
  ASSERT_EQ(reports[0].measures.size(), 1u);
  EXPECT_EQ(reports[0].measures[0].title, "稳增长");
}

TEST(DocumentStructure, WithoutASessionMakesOneReportFromOtherCues) {
  const auto reports =
      Analyze("远山县人民政府关于2024年工作的安排:新建道路5公里。", 2024);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].region, "远山县");
  EXPECT_EQ(reports[0].year, 2024);
}

TEST(DocumentStructure, ReadsElectionsWrittenAsXuanjuWei) {
  const auto reports = Analyze(
      "南岭县第十七届人民代表大会第三次会议闭幕\n"
      "会议选举周某某为南岭县人民政府县长。会议批准了县长周某某代表县人民政府所"
      "作的政府工作报告。\n"
      "■ 2024年重点工作\n新建道路8公里。\n");
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_EQ(reports[0].elections.size(), 1u);
  EXPECT_EQ(reports[0].elections[0].name, "周某某");
  EXPECT_EQ(reports[0].elections[0].post, "南岭县人民政府县长");
  EXPECT_EQ(reports[0].presenter.name, "周某某");
  ASSERT_EQ(reports[0].sections.size(), 2u);
  EXPECT_EQ(reports[0].sections[1].type, SectionType::kPlan);
  EXPECT_EQ(reports[0].sections[1].heading, "2024年重点工作");
}

TEST(DocumentStructure, ReadsTheRegionFromAReportTitle) {
  const auto reports =
      Analyze("青石县2024年政府工作报告\n一、2023年工作回顾\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].region, "青石县");
}

TEST(RegionNameBefore, ReadsTheNameEndingAtASuffix) {
  struct Case {
    const char* text;
    const char* region;  // "" for none
  } const kCases[] = {
      {"青山县", "青山县"},
      {"政协青山县", "青山县"},
      {"绿原市白水区", "白水区"},
      {"召开的青山县", "青山县"},
      {"全县", ""},
      {"青山", ""},
  };
  for (const Case& c : kCases) {
    const std::u32string text = ToUtf32(c.text);
    const size_t b = RegionNameBefore(text, text.size());
    EXPECT_EQ(ToUtf8(text.substr(b)), c.region) << c.text;
  }
}

}  // namespace
}  // namespace govreport::parser
