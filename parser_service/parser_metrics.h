// The parser server's own Prometheus metrics, beside the per-RPC ones every
// server has (common/metrics.h): what it parsed, document by document.
#pragma once

#include <cstddef>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "govreport/v1/parser_service.pb.h"
#include "parser_service/document_parser.h"

namespace govreport::parser {

// Documents parsed (by ParseDocument and by the ParseDocuments stream), by
// outcome, with their bytes, reports, observations and warnings. Thread-safe.
class ParserMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  explicit ParserMetrics(prometheus::Registry& registry);

  // One document of `bytes` bytes that took `elapsed` to parse, and what
  // came of it.
  void RecordDocument(size_t bytes, absl::Duration elapsed,
                      const absl::StatusOr<v1::ParseDocumentResponse>& result);
  // The same from what the parse found (ParseToWire).
  void RecordDocument(size_t bytes, absl::Duration elapsed,
                      const absl::StatusOr<ParseSummary>& result);

 private:
  prometheus::Family<prometheus::Counter>& documents_;
  prometheus::Counter& bytes_;
  prometheus::Counter& reports_;
  prometheus::Counter& observations_;
  prometheus::Family<prometheus::Counter>& warnings_;
  prometheus::Histogram& seconds_;
};

}  // namespace govreport::parser
