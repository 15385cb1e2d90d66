#include "query_service/catalog/indicator_catalog.h"

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pointee;
using ::testing::SizeIs;

constexpr char kHeader[] =
    "slug\tdisplay_name\taliases\tcanonical_unit\tvalue_types\tdescription\n";

std::vector<std::string> Slugs(
    const std::vector<const IndicatorEntry*>& entries) {
  std::vector<std::string> slugs;
  for (const IndicatorEntry* entry : entries) slugs.push_back(entry->slug);
  return slugs;
}

TEST(IndicatorCatalog, ParsesRowsWithTheDisplayNameAsFirstAlias) {
  auto catalog = IndicatorCatalog::FromTsv(
      std::string("# comment\n") + kHeader +
      "high-standard-farmland\t高标准农田\t高标准农田建设| 高标准农田 \t亩\t"
      "level|change\t新建的高标准农田\n");
  ASSERT_THAT(catalog, IsOk());
  ASSERT_THAT(catalog->All(), SizeIs(1));
  const IndicatorEntry& entry = catalog->All()[0];
  EXPECT_EQ(entry.slug, "high-standard-farmland");
  EXPECT_EQ(entry.display_name, "高标准农田");
  EXPECT_THAT(entry.aliases, ElementsAre("高标准农田", "高标准农田建设"));
  EXPECT_EQ(entry.canonical_unit, "亩");
  EXPECT_THAT(entry.value_types, ElementsAre("level", "change"));
  EXPECT_EQ(entry.description, "新建的高标准农田");
}

TEST(IndicatorCatalog, RejectsMalformedRowsNamingLineAndColumn) {
  struct Case {
    std::string rows;  // after the header, which is line 1
    std::string message;
  };
  const Case cases[] = {
      {"GDP\t地区生产总值\t\t元\tlevel\t\n", "line 2, column 1 (slug)"},
      {"gdp_total\t地区生产总值\t\t元\tlevel\t\n", "line 2, column 1 (slug)"},
      {"-gdp\t地区生产总值\t\t元\tlevel\t\n", "line 2, column 1 (slug)"},
      {"gdp\t \t\t元\tlevel\t\n", "line 2, column 2 (display_name)"},
      {"gdp\t地区生产总值\t\t\tlevel\t\n", "line 2, column 4 (canonical_unit)"},
      {"gdp\t地区生产总值\t\t元\t\t\n",
       "line 2, column 5 (value_types): no value"},
      {"gdp\t地区生产总值\t\t元\tlevel|speed\t\n",
       "line 2, column 5 (value_types): unknown value type \"speed\""},
      {"gdp\t地区生产总值\t\t元\tlevel\t\ngdp\tGDP\t\t元\tlevel\t\n",
       "line 3, column 1 (slug): duplicate slug gdp"},
      {"gdp\t地区生产总值\t生产总值\t元\tlevel\t\n"
       "gdp-2\t总值\t“生产总值”\t元\tlevel\t\n",
       "line 3, column 3 (aliases): alias \"“生产总值”\" already belongs to "
       "gdp"},
      {"gdp\t地区生产总值\t“”\t元\tlevel\t\n", "line 2, column 3 (aliases)"},
      {"gdp\t地区生产总值\t元\tlevel\t\n", "line 2: expected 6 tab-separated"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        IndicatorCatalog::FromTsv(std::string(kHeader) + c.rows),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.rows;
  }
}

TEST(IndicatorCatalog, LoadFileReadsAFileAndNamesItInErrors) {
  const std::string path = ::testing::TempDir() + "/indicators_test.tsv";
  std::ofstream(path) << kHeader << "gdp\t地区生产总值\t\t元\tlevel\t\n";
  auto catalog = IndicatorCatalog::LoadFile(path);
  ASSERT_THAT(catalog, IsOk());
  EXPECT_NE(catalog->FindBySlug("gdp"), nullptr);

  std::ofstream(path) << kHeader << "Bad\tx\t\t元\tlevel\t\n";
  EXPECT_THAT(IndicatorCatalog::LoadFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path), HasSubstr("line 2"))));
  EXPECT_THAT(IndicatorCatalog::LoadFile(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(IndicatorCatalog, BuiltinHasTheCommonIndicators) {
  const IndicatorCatalog& catalog = IndicatorCatalog::Builtin();
  EXPECT_GE(catalog.All().size(), 40u);
  for (const char* slug :
       {"gdp", "general-public-budget-revenue", "fixed-asset-investment",
        "retail-sales-of-consumer-goods", "urban-new-employment",
        "rural-labor-transfer", "skills-training", "high-standard-farmland",
        "old-residential-renovation", "high-tech-enterprises",
        "four-above-enterprises", "grain-output"}) {
    EXPECT_NE(catalog.FindBySlug(slug), nullptr) << slug;
  }
  EXPECT_EQ(catalog.FindBySlug("no-such-indicator"), nullptr);
  EXPECT_EQ(catalog.FindBySlug(""), nullptr);
}

TEST(NormalizeIndicatorText, DropsPunctuationAndUpperCasesAscii) {
  const std::pair<std::string, std::string> cases[] = {
      {"新入库“四上”企业", "新入库四上企业"},
      {"省级智能工厂(车间)", "省级智能工厂车间"},
      {"中小学、幼儿园", "中小学幼儿园"},
      {"pm2.5 浓度", "PM25浓度"},
      {"《规划》　目标", "规划目标"},
      {"", ""},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(NormalizeIndicatorText(text), expected) << text;
  }
}

TEST(UnitCompatible, SameDimensionOrPercentForGrowth) {
  const std::vector<std::string> level = {"level"};
  const std::vector<std::string> growth = {"level", "growth_rate"};
  const std::vector<std::string> change = {"level", "change"};
  struct Case {
    std::string unit;
    std::string canonical;
    const std::vector<std::string>* types;
    bool compatible;
  };
  const Case cases[] = {
      {"亩", "亩", &level, true},         {"平方米", "亩", &level, true},
      {"公里", "千米", &level, true},     {"斤", "吨", &level, true},
      {"人", "人次", &level, true},       {"家", "户", &level, true},
      {"所", "个", &level, true},         {"%", "元", &growth, true},
      {"％", "元", &growth, true},        {"个百分点", "%", &change, true},
      {"亩", "元", &growth, false},       {"元", "亩", &level, false},
      {"个", "人次", &level, false},      {"%", "亩", &change, false},
      {"个百分点", "元", &growth, false}, {"美元", "元", &growth, false},
      {"", "元", &growth, false},         {"头", "个", &level, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(UnitCompatible(c.unit, c.canonical, *c.types), c.compatible)
        << c.unit << " vs " << c.canonical;
  }
}

TEST(IndicatorCatalog, MapsSubjectWordingsToSlugs) {
  const IndicatorCatalog& catalog = IndicatorCatalog::Builtin();
  struct Case {
    std::string subject;
    std::string unit;
    std::string slug;
  };
  const Case cases[] = {
      // Wordings from the development document's gold annotation.
      {"地区生产总值", "元", "gdp"},
      {"一般公共预算收入", "元", "general-public-budget-revenue"},
      {"固定资产投资", "%", "fixed-asset-investment"},
      {"社会消费品零售总额", "%", "retail-sales-of-consumer-goods"},
      {"新入库“四上”企业", "家", "four-above-enterprises"},
      {"“四上”企业", "家", "four-above-enterprises"},
      {"高新技术企业", "家", "high-tech-enterprises"},
      {"高标准农田", "亩", "high-standard-farmland"},
      {"高标准农田示范区", "亩", "high-standard-farmland"},
      {"城镇新增就业", "人", "urban-new-employment"},
      {"城镇就业", "人", "urban-new-employment"},
      {"农村劳动力转移就业", "人", "rural-labor-transfer"},
      {"技能培训", "人次", "skills-training"},
      {"老旧小区", "个", "old-residential-renovation"},
      {"省级专精特新企业", "家", "specialized-new-smes"},
      {"科技型中小企业备案", "家", "sci-tech-smes"},
      {"国家科技型中小企业评价", "家", "sci-tech-smes"},
      {"市级以上研发平台、创新载体", "个", "rd-platforms"},
      {"粮食产量", "斤", "grain-output"},
      {"农村厕所", "座", "rural-toilet-renovation"},
      {"公厕", "座", "public-toilets"},
      {"电商交易额", "元", "ecommerce-transactions"},
      {"创业担保贷款", "元", "entrepreneurship-guarantee-loans"},
      {"重点项目", "个", "key-projects"},
      {"市场主体", "家", "new-market-entities"},
      {"高层次人才", "人", "high-level-talent"},
      {"造林及林质提升", "亩", "afforestation"},
      {"国土绿化", "亩", "afforestation"},
      {"城区供热面积", "平方米", "heating-area"},
      {"“两牛”饲养量", "头", "cattle-stock"},
      {"村级养老服务站(日间照料中心)", "个", "elderly-care-facilities"},
      {"省级智能工厂(车间)", "家", "intelligent-factories"},
      {"市外境内资金", "元", "attracted-domestic-investment"},
      // Other common wordings.
      {"规上工业增加值", "%", "industrial-value-added-above-scale"},
      {"城镇居民人均可支配收入", "元", "urban-per-capita-disposable-income"},
      {"农村居民人均可支配收入", "%", "rural-per-capita-disposable-income"},
      {"居民人均可支配收入", "元", "per-capita-disposable-income"},
      {"单位生产总值能耗", "%", "energy-intensity"},
      {"人均地区生产总值", "元", "gdp-per-capita"},
      {"城镇调查失业率", "%", "surveyed-urban-unemployment-rate"},
      {"居民消费价格涨幅", "%", "cpi-increase"},
      {"森林覆盖率", "%", "forest-coverage"},
      {"森林覆盖率", "个百分点", "forest-coverage"},
      {"PM2.5平均浓度", "微克/立方米", "pm25-concentration"},
      {"pm2.5", "%", "pm25-concentration"},
      {"空气质量优良天数", "天", "good-air-days"},
      {"空气质量优良天数比例", "%", "good-air-days-ratio"},
      {"税收占一般公共预算收入比重", "%", "tax-revenue-share"},
      {"实际利用外资", "美元", "actual-foreign-investment"},
      {"进出口总额", "元", "total-imports-and-exports"},
      {"旅游综合收入", "元", "tourism-revenue"},
      {"接待游客", "人次", "tourist-arrivals"},
      {"养老床位", "张", "elderly-care-beds"},
      {"四好农村路", "公里", "rural-roads"},
      {"棚户区改造", "户", "shantytown-renovation"},
      {"保障性租赁住房", "套", "affordable-housing"},
      {"中小学改扩建", "所", "school-construction"},
      {"重点项目完成投资", "元", "key-projects-investment"},
  };
  for (const Case& c : cases) {
    const IndicatorEntry* entry = catalog.Map(c.subject, c.unit);
    ASSERT_NE(entry, nullptr) << c.subject << " [" << c.unit << "]";
    EXPECT_EQ(entry->slug, c.slug) << c.subject << " [" << c.unit << "]";
  }
}

TEST(IndicatorCatalog, DoesNotMapOtherSubjectsOrIncompatibleUnits) {
  const IndicatorCatalog& catalog = IndicatorCatalog::Builtin();
  const std::pair<std::string, std::string> cases[] = {
      {"高标准农田", "元"},    // an investment in farmland, not its area
      {"地区生产总值", "亩"},  // a 亩 figure is not a 元 indicator
      {"亿元以上项目", "个"},  // not gdp, not key projects
      {"10亿元以上项目", "个"},
      {"储备库项目", "个"},
      {"技能培训", "个"},  // "技能培训等项目" counts projects
      {"产业设施、道路饮水、产业奖补、金融贴息、技能培训等项目", "个"},
      {"集体经济收入突破100万元的行政村", "个"},
      {"高新技术企业", "%"},                    // no growth rate for a count
      {"民生支出占一般公共预算支出比重", "%"},  // a share, not a growth rate
      {"“有诉即办”问题处理满意率", "%"},
      {"中药材", "亩"},
      {"乐道", "公里"},
      {"实际利用外资", "元"},  // kept in 美元
      {"地区生产总值", ""},    // no unit, no evidence
      {"", "元"},
  };
  for (const auto& [subject, unit] : cases) {
    const IndicatorEntry* entry = catalog.Map(subject, unit);
    EXPECT_EQ(entry, nullptr)
        << subject << " [" << unit << "] -> " << (entry ? entry->slug : "");
  }
}

TEST(IndicatorCatalog, SearchRanksExactThenPrefixThenSubstring) {
  const IndicatorCatalog& catalog = IndicatorCatalog::Builtin();
  EXPECT_THAT(Slugs(catalog.Search("gdp")).front(), Eq("gdp"));
  EXPECT_THAT(Slugs(catalog.Search("地区生产总值")).front(), Eq("gdp"));
  const std::vector<std::string> product = Slugs(catalog.Search("生产总值"));
  EXPECT_THAT(product.front(), Eq("gdp"));  // an exact alias
  EXPECT_THAT(product, Contains("gdp-per-capita"));
  EXPECT_THAT(product, Contains("energy-intensity"));
  EXPECT_THAT(
      Slugs(catalog.Search("农田")),
      ElementsAre("high-standard-farmland", "permanent-basic-farmland"));
  EXPECT_THAT(
      Slugs(catalog.Search("farmland")),
      ElementsAre("high-standard-farmland", "permanent-basic-farmland"));
  EXPECT_THAT(Slugs(catalog.Search("High-Standard")),
              ElementsAre("high-standard-farmland"));
  // A subject as written finds the indicator whose alias it contains.
  EXPECT_THAT(Slugs(catalog.Search("新入库“四上”企业")),
              Contains("four-above-enterprises"));
  EXPECT_THAT(catalog.Search(""), IsEmpty());
  EXPECT_THAT(catalog.Search("“”"), IsEmpty());
  EXPECT_THAT(catalog.Search("量子引力"), IsEmpty());
}

}  // namespace
}  // namespace govreport::query
