// Subcommands for QueryService: comparisons, target evaluation, bulk reads.
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "govreport/v1/query_service.grpc.pb.h"

namespace govreport::cli {
namespace {

using v1::QueryService;

// Regions from the arguments, or every region of --level under --parent.
absl::StatusOr<v1::RegionSelector> Selector(const CommandContext& context) {
  v1::RegionSelector selector;
  if (!context.args.empty()) {
    for (const std::string& arg : context.args) {
      selector.mutable_region_list()->add_names(RegionName(arg));
    }
    return selector;
  }
  if (context.parent.empty()) {
    return absl::InvalidArgumentError(
        "name regions as arguments (e.g. 410325 410308), or give --parent");
  }
  absl::StatusOr<v1::RegionLevel> level =
      ParseRegionLevel(context.level.empty() ? "county" : context.level);
  if (!level.ok()) return level.status();
  selector.mutable_subtree()->set_parent(RegionName(context.parent));
  selector.mutable_subtree()->set_level(*level);
  return selector;
}

absl::StatusOr<v1::SeriesKey> Series(const CommandContext& context,
                                     const char* default_kind) {
  if (context.indicator.empty()) {
    return absl::InvalidArgumentError("--indicator is required, e.g. gdp");
  }
  absl::StatusOr<v1::ValueType> value_type =
      ParseValueType(context.value_type.empty() ? "level" : context.value_type);
  if (!value_type.ok()) return value_type.status();
  absl::StatusOr<v1::ObservationKind> kind =
      ParseKind(context.kind.empty() ? default_kind : context.kind);
  if (!kind.ok()) return kind.status();
  v1::SeriesKey series;
  series.set_indicator(IndicatorName(context.indicator));
  series.set_value_type(*value_type);
  series.set_kind(*kind);
  return series;
}

std::string AvailabilityWord(v1::Availability availability) {
  std::string word = v1::Availability_Name(availability);
  word = word.substr(std::string("AVAILABILITY_").size());
  for (char& c : word) c = absl::ascii_tolower(c);
  return word;
}

std::string Number(double value) { return absl::StrFormat("%.10g", value); }

}  // namespace

absl::Status RunCompareRegions(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  absl::StatusOr<v1::RegionSelector> selector = Selector(context);
  if (!selector.ok()) return selector.status();
  absl::StatusOr<v1::SeriesKey> series = Series(context, "achieved");
  if (!series.ok()) return series.status();
  v1::CompareRegionsRequest request;
  *request.mutable_regions() = *selector;
  *request.mutable_series() = *series;
  request.set_year(context.year);
  if (context.year == 0)
    request.set_year_policy(v1::YEAR_POLICY_LATEST_PER_REGION);
  if (context.order == "asc") request.set_order(v1::ROW_ORDER_VALUE_ASCENDING);
  if (context.order == "code") request.set_order(v1::ROW_ORDER_DIVISION_CODE);
  auto stub = QueryService::NewStub(Connect(context));
  Table table({"rank", "region", "name", "availability", "quantity", "year",
               "as written"});
  v1::Summary summary;
  absl::Status status =
      ForEachPage<v1::CompareRegionsRequest, v1::CompareRegionsResponse>(
          context, request,
          [&](const v1::CompareRegionsRequest& r,
              v1::CompareRegionsResponse* out) {
            return Call(context, *stub, &QueryService::Stub::CompareRegions,
                        "CompareRegions", r, out);
          },
          [&](const v1::CompareRegionsResponse& page) {
            summary = page.summary();
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
              return;
            }
            for (const v1::RegionRow& row : page.rows()) {
              const bool available =
                  row.availability() == v1::AVAILABILITY_AVAILABLE;
              table.AddRow(
                  {row.rank() > 0 ? std::to_string(row.rank()) : "",
                   row.region(), row.region_display_name(),
                   AvailabilityWord(row.availability()),
                   available ? FormatQuantity(row.observation().quantity())
                             : "",
                   available
                       ? std::to_string(
                             row.observation().reference_period().first_year())
                       : "",
                   row.observation().quantity().original_text()});
            }
          });
  if (!status.ok() || *format != OutputFormat::kTable) return status;
  table.Print(*context.out);
  *context.out << "available " << summary.available_count() << ", unavailable "
               << summary.unavailable_count();
  if (summary.has_min_value()) {
    *context.out << ", min " << Number(summary.min_value()) << ", median "
                 << Number(summary.median_value()) << ", max "
                 << Number(summary.max_value());
  }
  *context.out << "\n";
  return absl::OkStatus();
}

absl::Status RunCompareYears(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (context.args.empty()) {
    return absl::InvalidArgumentError("name one or more regions, e.g. 410325");
  }
  absl::StatusOr<v1::SeriesKey> series = Series(context, "achieved");
  if (!series.ok()) return series.status();
  v1::CompareYearsRequest request;
  for (const std::string& arg : context.args)
    request.add_regions(RegionName(arg));
  *request.mutable_series() = *series;
  const int to = context.to_year != 0 ? context.to_year : 2025;
  const int from = context.from_year != 0 ? context.from_year : to - 4;
  request.mutable_years()->set_first_year(from);
  request.mutable_years()->set_last_year(to);
  auto stub = QueryService::NewStub(Connect(context));
  v1::CompareYearsResponse response;
  if (absl::Status s = Call(context, *stub, &QueryService::Stub::CompareYears,
                            "CompareYears", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  Table table({"region", "year", "target", "achieved"});
  for (const v1::RegionSeries& region : response.series()) {
    for (const v1::YearPoint& point : region.points()) {
      table.AddRow({region.region(), std::to_string(point.year()),
                    point.target_availability() == v1::AVAILABILITY_AVAILABLE
                        ? FormatQuantity(point.target().quantity())
                        : AvailabilityWord(point.target_availability()),
                    point.achieved_availability() == v1::AVAILABILITY_AVAILABLE
                        ? FormatQuantity(point.achieved().quantity())
                        : AvailabilityWord(point.achieved_availability())});
    }
  }
  table.Print(*context.out);
  return absl::OkStatus();
}

absl::Status RunEvaluateTargets(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  absl::StatusOr<v1::RegionSelector> selector = Selector(context);
  if (!selector.ok()) return selector.status();
  if (context.year == 0) {
    return absl::InvalidArgumentError("--year (the target year) is required");
  }
  v1::EvaluateTargetsRequest request;
  *request.mutable_regions() = *selector;
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  request.set_year(context.year);
  auto stub = QueryService::NewStub(Connect(context));
  Table table({"region", "indicator", "target", "achieved", "attainment"});
  absl::Status status =
      ForEachPage<v1::EvaluateTargetsRequest, v1::EvaluateTargetsResponse>(
          context, request,
          [&](const v1::EvaluateTargetsRequest& r,
              v1::EvaluateTargetsResponse* out) {
            return Call(context, *stub, &QueryService::Stub::EvaluateTargets,
                        "EvaluateTargets", r, out);
          },
          [&](const v1::EvaluateTargetsResponse& page) {
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
              return;
            }
            for (const v1::TargetEvaluation& e : page.evaluations()) {
              std::string attainment = v1::Attainment_Name(e.attainment());
              attainment = attainment.substr(std::string("ATTAINMENT_").size());
              for (char& c : attainment) c = absl::ascii_tolower(c);
              table.AddRow({e.region(), e.indicator(),
                            FormatQuantity(e.target().quantity()),
                            e.has_achieved()
                                ? FormatQuantity(e.achieved().quantity())
                                : "",
                            attainment});
            }
          });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunQueryObservations(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  absl::StatusOr<v1::RegionSelector> selector = Selector(context);
  if (!selector.ok()) return selector.status();
  absl::StatusOr<v1::ObservationKind> kind = ParseKind(context.kind);
  if (!kind.ok()) return kind.status();
  v1::QueryObservationsRequest request;
  *request.mutable_regions() = *selector;
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  request.set_kind(*kind);
  if (context.from_year != 0 || context.to_year != 0) {
    request.mutable_reference_years()->set_first_year(context.from_year);
    request.mutable_reference_years()->set_last_year(
        context.to_year != 0 ? context.to_year : 9999);
  }
  auto stub = QueryService::NewStub(Connect(context));
  Table table = ObservationTable();
  absl::Status status =
      ForEachPage<v1::QueryObservationsRequest, v1::QueryObservationsResponse>(
          context, request,
          [&](const v1::QueryObservationsRequest& r,
              v1::QueryObservationsResponse* out) {
            return Call(context, *stub, &QueryService::Stub::QueryObservations,
                        "QueryObservations", r, out);
          },
          [&](const v1::QueryObservationsResponse& page) {
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
            } else {
              for (const v1::Observation& o : page.observations()) {
                AddObservationRow(table, o);
              }
            }
          });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunCoverage(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  absl::StatusOr<v1::RegionSelector> selector = Selector(context);
  if (!selector.ok()) return selector.status();
  if (context.indicator.empty()) {
    return absl::InvalidArgumentError("--indicator is required, e.g. gdp");
  }
  v1::SummarizeCoverageRequest request;
  *request.mutable_regions() = *selector;
  request.add_indicators(IndicatorName(context.indicator));
  auto stub = QueryService::NewStub(Connect(context));
  v1::SummarizeCoverageResponse response;
  if (absl::Status s =
          Call(context, *stub, &QueryService::Stub::SummarizeCoverage,
               "SummarizeCoverage", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  Table table({"indicator", "type", "kind", "year", "regions"});
  for (const v1::Coverage& coverage : response.coverages()) {
    for (int i = 0; i < coverage.years_size(); ++i) {
      table.AddRow({coverage.series().indicator(),
                    ValueTypeWord(coverage.series().value_type()),
                    KindWord(coverage.series().kind()),
                    std::to_string(coverage.years(i)),
                    i < coverage.region_counts_size()
                        ? std::to_string(coverage.region_counts(i))
                        : ""});
    }
  }
  table.Print(*context.out);
  return absl::OkStatus();
}

}  // namespace govreport::cli
