#include "query_service/catalog_service_impl.h"

#include "common/status_macros.h"

namespace govreport::query {

GOVREPORT_SNAPSHOT_READ(CatalogServiceImpl, GetRegion)
GOVREPORT_SNAPSHOT_READ(CatalogServiceImpl, ListRegions)
GOVREPORT_SNAPSHOT_READ(CatalogServiceImpl, BatchGetRegions)
GOVREPORT_SNAPSHOT_READ(CatalogServiceImpl, GetIndicator)
GOVREPORT_SNAPSHOT_READ(CatalogServiceImpl, ListIndicators)

grpc::ServerUnaryReactor* CatalogServiceImpl::GetDataSnapshot(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve<v1::GetDataSnapshotRequest>(
      context, "GetDataSnapshot", request, response,
      [&](const v1::GetDataSnapshotRequest&)
          -> absl::StatusOr<v1::GetDataSnapshotResponse> {
        GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context));
        return engine_.GetDataSnapshot(*snapshot);
      });
}

}  // namespace govreport::query
