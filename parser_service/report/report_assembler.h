// Stage 5 of the parser: turns the plain structs of the earlier stages into
// the ParseDocumentResponse proto (reports, sections, measures, sessions,
// observations, warnings and layout artifacts), mapping every clean-text
// range back to code point offsets into the input.
//
// Thread safety: stateless; safe to call concurrently.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "govreport/v1/parser_service.pb.h"
#include "parser_service/extract/observation_extractor.h"
#include "parser_service/layout/layout.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {

struct AssembleOptions {
  std::string source_uri;
  std::string extractor_version;
  std::string content_sha256;  // hex
};

// Builds a ParseDocumentResponse one report at a time, so that the figures of
// a report can be freed as soon as they are in the proto.
//
// Borrows `input` (the request content), `layout` and `response`, which must
// outlive the builder. Not thread-safe (one builder per request).
class ResponseBuilder {
 public:
  ResponseBuilder(absl::string_view input, const LayoutResult& layout,
                  const AssembleOptions& options,
                  v1::ParseDocumentResponse* response);
  ~ResponseBuilder();
  ResponseBuilder(const ResponseBuilder&) = delete;
  ResponseBuilder& operator=(const ResponseBuilder&) = delete;

  // Appends one report with its figures and warnings (their strings are
  // moved into the proto). The caller may take the report out of the
  // response before the next call (ParseToWire serializes and frees each).
  void AddReport(const ReportInfo& info, Extraction extraction);

  // Adds the layout artifacts and, when no report was added, the NO_REPORT
  // warning. Call once, last.
  void Finish();

 private:
  class Impl;
  Impl* impl_;
};

// Hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace govreport::parser
