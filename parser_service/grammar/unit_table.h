// The vocabulary of units and counting classifiers that may follow a number in
// a work report, and how each one is normalized.
//
// The table is data (unit_table.cc reads like a specification): the written
// form, the base unit it is scored in, and its kind. Kinds matter to the
// extractor: a counting classifier (个, 家, 所) usually has its subject after
// it, a measure unit (亩, 元) before it, and a not-a-figure unit (年, 岁, 届,
// 千伏) means the number is a date, an age, a session or a voltage.
//
// Thread safety: the table is immutable and built on first use.
#pragma once

#include <cstddef>
#include <string_view>

namespace govreport::parser {

enum class UnitKind {
  kMoney,    // 元, 美元
  kMeasure,  // 亩, 平方米, 吨, 千米 ...
  kCount,    // counting classifiers: 个, 家, 人, 人次 ...
  kPercent,  // %, ‰, 个百分点
  kNotFigure,  // 年, 月, 日, 岁, 届, 级, 千伏: the number is not an indicator
};

struct UnitInfo {
  std::u32string_view text;  // as written, e.g. U"公里"
  std::u32string_view base;  // base unit for export, e.g. U"千米"
  double factor;             // multiply the value by this to get `base`
  UnitKind kind;
};

// 天 as a count of days. The table reads 天 as not-a-figure (会期3天, 30天内
//办结); the extractor uses this one where a count of days is the subject
// (空气质量优良天数265天).
const UnitInfo& DayCountUnit();

// Longest unit written at text[pos], or nullptr. The returned pointer refers
// to a static table and stays valid for the life of the program.
const UnitInfo* MatchUnit(std::u32string_view text, size_t pos);

}  // namespace govreport::parser
