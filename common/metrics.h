// Prometheus metrics for our servers: a registry, the /metrics endpoint, and
// a gRPC interceptor that counts every RPC by method and status code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"

namespace govreport {

// The canonical name of a gRPC status code ("OK", "NOT_FOUND", ...), as the
// metrics label it.
const char* GrpcCodeName(grpc::StatusCode code);

// The RPC metrics every server exports. Thread-safe (prometheus-cpp's
// families and metrics are).
class RpcMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  explicit RpcMetrics(prometheus::Registry& registry);

  // Records one finished RPC.
  void RecordRpc(const std::string& method, const std::string& code,
                 double seconds);
  // The in-flight gauge of one method.
  prometheus::Gauge& InFlight(const std::string& method);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Gauge>& in_flight_;
};

// Creates interceptors that feed RpcMetrics; pass to
// ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory(RpcMetrics& metrics);

// Serves GET /metrics for `registry`, and for any further `collectables`
// (metrics computed when scraped), over HTTP on `listen_address`
// (host:port; port 0 picks one). UNAVAILABLE if it cannot bind.
class MetricsEndpoint {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen_address,
      std::shared_ptr<prometheus::Registry> registry,
      const std::vector<std::shared_ptr<prometheus::Collectable>>&
          collectables = {});
  // The port actually bound.
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port)
      : exposer_(std::move(exposer)), port_(port) {}
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace govreport
