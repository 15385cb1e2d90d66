#include "query_service/bearer_auth.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(BearerAuth, AcceptsTheConfiguredToken) {
  BearerAuth auth("s3cret");
  EXPECT_THAT(auth.Check("Bearer s3cret"), IsOk());
}

TEST(BearerAuth, RefusesMissingMalformedOrWrongCredentials) {
  BearerAuth auth("s3cret");
  EXPECT_THAT(
      auth.Check(std::nullopt),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("missing")));
  EXPECT_THAT(auth.Check("s3cret"), StatusIs(absl::StatusCode::kUnauthenticated,
                                             HasSubstr("Bearer")));
  EXPECT_THAT(
      auth.Check("Bearer s3cre"),
      StatusIs(absl::StatusCode::kUnauthenticated, Not(HasSubstr("s3cret"))));
  EXPECT_THAT(auth.Check("Bearer s3cret "),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(BearerAuth, WithoutATokenEverythingIsRefused) {
  BearerAuth auth(std::nullopt);
  EXPECT_THAT(auth.Check("Bearer "),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("--auth_token_file")));
}

TEST(BearerAuth, ReadsTheTokenFromAFileIgnoringWhitespace) {
  const std::string path = ::testing::TempDir() + "/bearer_auth_test_token";
  std::ofstream(path) << "  tok-123\n";
  auto auth = BearerAuth::FromFile(path);
  ASSERT_THAT(auth, IsOk());
  EXPECT_THAT(auth->Check("Bearer tok-123"), IsOk());
}

TEST(BearerAuth, EmptyOrMissingTokenFileIsAFailedPrecondition) {
  const std::string path = ::testing::TempDir() + "/bearer_auth_test_empty";
  std::ofstream(path) << "\n";
  EXPECT_THAT(BearerAuth::FromFile(path),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(BearerAuth::FromFile(path + ".missing"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ConstantTimeEquals, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace govreport::query
