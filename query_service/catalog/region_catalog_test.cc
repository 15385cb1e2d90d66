#include "query_service/catalog/region_catalog.h"

#include <algorithm>
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
    "code\tname\tlevel\tparent_code\tformer_codes\tformer_names\n";

// A few real rows, enough for the parser tests.
constexpr char kSmall[] =
    "# comment\n"
    "code\tname\tlevel\tparent_code\tformer_codes\tformer_names\n"
    "410000\t河南省\tprovince\t\t\t\n"
    "410300\t洛阳市\tprefecture\t410000\t\t\n"
    "410325\t嵩县\tcounty\t410300\t\t\n"
    "410308\t孟津区\tcounty\t410300\t410322|410306\t孟津县|吉利区\n";

auto HasCode(const std::string& code) {
  return Pointee(Field(&RegionEntry::code, Eq(code)));
}

std::vector<std::string> Codes(const std::vector<const RegionEntry*>& entries) {
  std::vector<std::string> codes;
  for (const RegionEntry* entry : entries) codes.push_back(entry->code);
  return codes;
}

TEST(RegionCatalog, ParsesRowsAndComputesAncestors) {
  auto catalog = RegionCatalog::FromTsv(kSmall);
  ASSERT_THAT(catalog, IsOk());
  ASSERT_THAT(catalog->All(), SizeIs(4));
  const RegionEntry* song = catalog->FindByCode("410325");
  ASSERT_NE(song, nullptr);
  EXPECT_EQ(song->name, "嵩县");
  EXPECT_EQ(song->level, RegionLevel::kCounty);
  EXPECT_EQ(song->parent_code, "410300");
  EXPECT_THAT(song->ancestor_names, ElementsAre("河南省", "洛阳市"));
  const RegionEntry* mengjin = catalog->FindByCode("410308");
  ASSERT_NE(mengjin, nullptr);
  EXPECT_THAT(mengjin->former_codes, ElementsAre("410322", "410306"));
  EXPECT_THAT(mengjin->former_names, ElementsAre("孟津县", "吉利区"));
}

TEST(RegionCatalog, AllIsSortedByCode) {
  auto catalog = RegionCatalog::FromTsv(kSmall);
  ASSERT_THAT(catalog, IsOk());
  std::vector<std::string> codes;
  for (const RegionEntry& region : catalog->All()) codes.push_back(region.code);
  EXPECT_THAT(codes, ElementsAre("410000", "410300", "410308", "410325"));
}

TEST(RegionCatalog, RejectsMalformedRowsNamingLineAndColumn) {
  struct Case {
    std::string rows;  // after the header, which is line 1
    std::string message;
  };
  const Case cases[] = {
      {"41000\t河南省\tprovince\t\t\t\n", "line 2, column 1 (code)"},
      {"410000\t \tprovince\t\t\t\n", "line 2, column 2 (name): empty name"},
      {"410000\t河南省\tstate\t\t\t\n",
       "line 2, column 3 (level): unknown level"},
      {"410000\t河南省\tprovince\t100000\t\t\n",
       "line 2, column 4 (parent_code): a province has no parent"},
      {"410300\t洛阳市\tprefecture\t\t\t\n", "line 2, column 4 (parent_code)"},
      {"410000\t河南省\tprovince\t\t\t\n410300\t洛阳市\tprefecture\t420000\t\t"
       "\n",
       "line 3, column 4 (parent_code): unknown parent 420000"},
      {"410000\t河南省\tprovince\t\t\t\n410300\t洛阳市\tprefecture\t410000\t\t"
       "\n"
       "410301\t某区\tprefecture\t410300\t\t\n",
       "line 4, column 4 (parent_code): parent 410300 is a prefecture"},
      {"410000\t河南省\tprovince\t\t\t\n410000\t河南\tprovince\t\t\t\n",
       "column 1 (code): duplicate code 410000"},
      {"410000\t河南省\tprovince\t\t41000x\t\n",
       "line 2, column 5 (former_codes): \"41000x\" is not a 6-digit code"},
      {"410000\t河南省\tprovince\t\t\t\n420000\t湖北省\tprovince\t\t410000\t\n",
       "line 3, column 5 (former_codes): former code 410000 is already used"},
      {"410000\t河南省\tprovince\t\t\n", "line 2: expected 6 tab-separated"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        RegionCatalog::FromTsv(std::string(kHeader) + c.rows),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.rows;
  }
}

TEST(RegionCatalog, LoadFileReadsAFileAndNamesItInErrors) {
  const std::string path = ::testing::TempDir() + "/regions_test.tsv";
  std::ofstream(path) << kSmall;
  auto catalog = RegionCatalog::LoadFile(path);
  ASSERT_THAT(catalog, IsOk());
  EXPECT_THAT(catalog->FindByCode("410325"), HasCode("410325"));

  std::ofstream(path) << kHeader << "bad\n";
  EXPECT_THAT(RegionCatalog::LoadFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path), HasSubstr("line 2"))));
  EXPECT_THAT(RegionCatalog::LoadFile(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(RegionCatalog, BuiltinCoversEveryLevel) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  int provinces = 0, prefectures = 0, counties = 0;
  for (const RegionEntry& region : catalog.All()) {
    provinces += region.level == RegionLevel::kProvince;
    prefectures += region.level == RegionLevel::kPrefecture;
    counties += region.level == RegionLevel::kCounty;
  }
  EXPECT_EQ(provinces, 34);
  EXPECT_GT(prefectures, 320);
  EXPECT_GT(counties, 2800);
  EXPECT_EQ(&catalog, &RegionCatalog::Builtin());
}

TEST(RegionCatalog, FindsByCurrentAndFormerCode) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  struct Case {
    std::string code;
    std::string name;  // "" for unknown
  };
  const Case cases[] = {
      {"410325", "嵩县"},   {"410308", "孟津区"}, {"410322", "孟津区"},
      {"410306", "孟津区"}, {"410381", "偃师区"}, {"410000", "河南省"},
      {"110228", "密云区"}, {"999999", ""},       {"", ""},
  };
  for (const Case& c : cases) {
    const RegionEntry* found = catalog.FindByCode(c.code);
    if (c.name.empty()) {
      EXPECT_EQ(found, nullptr) << c.code;
    } else {
      ASSERT_NE(found, nullptr) << c.code;
      EXPECT_EQ(found->name, c.name) << c.code;
    }
  }
}

TEST(RegionCatalog, ParentsAndAncestorsOfSpecialCases) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  struct Case {
    std::string code;
    std::string parent_code;
    std::vector<std::string> ancestors;
  };
  const Case cases[] = {
      {"410325", "410300", {"河南省", "洛阳市"}},
      {"110105", "110000", {"北京市"}},  // municipality: no prefecture
      {"419001", "410000", {"河南省"}},  // 济源市, directly under the province
      {"441900",
       "440000",
       {"广东省"}},  // 东莞市, a prefecture without counties
      {"410000", "", {}},
  };
  for (const Case& c : cases) {
    const RegionEntry* region = catalog.FindByCode(c.code);
    ASSERT_NE(region, nullptr) << c.code;
    EXPECT_EQ(region->parent_code, c.parent_code) << c.code;
    EXPECT_EQ(region->ancestor_names, c.ancestors) << c.code;
  }
}

TEST(ShortRegionName, StripsSuffixesAndNationalities) {
  const std::pair<std::string, std::string> cases[] = {
      {"嵩县", "嵩"},
      {"孟津区", "孟津"},
      {"洛阳市", "洛阳"},
      {"河南省", "河南"},
      {"浦东新区", "浦东"},
      {"神农架林区", "神农架"},
      {"大兴安岭地区", "大兴安岭"},
      {"锡林郭勒盟", "锡林郭勒"},
      {"广西壮族自治区", "广西"},
      {"新疆维吾尔自治区", "新疆"},
      {"内蒙古自治区", "内蒙古"},
      {"香港特别行政区", "香港"},
      {"延边朝鲜族自治州", "延边"},
      {"威宁彝族回族苗族自治县", "威宁"},
      {"瀍河回族区", "瀍河"},
      {"河南蒙古族自治县", "河南"},
      {"鄂温克族自治旗", "鄂温克族"},
      {"矿区", "矿区"},
      {"嵩", "嵩"},
  };
  for (const auto& [name, expected] : cases) {
    EXPECT_EQ(ShortRegionName(name), expected) << name;
  }
}

TEST(RegionCatalog, ResolvesFullFormerAndShortNames) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  struct Case {
    std::string name;
    std::vector<std::string> context;
    std::string code;
  };
  const Case cases[] = {
      {"嵩县", {}, "410325"},
      {"嵩", {}, "410325"},
      {" 嵩县 ", {}, "410325"},
      {"孟津区", {}, "410308"},
      {"孟津县", {}, "410308"},  // former name
      {"孟津", {}, "410308"},
      {"吉利区", {}, "410308"},  // merged into 孟津区 in 2021
      {"偃师市", {}, "410307"},
      {"洛阳市", {}, "410300"},
      {"洛阳", {}, "410300"},
      {"河南省", {}, "410000"},
      {"浦东新区", {}, "310115"},
      {"浦东", {}, "310115"},
      {"广西", {}, "450000"},
      {"延边", {}, "222400"},
      {"济源", {}, "419001"},
      {"密云县", {}, "110118"},
      // A city and a county inside it share the short name: the city.
      {"长沙", {}, "430100"},
      {"临夏", {}, "622900"},
      {"长沙县", {}, "430121"},
  };
  for (const Case& c : cases) {
    auto region = catalog.ResolveName(c.name, c.context);
    ASSERT_THAT(region, IsOk()) << c.name;
    EXPECT_EQ((*region)->code, c.code) << c.name;
  }
}

TEST(RegionCatalog, ResolvesDuplicateNamesWithContext) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  struct Case {
    std::string name;
    std::vector<std::string> context;
    std::string code;
  };
  const Case cases[] = {
      {"新华区", {"沧州市"}, "130902"},
      {"新华区", {"河北省", "沧州"}, "130902"},
      {"新华区", {"平顶山市", "河南"}, "410402"},
      {"鼓楼区", {"南京"}, "320106"},
      {"鼓楼", {"福州市"}, "350102"},
      {"城关区", {"兰州市"}, "620102"},
      {"朝阳区", {"北京"}, "110105"},
      {"朝阳区", {"长春市"}, "220104"},
      // 河南 is also the short name of 河南蒙古族自治县 (青海); a city of the
      // province in the context picks the province.
      {"河南", {"洛阳市", "嵩县"}, "410000"},
      {"河南", {"黄南藏族自治州"}, "632324"},
      // The most related candidate wins: 石家庄 and 河北 both point at 130105.
      {"新华区", {"河北", "石家庄", "河南"}, "130105"},
  };
  for (const Case& c : cases) {
    auto region = catalog.ResolveName(c.name, c.context);
    ASSERT_THAT(region, IsOk()) << c.name;
    EXPECT_EQ((*region)->code, c.code) << c.name;
  }
}

TEST(RegionCatalog, AmbiguousNameListsCandidates) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  EXPECT_THAT(catalog.ResolveName("新华区"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("130105 新华区 (河北省 石家庄市)"),
                             HasSubstr("130902 新华区 (河北省 沧州市)"),
                             HasSubstr("410402 新华区 (河南省 平顶山市)"))));
  // Context that relates to none of them, or to two equally, does not help.
  EXPECT_THAT(catalog.ResolveName("新华区", {"广东省"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(catalog.ResolveName("新华区", {"河北省"}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       Not(HasSubstr("410402"))));
  EXPECT_THAT(catalog.ResolveName("朝阳"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("110105"), HasSubstr("211300"),
                             HasSubstr("211321"), HasSubstr("220104"))));
  EXPECT_THAT(catalog.ResolveName("城关"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("540102"), HasSubstr("620102"))));
}

TEST(RegionCatalog, UnknownNameIsNotFound) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  for (const char* name : {"火星县", "", "县", "洛阳市嵩县"}) {
    EXPECT_THAT(catalog.ResolveName(name),
                StatusIs(absl::StatusCode::kNotFound))
        << name;
  }
}

TEST(RegionCatalog, ChildrenAreDirectAndSorted) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  const std::vector<std::string> luoyang = Codes(catalog.Children("410300"));
  EXPECT_THAT(luoyang, Contains("410325"));
  EXPECT_THAT(luoyang, Contains("410308"));
  EXPECT_THAT(luoyang, Not(Contains("410322")));
  EXPECT_TRUE(std::is_sorted(luoyang.begin(), luoyang.end()));
  EXPECT_THAT(Codes(catalog.Children("410000")), Contains("419001"));
  EXPECT_THAT(Codes(catalog.Children("410000")), Not(Contains("410325")));
  EXPECT_THAT(catalog.Children("410325"), IsEmpty());
  EXPECT_THAT(catalog.Children("999999"), IsEmpty());
}

TEST(RegionCatalog, DescendantsOfLuoyangAtCountyLevel) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  auto counties = catalog.Descendants("410300", RegionLevel::kCounty);
  EXPECT_THAT(counties, Contains(HasCode("410325")));  // 嵩县
  EXPECT_THAT(counties, Contains(HasCode("410308")));  // 孟津区
  EXPECT_THAT(counties, Contains(HasCode("410307")));  // 偃师区
  EXPECT_THAT(counties, Not(Contains(HasCode("410322"))));
  EXPECT_THAT(counties, SizeIs(14));
}

TEST(RegionCatalog, DescendantsOfAProvinceByLevel) {
  const RegionCatalog& catalog = RegionCatalog::Builtin();
  auto prefectures = catalog.Descendants("410000", RegionLevel::kPrefecture);
  EXPECT_THAT(prefectures, SizeIs(17));
  EXPECT_THAT(prefectures, Contains(HasCode("410300")));
  auto counties = catalog.Descendants("410000", RegionLevel::kCounty);
  EXPECT_THAT(counties, Contains(HasCode("410325")));
  EXPECT_THAT(counties, Contains(HasCode("419001")));
  auto all = catalog.Descendants("410000", RegionLevel::kUnspecified);
  EXPECT_EQ(all.size(), prefectures.size() + counties.size());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const RegionEntry* a, const RegionEntry* b) {
                               return a->code < b->code;
                             }));
  EXPECT_THAT(catalog.Descendants("999999", RegionLevel::kCounty), IsEmpty());
}

}  // namespace
}  // namespace govreport::query
