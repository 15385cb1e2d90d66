// Reading the catalog's tab-separated data files: the shared line, header and
// column checks, so that every error names the line and the column.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#include "common/logging.h"
#include "common/status_macros.h"

namespace govreport::query::internal {

// One data row: its 1-based line number in the text and its cells, which view
// into the parsed text (the caller keeps the text alive while using them).
struct TsvRow {
  int line = 0;
  std::vector<absl::string_view> cells;
};

// Splits `text` into rows. Lines starting with '#' and blank lines are
// skipped; the first other line must be the header, equal to `columns`; every
// later line must have exactly columns.size() tab-separated cells (a trailing
// '\r' is dropped). Returns INVALID_ARGUMENT naming the line otherwise, or
// when there is no header. Thread-safe (pure function).
absl::StatusOr<std::vector<TsvRow>> ParseTsv(
    absl::string_view text, const std::vector<absl::string_view>& columns);

// INVALID_ARGUMENT "line 7, column 3 (level): <what>", for callers that
// validate cells. `column` is the 0-based index into `columns`.
absl::Status CellError(const TsvRow& row, int column,
                       const std::vector<absl::string_view>& columns,
                       absl::string_view what);

// Splits a '|'-separated list cell, trimming ASCII whitespace and dropping
// empty items: "a| b||c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> SplitList(absl::string_view cell);

// Reads the whole file at `path`: NOT_FOUND if it does not exist,
// FAILED_PRECONDITION if it cannot be opened otherwise, DATA_LOSS if reading
// fails part way. The messages name the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Catalog::FromTsv of the file at `path`, with the path in error messages.
template <typename Catalog>
absl::StatusOr<Catalog> LoadCatalogFile(const std::string& path) {
  GOVREPORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<Catalog> catalog = Catalog::FromTsv(text);
  if (!catalog.ok()) {
    return absl::Status(catalog.status().code(),
                        absl::StrCat(path, ": ", catalog.status().message()));
  }
  return catalog;
}

// Catalog::FromTsv of data compiled into the binary (named `what` in the
// log). Aborts when it does not parse: that is a build defect, caught by the
// catalog tests, never an input error.
template <typename Catalog>
const Catalog* ParseBuiltinOrDie(absl::string_view tsv, const char* what) {
  absl::StatusOr<Catalog> parsed = Catalog::FromTsv(tsv);
  if (!parsed.ok()) {
    spdlog::critical("built-in {}: {}", what, parsed.status());
    std::abort();
  }
  return new Catalog(*std::move(parsed));
}

}  // namespace govreport::query::internal
