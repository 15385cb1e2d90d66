#include "query_service/catalog_service_impl.h"

#include "common/status_macros.h"

namespace govreport::query {

// Each handler: admit the read, take one snapshot, ask the engine.
#define GOVREPORT_CATALOG_READ(Method)                                       \
  grpc::ServerUnaryReactor* CatalogServiceImpl::Method(                      \
      grpc::CallbackServerContext* context,                                  \
      const v1::Method##Request* request, v1::Method##Response* response) {  \
    return Serve(                                                            \
        context, #Method,                                                    \
        response, [&]() -> absl::StatusOr<v1::Method##Response> {            \
          GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context)); \
          return engine_.Method(*snapshot, *request);                        \
        });                                                                  \
  }

GOVREPORT_CATALOG_READ(GetRegion)
GOVREPORT_CATALOG_READ(ListRegions)
GOVREPORT_CATALOG_READ(BatchGetRegions)
GOVREPORT_CATALOG_READ(GetIndicator)
GOVREPORT_CATALOG_READ(ListIndicators)
#undef GOVREPORT_CATALOG_READ

grpc::ServerUnaryReactor* CatalogServiceImpl::GetDataSnapshot(
    grpc::CallbackServerContext* context, const v1::GetDataSnapshotRequest*,
    v1::GetDataSnapshotResponse* response) {
  return Serve(context, "GetDataSnapshot", response,
               [&]() -> absl::StatusOr<v1::GetDataSnapshotResponse> {
                 GOVREPORT_ASSIGN_OR_RETURN(auto snapshot,
                                            reads_.Begin(*context));
                 return engine_.GetDataSnapshot(*snapshot);
               });
}

}  // namespace govreport::query
