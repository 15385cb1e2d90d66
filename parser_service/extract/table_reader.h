// Stage 4, tables: the figures of indicator tables.
//
// The layout stage keeps every row of an indicator table on one line
// (LineKind::kTableRow; cells separated by tabs or runs of spaces, see
// grammar/table_grammar.h); the first row of a run of them is the header.
// Every value cell that holds a number gives one figure:
//   * subject: the indicator cell without its list number, footnote marks
//     ([2], *, ①) and a unit in parentheses. A trailing 增长/增速 makes the
//     figure a growth rate (action 增长, as the prose reader emits 增长5.1%);
//     降低/下降 in the name negates the value (能耗降低 3.2 -> -3.2);
//   * unit: the cell's own (5.1%), else the unit column's (万人 -> 人 x10000,
//     万吨 -> 吨), else one in parentheses after the indicator or in the
//     column header; growth rates without one are in %. A number without any
//     unit gives nothing;
//   * bound: from the cell (5左右, 7以上, 5.5以内, 不低于90, ≥90, 3-4);
//   * year and kind: from the column header. A year without a kind is
//     achieved before the report year and a target from it on; a kind
//     without a year is a target of the report year or achieved the year
//     before;
//   * growth_percent: from a growth column (增长(%)) after the value column;
//     a growth cell beside no level is a growth rate of its own.
// Cells without a number (持平, 完成省下达任务, —) give nothing, nor do rows
// with more cells than their header. A number that cannot be read gives an
// UNREADABLE_NUMBER warning, as in prose.
//
// Spans: `quantity` is the value in its cell; `raw` runs from the indicator
// cell to the value cell, so that it holds the figure with its subject
// (report/ quotes a span across cells as the input's own text).
//
// Thread safety: stateless; safe to call concurrently.
#pragma once

#include "parser_service/extract/observation_extractor.h"
#include "parser_service/layout/layout.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {

// Reads the figures of the tables of `report`, in text order.
Extraction ExtractTableFigures(const LayoutResult& layout,
                               const ReportInfo& report);

// Replaces what the prose reader found on the table rows of `report` (it reads
// a row as a sentence) with the figures of ExtractTableFigures: figures and
// warnings on table rows are dropped, the table's figures inserted in text
// order.
void AddTableFigures(const LayoutResult& layout, const ReportInfo& report,
                     Extraction* extraction);

}  // namespace govreport::parser
