#include "cli/output.h"

#include <algorithm>
#include <cstdint>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"

namespace govreport::cli {

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view text,
                                               bool allow_jsonl) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "json") return OutputFormat::kJson;
  if (allow_jsonl && text == "jsonl") return OutputFormat::kJsonl;
  return absl::InvalidArgumentError(absl::StrCat("--format=", text,
                                                 " is not one of table, json",
                                                 allow_jsonl ? ", jsonl" : ""));
}

Table::Table(std::vector<std::string> header) {
  rows_.push_back(std::move(header));
}

void Table::AddRow(std::vector<std::string> row) {
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out) const {
  std::vector<int> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) {
        line.append(widths[i] - DisplayWidth(cell) + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(rows_.front());
  std::string rule;
  for (size_t i = 0; i < widths.size(); ++i) {
    rule.append(widths[i], '-');
    if (i + 1 < widths.size()) rule += "  ";
  }
  out << rule << "\n";
  for (size_t r = 1; r < rows_.size(); ++r) print_row(rows_[r]);
}

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<uint8_t>(utf8[i]);
    uint32_t cp = lead;
    size_t len = 1;
    if (lead >= 0xF0) {
      len = 4;
      cp = lead & 0x07;
    } else if (lead >= 0xE0) {
      len = 3;
      cp = lead & 0x0F;
    } else if (lead >= 0xC0) {
      len = 2;
      cp = lead & 0x1F;
    }
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<uint8_t>(utf8[i + k]) & 0x3F);
    }
    i += len;
    // East Asian Wide and Fullwidth blocks (Hangul, CJK, kana, full-width
    // forms, CJK punctuation); enough for the text we print.
    const bool wide =
        (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

std::string ToJson(const google::protobuf::Message& message, bool multiline) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = multiline;
  options.preserve_proto_field_names = false;
  std::string json;
  // Only fails for messages with unresolvable Any fields; we have none.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace govreport::cli
