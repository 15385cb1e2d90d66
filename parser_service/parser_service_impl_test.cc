#include "parser_service/parser_service_impl.h"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/raw_messages.h"

namespace govreport::parser {
namespace {

// Our own invented two-sentence report in the genre.
constexpr char kSmallReport[] =
    "示范县十六届人大三次会议召开\n"
    "2024年,示范县新建高标准农田2万亩,新增城镇就业1200人。\n";

constexpr char kParseDocument[] = "/govreport.v1.ParserService/ParseDocument";
constexpr char kParseDocuments[] = "/govreport.v1.ParserService/ParseDocuments";
// Not a protobuf message: a varint that never ends.
constexpr char kGarbage[] = "\xff\xff\xff\xff\x0f";

grpc::ByteBuffer BytesOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string StreamMessage(const std::string& id, const std::string& content) {
  v1::ParseDocumentsRequest request;
  request.set_document_id(id);
  request.mutable_document()->set_content(content);
  return request.SerializeAsString();
}

// What a ParseDocuments call over raw messages got back.
struct StreamOutcome {
  std::vector<v1::ParseDocumentsResponse> responses;
  grpc::Status status;
};

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

  // ParseDocument with `request` as its bytes, as any client could send
  // them.
  grpc::Status CallRaw(const std::string& request) {
    grpc::GenericStub generic(
        server_->InProcessChannel(grpc::ChannelArguments()));
    const grpc::ByteBuffer request_bytes = BytesOf(request);
    grpc::ByteBuffer response_bytes;
    grpc::ClientContext context;
    absl::Notification done;
    grpc::Status status;
    generic.UnaryCall(&context, kParseDocument, grpc::StubOptions(),
                      &request_bytes, &response_bytes, [&](grpc::Status s) {
                        status = std::move(s);
                        done.Notify();
                      });
    done.WaitForNotification();
    return status;
  }

  // ParseDocuments with `messages` as the bytes of its requests: each is
  // written and its response read before the next; then the client
  // finishes writing. With `cancel_after` >= 0 the client instead cancels
  // after writing that many messages (reading nothing).
  StreamOutcome CallStream(const std::vector<std::string>& messages,
                           int cancel_after = -1) {
    grpc::GenericStub generic(
        server_->InProcessChannel(grpc::ChannelArguments()));
    grpc::ClientContext context;
    grpc::CompletionQueue cq;
    int step = 0;
    // Waits for the operation just started; false when it failed.
    auto await = [&]() {
      void* tag = nullptr;
      bool ok = false;
      EXPECT_TRUE(cq.Next(&tag, &ok));
      EXPECT_EQ(tag, reinterpret_cast<void*>(static_cast<intptr_t>(step)));
      return ok;
    };
    auto tag = [&]() {
      return reinterpret_cast<void*>(static_cast<intptr_t>(++step));
    };
    StreamOutcome outcome;
    auto call = generic.PrepareCall(&context, kParseDocuments, &cq);
    call->StartCall(tag());
    bool ok = await();
    for (size_t i = 0; ok && i < messages.size(); ++i) {
      call->Write(BytesOf(messages[i]), tag());
      ok = await();
      if (static_cast<int>(i) + 1 == cancel_after) {
        context.TryCancel();
        ok = false;
        break;
      }
      grpc::ByteBuffer response_bytes;
      call->Read(&response_bytes, tag());
      ok = await();
      if (!ok) break;
      v1::ParseDocumentsResponse response;
      EXPECT_TRUE(response.ParseFromString(FlattenBytes(response_bytes)));
      outcome.responses.push_back(std::move(response));
    }
    if (ok) {
      call->WritesDone(tag());
      await();
    }
    call->Finish(&outcome.status, tag());
    await();
    cq.Shutdown();
    void* ignored_tag;
    bool ignored_ok;
    while (cq.Next(&ignored_tag, &ignored_ok)) {
    }
    return outcome;
  }

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

TEST_F(ParserServiceImplTest,
       ParseDocumentAnswersUndecodableRequestWithInvalidArgument) {
  const grpc::Status status = CallRaw(kGarbage);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      status.error_message(),
      ::testing::HasSubstr(
          "cannot parse the bytes as govreport.v1.ParseDocumentRequest"));
}

// A message that is not a ParseDocumentsRequest is answered like a bad
// document: an error response in its place (with no document_id, which
// could not be read; the message says which one it was), and the stream
// goes on.
TEST_F(ParserServiceImplTest,
       StreamAnswersUndecodableMessageWithInvalidArgument) {
  const StreamOutcome outcome =
      CallStream({StreamMessage("doc-1", kSmallReport), kGarbage,
                  StreamMessage("doc-3", kSmallReport)});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error_message();
  ASSERT_EQ(outcome.responses.size(), 3u);
  EXPECT_EQ(outcome.responses[0].document_id(), "doc-1");
  EXPECT_TRUE(outcome.responses[0].has_result());
  const v1::ParseDocumentsResponse& undecodable = outcome.responses[1];
  EXPECT_EQ(undecodable.document_id(), "");
  EXPECT_EQ(undecodable.error().code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(undecodable.error().message(),
              ::testing::HasSubstr("message 2 of the stream"));
  EXPECT_THAT(
      undecodable.error().message(),
      ::testing::HasSubstr(
          "cannot parse the bytes as govreport.v1.ParseDocumentsRequest"));
  EXPECT_EQ(outcome.responses[2].document_id(), "doc-3");
  EXPECT_TRUE(outcome.responses[2].has_result());
}

// proto3 refuses a string field that is not UTF-8, so a document_id that
// is not UTF-8 makes the message undecodable too.
TEST_F(ParserServiceImplTest, StreamAnswersInvalidUtf8DocumentIdAsUndecodable) {
  v1::ParseDocumentsRequest request;
  request.GetReflection()->MutableUnknownFields(&request)->AddLengthDelimited(
      v1::ParseDocumentsRequest::kDocumentIdFieldNumber, "d\xc0\xaf");
  const StreamOutcome outcome = CallStream({request.SerializeAsString()});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error_message();
  ASSERT_EQ(outcome.responses.size(), 1u);
  EXPECT_EQ(outcome.responses[0].error().code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(outcome.responses[0].error().message(),
              ::testing::HasSubstr("UTF-8"));
}

// A client that goes away mid-stream ends the call; the server is none the
// worse for it and serves the next one.
TEST_F(ParserServiceImplTest, StreamEndsWhenTheClientCancels) {
  const StreamOutcome cancelled = CallStream(
      {StreamMessage("a", kSmallReport), StreamMessage("b", kSmallReport)},
      /*cancel_after=*/1);
  EXPECT_EQ(cancelled.status.error_code(), grpc::StatusCode::CANCELLED);
  const StreamOutcome next = CallStream({StreamMessage("c", kSmallReport)});
  ASSERT_TRUE(next.status.ok()) << next.status.error_message();
  ASSERT_EQ(next.responses.size(), 1u);
  EXPECT_TRUE(next.responses[0].has_result());
}

}  // namespace
}  // namespace govreport::parser
