#include "parser_service/grammar/table_grammar.h"

#include <algorithm>
#include <utility>

#include "parser_service/grammar/char_class.h"
#include "parser_service/grammar/quantity_grammar.h"

namespace govreport::parser {
namespace {

using View = std::u32string_view;

// Longer than this, a cell is prose or a caption, not a column header.
constexpr size_t kMaxHeaderCell = 20;
// What a value header may say besides its year: 预计完成, 增长目标, 目标值.
constexpr size_t kMaxValueWords = 6;
// A unit missing from the unit table is at most this long (万标准箱).
constexpr size_t kMaxUnknownUnit = 6;

bool Contains(View s, View part) { return s.find(part) != View::npos; }

bool ContainsAny(View s, std::initializer_list<View> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](View p) { return Contains(s, p); });
}

bool IsAnyOf(View s, std::initializer_list<View> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](View w) { return s == w; });
}

// Removes every occurrence of `word` from `s`; true when there was one.
bool Erase(std::u32string* s, View word) {
  bool found = false;
  for (size_t at = s->find(word); at != std::u32string::npos;
       at = s->find(word, at)) {
    s->erase(at, word.size());
    found = true;
  }
  return found;
}

// The first four-digit year (1990-2100) standing alone, with the 年 or 年度
// after it, removed from `s`; 0 when there is none.
int TakeYear(std::u32string* s) {
  for (size_t i = 0; i + 4 <= s->size(); ++i) {
    if (i > 0 && IsAsciiDigit((*s)[i - 1])) continue;
    if (i + 4 < s->size() && IsAsciiDigit((*s)[i + 4])) continue;
    int year = 0;
    bool digits = true;
    for (size_t k = i; k < i + 4; ++k) {
      digits &= IsAsciiDigit((*s)[k]);
      year = year * 10 + static_cast<int>((*s)[k] - U'0');
    }
    if (!digits || year < 1990 || year > 2100) continue;
    size_t end = i + 4;
    if (end < s->size() && (*s)[end] == U'年') ++end;
    if (end < s->size() && (*s)[end] == U'度') ++end;
    s->erase(i, end - i);
    return year;
  }
  return 0;
}

// A header cell read, with whether it looks like data instead.
struct HeaderCell {
  TableColumn column;
  bool data = false;   // a number or a unit: the row is not a header
  bool named = false;  // 指标 / 单位 written out
};

// Splits "增长(%)" into the words and the parenthesized parts; a part that
// reads as a unit is the column's unit, other parts ((预计)) join the words.
std::u32string SplitParentheses(View cell, std::u32string* unit) {
  std::u32string words;
  for (size_t i = 0; i < cell.size(); ++i) {
    const char32_t c = cell[i];
    if (c == U' ') continue;
    if (c == U'(' || c == U'[' || c == U'【') {
      const char32_t close = c == U'(' ? U')' : c == U'[' ? U']' : U'】';
      const size_t end = cell.find(close, i + 1);
      if (end != View::npos) {
        const View inside = cell.substr(i + 1, end - i - 1);
        if (unit->empty() && ReadUnitText(inside).has_value()) {
          *unit = std::u32string(inside);
        } else if (c == U'(') {
          words.append(inside);
        }  // [1]: a footnote marker
        i = end;
        continue;
      }
    }
    words.push_back(c);
  }
  // "增长%": a unit written after the words.
  if (!words.empty() && words.back() == U'%' && unit->empty()) {
    words.pop_back();
    unit->assign(1, U'%');
  }
  return words;
}

// The columns a header names by a word: 序号, 单位, 指标 (and its synonyms).
// Returns false when `words` is none of them.
bool ReadNamedColumn(View words, HeaderCell* out) {
  ColumnRole& role = out->column.role;
  if (IsAnyOf(words, {U"序号", U"编号", U"序"})) {
    role = ColumnRole::kIndex;
  } else if (IsAnyOf(words, {U"单位", U"计量单位"})) {
    role = ColumnRole::kUnit;
  } else if (ContainsAny(words, {U"指标", U"名称"}) ||
             IsAnyOf(words, {U"项目", U"内容", U"类别"})) {
    role = ColumnRole::kIndicator;
  } else {
    return false;
  }
  out->named = role != ColumnRole::kIndex;
  return true;
}

// A value column (its year, kind and whether it holds growth rates) or a
// growth column, from the words left after the year.
void ReadValueColumn(std::u32string words, TableColumn* col) {
  if (words.size() > kMaxValueWords) return;  // a caption, not a column
  col->estimated = Erase(&words, U"预计");
  bool achieved = false, target = false, growth = false;
  for (View w : {View(U"完成"), View(U"实际"), View(U"实现"), View(U"实绩"),
                 View(U"执行")}) {
    achieved |= Erase(&words, w);
  }
  for (View w : {View(U"目标"), View(U"预期"), View(U"计划")}) {
    target |= Erase(&words, w);
  }
  for (View w : {View(U"比上年"), View(U"同比"), View(U"增长"), View(U"增速"),
                 View(U"±")}) {
    growth |= Erase(&words, w);
  }
  // What is left must be filler (值, 数, 情况, 全年), not other words.
  if (words.size() > 2) return;
  if (achieved != target) {
    col->kind = achieved ? ColumnKind::kAchieved : ColumnKind::kTarget;
  }
  if (col->year != 0 || achieved || target || col->estimated) {
    col->role = ColumnRole::kValue;
    col->growth = growth;
  } else if (growth) {
    col->role = ColumnRole::kGrowth;
  }
}

HeaderCell ReadHeaderCell(View cell) {
  HeaderCell out;
  if (cell.empty()) return out;
  if (cell.size() > kMaxHeaderCell || ReadUnitText(cell).has_value()) {
    out.data = cell.size() <= kMaxHeaderCell;
    return out;
  }
  TableColumn& col = out.column;
  std::u32string words = SplitParentheses(cell, &col.unit);
  col.year = TakeYear(&words);
  if (std::any_of(words.begin(), words.end(), IsAsciiDigit)) {
    out.data = true;
    return out;
  }
  if (col.year == 0 && ReadNamedColumn(words, &out)) return out;
  ReadValueColumn(std::move(words), &col);
  return out;
}

// The column of the indicator names when no header cell names it: the first
// unread column before every value.
int GuessIndicatorColumn(const std::vector<TableColumn>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    const ColumnRole role = columns[i].role;
    if (role == ColumnRole::kValue || role == ColumnRole::kGrowth) return -1;
    if (role == ColumnRole::kOther) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::vector<CellSpan> SplitCells(std::u32string_view row) {
  std::vector<CellSpan> cells;
  size_t begin = 0;
  size_t i = 0;
  while (i < row.size()) {
    if (!IsSpace(row[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    int tabs = 0;
    while (j < row.size() && IsSpace(row[j])) tabs += row[j++] == U'\t';
    const bool leading = i == 0;
    int boundaries = tabs > 0 ? tabs : (j - i >= 2 && !leading ? 1 : 0);
    if (boundaries > 0 && !leading) {
      cells.push_back({begin, i});
      --boundaries;
    }
    for (; boundaries > 0; --boundaries) cells.push_back({j, j});
    if (leading || tabs > 0 || j - i >= 2) begin = j;
    i = j;
  }
  if (begin < row.size() || cells.empty()) cells.push_back({begin, row.size()});
  // Trim single spaces at the edges of a cell.
  for (CellSpan& c : cells) {
    while (c.begin < c.end && IsSpace(row[c.begin])) ++c.begin;
    while (c.end > c.begin && IsSpace(row[c.end - 1])) --c.end;
  }
  return cells;
}

TableColumn ReadColumnHeader(std::u32string_view cell) {
  return ReadHeaderCell(cell).column;
}

std::optional<std::vector<TableColumn>> ReadTableHeader(
    std::u32string_view row) {
  const std::vector<CellSpan> cells = SplitCells(row);
  if (cells.size() < 2) return std::nullopt;
  std::vector<TableColumn> columns;
  bool named = false, value = false, growth = false;
  int indicator = -1;
  for (const CellSpan& span : cells) {
    HeaderCell cell =
        ReadHeaderCell(row.substr(span.begin, span.end - span.begin));
    if (cell.data) return std::nullopt;
    named |= cell.named;
    value |= cell.column.role == ColumnRole::kValue;
    growth |= cell.column.role == ColumnRole::kGrowth;
    if (cell.column.role == ColumnRole::kIndicator) {
      if (indicator >= 0) cell.column.role = ColumnRole::kOther;
      if (indicator < 0) indicator = static_cast<int>(columns.size());
    }
    columns.push_back(std::move(cell.column));
  }
  if (!value && !(growth && named)) return std::nullopt;
  if (indicator < 0) indicator = GuessIndicatorColumn(columns);
  if (indicator < 0) return std::nullopt;
  columns[indicator].role = ColumnRole::kIndicator;
  int last_value = -1;
  for (size_t i = 0; i < columns.size(); ++i) {
    TableColumn& col = columns[i];
    if (col.role == ColumnRole::kValue) last_value = static_cast<int>(i);
    if (col.role != ColumnRole::kGrowth || last_value < 0) continue;
    const TableColumn& level = columns[last_value];
    col.value_column = last_value;
    if (col.year == 0) col.year = level.year;
    if (col.kind == ColumnKind::kUnknown) col.kind = level.kind;
    col.estimated |= level.estimated;
  }
  return columns;
}

std::optional<UnitSpec> ReadUnitText(std::u32string_view text,
                                     bool allow_unknown) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  // "1" + the unit is a quantity of one unit: the grammar reads the
  // multiplier and the unit, and its value is the factor.
  std::u32string probe = U"1";
  probe.append(text);
  const std::optional<QuantityMatch> q = ReadQuantity(probe, 0);
  // The number must be the "1" (and a multiplier), with nothing that makes
  // the text a number or a comparator of its own ("5", ".5", "以上", "-2").
  if (!q.has_value() || q->number.problem != NumberProblem::kNone ||
      q->number.integer_digits != 1 || q->number.has_decimal_point ||
      q->bound != Bound::kExact || q->upper.has_value()) {
    return std::nullopt;
  }
  UnitSpec spec;
  spec.multiplier_exponent = q->number.multiplier_exponent;
  if (q->unit != nullptr && q->unit->kind != UnitKind::kNotFigure) {
    const View rest = View(probe).substr(q->unit_end);
    if (rest.empty() || rest.front() == U'/') {
      spec.base = std::u32string(q->unit->base);
      spec.factor = q->value;
      return spec;
    }
  }
  if (!allow_unknown) return std::nullopt;
  const View written = View(probe).substr(q->number.end);
  if (written.empty() || written.size() > kMaxUnknownUnit ||
      std::any_of(written.begin(), written.end(), IsAsciiDigit)) {
    return std::nullopt;
  }
  spec.base = std::u32string(written);
  spec.factor = q->number.value;
  return spec;
}

}  // namespace govreport::parser
