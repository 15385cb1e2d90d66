#include "parser_service/extract/not_figure.h"

#include <algorithm>

#include "parser_service/extract/lexicon.h"
#include "parser_service/grammar/char_class.h"

namespace govreport::parser {
namespace {

constexpr size_t kMaxNameQuote = 20;

// Quotes are in text order and do not overlap: binary search.
bool InQuote(size_t pos, const std::vector<TextRange>& quotes) {
  auto it = std::upper_bound(
      quotes.begin(), quotes.end(), pos,
      [](size_t p, const TextRange& r) { return p < r.begin; });
  return it != quotes.begin() && pos < (it - 1)->end;
}

// A measured amount directly followed by a noun is part of a name
// (百万吨乙烯项目, 10亿元以上项目), unless a verb governs it from the left
// (建设5万亩高标准农田) or a predicate follows (542亿元增长...).
bool QualifiesName(std::u32string_view line, const QuantityMatch& q) {
  if (q.unit == nullptr || (q.unit->kind != UnitKind::kMoney &&
                            q.unit->kind != UnitKind::kMeasure)) {
    return false;
  }
  if (q.end >= line.size()) return false;
  const char32_t next = line[q.end];
  if (next == U'的') return true;
  if (!IsHan(next)) return false;
  if (QuantityFollowers().MatchAt(line, q.end) > 0 ||
      ActionVerbs().MatchAt(line, q.end) > 0 || CanStartNumber(next)) {
    return false;
  }
  if (q.bound == Bound::kAtLeast) return true;  // 10亿元以上项目
  return ActionVerbs().MatchEndingAt(line, q.begin) == 0;
}

}  // namespace

std::vector<TextRange> ShortQuotes(std::u32string_view line) {
  std::vector<TextRange> quotes;
  for (size_t i = 0; i < line.size(); ++i) {
    if (!IsOpenQuote(line[i])) continue;
    size_t j = i + 1;
    while (j < line.size() && !IsCloseQuote(line[j]) &&
           j - i <= kMaxNameQuote) {
      ++j;
    }
    if (j < line.size() && IsCloseQuote(line[j])) {
      quotes.push_back(
          {static_cast<uint32_t>(i + 1), static_cast<uint32_t>(j)});
      i = j;
    }
  }
  return quotes;
}

FigureVerdict JudgeQuantity(std::u32string_view line, const QuantityMatch& q,
                            const std::vector<TextRange>& quotes) {
  const NumberMatch& n = q.number;
  if (n.problem != NumberProblem::kNone ||
      (q.upper.has_value() && q.upper->problem != NumberProblem::kNone)) {
    return FigureVerdict::kUnreadable;
  }
  if (q.unit == nullptr) return FigureVerdict::kNoUnit;
  if (q.unit->kind == UnitKind::kNotFigure)
    return FigureVerdict::kNotFigureUnit;
  const char32_t prev = n.begin > 0 ? line[n.begin - 1] : U'\0';
  if (prev == U'第' || prev == U'前') return FigureVerdict::kOrdinal;
  if (IsLatinLetter(prev) || prev == U'.' || prev == U'#' ||
      (n.end < line.size() && IsLatinLetter(line[n.end]) &&
       q.unit_begin != n.end)) {
    return FigureVerdict::kCode;
  }
  if (InQuote(n.begin, quotes)) return FigureVerdict::kQuotedName;
  if (n.chinese && n.value < 10000 &&
      (q.unit->kind == UnitKind::kCount || n.value < 10)) {
    return FigureVerdict::kSmallChineseCount;
  }
  if (QualifiesName(line, q)) return FigureVerdict::kNameQualifier;
  return FigureVerdict::kFigure;
}

const char* VerdictName(FigureVerdict verdict) {
  switch (verdict) {
    case FigureVerdict::kFigure:
      return "figure";
    case FigureVerdict::kUnreadable:
      return "unreadable";
    case FigureVerdict::kNoUnit:
      return "no_unit";
    case FigureVerdict::kNotFigureUnit:
      return "not_figure_unit";
    case FigureVerdict::kOrdinal:
      return "ordinal";
    case FigureVerdict::kCode:
      return "code";
    case FigureVerdict::kQuotedName:
      return "quoted_name";
    case FigureVerdict::kSmallChineseCount:
      return "small_chinese_count";
    case FigureVerdict::kNameQualifier:
      return "name_qualifier";
  }
  return "figure";
}

}  // namespace govreport::parser
