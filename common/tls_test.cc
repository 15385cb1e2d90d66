#include "common/tls.h"

#include <cstdlib>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/server_runner.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace govreport {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;

// A CA, a server certificate for "localhost" and a client certificate, made
// with openssl in a fresh directory, once for the suite.
class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::MakeTempDir("tls"));
    const std::string d = *dir_;
    const std::string script = absl::StrCat(
        "set -e; cd '", d, "';",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca "
        "-keyout ca.key -out ca.pem;",
        "printf 'subjectAltName=DNS:localhost\\n' > san.ext;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost "
        "-keyout server.key -out server.csr;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial -days 2 -extfile san.ext -out server.pem;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=client "
        "-keyout client.key -out client.csr;",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial -days 2 -out client.pem",
        " >/dev/null 2>&1");
    ok_ = std::system(script.c_str()) == 0;
  }
  static void TearDownTestSuite() { delete dir_; }

  void SetUp() override {
    if (!ok_) GTEST_SKIP() << "openssl could not make test certificates";
  }

  static std::string Path(const char* name) { return *dir_ + "/" + name; }

  static ServerOptions TlsOptions(bool mutual) {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.tls = {Path("server.pem"), Path("server.key"),
                   mutual ? Path("ca.pem") : ""};
    return options;
  }

  // Health/Check over `credentials`, naming the server "localhost".
  static bool CheckHealth(int port,
                          std::shared_ptr<grpc::ChannelCredentials> creds) {
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                             std::move(creds), args);
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&context, {}, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  static std::string* dir_;
  static bool ok_;
};

std::string* TlsTest::dir_ = nullptr;
bool TlsTest::ok_ = false;

TEST_F(TlsTest, ServesTlsToClientsThatTrustTheCaAndRefusesPlaintext) {
  ServerRunner runner(TlsOptions(/*mutual=*/false));
  ASSERT_THAT(runner.Start(), IsOk());
  runner.SetServing(true);
  auto trusted = MakeChannelCredentials({Path("ca.pem"), "", ""});
  ASSERT_THAT(trusted, IsOk());
  EXPECT_TRUE(CheckHealth(runner.port(), *trusted));
  EXPECT_FALSE(CheckHealth(runner.port(), grpc::InsecureChannelCredentials()));
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificate) {
  ServerRunner runner(TlsOptions(/*mutual=*/true));
  ASSERT_THAT(runner.Start(), IsOk());
  runner.SetServing(true);
  auto without_cert = MakeChannelCredentials({Path("ca.pem"), "", ""});
  auto with_cert = MakeChannelCredentials(
      {Path("ca.pem"), Path("client.pem"), Path("client.key")});
  ASSERT_THAT(without_cert, IsOk());
  ASSERT_THAT(with_cert, IsOk());
  EXPECT_FALSE(CheckHealth(runner.port(), *without_cert));
  EXPECT_TRUE(CheckHealth(runner.port(), *with_cert));
}

TEST_F(TlsTest, PlaintextHealthPortMirrorsTheTlsPort) {
  ServerOptions options = TlsOptions(/*mutual=*/true);
  options.health_listen_address = "127.0.0.1:0";
  ServerRunner runner(options);
  ASSERT_THAT(runner.Start(), IsOk());
  ASSERT_GT(runner.health_port(), 0);
  EXPECT_FALSE(
      CheckHealth(runner.health_port(), grpc::InsecureChannelCredentials()));
  runner.SetServing(true);
  EXPECT_TRUE(
      CheckHealth(runner.health_port(), grpc::InsecureChannelCredentials()));
}

TEST(TlsConfig, CertificateWithoutKeyIsInvalid) {
  EXPECT_THAT(MakeServerCredentials({"server.pem", "", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MakeServerCredentials({"", "", "ca.pem"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MakeChannelCredentials({"", "client.pem", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TlsConfig, MissingFileIsNotFoundAndNamed) {
  EXPECT_THAT(
      MakeServerCredentials({"/nonexistent/server.pem", "/nonexistent/k", ""}),
      StatusIs(absl::StatusCode::kNotFound,
               ::testing::HasSubstr("/nonexistent/server.pem")));
}

TEST(TlsConfig, NoFilesMeansPlaintext) {
  EXPECT_THAT(MakeServerCredentials({}), IsOk());
  EXPECT_THAT(MakeChannelCredentials({}), IsOk());
}

}  // namespace
}  // namespace govreport
