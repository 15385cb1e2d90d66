// Reads one number at a position of UTF-32 text: Arabic numerals with
// decimals and thousands separators, Chinese numerals (一万, 两千五百, 十),
// and mixes with a 万/亿/千万/百万/千 multiplier (1.8万, 41.82亿, 3千万).
//
// Values are computed from the decimal digits (mantissa x 10^exponent), so
// 1.8万 is exactly 18000. Numbers that cannot be represented sensibly (more
// than 18 significant digits, scientific notation such as 1e400, values above
// kMaxSaneValue) come back with `problem` set instead of a value; callers turn
// them into warnings.
//
// Thread safety: pure functions over immutable tables.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace govreport::parser {

// Largest magnitude a figure in a work report may have (a quadrillion yuan is
// already ten times China's GDP).
inline constexpr double kMaxSaneValue = 1e16;

// Why a number has no usable value.
enum class NumberProblem {
  kNone,
  kTooManyDigits,  // more than 18 significant digits
  kScientific,     // 1e400 style exponent
  kOutOfRange,     // above kMaxSaneValue after the multiplier
};

// One number as read from the text.
struct NumberMatch {
  size_t begin = 0;  // index of the first character
  size_t end = 0;    // one past the last character (multiplier included)
  double value = 0;  // multiplier applied; 0 when problem != kNone
  // Power of ten of the 万/亿 multiplier written after Arabic digits, or of
  // the largest 万/亿 unit of a Chinese numeral (SDMX UNIT_MULT): 亿 -> 8.
  int multiplier_exponent = 0;
  bool chinese = false;  // written only with Chinese numerals
  bool has_decimal_point = false;
  int integer_digits = 0;  // Arabic digits before the decimal point
  NumberProblem problem = NumberProblem::kNone;
};

// True for characters that may start a number: 0-9 and the Chinese digits
// 〇一二两三四五六七八九 and 十百千 (not 万/亿/零, which never open a figure).
bool CanStartNumber(char32_t c);

// Reads the number starting at text[pos]. Returns nullopt when no number
// starts there. Never reads outside `text`.
std::optional<NumberMatch> ReadNumber(std::u32string_view text, size_t pos);

}  // namespace govreport::parser
