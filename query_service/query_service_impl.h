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
// Every method is a raw callback method: it decodes its own request, so
// that bytes that are not one are answered INVALID_ARGUMENT naming the
// request type. CompareRegions (ServeWire) also so that its response, up to
// 1,000 rows, is written straight to wire format from the snapshot
// (QueryEngine::CompareRegionsWire) instead of being built as messages and
// serialized; the others are typed handlers served by Serve. Clients see
// the same messages.
class QueryServiceImpl final
    : public v1::QueryService::WithRawCallbackMethod_CompareRegions<
          v1::QueryService::WithRawCallbackMethod_CompareYears<
              v1::QueryService::WithRawCallbackMethod_EvaluateTargets<
                  v1::QueryService::WithRawCallbackMethod_QueryObservations<
                      v1::QueryService::WithRawCallbackMethod_SummarizeCoverage<
                          v1::QueryService::Service>>>>> {
 public:
  // `cache` (may be null, not owned) keeps CompareRegions answers.
  QueryServiceImpl(const QueryEngine& engine, const ReadGate& reads,
                   ResponseCache* cache = nullptr)
      : engine_(engine), reads_(reads), cache_(cache) {}

  // Each takes the serialized v1::<Method>Request and answers the
  // serialized v1::<Method>Response.
  grpc::ServerUnaryReactor* CompareRegions(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CompareYears(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* EvaluateTargets(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* QueryObservations(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SummarizeCoverage(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;

 private:
  const QueryEngine& engine_;
  const ReadGate& reads_;
  ResponseCache* const cache_;
};

}  // namespace govreport::query
