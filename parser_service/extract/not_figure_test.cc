#include "parser_service/extract/not_figure.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

struct VerdictCase {
  const char* text;  // the number starts after '|'
  FigureVerdict verdict;
};

// The text of `marked` without its '|', and the quantity read at the '|'.
struct Marked {
  std::u32string text;
  std::optional<QuantityMatch> quantity;
};

Marked ReadMarked(const char* marked) {
  std::string s = marked;
  const size_t bar = s.find('|');
  const std::u32string before = ToUtf32(s.substr(0, bar));
  s.erase(bar, 1);
  Marked m{ToUtf32(s), std::nullopt};
  m.quantity = ReadQuantity(m.text, before.size());
  return m;
}

FigureVerdict Judge(const char* marked) {
  const Marked m = ReadMarked(marked);
  if (!m.quantity.has_value()) return FigureVerdict::kNoUnit;
  return JudgeQuantity(m.text, *m.quantity, ShortQuotes(m.text));
}

TEST(NotFigure, SessionsDatesAgesAndVoltagesAreNotFigures) {
  const VerdictCase kCases[] = {
      {"青山县|十八届人大三次会议", FigureVerdict::kNotFigureUnit},
      {"|1月8日至11日", FigureVerdict::kNotFigureUnit},
      {"为|60至75岁老人体检", FigureVerdict::kNotFigureUnit},
      {"新建|35千伏变电站", FigureVerdict::kNotFigureUnit},
      {"回顾|2023年", FigureVerdict::kNotFigureUnit},
      {"建党|100周年", FigureVerdict::kNotFigureUnit},
      {"缩短至|3个工作日", FigureVerdict::kNotFigureUnit},
      {"人民医院创成|三级医院", FigureVerdict::kNotFigureUnit},
      {"进入全国|百强县", FigureVerdict::kNotFigureUnit},
      {"跻身|500强", FigureVerdict::kNotFigureUnit},
  };
  for (const VerdictCase& c : kCases) {
    EXPECT_EQ(Judge(c.text), c.verdict)
        << c.text << " got " << VerdictName(Judge(c.text));
  }
}

TEST(NotFigure, OrdinalsCodesAndQuotedNamesAreNotFigures) {
  const VerdictCase kCases[] = {
      {"建设第|3座污水处理厂", FigureVerdict::kOrdinal},
      {"位居全市第|1位", FigureVerdict::kOrdinal},
      {"前|10名", FigureVerdict::kOrdinal},
      {"购置DR|2台", FigureVerdict::kCode},
      {"落实“惠企|20条”", FigureVerdict::kQuotedName},
      {"打造“|5个一”品牌", FigureVerdict::kQuotedName},
      {"《关于|10项措施》", FigureVerdict::kQuotedName},
  };
  for (const VerdictCase& c : kCases) {
    EXPECT_EQ(Judge(c.text), c.verdict)
        << c.text << " got " << VerdictName(Judge(c.text));
  }
}

TEST(NotFigure, ChineseCountsGovernedByACountingVerbAreFigures) {
  const VerdictCase kCases[] = {
      {"培育|两个百亿级产业集群", FigureVerdict::kFigure},
      {"新建|三所学校", FigureVerdict::kFigure},
      {"培育“专精特新”企业|两家,", FigureVerdict::kFigure},
      {"全年引进重点企业|五家。", FigureVerdict::kFigure},
      // No counting verb, an idiom, or the thing counted is a subject.
      {"农村宅基地|两项试点现场会", FigureVerdict::kSmallChineseCount},
      {"|两家平台公司各增加1家", FigureVerdict::kSmallChineseCount},
      {"建设|一批高端民宿", FigureVerdict::kSmallChineseCount},
      {"锚定“|两个确保”", FigureVerdict::kQuotedName},
      {"培育|三大产业", FigureVerdict::kNotFigureUnit},
  };
  for (const VerdictCase& c : kCases) {
    EXPECT_EQ(Judge(c.text), c.verdict)
        << c.text << " got " << VerdictName(Judge(c.text));
  }
}

TEST(NotFigure, AShareOfThePlanIsNotAFigure) {
  EXPECT_EQ(Judge("完成年度目标的|103%"), FigureVerdict::kShareOfPlan);
  EXPECT_EQ(Judge("完成计划的|98.5%"), FigureVerdict::kShareOfPlan);
  EXPECT_EQ(Judge("森林覆盖率达到|62%"), FigureVerdict::kFigure);
}

TEST(NotFigure, DaysCountOnlyWhereTheSubjectIsACountOfDays) {
  auto counts_days = [](const char* marked) {
    const Marked m = ReadMarked(marked);
    return m.quantity.has_value() && CountsDays(m.text, *m.quantity);
  };
  EXPECT_TRUE(counts_days("空气质量优良天数达到|265天"));
  EXPECT_TRUE(counts_days("全年优良天数|300天以上"));
  EXPECT_FALSE(counts_days("会期|3天"));
  EXPECT_FALSE(counts_days("优良天数比例提高,审批时限压缩至|5天"));
  EXPECT_FALSE(counts_days("企业开办时间压缩至|1个工作日"));
}

TEST(NotFigure, NamesSlogansAndCodesWithoutUnitAreNotFigures) {
  // Several rules may apply; none may call these figures.
  const char* kCases[] = {
      "改造G|207国道",   "PM|2.5浓度下降",      "实施“|135”工程",
      "创建|4A级景区",   "打造“|15分钟生活圈”", "抓好|八个方面工作",
      "完成|2A信用评级", "“十四|五”规划",       "三纵四横|五片区",
      "二十届|二中全会", "|一核三驱",
  };
  for (const char* c : kCases) {
    EXPECT_NE(Judge(c), FigureVerdict::kFigure) << c;
  }
}

TEST(NotFigure, SmallChineseCountsAndNamesWithAmountsAreNotFigures) {
  const VerdictCase kCases[] = {
      {"聚焦|三大产业", FigureVerdict::kNotFigureUnit},
      {"争创|两个示范区", FigureVerdict::kSmallChineseCount},
      {"实施|十件实事", FigureVerdict::kSmallChineseCount},
      {"推进|百万吨乙烯项目", FigureVerdict::kNameQualifier},
      {"引进|10亿元以上项目5个", FigureVerdict::kNameQualifier},
      {"总投资|5亿元的产业园", FigureVerdict::kNameQualifier},
  };
  for (const VerdictCase& c : kCases) {
    EXPECT_EQ(Judge(c.text), c.verdict)
        << c.text << " got " << VerdictName(Judge(c.text));
  }
}

TEST(NotFigure, IndicatorsAreFigures) {
  const char* kCases[] = {
      "新增企业|25家",        "培训|1.8万人次",  "总产值|542亿元、增长",
      "新建|5万亩高标准农田", "失业率|5%以内",   "新增就业|一万人",
      "建成|3所学校",         "投资|10亿元建设", "不低于|100名儿童",
      "提高至|60%",           "达到|466家",      "新建改造|25千米",
  };
  for (const char* c : kCases) {
    EXPECT_EQ(Judge(c), FigureVerdict::kFigure)
        << c << " got " << VerdictName(Judge(c));
  }
}

TEST(NotFigure, UnreadableNumbersAreFlagged) {
  EXPECT_EQ(Judge("|1e400元"), FigureVerdict::kUnreadable);
}

TEST(ShortQuotes, FindsShortQuotationsOnly) {
  const std::u32string text =
      ToUtf32("落实“345”战略和“一二三四五六七八九十一二三四五六七八九十一”");
  const auto quotes = ShortQuotes(text);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(
      ToUtf8(text.substr(quotes[0].begin, quotes[0].end - quotes[0].begin)),
      "345");
}

}  // namespace
}  // namespace govreport::parser
