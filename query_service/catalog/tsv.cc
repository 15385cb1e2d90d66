#include "query_service/catalog/tsv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace govreport::query::internal {

absl::StatusOr<std::vector<TsvRow>> ParseTsv(
    absl::string_view text, const std::vector<absl::string_view>& columns) {
  std::vector<TsvRow> rows;
  bool seen_header = false;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    if (absl::StartsWith(line, "#") ||
        absl::StripAsciiWhitespace(line).empty()) {
      continue;
    }
    TsvRow row{line_number, absl::StrSplit(line, '\t')};
    if (!seen_header) {
      if (row.cells != columns) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line_number, ": expected the header \"",
                         absl::StrJoin(columns, "\\t"), "\""));
      }
      seen_header = true;
      continue;
    }
    if (row.cells.size() != columns.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": expected ", columns.size(),
                       " tab-separated columns, found ", row.cells.size()));
    }
    rows.push_back(std::move(row));
  }
  if (!seen_header) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no header line (\"", absl::StrJoin(columns, "\\t"), "\")"));
  }
  return rows;
}

absl::Status CellError(const TsvRow& row, int column,
                       const std::vector<absl::string_view>& columns,
                       absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("line ", row.line, ", column ",
                                                 column + 1, " (",
                                                 columns[column], "): ", what));
}

std::vector<std::string> SplitList(absl::string_view cell) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(cell, '|')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::string message =
        absl::StrCat("cannot open ", path, ": ", std::strerror(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    return absl::FailedPreconditionError(message);
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  return contents.str();
}

}  // namespace govreport::query::internal
