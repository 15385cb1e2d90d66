// Subcommands for QueryService: comparisons, target evaluation, bulk reads.
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "common/status_macros.h"
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
  GOVREPORT_ASSIGN_OR_RETURN(
      const v1::RegionLevel level,
      ParseRegionLevel(context.level.empty() ? "county" : context.level));
  selector.mutable_subtree()->set_parent(RegionName(context.parent));
  selector.mutable_subtree()->set_level(level);
  return selector;
}

absl::StatusOr<v1::SeriesKey> Series(const CommandContext& context) {
  if (context.indicator.empty()) {
    return absl::InvalidArgumentError("--indicator is required, e.g. gdp");
  }
  GOVREPORT_ASSIGN_OR_RETURN(
      const v1::ValueType value_type,
      ParseValueType(context.value_type.empty() ? "level"
                                                : context.value_type));
  GOVREPORT_ASSIGN_OR_RETURN(
      const v1::ObservationKind kind,
      ParseKind(context.kind.empty() ? "achieved" : context.kind));
  v1::SeriesKey series;
  series.set_indicator(IndicatorName(context.indicator));
  series.set_value_type(value_type);
  series.set_kind(kind);
  return series;
}

// "AVAILABILITY_NOT_STATED" → "not_stated".
std::string EnumWord(const std::string& name, absl::string_view prefix) {
  std::string word = name.substr(std::min(name.size(), prefix.size()));
  absl::AsciiStrToLower(&word);
  return word;
}

std::string Number(double value) { return absl::StrFormat("%.15g", value); }

std::string QuantityOr(v1::Availability availability,
                       const v1::Observation& observation) {
  return availability == v1::AVAILABILITY_AVAILABLE
             ? FormatQuantity(observation.quantity())
             : EnumWord(v1::Availability_Name(availability), "AVAILABILITY_");
}

void PrintSummary(const v1::CompareRegionsResponse& page, std::ostream& out) {
  const v1::Summary& summary = page.summary();
  out << "available " << summary.available_count() << ", unavailable "
      << summary.unavailable_count();
  if (summary.has_min_value()) {
    out << ", min " << Number(summary.min_value()) << ", median "
        << Number(summary.median_value()) << ", max "
        << Number(summary.max_value());
  }
  out << "\n";
}

}  // namespace

absl::Status RunCompareRegions(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  v1::CompareRegionsRequest request;
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_regions(), Selector(context));
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_series(), Series(context));
  request.set_year(context.year);
  if (context.year == 0) {
    request.set_year_policy(v1::YEAR_POLICY_LATEST_PER_REGION);
  }
  if (context.order == "asc") request.set_order(v1::ROW_ORDER_VALUE_ASCENDING);
  if (context.order == "code") request.set_order(v1::ROW_ORDER_DIVISION_CODE);
  auto stub = QueryService::NewStub(Connect(context));
  return PrintPages<v1::CompareRegionsRequest, v1::CompareRegionsResponse>(
      context, format, request,
      Fetcher(context, *stub, &QueryService::Stub::CompareRegions,
              "CompareRegions"),
      Table({"rank", "region", "name", "availability", "quantity", "year",
             "as written"}),
      [](const v1::CompareRegionsResponse& page, Table& table) {
        for (const v1::RegionRow& row : page.rows()) {
          const bool available =
              row.availability() == v1::AVAILABILITY_AVAILABLE;
          const v1::Observation& o = row.observation();
          table.AddRow({row.rank() > 0 ? std::to_string(row.rank()) : "",
                        row.region(), row.region_display_name(),
                        EnumWord(v1::Availability_Name(row.availability()),
                                 "AVAILABILITY_"),
                        available ? FormatQuantity(o.quantity()) : "",
                        available
                            ? std::to_string(o.reference_period().first_year())
                            : "",
                        o.quantity().original_text()});
        }
      },
      &PrintSummary);
}

absl::Status RunCompareYears(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  if (context.args.empty()) {
    return absl::InvalidArgumentError("name one or more regions, e.g. 410325");
  }
  v1::CompareYearsRequest request;
  for (const std::string& arg : context.args) {
    request.add_regions(RegionName(arg));
  }
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_series(), Series(context));
  const int to = context.to_year != 0 ? context.to_year : 2025;
  request.mutable_years()->set_first_year(
      context.from_year != 0 ? context.from_year : to - 4);
  request.mutable_years()->set_last_year(to);
  auto stub = QueryService::NewStub(Connect(context));
  return PrintOne<v1::CompareYearsRequest, v1::CompareYearsResponse>(
      context, format, request,
      Fetcher(context, *stub, &QueryService::Stub::CompareYears,
              "CompareYears"),
      [](const v1::CompareYearsResponse& response, std::ostream& out) {
        Table table({"region", "year", "target", "achieved"});
        for (const v1::RegionSeries& region : response.series()) {
          for (const v1::YearPoint& point : region.points()) {
            table.AddRow(
                {region.region(), std::to_string(point.year()),
                 QuantityOr(point.target_availability(), point.target()),
                 QuantityOr(point.achieved_availability(), point.achieved())});
          }
        }
        table.Print(out);
      });
}

absl::Status RunEvaluateTargets(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  if (context.year == 0) {
    return absl::InvalidArgumentError("--year (the target year) is required");
  }
  v1::EvaluateTargetsRequest request;
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_regions(), Selector(context));
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  request.set_year(context.year);
  auto stub = QueryService::NewStub(Connect(context));
  return PrintPages<v1::EvaluateTargetsRequest, v1::EvaluateTargetsResponse>(
      context, format, request,
      Fetcher(context, *stub, &QueryService::Stub::EvaluateTargets,
              "EvaluateTargets"),
      Table({"region", "indicator", "target", "achieved", "attainment"}),
      [](const v1::EvaluateTargetsResponse& page, Table& table) {
        for (const v1::TargetEvaluation& e : page.evaluations()) {
          table.AddRow(
              {e.region(), e.indicator(), FormatQuantity(e.target().quantity()),
               e.has_achieved() ? FormatQuantity(e.achieved().quantity()) : "",
               EnumWord(v1::Attainment_Name(e.attainment()), "ATTAINMENT_")});
        }
      });
}

absl::Status RunQueryObservations(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  v1::QueryObservationsRequest request;
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_regions(), Selector(context));
  GOVREPORT_ASSIGN_OR_RETURN(const v1::ObservationKind kind,
                             ParseKind(context.kind));
  request.set_kind(kind);
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  if (context.from_year != 0 || context.to_year != 0) {
    request.mutable_reference_years()->set_first_year(context.from_year);
    request.mutable_reference_years()->set_last_year(
        context.to_year != 0 ? context.to_year : 9999);
  }
  auto stub = QueryService::NewStub(Connect(context));
  return PrintPages<v1::QueryObservationsRequest,
                    v1::QueryObservationsResponse>(
      context, format, request,
      Fetcher(context, *stub, &QueryService::Stub::QueryObservations,
              "QueryObservations"),
      ObservationTable(),
      [](const v1::QueryObservationsResponse& page, Table& table) {
        for (const v1::Observation& o : page.observations()) {
          AddObservationRow(table, o);
        }
      });
}

absl::Status RunCoverage(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  if (context.indicator.empty()) {
    return absl::InvalidArgumentError("--indicator is required, e.g. gdp");
  }
  v1::SummarizeCoverageRequest request;
  GOVREPORT_ASSIGN_OR_RETURN(*request.mutable_regions(), Selector(context));
  request.add_indicators(IndicatorName(context.indicator));
  auto stub = QueryService::NewStub(Connect(context));
  return PrintOne<v1::SummarizeCoverageRequest, v1::SummarizeCoverageResponse>(
      context, format, request,
      Fetcher(context, *stub, &QueryService::Stub::SummarizeCoverage,
              "SummarizeCoverage"),
      [](const v1::SummarizeCoverageResponse& response, std::ostream& out) {
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
        table.Print(out);
      });
}

}  // namespace govreport::cli
