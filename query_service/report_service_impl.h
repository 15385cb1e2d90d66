// govreport.v1.ReportService over gRPC (callback API).
#pragma once

#include "common/executor.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "query_service/bearer_auth.h"
#include "query_service/engine/query_engine.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/parser_client.h"
#include "query_service/query_metrics.h"
#include "query_service/service_support.h"

namespace govreport::query {

// How ReportServiceImpl runs its writes.
struct ReportServiceOptions {
  // Writes accepted but not finished (queued or running); beyond it a write
  // is refused with RESOURCE_EXHAUSTED. <= 0: no bound.
  int max_pending_writes = 16;
  // Counts writes by result when set; not owned.
  QueryMetrics* metrics = nullptr;
  // Keeps GetReport answers when set; not owned.
  ResponseCache* cache = nullptr;
};

// Report reads (gated like every read) and the writes, which need
// `authorization: Bearer <token>` (UNAUTHENTICATED otherwise). Writes are
// durable and visible to reads before they are answered. Every response
// carries a data version. Not owning (apart from the write workers);
// thread-safe.
//
// The writes (IngestDocument, PutReport, DeleteReport) run on a small
// executor of their own, never on a gRPC callback thread: the parser call,
// the store transaction and the snapshot refresh would otherwise hold a
// callback thread that reads need. At most `max_pending_writes` are
// accepted at once (RESOURCE_EXHAUSTED beyond). Destroying the service waits
// for the writes already accepted.
//
// Every method is a raw callback method: it decodes its own request, so
// that bytes that are not one are answered INVALID_ARGUMENT naming the
// request type (for a write, before its token is checked). GetReport
// (ServeWire) also so
// that its answers can come from the response cache as they were first
// sent; the others are typed handlers served by Serve and, for the writes,
// ServeOn. Clients see the same messages.
class ReportServiceImpl final
    : public v1::ReportService::WithRawCallbackMethod_GetReport<
          v1::ReportService::WithRawCallbackMethod_ListReports<
              v1::ReportService::WithRawCallbackMethod_ListPolicyMeasures<
                  v1::ReportService::WithRawCallbackMethod_ListObservations<
                      v1::ReportService::WithRawCallbackMethod_IngestDocument<
                          v1::ReportService::WithRawCallbackMethod_PutReport<
                              v1::ReportService::
                                  WithRawCallbackMethod_DeleteReport<
                                      v1::ReportService::Service>>>>>>> {
 public:
  ReportServiceImpl(const QueryEngine& engine, const ReadGate& reads,
                    ReportWriter& writer, const ParserClient& parser,
                    const BearerAuth& auth,
                    ReportServiceOptions options = ReportServiceOptions())
      : engine_(engine),
        reads_(reads),
        writer_(writer),
        parser_(parser),
        auth_(auth),
        metrics_(options.metrics),
        cache_(options.cache),
        writes_(kWriteThreads, options.max_pending_writes) {}

  // Each takes the serialized v1::<Method>Request and answers the
  // serialized v1::<Method>Response.
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListPolicyMeasures(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListObservations(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* IngestDocument(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PutReport(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteReport(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

 private:
  absl::StatusOr<v1::IngestDocumentResponse> Ingest(
      const grpc::CallbackServerContext& context,
      const v1::IngestDocumentRequest& request);

  const QueryEngine& engine_;
  const ReadGate& reads_;
  ReportWriter& writer_;
  const ParserClient& parser_;
  const BearerAuth& auth_;
  QueryMetrics* const metrics_;
  ResponseCache* const cache_;
  // Writes are serialized by the store and the snapshot refresh anyway;
  // two workers let a parser call overlap another write.
  static constexpr int kWriteThreads = 2;
  WriteQueue writes_;
};

}  // namespace govreport::query
