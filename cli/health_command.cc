// `govreport health`: asks a server's grpc.health.v1 service how it is.
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

#include "cli/commands.h"
#include "cli/rpc.h"
#include "common/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace govreport::cli {

absl::Status RunHealth(const CommandContext& context) {
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(context.format, /*allow_jsonl=*/false);
  if (!format.ok()) return format.status();
  const std::string service = context.args.empty() ? "" : context.args[0];

  auto channel = Connect(context);
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext rpc;
  rpc.set_deadline(absl::ToChronoTime(absl::Now() + context.timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&rpc, request, &response);
  if (!status.ok()) {
    absl::Status error = FromGrpcStatus(status);
    return absl::Status(error.code(),
                        absl::StrCat("health check of ", context.server, ": ",
                                     error.message()));
  }
  if (*format == OutputFormat::kJson) {
    *context.out << ToJson(response, /*multiline=*/false) << "\n";
  } else {
    Table table({"server", "service", "status"});
    table.AddRow({context.server, service.empty() ? "(server)" : service,
                  grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                      response.status())});
    table.Print(*context.out);
  }
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(
        absl::StrCat(context.server, " is not serving ",
                     service.empty() ? "(server)" : service));
  }
  return absl::OkStatus();
}

}  // namespace govreport::cli
