// `govreport parse`: runs the parser locally, without a server.
#include "absl/strings/str_format.h"

#include "cli/commands.h"
#include "cli/rpc.h"
#include "parser_service/document_parser.h"
#include "parser_service/export/flat_rows.h"

namespace govreport::cli {
namespace {

std::string WarningCodeWord(v1::ParseWarningCode code) {
  std::string word = v1::ParseWarningCode_Name(code);
  const std::string prefix = "PARSE_WARNING_CODE_";
  if (word.rfind(prefix, 0) == 0) word = word.substr(prefix.size());
  for (char& c : word) c = static_cast<char>(std::tolower(c));
  return word;
}

void PrintTables(const v1::ParseDocumentResponse& response, std::ostream& out) {
  for (const v1::Report& report : response.reports()) {
    out << report.region_text() << " " << report.year() << "  "
        << report.title() << "\n";
    for (const v1::Session& session : report.sessions()) {
      out << "  session: "
          << (session.body() == v1::SESSION_BODY_CPPCC ? "政协" : "人大") << " "
          << session.term() << "届" << session.session() << "次\n";
    }
    if (report.has_presenter()) {
      out << "  presented by: " << report.presenter().post() << " "
          << report.presenter().name() << "\n";
    }
    out << "  " << report.sections_size() << " sections, "
        << report.measures_size() << " measures, " << report.observations_size()
        << " figures\n\n";
    Table table = ObservationTable();
    for (const v1::Observation& o : report.observations()) {
      AddObservationRow(table, o);
    }
    table.Print(out);
    out << "\n";
  }
  if (!response.warnings().empty()) {
    Table warnings({"warning", "at", "message"});
    for (const v1::ParseWarning& w : response.warnings()) {
      warnings.AddRow({WarningCodeWord(w.code()),
                       absl::StrFormat("%d-%d", w.source().start_offset(),
                                       w.source().end_offset()),
                       w.message()});
    }
    warnings.Print(out);
  }
}

}  // namespace

absl::Status RunParse(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, /*allow_jsonl=*/true);
  if (!format.ok()) return format.status();
  if (context.args.size() != 1) {
    return absl::InvalidArgumentError(
        "expected one argument: a text or HTML file, or - for stdin");
  }
  absl::StatusOr<std::string> content = ReadInput(context.args[0]);
  if (!content.ok()) return content.status();

  parser::DocumentParser parser{parser::ParserConfig{}};
  v1::ParseDocumentRequest request;
  request.set_content(*std::move(content));
  request.set_source_uri(context.args[0] == "-" ? "" : context.args[0]);
  absl::StatusOr<v1::ParseDocumentResponse> response = parser.Parse(request);
  if (!response.ok()) return response.status();

  switch (*format) {
    case OutputFormat::kJsonl:
      *context.out << parser::ToFlatRowsJsonl(*response);
      break;
    case OutputFormat::kJson:
      *context.out << ToJson(*response, /*multiline=*/true) << "\n";
      break;
    case OutputFormat::kTable:
      PrintTables(*response, *context.out);
      break;
  }
  return absl::OkStatus();
}

}  // namespace govreport::cli
