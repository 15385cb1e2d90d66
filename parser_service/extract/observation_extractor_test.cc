#include "parser_service/extract/observation_extractor.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

// One expected figure: subject, value, unit and bound (and range end or
// growth rate when set).
struct Expected {
  std::string subject;
  double value;
  std::string unit;
  Bound bound = Bound::kExact;
  double upper = NAN;
  double growth = NAN;
};

struct ParagraphCase {
  const char* paragraph;
  std::vector<Expected> figures;
};

void ExpectFigures(const std::vector<ParagraphCase>& cases) {
  for (const ParagraphCase& c : cases) {
    const std::vector<Figure> got =
        ExtractFromParagraph(ToUtf32(c.paragraph), true, 2024);
    ASSERT_EQ(got.size(), c.figures.size()) << c.paragraph;
    for (size_t i = 0; i < got.size(); ++i) {
      const Expected& want = c.figures[i];
      const Figure& f = got[i];
      EXPECT_EQ(f.subject, want.subject) << c.paragraph << " #" << i;
      EXPECT_DOUBLE_EQ(f.value, want.value) << c.paragraph << " #" << i;
      EXPECT_EQ(f.unit, want.unit) << c.paragraph << " #" << i;
      EXPECT_EQ(f.bound, want.bound)
          << c.paragraph << " #" << i << " got " << BoundName(f.bound);
      if (!std::isnan(want.upper)) {
        ASSERT_TRUE(f.upper.has_value()) << c.paragraph;
        EXPECT_DOUBLE_EQ(*f.upper, want.upper) << c.paragraph;
      }
      if (!std::isnan(want.growth)) {
        ASSERT_TRUE(f.growth_percent.has_value()) << c.paragraph << " #" << i;
        EXPECT_DOUBLE_EQ(*f.growth_percent, want.growth) << c.paragraph;
      } else {
        EXPECT_FALSE(f.growth_percent.has_value()) << c.paragraph << " #" << i;
      }
    }
  }
}

TEST(ObservationExtractor, ReadsTheSubjectBeforeTheNumber) {
  ExpectFigures({
      {"新建标准化厂房8万平方米。", {{"标准化厂房", 80000, "平方米"}}},
      {"力争新增规上工业企业12家以上。",
       {{"规上工业企业", 12, "家", Bound::kAtLeast}}},
      {"规上工业企业总数达到230家。", {{"规上工业企业总数", 230, "家"}}},
      {"全年粮食产量稳定在20万吨以上。",
       {{"粮食产量", 200000, "吨", Bound::kAtLeast}}},
      {"城区新增绿地面积3.5万平方米。", {{"绿地面积", 35000, "平方米"}}},
      {"新种植以核桃为主的经济林2万亩。", {{"经济林", 20000, "亩"}}},
  });
}

TEST(ObservationExtractor, ReadsTheSubjectAfterTheClassifier) {
  ExpectFigures({
      {"建成12个村级综合服务中心。", {{"村级综合服务中心", 12, "个"}}},
      {"完成8所农村学校改扩建。", {{"农村学校", 8, "所"}}},
      {"滨河路、东环路等6条道路建成通车。", {{"道路", 6, "条"}}},
      {"救助不低于50名0至6岁残疾儿童。",
       {{"残疾儿童", 50, "名", Bound::kAtLeast}}},
      {"实现90%以上事项网上办理。",
       {{"事项网上办理", 90, "%", Bound::kAtLeast}}},
      {"为70周岁以上老人发放高龄津贴800万元。", {{"高龄津贴", 8000000, "元"}}},
  });
}

TEST(ObservationExtractor, InheritsTheSubjectAcrossAnEllipsis) {
  ExpectFigures({
      {"新建高标准农田2万亩,改造提升8000亩。",
       {{"高标准农田", 20000, "亩"}, {"高标准农田", 8000, "亩"}}},
  });
}

TEST(ObservationExtractor, SharesOneVerbOverAList) {
  const auto figures = ExtractFromParagraph(
      ToUtf32("新建口袋公园6座、公厕15座、绿道9公里。"), true, 2024);
  ASSERT_EQ(figures.size(), 3u);
  EXPECT_EQ(figures[1].subject, "公厕");
  EXPECT_EQ(figures[2].subject, "绿道");
  EXPECT_EQ(figures[2].unit, "千米");
  EXPECT_EQ(figures[1].action, "新建");
}

TEST(ObservationExtractor, DistributesOverAListWithFenbie) {
  ExpectFigures({
      {"猪、鸡出栏量分别达到20万头、50万只以上。",
       {{"猪出栏量", 200000, "头", Bound::kAtLeast},
        {"鸡出栏量", 500000, "只", Bound::kAtLeast}}},
      {"项目开工率、竣工率均为100%。",
       {{"项目开工率", 100, "%"}, {"竣工率", 100, "%"}}},
      {"城乡居民人均可支配收入分别达到36000元和18000元。",
       {{"城镇居民人均可支配收入", 36000, "元"},
        {"农村居民人均可支配收入", 18000, "元"}}},
  });
}

TEST(ObservationExtractor, AttachesGrowthToItsLevel) {
  ExpectFigures({
      {"全年实现地区生产总值320亿元、增长6.1%,固定资产投资增长9%。",
       {{"地区生产总值", 32000000000, "元", Bound::kExact, NAN, 6.1},
        {"固定资产投资", 9, "%"}}},
      {"城镇居民收入3.6万元,农村居民收入1.8万元,分别增长5%和7%。",
       {{"城镇居民收入", 36000, "元", Bound::kExact, NAN, 5},
        {"农村居民收入", 18000, "元", Bound::kExact, NAN, 7}}},
      {"工业用电量8亿千瓦时,同比下降2.5%。",
       {{"工业用电量", 800000000, "千瓦时", Bound::kExact, NAN, -2.5}}},
  });
}

TEST(ObservationExtractor, GivesADecreaseANegativeGrowthRate) {
  ExpectFigures({
      {"固定资产投资下降3.2%。", {{"固定资产投资", -3.2, "%"}}},
      {"单位能耗下降5%以上。", {{"单位能耗", -5, "%", Bound::kAtMost}}},
      {"煤炭消费量下降2%至3%。", {{"煤炭消费量", -3, "%", Bound::kRange, -2}}},
  });
}

TEST(ObservationExtractor, CountsInChineseNumeralsAfterACountingVerb) {
  ExpectFigures({
      {"培育两个百亿级产业集群。", {{"百亿级产业集群", 2, "个"}}},
      {"培育“专精特新”企业两家。", {{"“专精特新”企业", 2, "家"}}},
      {"空气质量优良天数达到265天。", {{"空气质量优良天数", 265, "天"}}},
  });
}

TEST(ObservationExtractor, LeavesRateQualifiersOutOfTheSubject) {
  ExpectFigures({
      {"城市、农村低保标准分别提高至每人每月620元、420元。",
       {{"城市低保标准", 620, "元"}, {"农村低保标准", 420, "元"}}},
      {"医保补助标准提高30元,达到每人每年610元。",
       {{"医保补助标准", 30, "元"}, {"医保补助标准", 610, "元"}}},
  });
  const auto figures = ExtractFromParagraph(
      ToUtf32("医保补助标准提高30元,达到每人每年610元。"), true, 2024);
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].value_kind, ValueKind::kChange);
  EXPECT_EQ(figures[0].action, "提高");
  EXPECT_EQ(figures[1].value_kind, ValueKind::kLevel);
}

TEST(ObservationExtractor, ReadsTheSubjectAfterAPeopleCount) {
  ExpectFigures({
      {"解决2.6万人饮水安全问题。", {{"饮水安全问题", 26000, "人"}}},
  });
}

TEST(ObservationExtractor, ReadsTheLabelsOfAnIndicatorList) {
  ExpectFigures({
      {"地区生产总值:632.5亿元,增长5.1%",
       {{"地区生产总值", 63250000000, "元", Bound::kExact, NAN, 5.1}}},
      {"固定资产投资:比上年下降12.4%", {{"固定资产投资", -12.4, "%"}}},
      {"居民消费价格总水平:上涨2.1%", {{"居民消费价格总水平", 2.1, "%"}}},
      // A colon that opens a list: the items name themselves.
      {"主要预期目标是:地区生产总值增长6%。", {{"地区生产总值", 6, "%"}}},
  });
}

TEST(ObservationExtractor, KeepsAnAverageAnnualRateApartFromTheLevel) {
  ExpectFigures({
      {"地区生产总值增加到612.3亿元,年均增长6.8%。",
       {{"地区生产总值", 61230000000, "元"}, {"地区生产总值", 6.8, "%"}}},
  });
}

TEST(ObservationExtractor, SkipsWhatASpeakerSaysOfThemselves) {
  ExpectFigures({
      {"今年我带来了3件建议。", {}},
      {"我们社区有老旧小区9个、居民4300多户。", {}},
      {"一年来,我们新建学校5所。", {{"学校", 5, "所"}}},
  });
}

TEST(ObservationExtractor, KeepsOnlyTheReportsFiguresInADelegatesWords) {
  ExpectFigures({
      // The delegate's own street, and what they propose, are not the
      // region's; what they cite of the report, or of the whole region, is.
      {"县人大代表、东关街道主任李明说,去年街道新建停车场4个。", {}},
      {"县人大代表、东关街道主任李明说,报告提出今年新增停车泊位900个。",
       {{"停车泊位", 900, "个"}}},
      {"县政协委员、某中学校长王芳表示,全县学校已有126所。",
       {{"学校", 126, "所"}}},
      {"县人大代表、东关街道主任李明建议全县新建停车场10个。", {}},
      // The report's figure is cited, the speaker's own in the next clause.
      {"县人大代表、东村书记王五说,报告说全县新增民宿300家,"
       "我们村争取新增20家。",
       {{"民宿", 300, "家"}}},
      // Without a delegate introduced, 建议 is the report's own word.
      {"按照群众建议,新建停车场10个。", {{"停车场", 10, "个"}}},
  });
}

TEST(ObservationExtractor, ReadsArrowsAsGrowth) {
  ExpectFigures({
      // (The normalizer has made the full-width spaces of a sidebar plain.)
      {"财政总收入 42.6亿元 ↑6.1%",
       {{"财政总收入", 4260000000, "元", Bound::kExact, NAN, 6.1}}},
      {"进出口总额 ↓3.5%", {{"进出口总额", -3.5, "%"}}},
  });
}

TEST(ObservationExtractor, LeavesBenchmarksAndMarginsOut) {
  ExpectFigures({
      {"农村居民收入增速比全省高0.8个百分点。", {}},
      {"人均储蓄相当于全国平均水平的1.3倍。", {}},
      {"城镇新增就业超出省定目标0.2万人。", {}},
      {"森林覆盖率在全市9个县区中排第2位。", {}},
  });
}

TEST(ObservationExtractor, ReadsTheObjectOfAVerbAfterAPlaceOrEach) {
  ExpectFigures({
      {"在东乡、西乡各建设1个冷链物流中心。", {{"冷链物流中心", 1, "个"}}},
      {"完成东村、西村、南村3个村庄道路硬化。", {{"村庄道路硬化", 3, "个"}}},
      // The noun before the verb is the subject.
      {"完成危房改造120户。", {{"危房改造", 120, "户"}}},
  });
}

TEST(ObservationExtractor, ReadsAnAcronymAsASubject) {
  ExpectFigures({
      {"GDP达到512.6亿元。", {{"GDP", 51260000000, "元"}}},
  });
}

TEST(ObservationExtractor, ReadsLivestockAndAirQualityUnits) {
  ExpectFigures({
      {"牲畜存栏达到86.4万头只。", {{"牲畜存栏", 864000, "头(只)"}}},
      {"PM2.5浓度降至26μg/m³。", {{"PM2.5浓度", 26, "微克/立方米"}}},
  });
}

TEST(ObservationExtractor, SkipsCountsOfWordsInAText) {
  ExpectFigures({
      {"报告中“创新”一词出现了41次,比去年多7次。", {}},
      {"全年开展送教下乡活动41次。", {{"送教下乡活动", 41, "次"}}},
  });
}

TEST(ObservationExtractor, GivesAFallInPercentagePointsANegativeChange) {
  ExpectFigures({
      {"城镇登记失业率比上年下降0.4个百分点。",
       {{"城镇登记失业率", -0.4, "百分点"}}},
  });
}

TEST(ObservationExtractor, ReadsAMinusSignAfterAWordOrASeparator) {
  ExpectFigures({
      {"民间投资增长-3.4%。", {{"民间投资", -3.4, "%"}}},
      {"进出口总额|-2.5%", {{"进出口总额", -2.5, "%"}}},
  });
}

TEST(ObservationExtractor, TakesALeadingThresholdIntoTheNextSubject) {
  ExpectFigures({
      {"50户以上自然村通客车比例达到95%。",
       {{"50户以上自然村通客车比例", 95, "%"}}},
  });
}

TEST(ObservationExtractor, SkipsTheListNumbersOfPosts) {
  ExpectFigures({
      {"3\uFE0F\u20E3粮食产量稳定在26万吨。", {{"粮食产量", 260000, "吨"}}},
  });
}

TEST(ObservationExtractor, ReadsWrittenOutChineseNumerals) {
  ExpectFigures({
      {"开展家政服务培训一千二百人次。", {{"家政服务培训", 1200, "人次"}}},
      {"推动千家万户用上清洁能源。", {}},
  });
}

TEST(ObservationExtractor, SkipsOnlyTheMeetingsOwnNumbers) {
  ExpectFigures({
      {"大会应到代表218名,实到206名。", {}},
      {"大会共收到委员提案263件,经审查立案231件。", {}},
      {"会议共收到代表议案建议97件。", {}},
      {"十件实事由代表从18个候选项目中票决产生。", {}},
      {"全力办好12件民生实事。", {}},
      {"会议表决产生了十件民生实事,总投资约9.8亿元。",
       {{"总投资", 980000000, "元", Bound::kApprox}}},
  });
}

TEST(ObservationExtractor, ReadsRangesAndChanges) {
  ExpectFigures({
      {"打造2至3个特色小镇。", {{"特色小镇", 2, "个", Bound::kRange, 3}}},
      {"养老金标准从每人每月150元提高至180元。", {{"养老金标准", 180, "元"}}},
  });
  const auto figures = ExtractFromParagraph(
      ToUtf32("养老金标准从每人每月150元提高至180元。"), true, 2024);
  ASSERT_EQ(figures.size(), 1u);
  ASSERT_TRUE(figures[0].previous_value.has_value());
  EXPECT_DOUBLE_EQ(*figures[0].previous_value, 150);
  EXPECT_EQ(figures[0].action, "提高至");
}

TEST(ObservationExtractor, TakesAThresholdAsPartOfTheSubject) {
  ExpectFigures({
      {"18个村集体经济收入超过50万元。",
       {{"村集体经济收入超过50万元", 18, "个"}}},
      {"引进亿元以上项目20个、10亿元以上项目3个。",
       {{"亿元以上项目", 20, "个"}, {"10亿元以上项目", 3, "个"}}},
  });
}

TEST(ObservationExtractor, ReadsChangesInPercentagePoints) {
  const auto figures = ExtractFromParagraph(
      ToUtf32("研发投入强度达到2.4%,比上年提高0.3个百分点。"), false, 2023);
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[1].subject, "研发投入强度");
  EXPECT_EQ(figures[1].unit, "百分点");
  EXPECT_EQ(figures[1].value_kind, ValueKind::kChange);
  EXPECT_FALSE(figures[0].growth_percent.has_value());
}

TEST(ObservationExtractor, NamesATotalAfterWhatItCounts) {
  ExpectFigures({
      {"新增高新技术企业8家,总数达到40家。",
       {{"高新技术企业", 8, "家"}, {"高新技术企业总数", 40, "家"}}},
  });
}

TEST(ObservationExtractor, SkipsNumbersThatAreNotFigures) {
  ExpectFigures({
      {"青山县十八届人大三次会议于1月8日召开。", {}},
      {"深入实施“1+3+5”战略,聚焦三大产业,抓好八个方面工作。", {}},
      {"创建4A级景区,改造G207国道,PM2.5浓度持续下降。", {}},
      {"为全县65岁以上老人免费体检。", {}},
      {"新建35千伏变电站,迈入全国百强县。", {}},
      {"大会应到代表218名,实到206名,符合法定人数。", {}},
      {"增速高于全省平均水平1.2个百分点。", {}},
  });
}

TEST(ObservationExtractor, WarnsAboutAbsurdNumbers) {
  const std::string digits(500, '7');
  ExpectFigures({{("投资1e400元,新增" + digits + "亩。").c_str(), {}}});
}

TEST(ContentBegin, SkipsBulletsAndListNumbers) {
  struct Case {
    const char* line;
    size_t begin;
  } const kCases[] = {
      {"●抓项目。", 1},    {"1.新建幼儿园3所。", 2}, {"(一)稳增长。", 3},
      {"二、民生实事", 2}, {"1.8万人次", 0},         {"新建道路", 0},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ContentBegin(ToUtf32(c.line)), c.begin) << c.line;
  }
}

}  // namespace
}  // namespace govreport::parser
