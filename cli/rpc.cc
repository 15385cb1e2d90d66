#include "cli/rpc.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace govreport::cli {

std::shared_ptr<grpc::Channel> Connect(const CommandContext& context) {
  // main.cc has checked the TLS files already; a failure here cannot happen
  // short of the files vanishing, and then the call fails UNAVAILABLE.
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      MakeChannelCredentials(context.tls);
  return grpc::CreateChannel(
      context.server,
      credentials.ok() ? *credentials : grpc::InsecureChannelCredentials());
}

void PrepareCall(const CommandContext& context, grpc::ClientContext* rpc) {
  rpc->set_deadline(absl::ToChronoTime(absl::Now() + context.timeout));
  if (!context.token.empty()) {
    rpc->AddMetadata("authorization", "Bearer " + context.token);
  }
}

std::string RegionName(const std::string& text) {
  if (text.empty() || absl::StartsWith(text, "regions/")) return text;
  return "regions/" + text;
}

std::string IndicatorName(const std::string& text) {
  if (text.empty() || absl::StartsWith(text, "indicators/")) return text;
  return "indicators/" + text;
}

std::string ReportName(const std::string& text) {
  if (absl::StartsWith(text, "regions/")) return text;
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return text;
  return absl::StrCat("regions/", text.substr(0, slash), "/reports/",
                      text.substr(slash + 1));
}

absl::StatusOr<v1::RegionLevel> ParseRegionLevel(const std::string& text) {
  if (text.empty()) return v1::REGION_LEVEL_UNSPECIFIED;
  if (text == "province") return v1::REGION_LEVEL_PROVINCE;
  if (text == "prefecture") return v1::REGION_LEVEL_PREFECTURE;
  if (text == "county") return v1::REGION_LEVEL_COUNTY;
  return absl::InvalidArgumentError(absl::StrCat(
      "--level=", text, " is not one of province, prefecture, county"));
}

absl::StatusOr<v1::ObservationKind> ParseKind(const std::string& text) {
  if (text.empty()) return v1::OBSERVATION_KIND_UNSPECIFIED;
  if (text == "target") return v1::OBSERVATION_KIND_TARGET;
  if (text == "achieved") return v1::OBSERVATION_KIND_ACHIEVED;
  return absl::InvalidArgumentError(
      absl::StrCat("--kind=", text, " is not one of target, achieved"));
}

absl::StatusOr<v1::ValueType> ParseValueType(const std::string& text) {
  if (text.empty()) return v1::VALUE_TYPE_UNSPECIFIED;
  if (text == "level") return v1::VALUE_TYPE_LEVEL;
  if (text == "growth_rate") return v1::VALUE_TYPE_GROWTH_RATE;
  if (text == "change") return v1::VALUE_TYPE_CHANGE;
  return absl::InvalidArgumentError(absl::StrCat(
      "--value_type=", text, " is not one of level, growth_rate, change"));
}

namespace {
// "OBSERVATION_KIND_TARGET" with prefix "OBSERVATION_KIND_" → "target".
std::string Word(const std::string& enum_name, absl::string_view prefix) {
  std::string word = enum_name;
  if (absl::StartsWith(word, prefix)) word = word.substr(prefix.size());
  for (char& c : word) c = absl::ascii_tolower(c);
  return word == "unspecified" ? "" : word;
}
}  // namespace

std::string KindWord(v1::ObservationKind kind) {
  return Word(v1::ObservationKind_Name(kind), "OBSERVATION_KIND_");
}
std::string ComparatorWord(v1::Comparator comparator) {
  return Word(v1::Comparator_Name(comparator), "COMPARATOR_");
}
std::string LevelWord(v1::RegionLevel level) {
  return Word(v1::RegionLevel_Name(level), "REGION_LEVEL_");
}
std::string ValueTypeWord(v1::ValueType value_type) {
  return Word(v1::ValueType_Name(value_type), "VALUE_TYPE_");
}

std::string FormatQuantity(const v1::Quantity& quantity) {
  auto number = [](double v) { return absl::StrFormat("%.15g", v); };
  std::string text;
  switch (quantity.comparator()) {
    case v1::COMPARATOR_RANGE:
      text = absl::StrCat(number(quantity.lower_bound()), "–",
                          number(quantity.upper_bound()));
      break;
    case v1::COMPARATOR_AT_LEAST:
      text = "≥ " + number(quantity.value());
      break;
    case v1::COMPARATOR_AT_MOST:
      text = "≤ " + number(quantity.value());
      break;
    case v1::COMPARATOR_GREATER_THAN:
      text = "> " + number(quantity.value());
      break;
    case v1::COMPARATOR_LESS_THAN:
      text = "< " + number(quantity.value());
      break;
    case v1::COMPARATOR_APPROXIMATELY:
      text = "≈ " + number(quantity.value());
      break;
    default:
      text = quantity.has_value() ? number(quantity.value()) : "";
  }
  if (!quantity.unit().empty()) absl::StrAppend(&text, " ", quantity.unit());
  return text;
}

absl::Status NeedOneArg(const CommandContext& context, absl::string_view what) {
  if (context.args.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected one argument: ", what));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  std::stringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace govreport::cli
