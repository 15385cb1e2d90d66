#include "query_service/query_service_impl.h"

#include "common/status_macros.h"

namespace govreport::query {

GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, CompareYears)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, EvaluateTargets)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, QueryObservations)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, SummarizeCoverage)

grpc::ServerUnaryReactor* QueryServiceImpl::CompareRegions(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeWire<v1::CompareRegionsRequest>(
      context, "CompareRegions", reads_, cache_, request, response,
      [&](const v1::CompareRegionsRequest& parsed, const Snapshot& snapshot,
          std::string* bytes) {
        return engine_.CompareRegionsWire(snapshot, parsed, bytes);
      });
}

}  // namespace govreport::query
