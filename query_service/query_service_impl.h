// govreport.v1.QueryService over gRPC (callback API).
#pragma once

#include "govreport/v1/query_service.grpc.pb.h"
#include "query_service/engine/query_engine.h"
#include "query_service/service_support.h"

namespace govreport::query {

// Comparisons, target evaluation, bulk reads and coverage; all read-only.
// Every response carries the data version of the snapshot that answered.
// Not owning; thread-safe.
class QueryServiceImpl final : public v1::QueryService::CallbackService {
 public:
  QueryServiceImpl(const QueryEngine& engine, const ReadGate& reads)
      : engine_(engine), reads_(reads) {
    SetMessageAllocatorFor_CompareRegions(&compare_regions_allocator_);
  }

  grpc::ServerUnaryReactor* CompareRegions(
      grpc::CallbackServerContext* context,
      const v1::CompareRegionsRequest* request,
      v1::CompareRegionsResponse* response) override;
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
  // CompareRegions answers up to 1,000 rows: built on an arena.
  ArenaMessageAllocator<v1::CompareRegionsRequest, v1::CompareRegionsResponse>
      compare_regions_allocator_;
};

}  // namespace govreport::query
