#include "parser_service/layout/table_rows.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "parser_service/grammar/char_class.h"
#include "parser_service/grammar/table_grammar.h"

namespace govreport::parser {
namespace {

// A line of the text without its leading spaces (tabs stay: they are empty
// cells) and trailing whitespace.
TableRowRange TrimLine(std::u32string_view text, uint32_t begin, uint32_t end) {
  while (begin < end && text[begin] == U' ') ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return {begin, end};
}

// A line of one cell inside a table (一、经济发展) is at most this long.
constexpr size_t kMaxCategoryLine = 20;

// True when the line is a row of a table whose header has `max_cells` cells.
bool IsRow(std::u32string_view line, size_t max_cells) {
  const std::vector<CellSpan> cells = SplitCells(line);
  if (cells.size() < 2 || cells.size() > max_cells) return false;
  return std::all_of(cells.begin(), cells.end(), [](const CellSpan& c) {
    return c.end - c.begin <= kMaxTableCell;
  });
}

}  // namespace

std::vector<TableRowRange> FindTableRows(std::u32string_view text) {
  std::vector<TableRowRange> rows;
  std::optional<TableRowRange> header;  // until its first row is seen
  // Lines of one cell (一、经济发展, a category across the table) since the
  // last row: rows if another row follows.
  std::vector<TableRowRange> categories;
  size_t max_cells = 0;
  bool in_table = false;
  const uint32_t n = static_cast<uint32_t>(text.size());
  for (uint32_t begin = 0; begin <= n;) {
    uint32_t end = begin;
    while (end < n && text[end] != U'\n') ++end;
    const TableRowRange line = TrimLine(text, begin, end);
    const std::u32string_view view =
        text.substr(line.begin, line.end - line.begin);
    begin = end + 1;
    if (view.empty()) continue;  // blank lines may separate rows
    if (in_table && IsRow(view, max_cells)) {
      // A heading between two tables is no category of the first.
      const auto next =
          categories.empty() ? std::nullopt : ReadTableHeader(view);
      if (next.has_value()) {
        categories.clear();
        header = line;
        max_cells = next->size();
        continue;
      }
      if (header.has_value()) rows.push_back(*header);
      header.reset();
      rows.insert(rows.end(), categories.begin(), categories.end());
      categories.clear();
      rows.push_back(line);
      continue;
    }
    if (in_table && view.size() <= kMaxCategoryLine &&
        SplitCells(view).size() == 1) {
      categories.push_back(line);
      continue;
    }
    in_table = false;
    header.reset();
    categories.clear();
    if (const auto columns = ReadTableHeader(view); columns.has_value()) {
      header = line;
      max_cells = columns->size();
      in_table = true;
    }
  }
  return rows;
}

void ResolveStrayTabs(const std::vector<TableRowRange>& rows, bool html,
                      std::u32string* text, std::u32string* unfolded) {
  const char32_t replacement = html ? U'\n' : U' ';
  size_t r = 0;
  for (size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] != U'\t') continue;
    while (r < rows.size() && rows[r].end <= i) ++r;
    if (r < rows.size() && rows[r].begin <= i) continue;  // inside a row
    (*text)[i] = replacement;
    if (!unfolded->empty()) (*unfolded)[i] = replacement;
  }
}

}  // namespace govreport::parser
