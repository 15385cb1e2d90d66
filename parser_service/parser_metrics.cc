#include "parser_service/parser_metrics.h"

#include <string>

#include <grpcpp/support/status.h>

#include "common/metrics.h"

namespace govreport::parser {

ParserMetrics::ParserMetrics(prometheus::Registry& registry)
    : documents_(prometheus::BuildCounter()
                     .Name("govreport_parser_documents_total")
                     .Help("documents parsed, by outcome (the gRPC code: OK, "
                           "INVALID_ARGUMENT, RESOURCE_EXHAUSTED)")
                     .Register(registry)),
      bytes_(prometheus::BuildCounter()
                 .Name("govreport_parser_bytes_total")
                 .Help("bytes of the documents parsed, failed ones included")
                 .Register(registry)
                 .Add({})),
      reports_(prometheus::BuildCounter()
                   .Name("govreport_parser_reports_total")
                   .Help("reports found in the documents parsed")
                   .Register(registry)
                   .Add({})),
      observations_(prometheus::BuildCounter()
                        .Name("govreport_parser_observations_total")
                        .Help("observations (figures) found in the documents "
                              "parsed")
                        .Register(registry)
                        .Add({})),
      warnings_(prometheus::BuildCounter()
                    .Name("govreport_parser_warnings_total")
                    .Help("parse warnings, by code (e.g. UNREADABLE_NUMBER)")
                    .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("govreport_parser_parse_seconds")
                   .Help("time to parse one document")
                   .Register(registry)
                   .Add({}, prometheus::Histogram::BucketBoundaries{
                                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                0.25, 0.5, 1, 2.5, 5, 10, 30})) {
  documents_.Add({{"grpc_code", "OK"}});
}

void ParserMetrics::RecordDocument(
    size_t bytes, absl::Duration elapsed,
    const absl::StatusOr<v1::ParseDocumentResponse>& result) {
  RecordDocument(bytes, elapsed,
                 result.ok()
                     ? absl::StatusOr<ParseSummary>(ParseSummary::Of(*result))
                     : absl::StatusOr<ParseSummary>(result.status()));
}

void ParserMetrics::RecordDocument(size_t bytes, absl::Duration elapsed,
                                   const absl::StatusOr<ParseSummary>& result) {
  bytes_.Increment(static_cast<double>(bytes));
  seconds_.Observe(absl::ToDoubleSeconds(elapsed));
  documents_
      .Add({{"grpc_code", GrpcCodeName(static_cast<grpc::StatusCode>(
                              result.status().code()))}})
      .Increment();
  if (!result.ok()) return;
  reports_.Increment(result->reports);
  observations_.Increment(result->observations);
  for (v1::ParseWarningCode code : result->warnings) {
    warnings_.Add({{"code", v1::ParseWarningCode_Name(code)}}).Increment();
  }
}

}  // namespace govreport::parser
