// govreport.v1.CatalogService over gRPC (callback API).
#pragma once

#include "govreport/v1/catalog_service.grpc.pb.h"
#include "query_service/engine/query_engine.h"
#include "query_service/service_support.h"

namespace govreport::query {

// Regions, indicators and the data snapshot description. Every response
// carries the data version of the snapshot that answered. Not owning;
// thread-safe.
//
// Every method is a raw callback method served by Serve (service_support.h):
// it decodes its own request, so that bytes that are not one are answered
// INVALID_ARGUMENT naming the request type. Clients see the same messages.
class CatalogServiceImpl final
    : public v1::CatalogService::WithRawCallbackMethod_GetRegion<
          v1::CatalogService::WithRawCallbackMethod_ListRegions<
              v1::CatalogService::WithRawCallbackMethod_BatchGetRegions<
                  v1::CatalogService::WithRawCallbackMethod_GetIndicator<
                      v1::CatalogService::WithRawCallbackMethod_ListIndicators<
                          v1::CatalogService::
                              WithRawCallbackMethod_GetDataSnapshot<
                                  v1::CatalogService::Service>>>>>> {
 public:
  CatalogServiceImpl(const QueryEngine& engine, const ReadGate& reads)
      : engine_(engine), reads_(reads) {}

  // Each takes the serialized v1::<Method>Request and answers the
  // serialized v1::<Method>Response.
  grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListRegions(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetRegions(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetIndicator(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListIndicators(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDataSnapshot(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  const QueryEngine& engine_;
  const ReadGate& reads_;
};

}  // namespace govreport::query
