#include "query_service/query_service_impl.h"

#include "common/status_macros.h"

namespace govreport::query {

// Each handler: admit the read, take one snapshot, ask the engine.
#define GOVREPORT_QUERY_READ(Method)                                         \
  grpc::ServerUnaryReactor* QueryServiceImpl::Method(                        \
      grpc::CallbackServerContext* context,                                  \
      const v1::Method##Request* request, v1::Method##Response* response) {  \
    return Serve(                                                            \
        context, #Method,                                                    \
        response, [&]() -> absl::StatusOr<v1::Method##Response> {            \
          GOVREPORT_ASSIGN_OR_RETURN(auto snapshot, reads_.Begin(*context)); \
          return engine_.Method(*snapshot, *request);                        \
        });                                                                  \
  }

GOVREPORT_QUERY_READ(CompareYears)
GOVREPORT_QUERY_READ(EvaluateTargets)
GOVREPORT_QUERY_READ(QueryObservations)
GOVREPORT_QUERY_READ(SummarizeCoverage)
#undef GOVREPORT_QUERY_READ

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
