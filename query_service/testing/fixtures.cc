#include "query_service/testing/fixtures.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace govreport::query::testing {

const char kRegionsTsv[] =
    "# test regions\n"
    "code\tname\tlevel\tparent_code\tformer_codes\tformer_names\n"
    "410000\t河南省\tprovince\t\t\t\n"
    "410100\t郑州市\tprefecture\t410000\t\t\n"
    "410102\t中原区\tcounty\t410100\t\t\n"
    "410300\t洛阳市\tprefecture\t410000\t\t\n"
    "410308\t孟津区\tcounty\t410300\t410322\t孟津县\n"
    "410323\t新安县\tcounty\t410300\t\t\n"
    "410325\t嵩县\tcounty\t410300\t\t\n";

const char kIndicatorsTsv[] =
    "# test indicators\n"
    "slug\tdisplay_name\taliases\tcanonical_unit\tvalue_types\tdescription\n"
    "gdp\t地区生产总值\t生产总值|GDP\t元\tlevel|growth_rate\t地区生产总值\n"
    "new-urban-jobs\t城镇新增就业\t新增城镇就业\t人\tlevel\t城镇新增就业人数\n"
    "skills-training\t技能培训\t职业技能培训\t人次\tlevel\t技能培训人次\n"
    "high-standard-farmland\t高标准农田\t\t亩\tlevel\t新建高标准农田面积\n";

const RegionCatalog& TestRegions() {
  static const RegionCatalog* catalog = [] {
    auto parsed = RegionCatalog::FromTsv(kRegionsTsv);
    if (!parsed.ok()) std::abort();
    return new RegionCatalog(*std::move(parsed));
  }();
  return *catalog;
}

const IndicatorCatalog& TestIndicators() {
  static const IndicatorCatalog* catalog = [] {
    auto parsed = IndicatorCatalog::FromTsv(kIndicatorsTsv);
    if (!parsed.ok()) std::abort();
    return new IndicatorCatalog(*std::move(parsed));
  }();
  return *catalog;
}

v1::Observation Figure(absl::string_view subject, v1::ObservationKind kind,
                       int32_t reference_year, double value,
                       absl::string_view unit, v1::Comparator comparator,
                       v1::ValueType value_type) {
  v1::Observation obs;
  obs.set_subject_text(std::string(subject));
  obs.set_kind(kind);
  obs.set_value_type(value_type);
  obs.mutable_reference_period()->set_first_year(reference_year);
  obs.mutable_reference_period()->set_last_year(reference_year);
  v1::Quantity* q = obs.mutable_quantity();
  q->set_value(value);
  q->set_effective_value(value);
  q->set_comparator(comparator);
  q->set_unit(std::string(unit));
  q->set_original_text(absl::StrCat(value, unit));
  obs.mutable_source()->set_quote(absl::StrCat(subject, value, unit));
  return obs;
}

v1::Report MakeReport(absl::string_view region_text, int32_t year,
                      std::vector<v1::Observation> observations) {
  v1::Report report;
  report.set_region_text(std::string(region_text));
  report.set_year(year);
  report.set_title(absl::StrCat(year, "年", region_text, "政府工作报告"));
  report.set_extractor_version("test-extractor/1");
  v1::Section* review = report.add_sections();
  review->set_name("sections/1");
  review->set_ordinal(1);
  review->set_heading("过去一年工作回顾");
  review->set_kind(v1::SECTION_KIND_REVIEW);
  v1::PolicyMeasure* measure = report.add_measures();
  measure->set_name("measures/1");
  measure->set_section("sections/1");
  measure->set_title("项目为王稳经济");
  measure->set_summary("项目为王稳经济");
  for (auto& obs : observations) {
    obs.set_section("sections/1");
    *report.add_observations() = std::move(obs);
  }
  return report;
}

}  // namespace govreport::query::testing
