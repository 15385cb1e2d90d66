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

// Start of the clause that holds position `pos`.
size_t ClauseStart(std::u32string_view line, size_t pos) {
  while (pos > 0 && !IsClauseBreak(line[pos - 1])) --pos;
  return pos;
}

// A count in Chinese numerals is a figure when a counting verb governs it:
// right before it with the counted thing after (培育两个百亿级产业集群), or
// earlier in the clause with the count closing it (培育“专精特新”企业两家).
// Most such counts are slogans and names instead (两个确保, 两项试点现场会,
// 两家平台公司各增加1家), which have no such verb.
bool CountedByVerb(std::u32string_view line, const QuantityMatch& q) {
  const NumberMatch& n = q.number;
  // 一批, 一个 after a verb are idiom (建设一批民宿), not a count of one.
  if (q.unit->kind != UnitKind::kCount || n.value < 2 || n.value >= 100) {
    return false;
  }
  if (CountingVerbs().MatchEndingAt(line, n.begin) > 0) {
    return q.end < line.size() && IsHan(line[q.end]) && line[q.end] != U'大';
  }
  const bool closes_clause = q.end >= line.size() ||
                             IsClauseBreak(line[q.end]) || line[q.end] == U'、';
  if (!closes_clause || n.begin == 0) return false;
  const char32_t prev = line[n.begin - 1];  // the counted thing ends here
  if (!IsHan(prev) && !IsCloseQuote(prev)) return false;
  for (size_t k = n.begin; k-- > ClauseStart(line, n.begin);) {
    if (CountingVerbs().MatchAt(line, k) > 0) return true;
  }
  return false;
}

// 完成年度目标的103%: how much of a plan was done, not an indicator.
bool IsShareOfPlan(std::u32string_view line, const QuantityMatch& q) {
  if (q.unit->kind != UnitKind::kPercent || q.number.begin < 3) return false;
  const std::u32string_view before = line.substr(0, q.number.begin);
  for (std::u32string_view tail : {U"目标的", U"计划的", U"任务的"}) {
    if (before.size() >= tail.size() &&
        before.substr(before.size() - tail.size()) == tail) {
      return true;
    }
  }
  return false;
}

// 办好12件民生实事: the count in the title of a list of projects, which
// the list itself then spells out.
bool CountsAListTitle(std::u32string_view line, const QuantityMatch& q) {
  if (q.unit->kind != UnitKind::kCount) return false;
  const std::u32string_view rest = line.substr(q.end);
  for (std::u32string_view title :
       {U"民生实事", U"重点民生实事", U"惠民实事", U"民生工程", U"实事"}) {
    if (rest.substr(0, title.size()) == title) return true;
  }
  return false;
}

}  // namespace

bool CountsDays(std::u32string_view line, const QuantityMatch& q) {
  if (q.unit == nullptr || q.unit->text != U"天") return false;
  const size_t start = ClauseStart(line, q.number.begin);
  return line.substr(start, q.number.begin - start).find(U"天数") !=
         std::u32string_view::npos;
}

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
  // 一千五百人次, 三十二万只 are written-out figures; slogans and names count
  // small (两个确保, 十大工程, 千家万户).
  const bool written_out = n.value >= 100 && n.end - n.begin >= 3;
  if (n.chinese && n.value < 10000 && !written_out &&
      (q.unit->kind == UnitKind::kCount || n.value < 10) &&
      !CountedByVerb(line, q)) {
    return FigureVerdict::kSmallChineseCount;
  }
  if (IsShareOfPlan(line, q)) return FigureVerdict::kShareOfPlan;
  if (CountsAListTitle(line, q)) return FigureVerdict::kListTitle;
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
    case FigureVerdict::kShareOfPlan:
      return "share_of_plan";
    case FigureVerdict::kListTitle:
      return "list_title";
  }
  return "figure";
}

}  // namespace govreport::parser
