// Parsing of the API's resource names, with errors that name the field.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace govreport::query {

// `regions/{division_code}` → the code (six ASCII digits). INVALID_ARGUMENT
// naming `field` when malformed or empty.
absl::StatusOr<std::string> ParseRegionName(absl::string_view name,
                                            absl::string_view field);

// A parsed `regions/{division_code}/reports/{year}`.
struct ReportName {
  std::string region_code;
  int32_t year = 0;
};

// INVALID_ARGUMENT naming `field` when `name` is not a report name with a
// year in 1900..2200.
absl::StatusOr<ReportName> ParseReportName(absl::string_view name,
                                           absl::string_view field);

// `indicators/{slug}` → the slug. INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> ParseIndicatorName(absl::string_view name,
                                               absl::string_view field);

// `value` as an error message may quote it: whole when short, else its
// first bytes (cut at a character boundary) and its length. Status
// messages travel in HTTP/2 trailers, which clients cap at a few kB; a
// request field can be up to the receive limit.
std::string Abbreviate(absl::string_view value);

// OK when `value` is a number of the enum that `is_valid` checks (the
// generated Foo_IsValid), else INVALID_ARGUMENT naming `field`: proto3
// enums are open, so a client may send numbers we do not define.
absl::Status CheckEnum(absl::string_view field, int value,
                       bool (*is_valid)(int));

// The resource names we build.
std::string RegionName(absl::string_view code);
std::string ReportResourceName(absl::string_view code, int32_t year);
std::string IndicatorName(absl::string_view slug);

}  // namespace govreport::query
