#include "query_service/engine/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

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
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", Abbreviate(name),
                   "\" is not a valid name; expected ", format));
}

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Abbreviate(absl::string_view value) {
  constexpr size_t kMaxBytes = 64;
  if (value.size() <= kMaxBytes) return std::string(value);
  size_t cut = kMaxBytes;
  // Back to the first byte of a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(value.substr(0, cut), "...(", value.size(), " bytes)");
}

absl::Status CheckEnum(absl::string_view field, int value,
                       bool (*is_valid)(int)) {
  if (is_valid(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown value ", value));
}

absl::StatusOr<std::string> ParseRegionName(absl::string_view name,
                                            absl::string_view field) {
  constexpr absl::string_view kFormat = "regions/{division_code}";
  // Parsed in place (no split into a vector): names are parsed per request.
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "regions/") || !IsDivisionCode(code)) {
    return Malformed(field, name, kFormat);
  }
  return std::string(code);
}

absl::StatusOr<ReportName> ParseReportName(absl::string_view name,
                                           absl::string_view field) {
  constexpr absl::string_view kFormat =
      "regions/{division_code}/reports/{year}";
  ReportName parsed;
  absl::string_view rest = name;
  const size_t slash = absl::ConsumePrefix(&rest, "regions/")
                           ? rest.find('/')
                           : absl::string_view::npos;
  if (slash == absl::string_view::npos) return Malformed(field, name, kFormat);
  const absl::string_view code = rest.substr(0, slash);
  rest.remove_prefix(slash + 1);
  // Digits only: SimpleAtoi alone would take "+2024" and " 2024".
  if (!IsDivisionCode(code) || !absl::ConsumePrefix(&rest, "reports/") ||
      !AllDigits(rest) || !absl::SimpleAtoi(rest, &parsed.year) ||
      parsed.year < 1900 || parsed.year > 2200) {
    return Malformed(field, name, kFormat);
  }
  parsed.region_code = std::string(code);
  return parsed;
}

absl::StatusOr<std::string> ParseIndicatorName(absl::string_view name,
                                               absl::string_view field) {
  constexpr absl::string_view kFormat = "indicators/{indicator}";
  absl::string_view slug = name;
  if (!absl::ConsumePrefix(&slug, "indicators/") || slug.empty() ||
      absl::StrContains(slug, '/')) {
    return Malformed(field, name, kFormat);
  }
  return std::string(slug);
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
