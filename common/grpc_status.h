// The one place where absl::Status and grpc::Status meet.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace govreport {

// Converts at the RPC edge: same code, same message. Every absl code has a
// grpc code of the same number, so nothing is lost.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Converts a status a client received back into absl form.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace govreport
