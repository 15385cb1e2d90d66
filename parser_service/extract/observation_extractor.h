// Stage 4 of the parser: finds the figures of one report and reads, for each,
// its subject, action, kind (target or achieved), reference year, value type
// and quantity. Plain C++ structs; the report/ stage turns them into protos.
//
// How a figure's subject is found (EXTRACTION.md §10):
//   * before the number, after the governing verb: 新建高标准农田1万亩;
//   * after the classifier when only a verb precedes: 建成20个服务中心, and
//     after a list closed by 等: 黄河路西延等5条道路;
//   * inherited across an ellipsis: 新建高标准农田1万亩,提质改造5000亩;
//   * shared by a list under one verb: 新建城市游园4座、公厕12座;
//   * distributed over a list: 牛、羊饲养量分别稳定在15万头、30万只以上.
// Numbers that are not figures (EXTRACTION.md §5–8) are dropped by the rules
// in not_figure.h. Kind and year come from the section, with sentence cues
// (a paragraph opening with "2023年,", 预计) refining them.
//
// Thread safety: stateless; safe to call concurrently.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parser_service/grammar/quantity_grammar.h"
#include "parser_service/layout/layout.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {

enum class ValueKind { kLevel, kGrowthRate, kChange };

// One figure of a report.
struct Figure {
  TextRange quantity;  // the quantity phrase in the clean text
  TextRange raw;       // the figure with its subject, within one line
  std::string subject;
  std::string action;
  double value = 0;
  std::optional<double> upper;  // set for ranges
  Bound bound = Bound::kExact;
  std::string unit;       // base unit, e.g. "元", "亩", "个", "%"
  std::string unit_text;  // as written, e.g. "亿元"
  int multiplier_exponent = 0;
  std::string original_text;  // the quantity phrase as written (folded)
  ValueKind value_kind = ValueKind::kLevel;
  bool target = true;  // false: achieved
  int year = 0;
  bool estimated = false;  // 预计
  std::optional<double> growth_percent;
  std::optional<double> previous_value;  // from→to changes
  int section = -1;                      // index into ReportInfo::sections
  int measure = -1;                      // index into ReportInfo::measures
};

enum class ExtractWarningCode { kUnreadableNumber, kNoSubject };

struct ExtractWarning {
  ExtractWarningCode code;
  std::string message;
  TextRange range;
};

struct Extraction {
  std::vector<Figure> figures;
  std::vector<ExtractWarning> warnings;
};

// Extracts the figures of `report` from the clean text in `layout`.
Extraction ExtractFigures(const LayoutResult& layout, const ReportInfo& report);

// Index of the last item whose range starts at or before `pos` and holds it
// (items are in text order, by `range`: sections, measures), or -1.
template <typename T>
int IndexHolding(const std::vector<T>& items, uint32_t pos) {
  auto it = std::upper_bound(
      items.begin(), items.end(), pos,
      [](uint32_t p, const T& item) { return p < item.range.begin; });
  if (it == items.begin()) return -1;
  --it;
  return pos < it->range.end ? static_cast<int>(it - items.begin()) : -1;
}

// Index where the text of a line starts after a bullet (●) or a list
// number ("1.", "(一)", "一、"); 0 when there is none.
size_t ContentBegin(std::u32string_view line);

// Extracts the figures of one paragraph with a fixed kind and year; the unit
// of the table-driven tests. Ranges are relative to `paragraph`.
std::vector<Figure> ExtractFromParagraph(std::u32string_view paragraph,
                                         bool target, int year);

}  // namespace govreport::parser
