#include "query_service/query_service_impl.h"

#include "common/status_macros.h"

namespace govreport::query {

GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, CompareYears)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, EvaluateTargets)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, QueryObservations)
GOVREPORT_SNAPSHOT_READ(QueryServiceImpl, SummarizeCoverage)

grpc::ServerUnaryReactor* QueryServiceImpl::CompareRegions(
    grpc::CallbackServerContext* context,
    const v1::CompareRegionsRequest* request,
    v1::CompareRegionsResponse* response) {
  // Filled in place, on the call's arena (see the allocator).
  return ServeInto(context, "CompareRegions", response, [&]() -> absl::Status {
    GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context));
    return engine_.CompareRegions(*snapshot, *request, response);
  });
}

}  // namespace govreport::query
