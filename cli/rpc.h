// Calling our servers from the CLI: channels, deadlines, the bearer token,
// and reading resource names and enum values as people type them.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

#include "cli/command.h"
#include "common/grpc_status.h"
#include "govreport/v1/resources.pb.h"

namespace govreport::cli {

// A channel to context.server.
std::shared_ptr<grpc::Channel> Connect(const CommandContext& context);

// Sets the deadline and, when a token was given, `authorization: Bearer`.
void PrepareCall(const CommandContext& context, grpc::ClientContext* rpc);

// Calls `method` on `stub` and turns a failure into an absl::Status that
// names the RPC and the server.
template <typename Stub, typename Request, typename Response>
absl::Status Call(const CommandContext& context, Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const char* rpc_name, const Request& request,
                  Response* response) {
  grpc::ClientContext rpc;
  PrepareCall(context, &rpc);
  const grpc::Status status = (stub.*method)(&rpc, request, response);
  if (status.ok()) return absl::OkStatus();
  const absl::Status error = FromGrpcStatus(status);
  return absl::Status(
      error.code(),
      absl::StrCat(rpc_name, " on ", context.server, ": ", error.message()));
}

// "410325" → "regions/410325"; names already in that form pass through.
std::string RegionName(const std::string& text);
// "gdp" → "indicators/gdp".
std::string IndicatorName(const std::string& text);
// "410325/2024" or "regions/410325/reports/2024" → the report name.
std::string ReportName(const std::string& text);

// Enum values as typed on the command line; "" gives UNSPECIFIED.
// INVALID_ARGUMENT lists the accepted words.
absl::StatusOr<v1::RegionLevel> ParseRegionLevel(const std::string& text);
absl::StatusOr<v1::ObservationKind> ParseKind(const std::string& text);
absl::StatusOr<v1::ValueType> ParseValueType(const std::string& text);

// Short words for enum values in tables: "target", "at_least", "county".
std::string KindWord(v1::ObservationKind kind);
std::string ComparatorWord(v1::Comparator comparator);
std::string LevelWord(v1::RegionLevel level);
std::string ValueTypeWord(v1::ValueType value_type);

// A quantity as people read it: "≥ 25 家", "3–4 个", "≈ 8600 人".
std::string FormatQuantity(const v1::Quantity& quantity);

// INVALID_ARGUMENT "expected one argument: `what`" unless exactly one
// positional argument was given.
absl::Status NeedOneArg(const CommandContext& context, absl::string_view what);

// Reads a whole file, or stdin for "-". NOT_FOUND if it cannot be read.
absl::StatusOr<std::string> ReadInput(const std::string& path);

}  // namespace govreport::cli
