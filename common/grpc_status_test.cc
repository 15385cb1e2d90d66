#include "common/grpc_status.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace govreport {
namespace {

struct CodePair {
  absl::StatusCode absl_code;
  grpc::StatusCode grpc_code;
};

constexpr CodePair kAllCodes[] = {
    {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
    {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
    {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
    {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
    {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
    {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
    {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
    {absl::StatusCode::kResourceExhausted,
     grpc::StatusCode::RESOURCE_EXHAUSTED},
    {absl::StatusCode::kFailedPrecondition,
     grpc::StatusCode::FAILED_PRECONDITION},
    {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
    {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
    {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
    {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
    {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
    {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
    {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
};

TEST(GrpcStatus, MapsEveryErrorCodeAndKeepsTheMessage) {
  for (const CodePair& pair : kAllCodes) {
    SCOPED_TRACE(absl::StatusCodeToString(pair.absl_code));
    const grpc::Status converted =
        ToGrpcStatus(absl::Status(pair.absl_code, "what and where"));
    EXPECT_EQ(converted.error_code(), pair.grpc_code);
    EXPECT_EQ(converted.error_message(), "what and where");
  }
}

TEST(GrpcStatus, RoundTripsEveryErrorCode) {
  for (const CodePair& pair : kAllCodes) {
    SCOPED_TRACE(absl::StatusCodeToString(pair.absl_code));
    const absl::Status original(pair.absl_code, "message");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)), original);
  }
}

TEST(GrpcStatus, OkIsOkBothWays) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatus, UnknownAbslCodeBecomesUnknown) {
  const absl::Status odd(static_cast<absl::StatusCode>(99), "odd");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
}

}  // namespace
}  // namespace govreport
