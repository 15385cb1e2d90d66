#include "query_service/engine/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace govreport::query {
namespace {

bool IsDivisionCode(absl::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status Malformed(absl::string_view field, absl::string_view name,
                       absl::string_view format) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required, format ", format));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": \"", name, "\" is not a valid name; expected ", format));
}

}  // namespace

absl::StatusOr<std::string> ParseRegionName(absl::string_view name,
                                            absl::string_view field) {
  constexpr absl::string_view kFormat = "regions/{division_code}";
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "regions" || !IsDivisionCode(parts[1])) {
    return Malformed(field, name, kFormat);
  }
  return std::string(parts[1]);
}

absl::StatusOr<ReportName> ParseReportName(absl::string_view name,
                                           absl::string_view field) {
  constexpr absl::string_view kFormat =
      "regions/{division_code}/reports/{year}";
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  ReportName parsed;
  if (parts.size() != 4 || parts[0] != "regions" || !IsDivisionCode(parts[1]) ||
      parts[2] != "reports" || !absl::SimpleAtoi(parts[3], &parsed.year) ||
      parsed.year < 1900 || parsed.year > 2200) {
    return Malformed(field, name, kFormat);
  }
  parsed.region_code = std::string(parts[1]);
  return parsed;
}

absl::StatusOr<std::string> ParseIndicatorName(absl::string_view name,
                                               absl::string_view field) {
  constexpr absl::string_view kFormat = "indicators/{indicator}";
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "indicators" || parts[1].empty()) {
    return Malformed(field, name, kFormat);
  }
  return std::string(parts[1]);
}

std::string RegionName(absl::string_view code) {
  return absl::StrCat("regions/", code);
}

std::string ReportResourceName(absl::string_view code, int32_t year) {
  return absl::StrCat("regions/", code, "/reports/", year);
}

std::string IndicatorName(absl::string_view slug) {
  return absl::StrCat("indicators/", slug);
}

}  // namespace govreport::query
