// Subcommands for CatalogService: regions, indicators, the data snapshot.
#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "common/status_macros.h"
#include "govreport/v1/catalog_service.grpc.pb.h"

namespace govreport::cli {
namespace {

using v1::CatalogService;

Table RegionTable() {
  return Table({"name", "display_name", "level", "parent", "former_names"});
}

void AddRegionRows(
    const google::protobuf::RepeatedPtrField<v1::Region>& regions,
    Table& table) {
  for (const v1::Region& region : regions) {
    table.AddRow({region.name(), region.display_name(),
                  LevelWord(region.level()), region.parent(),
                  absl::StrJoin(region.former_display_names(), ",")});
  }
}

}  // namespace

absl::Status RunRegions(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  auto stub = CatalogService::NewStub(Connect(context));
  // With codes: BatchGetRegions. Without: ListRegions under --parent.
  if (!context.args.empty()) {
    v1::BatchGetRegionsRequest request;
    for (const std::string& arg : context.args) {
      request.add_names(RegionName(arg));
    }
    return PrintOne<v1::BatchGetRegionsRequest, v1::BatchGetRegionsResponse>(
        context, format, request,
        Fetcher(context, *stub, &CatalogService::Stub::BatchGetRegions,
                "BatchGetRegions"),
        [](const v1::BatchGetRegionsResponse& response, std::ostream& out) {
          Table table = RegionTable();
          AddRegionRows(response.regions(), table);
          table.Print(out);
        });
  }
  GOVREPORT_ASSIGN_OR_RETURN(const v1::RegionLevel level,
                             ParseRegionLevel(context.level));
  v1::ListRegionsRequest request;
  request.set_parent(RegionName(context.parent));
  request.set_level(level);
  return PrintPages<v1::ListRegionsRequest, v1::ListRegionsResponse>(
      context, format, request,
      Fetcher(context, *stub, &CatalogService::Stub::ListRegions,
              "ListRegions"),
      RegionTable(), [](const v1::ListRegionsResponse& page, Table& table) {
        AddRegionRows(page.regions(), table);
      });
}

absl::Status RunIndicators(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  auto stub = CatalogService::NewStub(Connect(context));
  v1::ListIndicatorsRequest request;
  request.set_query(absl::StrJoin(context.args, " "));
  return PrintPages<v1::ListIndicatorsRequest, v1::ListIndicatorsResponse>(
      context, format, request,
      Fetcher(context, *stub, &CatalogService::Stub::ListIndicators,
              "ListIndicators"),
      Table({"name", "display_name", "unit", "aliases"}),
      [](const v1::ListIndicatorsResponse& page, Table& table) {
        for (const v1::Indicator& indicator : page.indicators()) {
          table.AddRow({indicator.name(), indicator.display_name(),
                        indicator.canonical_unit(),
                        absl::StrJoin(indicator.aliases(), ",")});
        }
      });
}

absl::Status RunIndicator(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, "an indicator, e.g. gdp"));
  auto stub = CatalogService::NewStub(Connect(context));
  v1::GetIndicatorRequest request;
  request.set_name(IndicatorName(context.args[0]));
  return PrintOne<v1::GetIndicatorRequest, v1::GetIndicatorResponse>(
      context, format, request,
      Fetcher(context, *stub, &CatalogService::Stub::GetIndicator,
              "GetIndicator"),
      [](const v1::GetIndicatorResponse& response, std::ostream& out) {
        const v1::Indicator& indicator = response.indicator();
        Table table({"field", "value"});
        table.AddRow({"name", indicator.name()});
        table.AddRow({"display_name", indicator.display_name()});
        table.AddRow({"aliases", absl::StrJoin(indicator.aliases(), ", ")});
        table.AddRow({"canonical_unit", indicator.canonical_unit()});
        table.AddRow({"description", indicator.description()});
        table.Print(out);
      });
}

absl::Status RunSnapshot(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  auto stub = CatalogService::NewStub(Connect(context));
  return PrintOne<v1::GetDataSnapshotRequest, v1::GetDataSnapshotResponse>(
      context, format, v1::GetDataSnapshotRequest(),
      Fetcher(context, *stub, &CatalogService::Stub::GetDataSnapshot,
              "GetDataSnapshot"),
      [](const v1::GetDataSnapshotResponse& response, std::ostream& out) {
        Table table({"data_version", "regions", "reports", "report_years",
                     "extractors"});
        table.AddRow({response.data_version(),
                      std::to_string(response.region_count()),
                      std::to_string(response.report_count()),
                      absl::StrCat(response.report_years().first_year(), "–",
                                   response.report_years().last_year()),
                      absl::StrJoin(response.extractor_versions(), ",")});
        table.Print(out);
      });
}

}  // namespace govreport::cli
