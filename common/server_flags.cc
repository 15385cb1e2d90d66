#include "common/server_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

#include "common/logging.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:50051",
          "host:port to serve gRPC on; port 0 lets the OS pick one (it is "
          "logged, and written to --port_file)");
ABSL_FLAG(std::string, port_file, "",
          "if set, write the bound port to this file once listening");
ABSL_FLAG(int, max_receive_message_bytes, 16 * 1024 * 1024,
          "largest request message accepted, in bytes");
ABSL_FLAG(int, max_send_message_bytes, 16 * 1024 * 1024,
          "largest response message sent, in bytes");
ABSL_FLAG(absl::Duration, drain_delay, absl::ZeroDuration(),
          "on SIGTERM, serve this long with health NOT_SERVING before "
          "closing (let load balancers notice), e.g. 5s");
ABSL_FLAG(absl::Duration, shutdown_deadline, absl::Seconds(10),
          "on SIGTERM, how long in-flight RPCs may finish before they are "
          "cancelled");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port for the Prometheus /metrics endpoint (HTTP), e.g. "
          "0.0.0.0:9090; empty turns it off");
ABSL_FLAG(std::string, metrics_port_file, "",
          "if set, write the bound metrics port to this file");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: serve TLS on --listen (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA: require client certificates signed by it (mutual TLS)");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of a plaintext port serving only grpc.health.v1 (for "
          "kubelet probes when --listen uses TLS); empty for none");
ABSL_FLAG(int, max_in_flight, 64,
          "calls in progress at once (health checks and reflection "
          "excepted); further calls are refused at once with "
          "RESOURCE_EXHAUSTED rather than queued; 0 for no limit");
ABSL_FLAG(int, max_concurrent_streams, 100,
          "calls one client connection may have open at once (HTTP/2 "
          "streams); more wait in the client; 0 for gRPC's default (no "
          "limit)");
ABSL_FLAG(absl::Duration, default_deadline, absl::Seconds(60),
          "deadline of calls that arrive without one, from their arrival; "
          "work stops with DEADLINE_EXCEEDED once it passes; 0 for none");
ABSL_FLAG(std::string, log_level, "info",
          "trace, debug, info, warn, error, critical or off");

namespace govreport {

absl::Status InitServerProcess(int argc, char** argv, const char* service_name,
                               const char* usage) {
  BlockShutdownSignals();
  // Debian's Abseil is built without NDEBUG, so every Mutex::Lock (gRPC's
  // own locks included) would also record lock-order edges in one global
  // graph, under one global lock: ~10 % of a server's CPU at high call
  // rates. Lock order is checked where it costs nothing in production: in
  // the tests (which keep the detection) and under TSan.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(usage);
  absl::ParseCommandLine(argc, argv);
  return InitLogging(service_name, absl::GetFlag(FLAGS_log_level));
}

absl::StatusOr<ServerOptions> ServerOptionsFromFlags() {
  ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.port_file = absl::GetFlag(FLAGS_port_file);
  options.max_receive_message_bytes =
      absl::GetFlag(FLAGS_max_receive_message_bytes);
  options.max_send_message_bytes = absl::GetFlag(FLAGS_max_send_message_bytes);
  options.metrics_listen_address = absl::GetFlag(FLAGS_metrics_listen);
  options.metrics_port_file = absl::GetFlag(FLAGS_metrics_port_file);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.health_listen_address = absl::GetFlag(FLAGS_health_listen);
  options.drain_delay = absl::GetFlag(FLAGS_drain_delay);
  options.shutdown_deadline = absl::GetFlag(FLAGS_shutdown_deadline);
  options.calls.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  options.calls.default_deadline = absl::GetFlag(FLAGS_default_deadline);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  if (options.max_concurrent_streams < 0) {
    return absl::InvalidArgumentError(
        "--max_concurrent_streams must not be negative (0: gRPC's default)");
  }
  if (options.calls.max_in_flight < 0) {
    return absl::InvalidArgumentError(
        "--max_in_flight must not be negative (0 means no limit)");
  }
  if (options.calls.default_deadline < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--default_deadline must not be negative (0 means none)");
  }
  if (options.max_receive_message_bytes <= 0) {
    return absl::InvalidArgumentError(
        "--max_receive_message_bytes must be positive");
  }
  if (options.max_send_message_bytes <= 0) {
    return absl::InvalidArgumentError(
        "--max_send_message_bytes must be positive");
  }
  if (options.drain_delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--drain_delay must not be negative");
  }
  if (options.shutdown_deadline < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--shutdown_deadline must not be negative");
  }
  return options;
}

}  // namespace govreport
