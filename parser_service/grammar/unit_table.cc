#include "parser_service/grammar/unit_table.h"

#include <algorithm>
#include <vector>

namespace govreport::parser {
namespace {

using K = UnitKind;

// Every unit the genre uses. Longer forms win over their prefixes (个百分点
// over 个, 平方公里 over 平方, 人次 over 人), so order does not matter here.
constexpr UnitInfo kUnits[] = {
    // Money.
    {U"元", U"元", 1, K::kMoney},
    {U"美元", U"美元", 1, K::kMoney},
    {U"块钱", U"元", 1, K::kMoney},
    {U"元人民币", U"元", 1, K::kMoney},
    // Percentages.
    {U"%", U"%", 1, K::kPercent},
    {U"‰", U"‰", 1, K::kPercent},
    {U"个百分点", U"百分点", 1, K::kPercent},
    {U"百分点", U"百分点", 1, K::kPercent},
    // Area, length, weight, volume, energy.
    {U"亩", U"亩", 1, K::kMeasure},
    {U"公顷", U"公顷", 1, K::kMeasure},
    {U"平方公里", U"平方公里", 1, K::kMeasure},
    {U"平方千米", U"平方公里", 1, K::kMeasure},
    {U"平方米", U"平方米", 1, K::kMeasure},
    {U"平米", U"平方米", 1, K::kMeasure},
    {U"㎡", U"平方米", 1, K::kMeasure},
    {U"立方米", U"立方米", 1, K::kMeasure},
    {U"公里", U"千米", 1, K::kMeasure},
    {U"千米", U"千米", 1, K::kMeasure},
    {U"km", U"千米", 1, K::kMeasure},
    {U"米", U"米", 1, K::kMeasure},
    {U"延米", U"米", 1, K::kMeasure},
    {U"吨", U"吨", 1, K::kMeasure},
    {U"斤", U"斤", 1, K::kMeasure},
    {U"公斤", U"公斤", 1, K::kMeasure},
    {U"千克", U"公斤", 1, K::kMeasure},
    {U"千瓦时", U"千瓦时", 1, K::kMeasure},
    {U"度", U"千瓦时", 1, K::kMeasure},
    {U"千瓦", U"千瓦", 1, K::kMeasure},
    {U"兆瓦", U"兆瓦", 1, K::kMeasure},
    {U"千伏安", U"千伏安", 1, K::kMeasure},
    {U"标箱", U"标箱", 1, K::kMeasure},
    {U"标准箱", U"标准箱", 1, K::kMeasure},
    {U"吨标准煤", U"吨标准煤", 1, K::kMeasure},
    // Concentrations (PM2.5).
    {U"微克/立方米", U"微克/立方米", 1, K::kMeasure},
    {U"μg/m³", U"微克/立方米", 1, K::kMeasure},
    {U"μg/m3", U"微克/立方米", 1, K::kMeasure},
    {U"毫克/立方米", U"毫克/立方米", 1, K::kMeasure},
    {U"倍", U"倍", 1, K::kMeasure},
    // Counting classifiers: the classifier is the unit.
    {U"个", U"个", 1, K::kCount},
    {U"家", U"家", 1, K::kCount},
    {U"所", U"所", 1, K::kCount},
    {U"座", U"座", 1, K::kCount},
    {U"条", U"条", 1, K::kCount},
    {U"处", U"处", 1, K::kCount},
    {U"项", U"项", 1, K::kCount},
    {U"名", U"名", 1, K::kCount},
    {U"位", U"位", 1, K::kCount},
    {U"人", U"人", 1, K::kCount},
    {U"人次", U"人次", 1, K::kCount},
    {U"户", U"户", 1, K::kCount},
    {U"户次", U"户次", 1, K::kCount},
    {U"批次", U"批次", 1, K::kCount},
    {U"批", U"批", 1, K::kCount},
    {U"场", U"场", 1, K::kCount},
    {U"场次", U"场次", 1, K::kCount},
    {U"次", U"次", 1, K::kCount},
    {U"套", U"套", 1, K::kCount},
    {U"台", U"台", 1, K::kCount},
    {U"台套", U"台套", 1, K::kCount},
    {U"辆", U"辆", 1, K::kCount},
    {U"架", U"架", 1, K::kCount},
    {U"艘", U"艘", 1, K::kCount},
    {U"件", U"件", 1, K::kCount},
    {U"间", U"间", 1, K::kCount},
    {U"张", U"张", 1, K::kCount},
    {U"份", U"份", 1, K::kCount},
    {U"栋", U"栋", 1, K::kCount},
    {U"幢", U"幢", 1, K::kCount},
    {U"头", U"头", 1, K::kCount},
    {U"头(只)", U"头(只)", 1, K::kCount},  // livestock counted together
    {U"头只", U"头(只)", 1, K::kCount},
    {U"只", U"只", 1, K::kCount},
    {U"羽", U"羽", 1, K::kCount},
    {U"匹", U"匹", 1, K::kCount},
    {U"株", U"株", 1, K::kCount},
    {U"棵", U"棵", 1, K::kCount},
    {U"块", U"块", 1, K::kCount},
    {U"宗", U"宗", 1, K::kCount},
    {U"笔", U"笔", 1, K::kCount},
    {U"部", U"部", 1, K::kCount},
    {U"期", U"期", 1, K::kCount},
    {U"班", U"班", 1, K::kCount},
    {U"盏", U"盏", 1, K::kCount},
    {U"根", U"根", 1, K::kCount},
    {U"组", U"组", 1, K::kCount},
    {U"篇", U"篇", 1, K::kCount},
    {U"种", U"种", 1, K::kCount},
    {U"支", U"支", 1, K::kCount},
    {U"门", U"门", 1, K::kCount},
    {U"口", U"口", 1, K::kCount},
    {U"眼", U"眼", 1, K::kCount},
    {U"孔", U"孔", 1, K::kCount},
    {U"床", U"床", 1, K::kCount},
    {U"单", U"单", 1, K::kCount},
    {U"册", U"册", 1, K::kCount},
    {U"片", U"片", 1, K::kCount},
    {U"车次", U"车次", 1, K::kCount},
    {U"辆次", U"辆次", 1, K::kCount},
    {U"架次", U"架次", 1, K::kCount},
    {U"课时", U"课时", 1, K::kCount},
    {U"例", U"例", 1, K::kCount},
    {U"列", U"列", 1, K::kCount},
    // Not figures: dates, durations, ages, sessions, grades, ranks, voltages.
    {U"年", U"", 1, K::kNotFigure},
    {U"年度", U"", 1, K::kNotFigure},
    {U"月", U"", 1, K::kNotFigure},
    {U"个月", U"", 1, K::kNotFigure},
    {U"日", U"", 1, K::kNotFigure},
    {U"号", U"", 1, K::kNotFigure},
    {U"时", U"", 1, K::kNotFigure},
    {U"小时", U"", 1, K::kNotFigure},
    {U"分钟", U"", 1, K::kNotFigure},
    {U"天", U"", 1, K::kNotFigure},
    {U"个工作日", U"", 1, K::kNotFigure},
    {U"工作日", U"", 1, K::kNotFigure},
    {U"周", U"", 1, K::kNotFigure},
    {U"周年", U"", 1, K::kNotFigure},
    {U"岁", U"", 1, K::kNotFigure},
    {U"周岁", U"", 1, K::kNotFigure},
    {U"届", U"", 1, K::kNotFigure},
    {U"级", U"", 1, K::kNotFigure},
    {U"强", U"", 1, K::kNotFigure},
    {U"星", U"", 1, K::kNotFigure},
    {U"大", U"", 1, K::kNotFigure},
    {U"千伏", U"", 1, K::kNotFigure},
    {U"伏", U"", 1, K::kNotFigure},
    {U"kV", U"", 1, K::kNotFigure},
    {U"方面", U"", 1, K::kNotFigure},
    {U"个方面", U"", 1, K::kNotFigure},
    {U"类", U"", 1, K::kNotFigure},
    {U"代", U"", 1, K::kNotFigure},
    {U"版", U"", 1, K::kNotFigure},
    {U"号线", U"", 1, K::kNotFigure},
    {U"点", U"", 1, K::kNotFigure},
    {U"秒", U"", 1, K::kNotFigure},
};

// Index of kUnits sorted by first character, longest first.
const std::vector<const UnitInfo*>& SortedUnits() {
  static const auto* sorted = [] {
    auto* v = new std::vector<const UnitInfo*>();
    for (const UnitInfo& u : kUnits) v->push_back(&u);
    std::sort(v->begin(), v->end(), [](const UnitInfo* a, const UnitInfo* b) {
      if (a->text[0] != b->text[0]) return a->text[0] < b->text[0];
      return a->text.size() > b->text.size();
    });
    return v;
  }();
  return *sorted;
}

}  // namespace

const UnitInfo* MatchUnit(std::u32string_view text, size_t pos) {
  if (pos >= text.size()) return nullptr;
  const auto& units = SortedUnits();
  const char32_t first = text[pos];
  auto it = std::lower_bound(
      units.begin(), units.end(), first,
      [](const UnitInfo* u, char32_t c) { return u->text[0] < c; });
  for (; it != units.end() && (*it)->text[0] == first; ++it) {
    if (text.substr(pos, (*it)->text.size()) == (*it)->text) return *it;
  }
  return nullptr;
}

const UnitInfo& DayCountUnit() {
  static constexpr UnitInfo kDays{U"天", U"天", 1, UnitKind::kCount};
  return kDays;
}

}  // namespace govreport::parser
