// govreport.v1.QueryService over gRPC (callback API).
#pragma once

#include "govreport/v1/query_service.grpc.pb.h"
#include "query_service/engine/query_engine.h"
#include "query_service/service_support.h"

namespace govreport::query {

// Comparisons, target evaluation, bulk reads and coverage; all read-only.
// Every response carries the data version of the snapshot that answered.
// Not owning; thread-safe.
//
// CompareRegions is a raw method: its response, up to 1,000 rows, is written
// straight to wire format from the snapshot (QueryEngine::CompareRegionsWire)
// instead of being built as messages and serialized by gRPC. Clients see the
// same CompareRegionsResponse.
class QueryServiceImpl final
    : public v1::QueryService::WithRawCallbackMethod_CompareRegions<
          v1::QueryService::CallbackService> {
 public:
  // `cache` (may be null, not owned) keeps CompareRegions answers.
  QueryServiceImpl(const QueryEngine& engine, const ReadGate& reads,
                   ResponseCache* cache = nullptr)
      : engine_(engine), reads_(reads), cache_(cache) {}

  grpc::ServerUnaryReactor* CompareRegions(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CompareYears(
      grpc::CallbackServerContext* context,
      const v1::CompareYearsRequest* request,
      v1::CompareYearsResponse* response) override;
  grpc::ServerUnaryReactor* EvaluateTargets(
      grpc::CallbackServerContext* context,
      const v1::EvaluateTargetsRequest* request,
      v1::EvaluateTargetsResponse* response) override;
  grpc::ServerUnaryReactor* QueryObservations(
      grpc::CallbackServerContext* context,
      const v1::QueryObservationsRequest* request,
      v1::QueryObservationsResponse* response) override;
  grpc::ServerUnaryReactor* SummarizeCoverage(
      grpc::CallbackServerContext* context,
      const v1::SummarizeCoverageRequest* request,
      v1::SummarizeCoverageResponse* response) override;

 private:
  const QueryEngine& engine_;
  const ReadGate& reads_;
  ResponseCache* const cache_;
};

}  // namespace govreport::query
