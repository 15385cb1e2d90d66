#include "common/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <thread>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"

#include "common/logging.h"

namespace govreport {
namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) {
      return absl::InternalError(absl::StrCat("cannot write ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", tmp, " to ", path, ": errno ", errno));
  }
  return absl::OkStatus();
}

}  // namespace

void BlockShutdownSignals() {
  const sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServerRunner::ServerRunner(ServerOptions options,
                           std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)),
      registry_(std::move(registry)),
      rpc_metrics_(*registry_),
      call_control_(options_.calls, *registry_) {}

ServerRunner::~ServerRunner() {
  for (auto* server : {&server_, &health_server_}) {
    if (*server != nullptr) {
      (*server)->Shutdown(std::chrono::system_clock::now());
      (*server)->Wait();
    }
  }
}

void ServerRunner::AddService(grpc::Service* service, std::string health_name) {
  services_.emplace_back(service, std::move(health_name));
}

void ServerRunner::AddCollectable(
    std::shared_ptr<prometheus::Collectable> collectable) {
  collectables_.push_back(std::move(collectable));
}

absl::Status ServerRunner::Start() {
  if (server_ != nullptr) {
    return absl::FailedPreconditionError("server already started");
  }
  if (options_.listen_address.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address \"", options_.listen_address,
                     "\" has no port; expected host:port, e.g. 0.0.0.0:50051"));
  }
  spdlog::info(
      "config: listen={} max_receive_message_bytes={} "
      "max_send_message_bytes={} max_in_flight={} max_concurrent_streams={} "
      "default_deadline={} "
      "drain_delay={} shutdown_deadline={} tls={} health_listen={} "
      "metrics_listen={}",
      options_.listen_address, options_.max_receive_message_bytes,
      options_.max_send_message_bytes,
      options_.calls.max_in_flight > 0
          ? absl::StrCat(options_.calls.max_in_flight)
          : std::string("(none)"),
      options_.max_concurrent_streams,
      options_.calls.default_deadline > absl::ZeroDuration()
          ? absl::FormatDuration(options_.calls.default_deadline)
          : std::string("(none)"),
      absl::FormatDuration(options_.drain_delay),
      absl::FormatDuration(options_.shutdown_deadline),
      options_.tls.cert_file.empty()        ? "off"
      : options_.tls.client_ca_file.empty() ? "server"
                                            : "mutual",
      options_.health_listen_address.empty() ? "-"
                                             : options_.health_listen_address,
      options_.metrics_listen_address.empty()
          ? "-"
          : options_.metrics_listen_address);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets two servers share a port
  // without an error; we want the second one to fail to bind.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_send_message_bytes);
  if (options_.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                               options_.max_concurrent_streams);
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(options_.tls);
  if (!credentials.ok()) return credentials.status();
  builder.AddListeningPort(options_.listen_address, *credentials, &port_);
  for (auto& [service, name] : services_) builder.RegisterService(service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(MakeMetricsInterceptorFactory(rpc_metrics_));
  interceptors.push_back(call_control_.MakeInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address,
                     " (address in use, or not a local address?)"));
  }
  const std::string host =
      options_.listen_address.substr(0, options_.listen_address.rfind(':'));
  spdlog::info("listening on {}:{}{}", host, port_,
               options_.tls.cert_file.empty()        ? " (plaintext)"
               : options_.tls.client_ca_file.empty() ? " (TLS)"
                                                     : " (mutual TLS)");
  if (!options_.health_listen_address.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.AddListeningPort(options_.health_listen_address,
                                    grpc::InsecureServerCredentials(),
                                    &health_port_);
    health_server_ = health_builder.BuildAndStart();
    if (health_server_ == nullptr || health_port_ == 0) {
      health_server_.reset();
      return absl::UnavailableError(
          absl::StrCat("cannot listen for health checks on ",
                       options_.health_listen_address));
    }
    spdlog::info("health checks (plaintext) on port {}", health_port_);
  }
  SetServing(false);
  if (!options_.port_file.empty()) {
    if (absl::Status s = WritePortFile(options_.port_file, port_); !s.ok()) {
      return s;
    }
  }
  if (!options_.metrics_listen_address.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
        MetricsEndpoint::Start(options_.metrics_listen_address, registry_,
                               collectables_);
    if (!endpoint.ok()) return endpoint.status();
    metrics_endpoint_ = *std::move(endpoint);
    metrics_port_ = metrics_endpoint_->port();
    if (!options_.metrics_port_file.empty()) {
      if (absl::Status s = WritePortFile(options_.metrics_port_file,
                                         metrics_endpoint_->port());
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

void ServerRunner::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shutting_down_ || server_ == nullptr) return;
  for (grpc::Server* server : {server_.get(), health_server_.get()}) {
    if (server == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    health->SetServingStatus(serving);
    for (const auto& entry : services_) {
      health->SetServingStatus(entry.second, serving);
    }
  }
  spdlog::info("health: {}", serving ? "SERVING" : "NOT_SERVING");
}

void ServerRunner::RequestShutdown() { shutdown_requested_.Notify(); }

void ServerRunner::WaitForSignalOrRequest() {
  const sigset_t set = ShutdownSignals();
  const timespec poll = {0, 100 * 1000 * 1000};
  while (!shutdown_requested_.HasBeenNotified()) {
    // Only works when the signals are blocked (BlockShutdownSignals);
    // otherwise the default action ends the process, which is still a stop.
    const int sig = sigtimedwait(&set, nullptr, &poll);
    if (sig == SIGTERM || sig == SIGINT) {
      spdlog::info("received {}, shutting down",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return;
    }
  }
  spdlog::info("shutdown requested");
}

absl::Status ServerRunner::Wait() {
  if (server_ == nullptr) {
    return absl::FailedPreconditionError("server not started");
  }
  WaitForSignalOrRequest();
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    // Sets every service NOT_SERVING and keeps it so.
    server_->GetHealthCheckService()->Shutdown();
    if (health_server_) health_server_->GetHealthCheckService()->Shutdown();
  }
  // The metrics endpoint takes a second or so to stop its HTTP threads; do it
  // alongside the drain and the gRPC shutdown rather than after them.
  std::thread metrics_stopper([this] { metrics_endpoint_.reset(); });
  if (options_.drain_delay > absl::ZeroDuration()) {
    spdlog::info("draining for {}", absl::FormatDuration(options_.drain_delay));
    absl::SleepFor(options_.drain_delay);
  }
  const auto deadline =
      absl::ToChronoTime(absl::Now() + options_.shutdown_deadline);
  server_->Shutdown(deadline);
  server_->Wait();
  server_.reset();
  if (health_server_) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_.reset();
  }
  metrics_stopper.join();
  spdlog::info("stopped");
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> ServerRunner::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

}  // namespace govreport
