// Output for people (aligned tables) and for scripts (JSON), shared by every
// subcommand of the govreport CLI.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace govreport::cli {

// The --format values every subcommand accepts.
enum class OutputFormat { kTable, kJson, kJsonl };

// Parses a --format value; INVALID_ARGUMENT lists the accepted ones.
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text,
                                               bool allow_jsonl);

// A table with a header row, printed with columns aligned by display width
// (CJK characters take two columns in a terminal).
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  // Adds a row; missing cells print empty, extra cells are kept.
  void AddRow(std::vector<std::string> row);
  // Prints the header, a rule and the rows, two spaces between columns.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Terminal display width of UTF-8 text: 2 for East Asian wide characters,
// 1 for others.
int DisplayWidth(absl::string_view utf8);

// Proto3 JSON of a message (field names in lowerCamelCase, enums by name),
// pretty-printed when `multiline`.
std::string ToJson(const google::protobuf::Message& message, bool multiline);

}  // namespace govreport::cli
