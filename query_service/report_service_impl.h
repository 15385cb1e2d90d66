// govreport.v1.ReportService over gRPC (callback API).
#pragma once

#include "govreport/v1/report_service.grpc.pb.h"
#include "query_service/bearer_auth.h"
#include "query_service/engine/query_engine.h"
#include "query_service/executor.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/parser_client.h"
#include "query_service/service_support.h"

namespace govreport::query {

// Report reads (gated like every read) and the writes, which need
// `authorization: Bearer <token>` (UNAUTHENTICATED otherwise). Writes are
// durable and visible to reads before they are answered. Every response
// carries a data version. Not owning (apart from the write workers);
// thread-safe.
//
// The writes (IngestDocument, PutReport, DeleteReport) run on a small
// executor of their own, never on a gRPC callback thread: the parser call,
// the store transaction and the snapshot refresh would otherwise hold a
// callback thread that reads need. Destroying the service waits for the
// writes already accepted.
class ReportServiceImpl final : public v1::ReportService::CallbackService {
 public:
  ReportServiceImpl(const QueryEngine& engine, const ReadGate& reads,
                    ReportWriter& writer, const ParserClient& parser,
                    const BearerAuth& auth)
      : engine_(engine),
        reads_(reads),
        writer_(writer),
        parser_(parser),
        auth_(auth) {
    SetMessageAllocatorFor_GetReport(&get_report_allocator_);
  }

  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const v1::GetReportRequest* request,
                                      v1::GetReportResponse* response) override;
  grpc::ServerUnaryReactor* ListReports(
      grpc::CallbackServerContext* context,
      const v1::ListReportsRequest* request,
      v1::ListReportsResponse* response) override;
  grpc::ServerUnaryReactor* ListPolicyMeasures(
      grpc::CallbackServerContext* context,
      const v1::ListPolicyMeasuresRequest* request,
      v1::ListPolicyMeasuresResponse* response) override;
  grpc::ServerUnaryReactor* ListObservations(
      grpc::CallbackServerContext* context,
      const v1::ListObservationsRequest* request,
      v1::ListObservationsResponse* response) override;
  grpc::ServerUnaryReactor* IngestDocument(
      grpc::CallbackServerContext* context,
      const v1::IngestDocumentRequest* request,
      v1::IngestDocumentResponse* response) override;
  grpc::ServerUnaryReactor* PutReport(grpc::CallbackServerContext* context,
                                      const v1::PutReportRequest* request,
                                      v1::PutReportResponse* response) override;
  grpc::ServerUnaryReactor* DeleteReport(
      grpc::CallbackServerContext* context,
      const v1::DeleteReportRequest* request,
      v1::DeleteReportResponse* response) override;

 private:
  absl::StatusOr<v1::IngestDocumentResponse> Ingest(
      const v1::IngestDocumentRequest& request);

  const QueryEngine& engine_;
  const ReadGate& reads_;
  ReportWriter& writer_;
  const ParserClient& parser_;
  const BearerAuth& auth_;
  // GetReport, the most frequent read: request and response on an arena.
  ArenaMessageAllocator<v1::GetReportRequest, v1::GetReportResponse>
      get_report_allocator_;
  // Writes are serialized by the store and the snapshot refresh anyway;
  // two workers let a parser call overlap another write.
  Executor writes_{2};
};

}  // namespace govreport::query
