#include "parser_service/grammar/number_grammar.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "parser_service/grammar/char_class.h"
#include "parser_service/grammar/unit_table.h"

namespace govreport::parser {
namespace {

constexpr int kMaxDigits = 18;

// Value of a Chinese digit, or -1.
int ChineseDigit(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
    case U'壹':
      return 1;
    case U'二':
    case U'两':
    case U'贰':
      return 2;
    case U'三':
    case U'叁':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    default:
      return -1;
  }
}

// Power of ten of a Chinese unit character below 万, or 0.
int SmallUnit(char32_t c) {
  switch (c) {
    case U'十':
    case U'拾':
      return 1;
    case U'百':
    case U'佰':
      return 2;
    case U'千':
    case U'仟':
      return 3;
    default:
      return 0;
  }
}

double Pow10(int e) {
  static constexpr double kPow[] = {
      1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (e >= 0 && e <= 22) return kPow[e];
  return std::pow(10.0, e);
}

// mantissa x 10^exponent, exact whenever both fit a double exactly.
double Scale(uint64_t mantissa, int exponent) {
  const double m = static_cast<double>(mantissa);
  return exponent >= 0 ? m * Pow10(exponent) : m / Pow10(-exponent);
}

// Reads a multiplier after Arabic digits: 万亿, 亿, 万, 千万, 百万, 千 (unless
// 千 starts a unit such as 千米 or 千伏). Returns its power of ten, or 0.
int ReadMultiplier(std::u32string_view text, size_t* pos) {
  const size_t p = *pos;
  if (p >= text.size()) return 0;
  auto at = [&](size_t i) { return i < text.size() ? text[i] : U'\0'; };
  const char32_t c = text[p];
  if (c == U'万' && at(p + 1) == U'亿') {
    *pos = p + 2;
    return 12;
  }
  if (c == U'亿') {
    *pos = p + 1;
    return 8;
  }
  if (c == U'万') {
    *pos = p + 1;
    return 4;
  }
  if ((c == U'千' || c == U'百') && at(p + 1) == U'万') {
    *pos = p + 2;
    return c == U'千' ? 7 : 6;
  }
  if (c == U'千' && MatchUnit(text, p) == nullptr) {
    *pos = p + 1;
    return 3;
  }
  return 0;
}

// True when the comma at text[i] separates thousands: at most three digits
// before it (exactly three after an earlier comma) and exactly three after.
bool IsThousandsComma(std::u32string_view text, size_t i, int group,
                      bool first_group) {
  if (group < 1 || group > 3 || (!first_group && group != 3)) return false;
  if (i + 3 >= text.size()) return false;
  for (size_t k = i + 1; k <= i + 3; ++k) {
    if (!IsAsciiDigit(text[k])) return false;
  }
  return i + 4 >= text.size() || !IsAsciiDigit(text[i + 4]);
}

// Arabic digits, optional thousands separators and decimals, then an
// optional multiplier.
NumberMatch ReadArabic(std::u32string_view text, size_t pos) {
  NumberMatch m;
  m.begin = pos;
  uint64_t mantissa = 0;
  int significant = 0, exponent = 0;
  size_t i = pos;
  auto take_digit = [&](char32_t c, bool fractional) {
    const int d = static_cast<int>(c - U'0');
    if (significant == 0 && d == 0) {
      if (fractional) --exponent;
      return;
    }
    if (significant < kMaxDigits) {
      mantissa = mantissa * 10 + d;
      ++significant;
      if (fractional) --exponent;
    } else {
      m.problem = NumberProblem::kTooManyDigits;
      if (!fractional) ++exponent;
    }
  };
  int group = 0;
  while (i < text.size()) {
    if (IsAsciiDigit(text[i])) {
      take_digit(text[i++], false);
      ++m.integer_digits;
      ++group;
      continue;
    }
    // "1,234": a comma is a thousands separator only before exactly three
    // digits and after at most three.
    if (text[i] == U',' &&
        IsThousandsComma(text, i, group, m.integer_digits == group)) {
      group = 0;
      ++i;
      continue;
    }
    break;
  }
  if (i + 1 < text.size() && text[i] == U'.' && IsAsciiDigit(text[i + 1])) {
    m.has_decimal_point = true;
    ++i;
    while (i < text.size() && IsAsciiDigit(text[i]))
      take_digit(text[i++], true);
  }
  // 1e400: an exponent the reports never use; flag it.
  if (i + 1 < text.size() && (text[i] == U'e' || text[i] == U'E')) {
    size_t j = i + 1;
    if (j < text.size() && (text[j] == U'+' || text[j] == U'-')) ++j;
    if (j < text.size() && IsAsciiDigit(text[j])) {
      while (j < text.size() && IsAsciiDigit(text[j])) ++j;
      m.problem = NumberProblem::kScientific;
      m.end = j;
      return m;
    }
  }
  m.multiplier_exponent = ReadMultiplier(text, &i);
  m.end = i;
  if (m.problem == NumberProblem::kNone) {
    m.value = Scale(mantissa, exponent + m.multiplier_exponent);
    if (!(m.value <= kMaxSaneValue)) m.problem = NumberProblem::kOutOfRange;
  }
  if (m.problem != NumberProblem::kNone) m.value = 0;
  return m;
}

// Chinese numerals: 一万, 两千五百, 十五, 百万, 一亿二千万. Positional strings
// of digits (二〇二三) are read digit by digit.
NumberMatch ReadChinese(std::u32string_view text, size_t pos) {
  NumberMatch m;
  m.begin = pos;
  m.chinese = true;
  double total = 0, section = 0, current = 0;
  int digit = -1;
  bool positional = false;
  double positional_value = 0;
  size_t i = pos;
  for (; i < text.size(); ++i) {
    const char32_t c = text[i];
    // 零 inside a numeral only marks a skipped place (三百零五 = 305).
    if (c == U'零' && !positional) {
      if (i + 1 < text.size() && ChineseDigit(text[i + 1]) > 0) continue;
      break;
    }
    const int d = ChineseDigit(c);
    if (d >= 0) {
      if (digit >= 0 || positional) {  // 二〇二三: digit after digit
        if (!positional) positional_value = digit;
        positional = true;
        positional_value = positional_value * 10 + d;
        digit = -1;
        continue;
      }
      digit = d;
      continue;
    }
    if (positional) break;
    if (const int e = SmallUnit(c); e > 0) {
      current += (digit < 0 ? 1 : digit) * Pow10(e);
      digit = -1;
      continue;
    }
    if (c == U'万' && i > pos) {
      section = (section + current + (digit < 0 ? 0 : digit)) * 1e4;
      current = 0;
      digit = -1;
      m.multiplier_exponent = std::max(m.multiplier_exponent, 4);
      continue;
    }
    if (c == U'亿' && i > pos) {
      total = (total + section + current + (digit < 0 ? 0 : digit)) * 1e8;
      section = current = 0;
      digit = -1;
      m.multiplier_exponent = 8;
      continue;
    }
    break;
  }
  m.end = i;
  m.value = positional ? positional_value
                       : total + section + current + (digit < 0 ? 0 : digit);
  if (!(m.value <= kMaxSaneValue)) {
    m.problem = NumberProblem::kOutOfRange;
    m.value = 0;
  }
  return m;
}

}  // namespace

bool CanStartNumber(char32_t c) {
  if (IsAsciiDigit(c)) return true;
  // Every Chinese numeral lies in U+3007..U+9FFF: one bit per character,
  // computed once, because this runs on every character of the input.
  constexpr char32_t kFirst = 0x3007, kLast = 0x9FFF;
  if (c < kFirst || c > kLast) return false;
  static const std::vector<bool>* table = [] {
    auto* t = new std::vector<bool>(kLast - kFirst + 1, false);
    for (char32_t k = kFirst; k <= kLast; ++k) {
      (*t)[k - kFirst] =
          k != U'零' && (ChineseDigit(k) >= 0 || SmallUnit(k) > 0);
    }
    return t;
  }();
  return (*table)[c - kFirst];
}

std::optional<NumberMatch> ReadNumber(std::u32string_view text, size_t pos) {
  if (pos >= text.size() || !CanStartNumber(text[pos])) return std::nullopt;
  if (IsAsciiDigit(text[pos])) return ReadArabic(text, pos);
  NumberMatch m = ReadChinese(text, pos);
  if (m.end == m.begin) return std::nullopt;
  return m;
}

}  // namespace govreport::parser
