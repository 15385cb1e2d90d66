// The flat indicator rows of ../shared/eval/FORMAT.md: one JSON object per
// line, one line per observation of every report, ready for a spreadsheet,
// pandas or score.py.
//
// Fields: region, year, kind ("target"/"achieved"), subject, action (null
// when none), value, upper (null unless a range), unit, bound ("exact",
// "at_least", "at_most", "approx", "more_than", "range"; a strict "less than"
// is written "at_most"), growth_pct (null when none), raw (the figure as it
// appears in the input), plus extras: value_type, estimated, section,
// measure, start, end (code point offsets).
//
// Never writes Infinity or NaN (such numbers become null). Thread-safe.
#pragma once

#include <string>

#include "govreport/v1/parser_service.pb.h"

namespace govreport::parser {

// All rows of `response`, each terminated by '\n'.
std::string ToFlatRowsJsonl(
    const govreport::v1::ParseDocumentResponse& response);

// One row (no trailing newline).
std::string ToFlatRow(const govreport::v1::Report& report,
                      const govreport::v1::Observation& observation);

}  // namespace govreport::parser
