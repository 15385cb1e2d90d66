// Runs a gRPC server the way both of our binaries need: health service with
// per-service status, server reflection, message size limits, a listen
// address that may use port 0, admission control (a limit on calls in
// flight, a default deadline, request ids: common/call_control.h), metrics,
// and SIGTERM/SIGINT → NOT_SERVING → graceful shutdown within a deadline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#include "common/call_control.h"
#include "common/metrics.h"
#include "common/tls.h"

namespace govreport {

// How to run a server. Filled from flags in main.cc (common/server_flags.h).
struct ServerOptions {
  // host:port to listen on; port 0 lets the OS pick (see ServerRunner::port).
  std::string listen_address = "0.0.0.0:50051";
  // Largest request and response messages accepted, in bytes.
  int max_receive_message_bytes = 16 * 1024 * 1024;
  int max_send_message_bytes = 16 * 1024 * 1024;
  // After health turns NOT_SERVING on shutdown, how long to keep serving so
  // that load balancers notice before connections close.
  absl::Duration drain_delay = absl::ZeroDuration();
  // How long in-flight RPCs may run once shutdown begins; then they are
  // cancelled.
  absl::Duration shutdown_deadline = absl::Seconds(10);
  // When set, the bound port is written to this file (atomically) once the
  // server listens, for scripts and tests that start it on port 0.
  std::string port_file;
  // host:port for the Prometheus /metrics endpoint (HTTP); empty for none.
  std::string metrics_listen_address;
  // When set, the bound metrics port is written here.
  std::string metrics_port_file;
  // TLS on `listen_address` (plaintext when empty); with a client CA,
  // mutual TLS.
  ServerTlsFiles tls;
  // host:port of a plaintext port serving only grpc.health.v1, for probes
  // that cannot speak TLS (kubelet's gRPC probes); empty for none. Its
  // statuses mirror the main port's.
  std::string health_listen_address;
  // The limit on calls in flight and the default deadline. The services'
  // handlers enforce them through CheckAdmitted (common/call_control.h).
  CallControlOptions calls;
  // HTTP/2 streams (calls) one connection may have open at once; a client
  // waits for a free stream beyond it. 0: gRPC's default (no limit).
  int max_concurrent_streams = 100;
};

// Blocks SIGTERM and SIGINT in the calling thread, so that every thread
// started afterwards inherits the mask and ServerRunner::Wait can take them
// with sigwait. Call first thing in main, before any thread starts.
void BlockShutdownSignals();

// Owns one grpc::Server. Usage from main.cc:
//   ServerRunner runner(options);
//   runner.AddService(&impl);                // not owned; must outlive runner
//   GOVREPORT_RETURN_IF_ERROR(runner.Start());
//   runner.SetServing(true);                 // when ready to answer
//   return runner.Wait();                    // until SIGTERM / RequestShutdown
// Thread-safe after Start: SetServing and RequestShutdown may be called from
// any thread.
class ServerRunner {
 public:
  // `registry` receives the RPC metrics and is served on the metrics
  // endpoint; services may register their own metrics in it too.
  explicit ServerRunner(ServerOptions options,
                        std::shared_ptr<prometheus::Registry> registry =
                            std::make_shared<prometheus::Registry>());
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Registers a service before Start. Its full name (e.g.
  // "govreport.v1.ParserService") gets its own health status.
  void AddService(grpc::Service* service, std::string health_name);

  // Adds metrics computed at each scrape (e.g. the age of a snapshot) to the
  // metrics endpoint, before Start.
  void AddCollectable(std::shared_ptr<prometheus::Collectable> collectable);

  // Binds and starts serving, with health NOT_SERVING for every service until
  // SetServing(true). UNAVAILABLE if the address cannot be bound;
  // INVALID_ARGUMENT for a malformed address; FAILED_PRECONDITION if called
  // twice.
  absl::Status Start();

  // The port actually bound; 0 before Start.
  int port() const { return port_; }
  // The plaintext health port actually bound; 0 when there is none.
  int health_port() const { return health_port_; }

  // The metrics port actually bound; 0 when there is no metrics endpoint.
  // Valid from Start until Wait returns.
  int metrics_port() const { return metrics_port_; }

  // Sets the health status of every registered service and of the server as
  // a whole (service name ""). Ignored once shutdown has begun.
  void SetServing(bool serving);

  // Blocks until SIGTERM, SIGINT or RequestShutdown, then turns health
  // NOT_SERVING, waits the drain delay, and shuts the server down, cancelling
  // RPCs still running after the shutdown deadline. Returns OK on a clean
  // shutdown.
  absl::Status Wait();

  // Makes Wait return as if a signal had arrived.
  void RequestShutdown();

  // An in-process channel to this server (no port), for tests.
  std::shared_ptr<grpc::Channel> InProcessChannel();

 private:
  void WaitForSignalOrRequest();

  const ServerOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  RpcMetrics rpc_metrics_;
  CallControl call_control_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  int health_port_ = 0;
  int port_ = 0;
  int metrics_port_ = 0;
  absl::Notification shutdown_requested_;
  absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace govreport
