#include "parser_service/grammar/quantity_grammar.h"

#include "parser_service/grammar/char_class.h"

namespace govreport::parser {
namespace {

struct Comparator {
  std::u32string_view text;
  Bound bound;
};

// Written before the number. Longest first within a shared prefix.
constexpr Comparator kPrefixComparators[] = {
    {U"不低于", Bound::kAtLeast}, {U"不少于", Bound::kAtLeast},
    {U"不小于", Bound::kAtLeast}, {U"至少", Bound::kAtLeast},
    {U"不超过", Bound::kAtMost},  {U"不高于", Bound::kAtMost},
    {U"不多于", Bound::kAtMost},  {U"不大于", Bound::kAtMost},
    {U"控制在", Bound::kAtMost},  {U"最多", Bound::kAtMost},
    {U"超过", Bound::kMoreThan},  {U"突破", Bound::kMoreThan},
    {U"高于", Bound::kMoreThan},  {U"逾", Bound::kMoreThan},
    {U"超", Bound::kMoreThan},    {U"低于", Bound::kLessThan},
    {U"不足", Bound::kLessThan},  {U"大约", Bound::kApprox},
    {U"约", Bound::kApprox},      {U"近", Bound::kApprox},
};

// Written after the number and unit.
constexpr Comparator kSuffixComparators[] = {
    {U"以上", Bound::kAtLeast}, {U"及以上", Bound::kAtLeast},
    {U"以下", Bound::kAtMost},  {U"以内", Bound::kAtMost},
    {U"之内", Bound::kAtMost},  {U"左右", Bound::kApprox},
    {U"上下", Bound::kApprox},  {U"多", Bound::kApprox},
    {U"余", Bound::kApprox},
};

// Range separators between two numbers.
bool IsRangeSeparator(char32_t c) {
  return c == U'至' || c == U'到' || c == U'-' || c == U'~' || c == U'—' ||
         c == U'–' || c == U'－';
}

bool StartsWith(std::u32string_view text, size_t pos, std::u32string_view w) {
  return text.substr(pos, w.size()) == w;
}

// Reads the unit at *pos (skipping one space), storing it in `q`.
void ReadUnitInto(std::u32string_view text, size_t* pos, QuantityMatch* q) {
  size_t p = *pos;
  // "120 公里": one space may separate the number from its unit.
  if (p < text.size() && text[p] == U' ') ++p;
  const UnitInfo* unit = MatchUnit(text, p);
  if (unit == nullptr) return;
  *pos = p;
  q->unit = unit;
  q->unit_begin = *pos;
  q->unit_end = *pos + unit->text.size();
  *pos = q->unit_end;
}

// 余 / 多 between the number and the unit: 2700余个, 5万多人.
bool ReadInfixApprox(std::u32string_view text, size_t* pos) {
  if (*pos < text.size() && (text[*pos] == U'余' || text[*pos] == U'多')) {
    // 多 followed by a unit only; "多元" (diverse) is a word, not a qualifier.
    if (MatchUnit(text, *pos + 1) != nullptr &&
        !StartsWith(text, *pos, U"多元")) {
      ++*pos;
      return true;
    }
  }
  return false;
}

// 1000多万元 / 3余亿元: 多 or 余 between the digits and their multiplier.
bool ReadApproxMultiplier(std::u32string_view text, size_t* pos,
                          NumberMatch* number) {
  const size_t p = *pos;
  if (number->chinese || number->multiplier_exponent != 0 ||
      number->problem != NumberProblem::kNone || p + 1 >= text.size() ||
      (text[p] != U'多' && text[p] != U'余')) {
    return false;
  }
  int exponent = 0;
  size_t end = p + 1;
  if (text[end] == U'万' && end + 1 < text.size() && text[end + 1] == U'亿') {
    exponent = 12;
    end += 2;
  } else if (text[end] == U'亿') {
    exponent = 8;
    ++end;
  } else if (text[end] == U'万') {
    exponent = 4;
    ++end;
  } else {
    return false;
  }
  for (int i = 0; i < exponent; ++i) number->value *= 10;
  number->multiplier_exponent = exponent;
  number->end = end;
  *pos = end;
  return true;
}

// Tries to read "至4家" / "-6%" after the first number.
bool ReadRangeUpper(std::u32string_view text, size_t* pos, QuantityMatch* q) {
  size_t p = *pos;
  if (p >= text.size() || !IsRangeSeparator(text[p])) return false;
  ++p;
  std::optional<NumberMatch> upper = ReadNumber(text, p);
  if (!upper.has_value() || upper->chinese != q->number.chinese) return false;
  p = upper->end;
  QuantityMatch tail;
  ReadUnitInto(text, &p, &tail);
  if (q->unit != nullptr && tail.unit != nullptr && tail.unit != q->unit) {
    return false;  // 5亩至10吨: not one range
  }
  if (q->unit == nullptr) {
    q->unit = tail.unit;
    q->unit_begin = tail.unit_begin;
    q->unit_end = tail.unit_end;
  }
  q->upper = upper;
  *pos = p;
  return true;
}

void ReadPrefix(std::u32string_view text, size_t pos, size_t floor,
                QuantityMatch* q) {
  for (const Comparator& c : kPrefixComparators) {
    if (pos < floor + c.text.size()) continue;
    if (text.substr(pos - c.text.size(), c.text.size()) == c.text) {
      q->bound = c.bound;
      q->prefix_length = c.text.size();
      q->begin = pos - c.text.size();
      return;
    }
  }
}

void ReadSuffix(std::u32string_view text, size_t* pos, QuantityMatch* q) {
  for (const Comparator& c : kSuffixComparators) {
    if (!StartsWith(text, *pos, c.text)) continue;
    // 多/余 after the unit only mean "more than" at the end of the phrase:
    // "多元" or "余额" are words.
    if ((c.text == U"多" || c.text == U"余") && *pos + 1 < text.size() &&
        IsHan(text[*pos + 1])) {
      continue;
    }
    // The suffix is the last word: 控制在3%左右 is about 3%.
    q->bound = c.bound;
    *pos += c.text.size();
    return;
  }
}

double Normalized(const NumberMatch& n, const UnitInfo* unit) {
  return unit == nullptr ? n.value : n.value * unit->factor;
}

}  // namespace

std::optional<QuantityMatch> ReadQuantity(std::u32string_view text, size_t pos,
                                          size_t floor) {
  std::optional<NumberMatch> number = ReadNumber(text, pos);
  if (!number.has_value()) return std::nullopt;
  QuantityMatch q;
  q.begin = pos;
  q.number = *number;
  size_t p = number->end;
  ReadPrefix(text, pos, floor, &q);
  // A minus sign after a word or a separator (增长-8.6%, 投资|-6.2%): not
  // between numbers (1-2月, 6%-7% is a range) or in a code (G-207).
  if (q.prefix_length == 0 && pos > floor && !number->chinese &&
      (text[pos - 1] == U'-' || text[pos - 1] == U'−')) {
    const char32_t before = pos - 1 > floor ? text[pos - 2] : U' ';
    if (IsHan(before) || before == U'|' || before == U' ' || before == U':' ||
        before == U'(' || before == U',') {
      q.begin = pos - 1;
      q.number.value = -q.number.value;
    }
  }
  bool infix = ReadApproxMultiplier(text, &p, &q.number);
  infix |= ReadInfixApprox(text, &p);
  ReadUnitInto(text, &p, &q);
  if (!infix && ReadRangeUpper(text, &p, &q)) {
    q.bound = Bound::kRange;
    // A multiplier written only on the upper end applies to both ends.
    if (q.number.multiplier_exponent == 0 && q.upper->multiplier_exponent > 0 &&
        q.number.problem == NumberProblem::kNone && !q.number.chinese) {
      double scale = 1;
      for (int i = 0; i < q.upper->multiplier_exponent; ++i) scale *= 10;
      q.number.value *= scale;
    }
  } else if (infix) {
    q.bound = Bound::kApprox;
  }
  if (q.bound != Bound::kRange) ReadSuffix(text, &p, &q);
  q.end = p;
  q.value = Normalized(q.number, q.unit);
  if (q.upper.has_value()) q.upper_value = Normalized(*q.upper, q.unit);
  return q;
}

const char* BoundName(Bound bound) {
  switch (bound) {
    case Bound::kExact:
      return "exact";
    case Bound::kAtLeast:
      return "at_least";
    case Bound::kAtMost:
      return "at_most";
    case Bound::kApprox:
      return "approx";
    case Bound::kMoreThan:
      return "more_than";
    case Bound::kLessThan:
      return "less_than";
    case Bound::kRange:
      return "range";
  }
  return "exact";
}

}  // namespace govreport::parser
