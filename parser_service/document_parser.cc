#include "parser_service/document_parser.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "parser_service/extract/observation_extractor.h"
#include "parser_service/extract/table_reader.h"
#include "parser_service/layout/layout.h"
#include "parser_service/normalize/text_normalizer.h"
#include "parser_service/report/report_assembler.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {
namespace {

InputFormat ToInputFormat(v1::DocumentFormat format) {
  switch (format) {
    case v1::DOCUMENT_FORMAT_PLAIN_TEXT:
      return InputFormat::kPlainText;
    case v1::DOCUMENT_FORMAT_HTML:
      return InputFormat::kHtml;
    default:
      return InputFormat::kAuto;
  }
}

bool OnlyWhitespace(const std::u32string& text) {
  for (char32_t c : text) {
    if (c != U' ' && c != U'\n' && c != U'\t') return false;
  }
  return true;
}

// A "report" without region, session, section or figure is just text.
bool IsEmptyReport(const ReportInfo& r, const Extraction& extraction) {
  const bool has_section = std::any_of(
      r.sections.begin(), r.sections.end(),
      [](const auto& s) { return s.type != SectionType::kMeeting; });
  return r.region.empty() && r.sessions.empty() && !has_section &&
         extraction.figures.empty();
}

}  // namespace

DocumentParser::DocumentParser(ParserConfig config)
    : config_(std::move(config)) {}

absl::StatusOr<v1::ParseDocumentResponse> DocumentParser::Parse(
    const v1::ParseDocumentRequest& request) const {
  v1::ParseDocumentResponse response;
  GOVREPORT_RETURN_IF_ERROR(Run(request, &response, [] {}));
  return response;
}

ParseSummary ParseSummary::Of(const v1::ParseDocumentResponse& response) {
  ParseSummary summary;
  summary.reports = response.reports_size();
  for (const v1::Report& report : response.reports()) {
    summary.observations += report.observations_size();
  }
  for (const v1::ParseWarning& warning : response.warnings()) {
    summary.warnings.push_back(warning.code());
  }
  return summary;
}

absl::StatusOr<std::string> DocumentParser::ParseToWire(
    const v1::ParseDocumentRequest& request, ParseSummary* summary) const {
  v1::ParseDocumentResponse response;
  std::string wire;
  // Dense reports serialize to ~2.4x their text. Reserving 3x up front avoids
  // growing by copying (old and new buffer both resident, and the freed one
  // left fragmenting the heap); pages never written cost no memory.
  wire.reserve(3 * request.content().size() + 4096);
  // Each report becomes one `reports` field (tag, length, bytes) and is freed;
  // the response's other fields follow. Field order does not matter on the
  // wire, and repeated fields concatenate, so the result parses to exactly
  // the response Parse would return.
  absl::Status status = Run(request, &response, [&] {
    using google::protobuf::internal::WireFormatLite;
    const v1::Report& report = response.reports(0);
    if (summary != nullptr) {
      ++summary->reports;
      summary->observations += report.observations_size();
    }
    const size_t size = report.ByteSizeLong();
    uint8_t header[16];
    uint8_t* end = WireFormatLite::WriteTagToArray(
        v1::ParseDocumentResponse::kReportsFieldNumber,
        WireFormatLite::WIRETYPE_LENGTH_DELIMITED, header);
    end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
        static_cast<uint32_t>(size), end);
    wire.append(reinterpret_cast<const char*>(header),
                static_cast<size_t>(end - header));
    const size_t at = wire.size();
    wire.resize(at + size);
    report.SerializeWithCachedSizesToArray(
        reinterpret_cast<uint8_t*>(&wire[at]));
    response.mutable_reports()->DeleteSubrange(0, 1);
  });
  if (!status.ok()) return status;
  if (summary != nullptr) {
    for (const v1::ParseWarning& warning : response.warnings()) {
      summary->warnings.push_back(warning.code());
    }
  }
  response.AppendToString(&wire);
  return wire;
}

template <typename OnReport>
absl::Status DocumentParser::Run(const v1::ParseDocumentRequest& request,
                                 v1::ParseDocumentResponse* response,
                                 OnReport on_report) const {
  const std::string& content = request.content();
  if (content.size() > config_.max_document_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "document is ", content.size(), " bytes; the limit is ",
        config_.max_document_bytes, " bytes (max_document_bytes)"));
  }
  if (content.empty()) {
    return absl::InvalidArgumentError("document is empty");
  }
  absl::StatusOr<NormalizedText> normalized =
      NormalizeText(content, ToInputFormat(request.format()));
  if (!normalized.ok()) return normalized.status();
  if (OnlyWhitespace(normalized->text)) {
    return absl::InvalidArgumentError("document holds only whitespace");
  }
  const LayoutResult layout = RepairLayout(*std::move(normalized));
  const std::vector<ReportInfo> reports =
      AnalyzeStructure(layout, request.default_year());
  AssembleOptions options;
  options.source_uri = request.source_uri();
  options.extractor_version = kExtractorVersion;
  options.content_sha256 = Sha256Hex(content);
  ResponseBuilder builder(content, layout, options, response);
  // One report at a time: its figures are freed once they are in the proto.
  for (const ReportInfo& report : reports) {
    Extraction extraction = ExtractFigures(layout, report);
    AddTableFigures(layout, report, &extraction);  // indicator tables
    if (!IsEmptyReport(report, extraction)) {
      builder.AddReport(report, std::move(extraction));
      on_report();
    }
  }
  builder.Finish();
  return absl::OkStatus();
}

}  // namespace govreport::parser
