#include "parser_service/extract/table_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parser_service/grammar/char_class.h"
#include "parser_service/grammar/table_grammar.h"
#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

using View = std::u32string_view;

// A footnote mark in brackets ([2], 【注1】) holds at most this much.
constexpr size_t kMaxFootnote = 4;

bool EndsWith(View s, View suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

bool IsFootnoteMark(char32_t c) {
  return c == U'*' || c == U'※' || (c >= 0x2460 && c <= 0x2473) ||  // ①..⑳
         c == 0xB9 || c == 0xB2 || c == 0xB3 ||                     // ¹²³
         (c >= 0x2070 && c <= 0x2079);                              // ⁰..⁹
}

// Length of `s` without its trailing footnote marks and spaces: a name read
// from <td>能耗降低<sup>[2]</sup></td> is 能耗降低.
size_t FootnoteEnd(View s) {
  size_t end = s.size();
  while (end > 0) {
    const char32_t c = s[end - 1];
    if (IsSpace(c) || IsFootnoteMark(c)) {
      --end;
      continue;
    }
    if (c == U']' || c == U'】') {
      const size_t open = s.substr(0, end).rfind(c == U']' ? U'[' : U'【');
      if (open != View::npos && open > 0 && end - open - 2 <= kMaxFootnote) {
        end = open;
        continue;
      }
    }
    break;
  }
  return end;
}

// A word at the end of an indicator's name that makes its value a change.
struct ChangeWord {
  std::u32string_view word;
  const char* action;
  bool negative;
};
constexpr ChangeWord kChangeWords[] = {
    {U"增长率", "增长", false}, {U"增长", "增长", false},
    {U"增速", "增长", false},   {U"下降率", "下降", true},
    {U"下降", "下降", true},    {U"降低率", "降低", true},
    {U"降低", "降低", true},
};

// An indicator cell read.
struct Indicator {
  std::u32string subject;
  std::string action;     // of a trailing change word; empty otherwise
  bool change = false;    // the name ends in 增长/增速/下降/降低
  bool negative = false;  // 下降/降低 in the name
  std::u32string unit;    // "亿元" of "地区生产总值(亿元)"
};

Indicator ReadIndicator(View cell) {
  Indicator ind;
  View name = cell.substr(ContentBegin(cell));
  for (int pass = 0; pass < 2; ++pass) {  // 名称(亿元)[1] or 名称[1](亿元)
    name = name.substr(0, FootnoteEnd(name));
    if (name.size() < 3 || name.back() != U')') continue;
    const size_t open = name.rfind(U'(');
    if (open == View::npos || open == 0) continue;
    const View inside = name.substr(open + 1, name.size() - open - 2);
    if (!ReadUnitText(inside).has_value()) continue;
    ind.unit = std::u32string(inside);
    name = name.substr(0, open);
  }
  ind.negative =
      name.find(U"下降") != View::npos || name.find(U"降低") != View::npos;
  for (const ChangeWord& w : kChangeWords) {
    if (name.size() > w.word.size() && EndsWith(name, w.word)) {
      name.remove_suffix(w.word.size());
      ind.action = w.action;
      ind.change = true;
      break;
    }
  }
  while (!name.empty() && (IsSpace(name.back()) || name.back() == U'、')) {
    name.remove_suffix(1);
  }
  ind.subject = std::u32string(name);
  return ind;
}

bool IsMinus(char32_t c) {
  return c == U'-' || c == U'−' || c == U'﹣' || c == U'－';
}

// A value cell read: the quantity with what the cell adds around it.
struct CellValue {
  QuantityMatch q;  // positions relative to the cell
  size_t begin = 0;
  size_t end = 0;  // the value's text in the cell, sign and comparators in
  bool negative = false;        // "-2.4", "↓4.2"
  bool arrow = false;           // ↑ / ↓: a growth rate
  std::optional<Bound> symbol;  // ≥ ≤ > < ≈
};

enum class CellRead { kNothing, kValue, kUnreadable };

std::optional<Bound> SymbolBound(char32_t c) {
  switch (c) {
    case U'≥':
      return Bound::kAtLeast;
    case U'≤':
      return Bound::kAtMost;
    case U'>':
      return Bound::kMoreThan;
    case U'<':
      return Bound::kLessThan;
    case U'≈':
    case U'~':
      return Bound::kApprox;
    default:
      return std::nullopt;
  }
}

// Reads a cell that holds a number and nothing else but comparators, a sign,
// an arrow, a unit and footnote marks (not 持平, 完成省下达任务, 2024年).
CellRead ReadValueCell(View cell, CellValue* v) {
  const View body = cell.substr(0, FootnoteEnd(cell));
  size_t p = 0;
  if (p < body.size() && (body[p] == U'↑' || body[p] == U'↓')) {
    v->arrow = true;
    v->negative = body[p++] == U'↓';
  }
  if (p < body.size() && SymbolBound(body[p]).has_value()) {
    v->symbol = SymbolBound(body[p++]);
  }
  if (p + 1 < body.size() && IsAsciiDigit(body[p + 1]) &&
      (IsMinus(body[p]) || body[p] == U'+')) {
    v->negative ^= IsMinus(body[p++]);
  }
  size_t digit = p;
  while (digit < body.size() && !IsAsciiDigit(body[digit])) ++digit;
  if (digit == body.size()) return CellRead::kNothing;
  std::optional<QuantityMatch> q = ReadQuantity(body, digit, p);
  // Words before the number other than a comparator: not a value cell.
  if (!q.has_value() || q->begin != p) return CellRead::kNothing;
  if (q->number.problem != NumberProblem::kNone) {
    v->q = *q;
    return CellRead::kUnreadable;
  }
  if (q->unit != nullptr && q->unit->kind == UnitKind::kNotFigure) {
    return CellRead::kNothing;  // 2024年, 3天内
  }
  size_t after = q->end;
  while (after < body.size() && IsSpace(body[after])) ++after;
  // A remark in parentheses may follow: 5.5(预计).
  if (after < body.size() && body[after] == U'(' && body.back() == U')') {
    after = body.size();
  }
  if (after != body.size()) return CellRead::kNothing;
  v->q = *q;
  v->begin = 0;
  while (v->begin < body.size() && IsSpace(body[v->begin])) ++v->begin;
  v->end = q->end;
  return CellRead::kValue;
}

struct Context {
  bool target = true;
  int year = 0;
};

// Kind and year of a column, completed from the report year and section.
Context ColumnContext(const TableColumn& col, const ReportInfo& report,
                      const SectionInfo* section) {
  const bool review =
      section != nullptr && section->type == SectionType::kReview;
  Context ctx;
  ctx.year = col.year;
  switch (col.kind) {
    case ColumnKind::kAchieved:
      ctx.target = false;
      break;
    case ColumnKind::kTarget:
      ctx.target = true;
      break;
    case ColumnKind::kUnknown:
      if (col.year != 0 && report.year != 0) {
        ctx.target = col.year >= report.year;
      } else {
        ctx.target = !review && !col.estimated;
      }
      break;
  }
  if (ctx.year == 0) {
    if (ctx.target) {
      ctx.year = report.year;
    } else if (review && section->year != 0) {
      ctx.year = section->year;
    } else if (report.year != 0) {
      ctx.year = report.year - 1;
    }
  }
  return ctx;
}

// The unit a value is in when its cell names none.
struct ColumnUnit {
  UnitSpec spec;
  std::u32string written;
};

std::optional<ColumnUnit> UnitOf(View written, bool allow_unknown) {
  std::optional<UnitSpec> spec = ReadUnitText(written, allow_unknown);
  if (!spec.has_value()) return std::nullopt;
  return ColumnUnit{*std::move(spec), std::u32string(written)};
}

class TableReader {
 public:
  TableReader(View text, const ReportInfo& report, Extraction* out)
      : text_(text), report_(report), out_(out) {}

  // Reads a run of table rows; the first that reads as a header starts the
  // table, and a later one replaces it (two tables one after the other).
  void ReadBlock(const CleanLine* first, const CleanLine* last) {
    std::optional<std::vector<TableColumn>> columns;
    int section = -1;
    for (const CleanLine* line = first; line != last; ++line) {
      const View row = text_.substr(line->begin, line->end - line->begin);
      if (auto header = ReadTableHeader(row); header.has_value()) {
        columns = std::move(header);
        section = IndexHolding(report_.sections, line->begin);
        continue;
      }
      if (columns.has_value()) ReadRow(*line, *columns, section);
    }
  }

 private:
  struct Row {
    uint32_t begin = 0;  // of the line in the clean text
    View text;
    std::vector<CellSpan> cells;
    Indicator indicator;
    CellSpan indicator_cell;
    View unit_cell;
    int section = -1;
  };

  View Cell(const Row& row, size_t i) const {
    const CellSpan& c = row.cells[i];
    return row.text.substr(c.begin, c.end - c.begin);
  }

  void ReadRow(const CleanLine& line, const std::vector<TableColumn>& columns,
               int section) {
    Row row;
    row.begin = line.begin;
    row.text = text_.substr(line.begin, line.end - line.begin);
    row.cells = SplitCells(row.text);
    row.section = section;
    if (row.cells.size() < 2 || row.cells.size() > columns.size()) return;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (columns[i].role == ColumnRole::kIndicator) {
        row.indicator_cell = row.cells[i];
        row.indicator = ReadIndicator(Cell(row, i));
      } else if (columns[i].role == ColumnRole::kUnit) {
        row.unit_cell = Cell(row, i);
      }
    }
    if (row.indicator.subject.empty()) return;  // a category or a blank
    std::vector<Figure> figures;
    std::vector<bool> read(row.cells.size(), false);  // growth cells
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (columns[i].role != ColumnRole::kValue) continue;
      std::optional<Figure> f = ReadFigure(row, columns, i);
      if (!f.has_value()) continue;
      AddGrowth(row, columns, i, &*f, &read);
      figures.push_back(*std::move(f));
    }
    // Growth rates beside no level are figures of their own.
    for (size_t g = 0; g < row.cells.size(); ++g) {
      if (columns[g].role != ColumnRole::kGrowth || read[g]) continue;
      if (std::optional<Figure> f = ReadFigure(row, columns, g)) {
        figures.push_back(*std::move(f));
      }
    }
    std::stable_sort(figures.begin(), figures.end(),
                     [](const Figure& a, const Figure& b) {
                       return a.quantity.begin < b.quantity.begin;
                     });
    for (Figure& f : figures) out_->figures.push_back(std::move(f));
  }

  // Sets the growth rate of the level `f` of value column `i` from the
  // growth column that belongs to it, marking that column's cell read.
  void AddGrowth(const Row& row, const std::vector<TableColumn>& columns,
                 size_t i, Figure* f, std::vector<bool>* read) {
    for (size_t g = i + 1; g < row.cells.size(); ++g) {
      if (columns[g].role != ColumnRole::kGrowth ||
          columns[g].value_column != static_cast<int>(i)) {
        continue;
      }
      std::optional<Figure> growth = ReadFigure(row, columns, g);
      if (!growth.has_value()) {
        (*read)[g] = true;  // read once: a warning, if any, is given
      } else if (growth->unit == "%" && f->value_kind == ValueKind::kLevel) {
        f->growth_percent = growth->value;
        (*read)[g] = true;
      }
      return;
    }
  }

  // The figure of the value cell `i` of `row`; nullopt when the cell holds
  // no number, when nothing names its unit, or when its number cannot be
  // read (with a warning).
  std::optional<Figure> ReadFigure(const Row& row,
                                   const std::vector<TableColumn>& columns,
                                   size_t i) {
    const TableColumn& col = columns[i];
    const std::optional<CellValue> v = ReadCell(row, i);
    if (!v.has_value()) return std::nullopt;
    Figure f;
    const std::optional<double> factor = SetUnit(row, col, *v, &f);
    if (!factor.has_value()) return std::nullopt;  // a number of nothing
    SetValue(row.indicator, col, *v, *factor, &f);
    const SectionInfo* section =
        row.section >= 0 ? &report_.sections[row.section] : nullptr;
    const Context ctx = ColumnContext(col, report_, section);
    f.target = ctx.target;
    f.year = ctx.year;
    f.estimated = col.estimated;
    SetSpans(row, i, *v, &f);
    return f;
  }

  std::optional<CellValue> ReadCell(const Row& row, size_t i) {
    CellValue v;
    switch (ReadValueCell(Cell(row, i), &v)) {
      case CellRead::kNothing:
        return std::nullopt;
      case CellRead::kUnreadable: {
        const uint32_t at = CellBegin(row, i);
        out_->warnings.push_back(
            {ExtractWarningCode::kUnreadableNumber,
             "number in a table cannot be read as a figure (too many digits, "
             "exponent or out of range)",
             {at + static_cast<uint32_t>(v.q.number.begin),
              at + static_cast<uint32_t>(v.q.number.end)}});
        return std::nullopt;
      }
      case CellRead::kValue:
        break;
    }
    return v;
  }

  // Sets the unit of `f`: the cell's own, else FallbackUnit. Returns the
  // factor that takes the cell's value to that unit, or nullopt without one.
  std::optional<double> SetUnit(const Row& row, const TableColumn& col,
                                const CellValue& v, Figure* f) const {
    if (v.q.unit != nullptr) {
      f->unit = ToUtf8(v.q.unit->base);
      f->unit_text = ToUtf8(v.q.unit->text);
      f->multiplier_exponent = v.q.number.multiplier_exponent;
      return 1.0;
    }
    const std::optional<ColumnUnit> unit = FallbackUnit(row, col);
    if (!unit.has_value()) return std::nullopt;
    f->unit = ToUtf8(unit->spec.base);
    f->unit_text = ToUtf8(unit->written);
    f->multiplier_exponent =
        v.q.number.multiplier_exponent + unit->spec.multiplier_exponent;
    return unit->spec.factor;
  }

  // The unit of a cell without one of its own: the unit column's, else one
  // in parentheses after the indicator or in the header; growth columns
  // read only the header (the unit column is the level's).
  std::optional<ColumnUnit> FallbackUnit(const Row& row,
                                         const TableColumn& col) const {
    const bool growth_column = col.role == ColumnRole::kGrowth || col.growth;
    std::optional<ColumnUnit> unit;
    if (!growth_column && !row.unit_cell.empty()) {
      unit = UnitOf(row.unit_cell, /*allow_unknown=*/true);
    }
    if (!unit.has_value() && !growth_column && !row.indicator.unit.empty()) {
      unit = UnitOf(row.indicator.unit, false);
    }
    if (!unit.has_value() && !col.unit.empty()) unit = UnitOf(col.unit, false);
    if (!unit.has_value() && (growth_column || row.indicator.change)) {
      unit = UnitOf(U"%", false);
    }
    return unit;
  }

  // Value, bound, subject, action and value kind (the unit is set).
  static void SetValue(const Indicator& ind, const TableColumn& col,
                       const CellValue& v, double factor, Figure* f) {
    const bool growth_column = col.role == ColumnRole::kGrowth || col.growth;
    // A change in % is a growth rate; in another unit (↓5 微克/立方米, 3个
    // 百分点) it is a change.
    const bool changed = growth_column || v.arrow || ind.change;
    // The name's 降低 is about the indicator's own value, not its growth.
    const bool negative =
        v.negative != (ind.negative && col.role == ColumnRole::kValue);
    const double sign = negative ? -1 : 1;
    f->value = sign * v.q.value * factor;
    f->bound = v.symbol.value_or(v.q.bound);
    if (v.q.upper.has_value()) {
      f->upper = sign * v.q.upper_value * factor;
      if (*f->upper < f->value) std::swap(*f->upper, f->value);
    }
    f->subject = ToUtf8(ind.subject);
    if (!changed) return;
    f->value_kind =
        f->unit == "%" ? ValueKind::kGrowthRate : ValueKind::kChange;
    if (v.arrow) {
      f->action = v.negative ? "下降" : "增长";
    } else {
      f->action = ind.action.empty() ? "增长" : ind.action;
    }
  }

  // The quantity is the value in its cell; raw runs from the indicator cell
  // to it.
  void SetSpans(const Row& row, size_t i, const CellValue& v, Figure* f) const {
    const uint32_t at = CellBegin(row, i);
    f->original_text = ToUtf8(Cell(row, i).substr(v.begin, v.end - v.begin));
    f->quantity = {at + static_cast<uint32_t>(v.begin),
                   at + static_cast<uint32_t>(v.end)};
    const uint32_t name_begin =
        row.begin + static_cast<uint32_t>(row.indicator_cell.begin);
    const uint32_t name_end =
        row.begin + static_cast<uint32_t>(row.indicator_cell.end);
    f->raw = {std::min(name_begin, f->quantity.begin),
              std::max(name_end, f->quantity.end)};
    f->section = IndexHolding(report_.sections, f->quantity.begin);
    f->measure = IndexHolding(report_.measures, f->quantity.begin);
  }

  static uint32_t CellBegin(const Row& row, size_t i) {
    return row.begin + static_cast<uint32_t>(row.cells[i].begin);
  }

  View text_;
  const ReportInfo& report_;
  Extraction* out_;
};

// The clean line holding `pos`, or nullptr.
const CleanLine* LineAt(const std::vector<CleanLine>& lines, uint32_t pos) {
  auto it = std::upper_bound(
      lines.begin(), lines.end(), pos,
      [](uint32_t p, const CleanLine& l) { return p < l.begin; });
  if (it == lines.begin()) return nullptr;
  --it;
  return pos <= it->end ? &*it : nullptr;
}

bool OnTableRow(const std::vector<CleanLine>& lines, uint32_t pos) {
  const CleanLine* line = LineAt(lines, pos);
  return line != nullptr && line->kind == LineKind::kTableRow;
}

}  // namespace

Extraction ExtractTableFigures(const LayoutResult& layout,
                               const ReportInfo& report) {
  Extraction out;
  TableReader reader(layout.text, report, &out);
  const std::vector<CleanLine>& lines = layout.lines;
  auto it = std::lower_bound(
      lines.begin(), lines.end(), report.range.begin,
      [](const CleanLine& l, uint32_t pos) { return l.begin < pos; });
  while (it != lines.end() && it->begin < report.range.end) {
    if (it->kind != LineKind::kTableRow) {
      ++it;
      continue;
    }
    auto last = it;
    while (last != lines.end() && last->kind == LineKind::kTableRow &&
           last->begin < report.range.end) {
      ++last;
    }
    reader.ReadBlock(&*it, &*it + (last - it));
    it = last;
  }
  return out;
}

void AddTableFigures(const LayoutResult& layout, const ReportInfo& report,
                     Extraction* extraction) {
  Extraction tables = ExtractTableFigures(layout, report);
  const std::vector<CleanLine>& lines = layout.lines;
  auto& figures = extraction->figures;
  figures.erase(std::remove_if(figures.begin(), figures.end(),
                               [&](const Figure& f) {
                                 return OnTableRow(lines, f.quantity.begin);
                               }),
                figures.end());
  auto& warnings = extraction->warnings;
  warnings.erase(std::remove_if(warnings.begin(), warnings.end(),
                                [&](const ExtractWarning& w) {
                                  return OnTableRow(lines, w.range.begin);
                                }),
                 warnings.end());
  if (!tables.figures.empty()) {
    // Prose figures keep their order; each table figure goes before the
    // first prose figure after it.
    std::vector<Figure> merged;
    merged.reserve(figures.size() + tables.figures.size());
    auto next = tables.figures.begin();
    for (Figure& f : figures) {
      while (next != tables.figures.end() &&
             next->quantity.begin < f.quantity.begin) {
        merged.push_back(std::move(*next++));
      }
      merged.push_back(std::move(f));
    }
    for (; next != tables.figures.end(); ++next) {
      merged.push_back(std::move(*next));
    }
    figures = std::move(merged);
  }
  for (ExtractWarning& w : tables.warnings) warnings.push_back(std::move(w));
}

}  // namespace govreport::parser
