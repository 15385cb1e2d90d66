// libFuzzer entry point for the whole parser pipeline: arbitrary bytes go
// through DocumentParser::Parse (as plain text and as HTML) and the flat
// export. Crashes, sanitizer reports, non-finite numbers in the output or
// offsets outside the input are bugs.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "parser_service/document_parser.h"
#include "parser_service/export/flat_rows.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckSpan(const govreport::v1::SourceSpan& span, int32_t length) {
  Check(span.start_offset() >= 0 && span.start_offset() <= span.end_offset());
  Check(span.end_offset() <= length);
}

void CheckResponse(const govreport::v1::ParseDocumentResponse& r) {
  const int32_t length = r.content_length();
  for (const auto& report : r.reports()) {
    for (const auto& o : report.observations()) {
      const auto& q = o.quantity();
      Check(std::isfinite(q.value()) && std::isfinite(q.effective_value()));
      Check(!q.has_upper_bound() || std::isfinite(q.upper_bound()));
      Check(!q.has_lower_bound() || std::isfinite(q.lower_bound()));
      Check(!o.has_growth_rate_percent() ||
            std::isfinite(o.growth_rate_percent()));
      CheckSpan(o.source(), length);
    }
  }
  for (const auto& w : r.warnings()) CheckSpan(w.source(), length);
  const std::string rows = govreport::parser::ToFlatRowsJsonl(r);
  Check(rows.find("inf") == std::string::npos ||
        rows.find("\"value\": inf") == std::string::npos);
  Check(rows.find("nan,") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const govreport::parser::DocumentParser parser(
      govreport::parser::ParserConfig{1 << 20});
  govreport::v1::ParseDocumentRequest request;
  request.set_content(std::string(reinterpret_cast<const char*>(data), size));
  for (auto format : {govreport::v1::DOCUMENT_FORMAT_PLAIN_TEXT,
                      govreport::v1::DOCUMENT_FORMAT_HTML}) {
    request.set_format(format);
    auto response = parser.Parse(request);
    if (response.ok()) CheckResponse(*response);
  }
  return 0;
}
