// govreport.v1.CatalogService over gRPC (callback API).
#pragma once

#include "govreport/v1/catalog_service.grpc.pb.h"
#include "query_service/engine/query_engine.h"
#include "query_service/service_support.h"

namespace govreport::query {

// Regions, indicators and the data snapshot description. Every response
// carries the data version of the snapshot that answered. Not owning;
// thread-safe.
class CatalogServiceImpl final : public v1::CatalogService::CallbackService {
 public:
  CatalogServiceImpl(const QueryEngine& engine, const ReadGate& reads)
      : engine_(engine), reads_(reads) {}

  grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* context,
                                      const v1::GetRegionRequest* request,
                                      v1::GetRegionResponse* response) override;
  grpc::ServerUnaryReactor* ListRegions(
      grpc::CallbackServerContext* context,
      const v1::ListRegionsRequest* request,
      v1::ListRegionsResponse* response) override;
  grpc::ServerUnaryReactor* BatchGetRegions(
      grpc::CallbackServerContext* context,
      const v1::BatchGetRegionsRequest* request,
      v1::BatchGetRegionsResponse* response) override;
  grpc::ServerUnaryReactor* GetIndicator(
      grpc::CallbackServerContext* context,
      const v1::GetIndicatorRequest* request,
      v1::GetIndicatorResponse* response) override;
  grpc::ServerUnaryReactor* ListIndicators(
      grpc::CallbackServerContext* context,
      const v1::ListIndicatorsRequest* request,
      v1::ListIndicatorsResponse* response) override;
  grpc::ServerUnaryReactor* GetDataSnapshot(
      grpc::CallbackServerContext* context,
      const v1::GetDataSnapshotRequest* request,
      v1::GetDataSnapshotResponse* response) override;

 private:
  const QueryEngine& engine_;
  const ReadGate& reads_;
};

}  // namespace govreport::query
