// The parser's public entry point: one request in, the reports it holds out.
//
// Runs the pipeline normalize -> layout -> structure -> extract -> report on
// the request content. Every offset in the response counts Unicode code points
// of the request content (see resources.proto).
//
// Errors:
//   * INVALID_ARGUMENT for empty or whitespace-only content and for invalid
//     UTF-8 (the message names the byte offset of the first bad byte);
//   * RESOURCE_EXHAUSTED when the content is larger than
//     ParserConfig::max_document_bytes (the message names the limit).
// Text without a report in it is not an error: OK with zero reports and a
// NO_REPORT warning. Numbers that cannot be read (1e400, 500 digits) become
// UNREADABLE_NUMBER warnings; no infinity or NaN ever reaches the response.
//
// Thread safety: immutable after construction; Parse() may be called from any
// number of threads at once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "govreport/v1/parser_service.pb.h"

namespace govreport::parser {

// What a parse found, for metrics: the counts a caller of ParseToWire
// would otherwise have to parse the bytes for.
struct ParseSummary {
  int reports = 0;
  int observations = 0;
  std::vector<govreport::v1::ParseWarningCode> warnings;  // one per warning

  // The summary of a response built by Parse.
  static ParseSummary Of(const govreport::v1::ParseDocumentResponse& response);
};

struct ParserConfig {
  // Larger content -> RESOURCE_EXHAUSTED naming the limit.
  size_t max_document_bytes = 8 * 1024 * 1024;
};

// Version string stamped into every response and report.
inline constexpr char kExtractorVersion[] = "govreport-parser/0.1.0";

class DocumentParser {
 public:
  explicit DocumentParser(ParserConfig config);

  // Parses one document. See the file comment for the errors.
  absl::StatusOr<govreport::v1::ParseDocumentResponse> Parse(
      const govreport::v1::ParseDocumentRequest& request) const;

  // Like Parse, but returns the response in protobuf wire format, serialized
  // one report at a time as the reports are assembled: peak memory holds one
  // report's messages plus the bytes, never the whole message tree (which
  // takes ~1 KB per figure, 5-6x its wire size). Parsing the bytes gives what
  // Parse returns. The server answers ParseDocument with these bytes.
  // `summary`, when given, receives the counts of what was found.
  absl::StatusOr<std::string> ParseToWire(
      const govreport::v1::ParseDocumentRequest& request,
      ParseSummary* summary = nullptr) const;

  const ParserConfig& config() const { return config_; }

 private:
  // The pipeline; calls `on_report` after each report is added to
  // `response` (it may remove it).
  template <typename OnReport>
  absl::Status Run(const govreport::v1::ParseDocumentRequest& request,
                   govreport::v1::ParseDocumentResponse* response,
                   OnReport on_report) const;

  ParserConfig config_;
};

}  // namespace govreport::parser
