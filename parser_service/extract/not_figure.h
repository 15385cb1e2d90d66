// Rules that tell a figure from a number that is not one (EXTRACTION.md
// §5–8): sessions, dates, ages, voltages and grades (by their unit), ordinals
// (第二), codes (S312, PM2.5, 5A), slogans and names in quotation marks
// (“345”, “富民33条”), small Chinese-numeral counts (两个, 十类, 八方面), and
// amounts that qualify a name (百万吨乙烯项目, 10亿元以上项目).
//
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "parser_service/grammar/quantity_grammar.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {

enum class FigureVerdict {
  kFigure,
  kUnreadable,         // 1e400, 500 digits: a warning, never a value
  kNoUnit,             // a bare number
  kNotFigureUnit,      // 年, 月, 日, 岁, 届, 级, 千伏 ...
  kOrdinal,            // 第二, 第一位
  kCode,               // S312, PM2.5, G5
  kQuotedName,         // inside “…” or 《…》
  kSmallChineseCount,  // 两个, 十类, 三所 written in Chinese numerals
  kNameQualifier,  // 百万吨乙烯项目, 10亿元以上项目, 投资5亿元的项目
  kShareOfPlan,  // 完成年度目标的103%
  kListTitle,    // 办好12件民生实事
};

// Short quotations of `line` (content of at most 20 characters): names,
// slogans and titles. Ranges are relative to `line`, quotes excluded.
std::vector<TextRange> ShortQuotes(std::u32string_view line);

// Judges the quantity `q` read from `line` (positions relative to `line`).
FigureVerdict JudgeQuantity(std::u32string_view line, const QuantityMatch& q,
                            const std::vector<TextRange>& quotes);

// True when `q` counts days (its unit is 天) and its clause names a count of
// days (空气质量优良天数265天); 天 is otherwise not a figure's unit.
bool CountsDays(std::u32string_view line, const QuantityMatch& q);

// Lower-case name of a verdict, for tests and debug logs.
const char* VerdictName(FigureVerdict verdict);

}  // namespace govreport::parser
