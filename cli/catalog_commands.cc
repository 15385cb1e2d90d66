// Subcommands for CatalogService: regions, indicators, the data snapshot.
#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "govreport/v1/catalog_service.grpc.pb.h"

namespace govreport::cli {
namespace {

using v1::CatalogService;

void AddRegionRow(Table& table, const v1::Region& region) {
  table.AddRow({region.name(), region.display_name(), LevelWord(region.level()),
                region.parent(),
                absl::StrJoin(region.former_display_names(), ",")});
}

Table RegionTable() {
  return Table({"name", "display_name", "level", "parent", "former_names"});
}

}  // namespace

absl::Status RunRegions(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  auto stub = CatalogService::NewStub(Connect(context));
  Table table = RegionTable();
  // With names: GetRegion / BatchGetRegions. Without: ListRegions.
  if (!context.args.empty()) {
    v1::BatchGetRegionsRequest request;
    for (const std::string& arg : context.args) {
      request.add_names(RegionName(arg));
    }
    v1::BatchGetRegionsResponse response;
    if (absl::Status s =
            Call(context, *stub, &CatalogService::Stub::BatchGetRegions,
                 "BatchGetRegions", request, &response);
        !s.ok()) {
      return s;
    }
    if (*format == OutputFormat::kJson) {
      *context.out << ToJson(response, false) << "\n";
      return absl::OkStatus();
    }
    for (const v1::Region& region : response.regions())
      AddRegionRow(table, region);
    table.Print(*context.out);
    return absl::OkStatus();
  }
  absl::StatusOr<v1::RegionLevel> level = ParseRegionLevel(context.level);
  if (!level.ok()) return level.status();
  v1::ListRegionsRequest request;
  request.set_parent(RegionName(context.parent));
  request.set_level(*level);
  absl::Status status =
      ForEachPage<v1::ListRegionsRequest, v1::ListRegionsResponse>(
          context, request,
          [&](const v1::ListRegionsRequest& r, v1::ListRegionsResponse* out) {
            return Call(context, *stub, &CatalogService::Stub::ListRegions,
                        "ListRegions", r, out);
          },
          [&](const v1::ListRegionsResponse& page) {
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
            } else {
              for (const v1::Region& region : page.regions())
                AddRegionRow(table, region);
            }
          });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunIndicators(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  auto stub = CatalogService::NewStub(Connect(context));
  Table table({"name", "display_name", "unit", "aliases"});
  auto add = [&table](const v1::Indicator& indicator) {
    table.AddRow({indicator.name(), indicator.display_name(),
                  indicator.canonical_unit(),
                  absl::StrJoin(indicator.aliases(), ",")});
  };
  v1::ListIndicatorsRequest request;
  request.set_query(absl::StrJoin(context.args, " "));
  absl::Status status =
      ForEachPage<v1::ListIndicatorsRequest, v1::ListIndicatorsResponse>(
          context, request,
          [&](const v1::ListIndicatorsRequest& r,
              v1::ListIndicatorsResponse* out) {
            return Call(context, *stub, &CatalogService::Stub::ListIndicators,
                        "ListIndicators", r, out);
          },
          [&](const v1::ListIndicatorsResponse& page) {
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
            } else {
              for (const v1::Indicator& indicator : page.indicators())
                add(indicator);
            }
          });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunIndicator(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (context.args.size() != 1) {
    return absl::InvalidArgumentError("expected one indicator, e.g. gdp");
  }
  auto stub = CatalogService::NewStub(Connect(context));
  v1::GetIndicatorRequest request;
  request.set_name(IndicatorName(context.args[0]));
  v1::GetIndicatorResponse response;
  if (absl::Status s = Call(context, *stub, &CatalogService::Stub::GetIndicator,
                            "GetIndicator", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  const v1::Indicator& indicator = response.indicator();
  Table table({"field", "value"});
  table.AddRow({"name", indicator.name()});
  table.AddRow({"display_name", indicator.display_name()});
  table.AddRow({"aliases", absl::StrJoin(indicator.aliases(), ", ")});
  table.AddRow({"canonical_unit", indicator.canonical_unit()});
  table.AddRow({"description", indicator.description()});
  table.Print(*context.out);
  return absl::OkStatus();
}

absl::Status RunSnapshot(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  auto stub = CatalogService::NewStub(Connect(context));
  v1::GetDataSnapshotResponse response;
  if (absl::Status s =
          Call(context, *stub, &CatalogService::Stub::GetDataSnapshot,
               "GetDataSnapshot", v1::GetDataSnapshotRequest(), &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  Table table(
      {"data_version", "regions", "reports", "report_years", "extractors"});
  table.AddRow({response.data_version(),
                std::to_string(response.region_count()),
                std::to_string(response.report_count()),
                absl::StrCat(response.report_years().first_year(), "–",
                             response.report_years().last_year()),
                absl::StrJoin(response.extractor_versions(), ",")});
  table.Print(*context.out);
  return absl::OkStatus();
}

}  // namespace govreport::cli
