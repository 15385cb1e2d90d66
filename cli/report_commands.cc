// Subcommands for ReportService: reading reports, measures and observations,
// and the writes (ingest, put, delete), which need --token_file.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "common/status_macros.h"
#include "govreport/v1/report_service.grpc.pb.h"

namespace govreport::cli {
namespace {

using v1::ReportService;

constexpr char kReportArg[] = "a report, e.g. 410325/2024";

// Reports come in BASIC view here: no sections, measures or observations.
Table ReportTable() { return Table({"name", "region", "year", "title"}); }

void AddReportRow(Table& table, const v1::Report& report) {
  table.AddRow({report.name(), report.region_text(),
                std::to_string(report.year()), report.title()});
}

}  // namespace

Table ObservationTable() {
  return Table({"subject", "action", "quantity", "kind", "year", "type",
                "indicator", "as written"});
}

void AddObservationRow(Table& table, const v1::Observation& o) {
  table.AddRow({o.subject_text(), o.action(), FormatQuantity(o.quantity()),
                KindWord(o.kind()),
                std::to_string(o.reference_period().first_year()),
                ValueTypeWord(o.value_type()), o.indicator(),
                o.quantity().original_text()});
}

absl::Status RunReport(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, kReportArg));
  auto stub = ReportService::NewStub(Connect(context));
  v1::GetReportRequest request;
  request.set_name(ReportName(context.args[0]));
  request.set_view(context.view == "full" ? v1::REPORT_VIEW_FULL
                                          : v1::REPORT_VIEW_BASIC);
  return PrintOne<v1::GetReportRequest, v1::GetReportResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::GetReport, "GetReport"),
      [](const v1::GetReportResponse& response, std::ostream& out) {
        const v1::Report& report = response.report();
        Table table({"field", "value"});
        table.AddRow({"name", report.name()});
        table.AddRow({"region", absl::StrCat(report.region(), " ",
                                             report.region_text())});
        table.AddRow({"year", std::to_string(report.year())});
        table.AddRow({"title", report.title()});
        if (report.has_presenter()) {
          table.AddRow(
              {"presenter", absl::StrCat(report.presenter().post(), " ",
                                         report.presenter().name())});
        }
        table.AddRow({"sections", std::to_string(report.sections_size())});
        table.AddRow({"measures", std::to_string(report.measures_size())});
        table.AddRow(
            {"observations", std::to_string(report.observations_size())});
        table.AddRow({"content_sha256", report.content_sha256()});
        table.AddRow({"data_version", response.data_version()});
        table.Print(out);
      });
}

absl::Status RunReports(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListReportsRequest request;
  request.set_parent(context.args.empty() ? "regions/-"
                                          : RegionName(context.args[0]));
  if (context.year != 0) request.add_years(context.year);
  return PrintPages<v1::ListReportsRequest, v1::ListReportsResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::ListReports, "ListReports"),
      ReportTable(), [](const v1::ListReportsResponse& page, Table& table) {
        for (const v1::Report& report : page.reports()) {
          AddReportRow(table, report);
        }
      });
}

absl::Status RunMeasures(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, kReportArg));
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListPolicyMeasuresRequest request;
  request.set_parent(ReportName(context.args[0]));
  return PrintPages<v1::ListPolicyMeasuresRequest,
                    v1::ListPolicyMeasuresResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::ListPolicyMeasures,
              "ListPolicyMeasures"),
      Table({"name", "title", "summary"}),
      [](const v1::ListPolicyMeasuresResponse& page, Table& table) {
        for (const v1::PolicyMeasure& m : page.policy_measures()) {
          table.AddRow({m.name(), m.title(), m.summary()});
        }
      });
}

absl::Status RunObservations(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, kReportArg));
  GOVREPORT_ASSIGN_OR_RETURN(const v1::ObservationKind kind,
                             ParseKind(context.kind));
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListObservationsRequest request;
  request.set_parent(ReportName(context.args[0]));
  request.set_kind(kind);
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  return PrintPages<v1::ListObservationsRequest, v1::ListObservationsResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::ListObservations,
              "ListObservations"),
      ObservationTable(),
      [](const v1::ListObservationsResponse& page, Table& table) {
        for (const v1::Observation& o : page.observations()) {
          AddObservationRow(table, o);
        }
      });
}

absl::Status RunIngest(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, "a text file, or - for stdin"));
  GOVREPORT_ASSIGN_OR_RETURN(std::string content, ReadInput(context.args[0]));
  auto stub = ReportService::NewStub(Connect(context));
  v1::IngestDocumentRequest request;
  request.set_content(std::move(content));
  request.set_source_uri(context.source_uri.empty() ? context.args[0]
                                                    : context.source_uri);
  return PrintOne<v1::IngestDocumentRequest, v1::IngestDocumentResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::IngestDocument,
              "IngestDocument"),
      [](const v1::IngestDocumentResponse& response, std::ostream& out) {
        Table table = ReportTable();
        for (const v1::Report& report : response.reports()) {
          AddReportRow(table, report);
        }
        table.Print(out);
        out << (response.already_ingested()
                    ? "already ingested; nothing changed"
                    : "stored")
            << " (data_version " << response.data_version() << ")\n";
        for (const std::string& region : response.unresolved_regions()) {
          out << "not stored: region \"" << region
              << "\" is not in the catalog\n";
        }
      });
}

absl::Status RunPut(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(
      NeedOneArg(context, "a Report as JSON, or - for stdin"));
  GOVREPORT_ASSIGN_OR_RETURN(const std::string json,
                             ReadInput(context.args[0]));
  v1::PutReportRequest request;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      json, request.mutable_report());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(context.args[0], " is not a govreport.v1.Report in JSON: ",
                     parsed.message().as_string()));
  }
  auto stub = ReportService::NewStub(Connect(context));
  return PrintOne<v1::PutReportRequest, v1::PutReportResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::PutReport, "PutReport"),
      [](const v1::PutReportResponse& response, std::ostream& out) {
        Table table = ReportTable();
        AddReportRow(table, response.report());
        table.Print(out);
        out << (response.unchanged()  ? "unchanged"
                : response.replaced() ? "replaced"
                                      : "stored")
            << " (data_version " << response.data_version() << ")\n";
      });
}

absl::Status RunDelete(const CommandContext& context) {
  GOVREPORT_ASSIGN_OR_RETURN(const OutputFormat format,
                             ParseOutputFormat(context.format, false));
  GOVREPORT_RETURN_IF_ERROR(NeedOneArg(context, kReportArg));
  auto stub = ReportService::NewStub(Connect(context));
  v1::DeleteReportRequest request;
  request.set_name(ReportName(context.args[0]));
  return PrintOne<v1::DeleteReportRequest, v1::DeleteReportResponse>(
      context, format, request,
      Fetcher(context, *stub, &ReportService::Stub::DeleteReport,
              "DeleteReport"),
      [&request](const v1::DeleteReportResponse& response, std::ostream& out) {
        out << "deleted " << request.name() << " (data_version "
            << response.data_version() << ")\n";
      });
}

}  // namespace govreport::cli
