// Reads a whole quantity phrase around a number: prefix comparators
// (不低于, 超, 突破, 约), the number with its multiplier, infix 余/多, the unit
// or counting classifier, ranges (2至4家, 5%-6%, 10万至15万亩) and suffix
// comparators (以上, 以下, 以内, 左右).
//
// The result says nothing about whether the quantity is an indicator: that
// is the extractor's call (see extract/not_figure.h).
//
// Thread safety: pure functions over immutable tables.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "parser_service/grammar/number_grammar.h"
#include "parser_service/grammar/unit_table.h"

namespace govreport::parser {

// How a number is qualified. Matches the flat export's `bound`.
enum class Bound {
  kExact,
  kAtLeast,   // 以上, 不低于, 不少于
  kAtMost,    // 以内, 以下, 不超过, 控制在
  kApprox,    // 约, 左右, 余, 多, 近
  kMoreThan,  // 超, 超过, 突破, 逾
  kLessThan,  // 低于, 不足
  kRange,     // 2至4, 5%-6%
};

// A quantity phrase.
struct QuantityMatch {
  size_t begin = 0;  // first character, prefix comparator included
  size_t end = 0;    // one past the last character, suffix comparator included
  NumberMatch number;                   // the (lower) number
  std::optional<NumberMatch> upper;     // the upper end of a range
  const UnitInfo* unit = nullptr;       // nullptr when no unit follows
  size_t unit_begin = 0, unit_end = 0;  // where the unit is written
  Bound bound = Bound::kExact;
  // Length of the prefix comparator (0 if none), e.g. 2 for 突破.
  size_t prefix_length = 0;
  // Value in the base unit (multiplier and unit factor applied).
  double value = 0;
  double upper_value = 0;  // meaningful when bound == kRange
};

// Reads the quantity whose number starts at text[pos] (which must satisfy
// CanStartNumber). Looks back from `pos` for a prefix comparator but never
// before `floor`. Returns nullopt if no number starts at `pos`.
std::optional<QuantityMatch> ReadQuantity(std::u32string_view text, size_t pos,
                                          size_t floor = 0);

// Short English name of a bound for logs and tests ("at_least" ...), the
// same words the flat export uses.
const char* BoundName(Bound bound);

}  // namespace govreport::parser
