// Subcommands for ReportService: reading reports, measures and observations,
// and the writes (ingest, put, delete), which need --token_file.
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_join.h"

#include "cli/commands.h"
#include "cli/paging.h"
#include "cli/rpc.h"
#include "govreport/v1/report_service.grpc.pb.h"

namespace govreport::cli {
namespace {

using v1::ReportService;

absl::Status NeedOneArg(const CommandContext& context, const char* what) {
  if (context.args.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected one argument: ", what));
  }
  return absl::OkStatus();
}

// Reports come in BASIC view here: no sections, measures or observations.
Table ReportTable() { return Table({"name", "region", "year", "title"}); }

void AddReportRow(Table& table, const v1::Report& report) {
  table.AddRow({report.name(), report.region_text(),
                std::to_string(report.year()), report.title()});
}

}  // namespace

void AddObservationRow(Table& table, const v1::Observation& o) {
  table.AddRow({o.subject_text(), o.action(), FormatQuantity(o.quantity()),
                KindWord(o.kind()),
                std::to_string(o.reference_period().first_year()),
                ValueTypeWord(o.value_type()), o.indicator(),
                o.quantity().original_text()});
}

Table ObservationTable() {
  return Table({"subject", "action", "quantity", "kind", "year", "type",
                "indicator", "as written"});
}

absl::Status RunReport(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a report, e.g. 410325/2024");
      !s.ok()) {
    return s;
  }
  auto stub = ReportService::NewStub(Connect(context));
  v1::GetReportRequest request;
  request.set_name(ReportName(context.args[0]));
  request.set_view(context.view == "full" ? v1::REPORT_VIEW_FULL
                                          : v1::REPORT_VIEW_BASIC);
  v1::GetReportResponse response;
  if (absl::Status s = Call(context, *stub, &ReportService::Stub::GetReport,
                            "GetReport", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  const v1::Report& report = response.report();
  Table table({"field", "value"});
  table.AddRow({"name", report.name()});
  table.AddRow(
      {"region", absl::StrCat(report.region(), " ", report.region_text())});
  table.AddRow({"year", std::to_string(report.year())});
  table.AddRow({"title", report.title()});
  if (report.has_presenter()) {
    table.AddRow({"presenter", absl::StrCat(report.presenter().post(), " ",
                                            report.presenter().name())});
  }
  table.AddRow({"sections", std::to_string(report.sections_size())});
  table.AddRow({"measures", std::to_string(report.measures_size())});
  table.AddRow({"observations", std::to_string(report.observations_size())});
  table.AddRow({"content_sha256", report.content_sha256()});
  table.AddRow({"data_version", response.data_version()});
  table.Print(*context.out);
  return absl::OkStatus();
}

absl::Status RunReports(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListReportsRequest request;
  request.set_parent(context.args.empty() ? "regions/-"
                                          : RegionName(context.args[0]));
  if (context.year != 0) request.add_years(context.year);
  Table table = ReportTable();
  absl::Status status =
      ForEachPage<v1::ListReportsRequest, v1::ListReportsResponse>(
          context, request,
          [&](const v1::ListReportsRequest& r, v1::ListReportsResponse* out) {
            return Call(context, *stub, &ReportService::Stub::ListReports,
                        "ListReports", r, out);
          },
          [&](const v1::ListReportsResponse& page) {
            if (*format == OutputFormat::kJson) {
              *context.out << ToJson(page, false) << "\n";
            } else {
              for (const v1::Report& report : page.reports())
                AddReportRow(table, report);
            }
          });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunMeasures(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a report, e.g. 410325/2024");
      !s.ok()) {
    return s;
  }
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListPolicyMeasuresRequest request;
  request.set_parent(ReportName(context.args[0]));
  Table table({"name", "title", "summary"});
  absl::Status status = ForEachPage<v1::ListPolicyMeasuresRequest,
                                    v1::ListPolicyMeasuresResponse>(
      context, request,
      [&](const v1::ListPolicyMeasuresRequest& r,
          v1::ListPolicyMeasuresResponse* out) {
        return Call(context, *stub, &ReportService::Stub::ListPolicyMeasures,
                    "ListPolicyMeasures", r, out);
      },
      [&](const v1::ListPolicyMeasuresResponse& page) {
        if (*format == OutputFormat::kJson) {
          *context.out << ToJson(page, false) << "\n";
          return;
        }
        for (const v1::PolicyMeasure& m : page.policy_measures()) {
          std::string summary = m.summary();
          table.AddRow({m.name(), m.title(), summary});
        }
      });
  if (status.ok() && *format == OutputFormat::kTable) table.Print(*context.out);
  return status;
}

absl::Status RunObservations(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a report, e.g. 410325/2024");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::ObservationKind> kind = ParseKind(context.kind);
  if (!kind.ok()) return kind.status();
  auto stub = ReportService::NewStub(Connect(context));
  v1::ListObservationsRequest request;
  request.set_parent(ReportName(context.args[0]));
  request.set_kind(*kind);
  if (!context.indicator.empty()) {
    request.add_indicators(IndicatorName(context.indicator));
  }
  Table table = ObservationTable();
  absl::Status status =
      ForEachPage<v1::ListObservationsRequest, v1::ListObservationsResponse>(
          context, request,
          [&](const v1::ListObservationsRequest& r,
              v1::ListObservationsResponse* out) {
            return Call(context, *stub, &ReportService::Stub::ListObservations,
                        "ListObservations", r, out);
          },
          [&](const v1::ListObservationsResponse& page) {
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

absl::Status RunIngest(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a text file, or - for stdin");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> content = ReadInput(context.args[0]);
  if (!content.ok()) return content.status();
  auto stub = ReportService::NewStub(Connect(context));
  v1::IngestDocumentRequest request;
  request.set_content(*std::move(content));
  request.set_source_uri(context.source_uri.empty() ? context.args[0]
                                                    : context.source_uri);
  v1::IngestDocumentResponse response;
  if (absl::Status s =
          Call(context, *stub, &ReportService::Stub::IngestDocument,
               "IngestDocument", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  Table table = ReportTable();
  for (const v1::Report& report : response.reports())
    AddReportRow(table, report);
  table.Print(*context.out);
  *context.out << (response.already_ingested()
                       ? "already ingested; nothing changed"
                       : "stored")
               << " (data_version " << response.data_version() << ")\n";
  for (const std::string& region : response.unresolved_regions()) {
    *context.out << "not stored: region \"" << region
                 << "\" is not in the catalog\n";
  }
  return absl::OkStatus();
}

absl::Status RunPut(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a Report as JSON, or - for stdin");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> json = ReadInput(context.args[0]);
  if (!json.ok()) return json.status();
  v1::PutReportRequest request;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      *json, request.mutable_report());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(context.args[0], " is not a govreport.v1.Report in JSON: ",
                     parsed.message().as_string()));
  }
  auto stub = ReportService::NewStub(Connect(context));
  v1::PutReportResponse response;
  if (absl::Status s = Call(context, *stub, &ReportService::Stub::PutReport,
                            "PutReport", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
    return absl::OkStatus();
  }
  Table table = ReportTable();
  AddReportRow(table, response.report());
  table.Print(*context.out);
  *context.out << (response.unchanged()  ? "unchanged"
                   : response.replaced() ? "replaced"
                                         : "stored")
               << " (data_version " << response.data_version() << ")\n";
  return absl::OkStatus();
}

absl::Status RunDelete(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, false);
  if (!format.ok()) return format.status();
  if (absl::Status s = NeedOneArg(context, "a report, e.g. 410325/2024");
      !s.ok()) {
    return s;
  }
  auto stub = ReportService::NewStub(Connect(context));
  v1::DeleteReportRequest request;
  request.set_name(ReportName(context.args[0]));
  v1::DeleteReportResponse response;
  if (absl::Status s = Call(context, *stub, &ReportService::Stub::DeleteReport,
                            "DeleteReport", request, &response);
      !s.ok()) {
    return s;
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, false) << "\n";
  } else {
    *context.out << "deleted " << request.name() << " (data_version "
                 << response.data_version() << ")\n";
  }
  return absl::OkStatus();
}

}  // namespace govreport::cli
