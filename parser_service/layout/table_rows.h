// Indicator tables in the normalized text, found before its lines are
// classified: which lines are rows of a table (their cells separated by tabs
// or runs of spaces, see grammar/table_grammar.h), and what becomes of the
// tabs everywhere else.
//
// A table is a header row that ReadTableHeader accepts (指标 | 单位 |
// 2024年完成 | 2025年目标) followed by rows of two or more short cells; blank
// lines may sit between rows. A header without rows is no table. Only such
// tables keep their rows whole: the cells of any other HTML table (menus,
// pages laid out with tables) become blocks of their own again, and the tabs
// of plain text spaces, which is what they were before tables were read.
//
// Thread safety: stateless functions; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace govreport::parser {

// A cell longer than this is prose: the line is not a table row.
inline constexpr size_t kMaxTableCell = 40;

// One row of a table in the normalized text: [begin, end) from its first cell
// (a leading tab, an empty first cell, included) to its last non-space
// character.
struct TableRowRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// The rows of the indicator tables of `text` (lines separated by '\n'), in
// text order, header rows included.
std::vector<TableRowRange> FindTableRows(std::u32string_view text);

// Turns every tab of `text` outside `rows` (sorted, as FindTableRows returns
// them) into a line break when `html` (each cell was a block) or a space (a
// tab of plain text). `unfolded`, when not empty, is parallel to `text` and
// changed alike. The length of the text does not change, so its offset map
// stays valid.
void ResolveStrayTabs(const std::vector<TableRowRange>& rows, bool html,
                      std::u32string* text, std::u32string* unfolded);

}  // namespace govreport::parser
