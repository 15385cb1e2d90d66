#include "parser_service/parser_service_impl.h"

#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace govreport::parser {
namespace {

// Our own invented two-sentence report in the genre.
constexpr char kSmallReport[] =
    "示范县十六届人大三次会议召开\n"
    "2024年,示范县新建高标准农田2万亩,新增城镇就业1200人。\n";

class ParserServiceImplTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::ParserService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  DocumentParser parser_{ParserConfig{}};
  ParserServiceImpl service_{parser_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ParserService::Stub> stub_;
};

TEST_F(ParserServiceImplTest, EmptyDocumentIsInvalidArgument) {
  grpc::ClientContext context;
  v1::ParseDocumentRequest request;
  v1::ParseDocumentResponse response;
  const grpc::Status status =
      stub_->ParseDocument(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(status.error_message().empty());
}

TEST_F(ParserServiceImplTest, InvalidUtf8NamesTheByteOffset) {
  grpc::ClientContext context;
  v1::ParseDocumentRequest request;
  request.set_content(std::string("2024年新建") + "\xff" + "农田");
  v1::ParseDocumentResponse response;
  const grpc::Status status =
      stub_->ParseDocument(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("13"));
}

TEST_F(ParserServiceImplTest, UnknownFormatAndImpossibleDefaultYearAreInvalid) {
  v1::ParseDocumentRequest request;
  request.set_content(kSmallReport);
  // proto3 enums are open: a client can send a number we do not define.
  request.set_format(static_cast<v1::DocumentFormat>(9));
  v1::ParseDocumentResponse response;
  {
    grpc::ClientContext context;
    const grpc::Status status =
        stub_->ParseDocument(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr("format"));
  }
  request.clear_format();
  request.set_default_year(-1);
  grpc::ClientContext context;
  const grpc::Status status =
      stub_->ParseDocument(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("default_year"));
}

TEST_F(ParserServiceImplTest, ParsesAReportWithItsFigures) {
  grpc::ClientContext context;
  v1::ParseDocumentRequest request;
  request.set_content(kSmallReport);
  v1::ParseDocumentResponse response;
  ASSERT_TRUE(stub_->ParseDocument(&context, request, &response).ok());
  ASSERT_EQ(response.reports_size(), 1);
  EXPECT_EQ(response.reports(0).region_text(), "示范县");
  EXPECT_GE(response.reports(0).observations_size(), 2);
  EXPECT_EQ(response.content_sha256().size(), 64u);
}

TEST_F(ParserServiceImplTest,
       StreamAnswersEachDocumentInOrderAndSurvivesErrors) {
  grpc::ClientContext context;
  auto stream = stub_->ParseDocuments(&context);
  // A bidirectional stream is read while it is written, as real clients do;
  // writing everything first can stall on flow control.
  std::vector<v1::ParseDocumentsResponse> responses;
  std::thread reader([&stream, &responses] {
    v1::ParseDocumentsResponse response;
    while (stream->Read(&response)) responses.push_back(response);
  });
  const char* contents[] = {kSmallReport, "   ", kSmallReport};
  for (int i = 0; i < 3; ++i) {
    v1::ParseDocumentsRequest request;
    request.set_document_id("doc-" + std::to_string(i));
    request.mutable_document()->set_content(contents[i]);
    EXPECT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  reader.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].document_id(), "doc-0");
  EXPECT_TRUE(responses[0].has_result());
  EXPECT_EQ(responses[1].document_id(), "doc-1");
  EXPECT_EQ(responses[1].error().code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(responses[2].has_result());
}

TEST_F(ParserServiceImplTest, StreamRequestWithoutDocumentIsAnErrorResponse) {
  grpc::ClientContext context;
  auto stream = stub_->ParseDocuments(&context);
  v1::ParseDocumentsRequest request;
  request.set_document_id("empty");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  v1::ParseDocumentsResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_THAT(response.error().message(), ::testing::HasSubstr("document"));
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace govreport::parser
