// The shape of an indicator table: how a row splits into cells, and what the
// cells of a header row say about their columns.
//
// Work reports often close a review with a table of indicators:
//
//   指标            单位   2024年完成   2025年目标
//   地区生产总值增长  %      5.1         5左右
//
// The normalizer writes a tab between the cells of an HTML row (td/th) and
// keeps the tabs of plain text; plain-text tables may also separate cells by
// runs of two or more spaces (full-width spaces fold to spaces). A header row
// names the indicator column (指标, 项目, 名称; or the first column), the unit
// column (单位), and for each value column its year and kind (2024年完成,
// 2023年实际, 2025年目标, 2024年预期, 预计完成) or a growth rate (增长(%),
// 增速).
//
// Thread safety: pure functions; safe to call concurrently.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govreport::parser {

// One cell of a row: [begin, end) relative to the row, whitespace trimmed
// (begin == end for an empty cell).
struct CellSpan {
  size_t begin = 0;
  size_t end = 0;
};

// Splits a row into its cells. Every tab ends a cell (two tabs in a row leave
// an empty cell between them, so HTML columns stay aligned); a run of two or
// more spaces without a tab ends one too. Single spaces belong to the cell
// ("PM2.5 浓度"), and leading spaces are indentation. A line without a
// separator is one cell.
std::vector<CellSpan> SplitCells(std::u32string_view row);

// What a column of an indicator table holds.
enum class ColumnRole {
  kOther,      // a remark, an attribute (约束性), anything unread
  kIndex,      // 序号
  kIndicator,  // the indicator's name
  kUnit,       // 单位
  kValue,      // values of one year and kind
  kGrowth,     // growth rates (增长(%)) of the value column before it
};

// Achieved (完成, 实际, 实现) or target (目标, 预期, 计划); kUnknown when the
// header names only a year (the reader compares it with the report year).
enum class ColumnKind { kUnknown, kAchieved, kTarget };

struct TableColumn {
  ColumnRole role = ColumnRole::kOther;
  int year = 0;  // 0 when the header names none
  ColumnKind kind = ColumnKind::kUnknown;
  bool estimated = false;  // 预计完成
  // kValue: the values are growth rates (2025年增长目标(%)).
  bool growth = false;
  // kGrowth: index of the value column it belongs to, or -1.
  int value_column = -1;
  // A unit named in the header, as written: "亿元" of "2024年(亿元)".
  std::u32string unit;
};

// Reads one header cell (exposed for tests).
TableColumn ReadColumnHeader(std::u32string_view cell);

// Reads a header row: one column per cell of SplitCells(row). Returns nullopt
// unless the row has two or more cells, at least one value column (a year or
// a kind word; a growth column counts when an indicator or unit column is
// named), an indicator column (named, or else the first column before the
// values) and no cell that reads as data (a number other than a year, or a
// unit such as "%" or "万人").
std::optional<std::vector<TableColumn>> ReadTableHeader(
    std::u32string_view row);

// A unit as written in a unit column or a header ("万人", "亿元", "%").
struct UnitSpec {
  std::u32string base;          // the base unit: 人, 元, %, 吨 ...
  double factor = 1;            // 10000 for 万人
  int multiplier_exponent = 0;  // 4 for 万人
};

// Reads a unit with its 万/亿 multiplier through the quantity grammar; a
// per-part after a slash is read over (元/人 is 元). With `allow_unknown`, a
// short unit missing from the unit table keeps its written form as the base
// (万辆 -> 辆, x10000): a unit column says it is a unit. Returns nullopt for
// empty text, for a bare multiplier and for text that is not a unit.
std::optional<UnitSpec> ReadUnitText(std::u32string_view text,
                                     bool allow_unknown = false);

}  // namespace govreport::parser
