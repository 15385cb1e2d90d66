#include "parser_service/document_parser.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

#include "parser_service/extract/observation_extractor.h"
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
    if (c != U' ' && c != U'\n') return false;
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
  v1::ParseDocumentResponse response;
  ResponseBuilder builder(content, layout, options, &response);
  // One report at a time: its figures are freed once they are in the proto.
  for (const ReportInfo& report : reports) {
    Extraction extraction = ExtractFigures(layout, report);
    if (!IsEmptyReport(report, extraction)) {
      builder.AddReport(report, std::move(extraction));
    }
  }
  builder.Finish();
  return response;
}

}  // namespace govreport::parser
