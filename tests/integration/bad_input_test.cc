// Bad input, end to end (issue 7, item 4): both servers as real processes,
// every RPC of ParserService, CatalogService, ReportService and
// QueryService sent its bad cases as raw request bytes (so that invalid
// UTF-8 and unknown enum numbers reach the server as a hostile client would
// send them): missing and malformed names, negative and huge page sizes,
// forged, truncated, stale and other-request page tokens, messages beyond
// the receive limit and documents beyond --max_document_bytes, invalid
// UTF-8, unknown enum values, empty oneofs, missing required fields and
// writes without the token, and bytes that do not decode as the request
// (not a protobuf message, or invalid UTF-8 in a string field). Each case
// names the status code and a piece of the message that says what is
// wrong, and every case must be answered exactly so. Afterwards both
// servers must still be SERVING, answer good requests and stop cleanly.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/metrics.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "govreport/v1/catalog_service.grpc.pb.h"
#include "govreport/v1/parser_service.grpc.pb.h"
#include "govreport/v1/query_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "query_service/engine/page_token.h"
#include "tests/integration/server_process.h"

namespace govreport {
namespace {

using ::google::protobuf::Message;
using ::govreport::testing::IsOk;
using ::govreport::testing::ServerProcess;
using ::govreport::testing::StartServer;
using ::govreport::testing::StopServer;
using Code = ::grpc::StatusCode;

constexpr char kToken[] = "bad-input-token";
// Small limits, so that "too large" costs little: the receive limit of both
// servers and the parser's document limit.
constexpr int kMaxReceiveBytes = 1 << 20;
constexpr int kMaxDocumentBytes = 64 << 10;

constexpr char kSongxian[] = "regions/410325";
constexpr char kMengjin[] = "regions/410308";
constexpr char kXinan[] = "regions/410323";
constexpr char kJobs[] = "indicators/urban-new-employment";

// Invalid UTF-8: a lone continuation byte, then an overlong '/'.
constexpr char kBadUtf8[] =
    "ab\x80"
    "cd\xc0\xaf";

// A document the parser reads as one report with figures.
constexpr char kGoodDocument[] =
    "嵩县2024年政府工作报告\n"
    "二、2024年工作安排\n"
    "全年城镇新增就业6000人，新建高标准农田2万亩。\n";

enum class Server { kParser, kQuery };
enum class Auth { kNone, kToken, kWrongToken, kWrongScheme };

// One bad request and what the server must answer.
struct Case {
  std::string what;  // printed
  Server server;
  std::string method;   // "/package.Service/Method"
  std::string request;  // the serialized request
  Code code;
  // A piece of the status message that names the problem (a field name or
  // what is wrong); empty for OK.
  std::string message;
  Auth auth = Auth::kNone;
  // ParseDocuments: one request on the stream; a per-document error in the
  // response counts as the outcome.
  bool stream = false;
  // For OK answers: "" when the response bytes are right, else what is
  // wrong.
  std::function<std::string(const std::string&)> check_response;
  // The request does not decode (bytes that are no protobuf message, or
  // invalid UTF-8 in a string field, which proto3 refuses); see
  // UndecodableMessage for what the answer says.
  bool undecodable = false;
};

// The input type of `method` ("/package.Service/Method"), e.g.
// "govreport.v1.GetRegionRequest".
std::string InputTypeOf(const std::string& method) {
  const std::string name = absl::StrReplaceAll(method.substr(1), {{"/", "."}});
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  if (descriptor == nullptr) std::abort();
  return descriptor->input_type()->full_name();
}

// What every method answers to request bytes that do not decode:
// INVALID_ARGUMENT naming the request type (on the ParseDocuments stream,
// in the error of that message's response). gRPC 1.51 would answer a typed
// method on its own, UNIMPLEMENTED or INTERNAL with an empty message, and
// end a typed stream as if the client had finished.
std::string UndecodableMessage(const std::string& method) {
  return absl::StrCat("cannot parse the bytes as ", InputTypeOf(method),
                      " (malformed, or a string field that is not UTF-8)");
}

// What came back.
struct Outcome {
  Code code = Code::OK;
  std::string message;
  std::string response;
};

std::string Dump(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

void AddAuth(Auth auth, grpc::ClientContext& context) {
  switch (auth) {
    case Auth::kNone:
      break;
    case Auth::kToken:
      context.AddMetadata("authorization", std::string("Bearer ") + kToken);
      break;
    case Auth::kWrongToken:
      context.AddMetadata("authorization", "Bearer not-the-token");
      break;
    case Auth::kWrongScheme:
      context.AddMetadata("authorization", std::string("Basic ") + kToken);
      break;
  }
}

// A unary call with raw request bytes, as any client could send them.
Outcome CallUnary(const std::shared_ptr<grpc::Channel>& channel,
                  const std::string& method, const std::string& request,
                  Auth auth) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  AddAuth(auth, context);
  grpc::Slice slice(request);
  const grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer,
                 &response_buffer, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return {status.error_code(), status.error_message(), Dump(response_buffer)};
}

// ParseDocuments with one raw request: the RPC's status when it fails,
// else the per-document error of the one response (OK when it has none).
Outcome CallStream(const std::shared_ptr<grpc::Channel>& channel,
                   const std::string& method, const std::string& request) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::CompletionQueue cq;
  void* tag = nullptr;
  bool ok = false;
  auto next = [&] { return cq.Next(&tag, &ok) && ok; };
  auto call = stub.Call(&context, method, &cq, reinterpret_cast<void*>(1));
  Outcome outcome;
  grpc::ByteBuffer response_buffer;
  bool got_response = false;
  if (next()) {
    grpc::Slice slice(request);
    const grpc::ByteBuffer request_buffer(&slice, 1);
    call->Write(request_buffer, reinterpret_cast<void*>(2));
    if (next()) {
      call->WritesDone(reinterpret_cast<void*>(3));
      next();
      call->Read(&response_buffer, reinterpret_cast<void*>(4));
      got_response = next();
    }
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) return {status.error_code(), status.error_message(), ""};
  if (!got_response)
    return {Code::OK, "(the stream ended without a response)", ""};
  outcome.response = Dump(response_buffer);
  v1::ParseDocumentsResponse response;
  if (!response.ParseFromString(outcome.response)) {
    return {Code::INTERNAL, "(response does not parse)", ""};
  }
  if (response.has_error()) {
    outcome.code = static_cast<Code>(response.error().code());
    outcome.message = response.error().message();
  }
  return outcome;
}

// `message` with an extra length-delimited field `number` holding `bytes`
// verbatim (as an unknown field, so nothing checks it on the way out): the
// way to put invalid UTF-8 into a string field, or to make a message big.
template <typename M>
M WithRawField(M message, int number, const std::string& bytes) {
  message.GetReflection()->MutableUnknownFields(&message)->AddLengthDelimited(
      number, bytes);
  return message;
}

// `message` with the enum field `field` set to a number its enum does not
// define (proto3 enums are open: the number is kept and sent).
template <typename M>
M WithEnumNumber(M message, const std::string& field, int number) {
  const auto* descriptor = message.GetDescriptor()->FindFieldByName(field);
  if (descriptor == nullptr) std::abort();
  if (descriptor->is_repeated()) {
    message.GetReflection()->AddEnumValue(&message, descriptor, number);
  } else {
    message.GetReflection()->SetEnumValue(&message, descriptor, number);
  }
  return message;
}

std::string Bytes(const Message& message) {
  return message.SerializeAsString();
}

// An observation of `subject` with a number.
v1::Observation Figure(const std::string& subject, v1::ObservationKind kind,
                       int32_t year, double value) {
  v1::Observation obs;
  obs.set_subject_text(subject);
  obs.set_kind(kind);
  obs.set_value_type(v1::VALUE_TYPE_LEVEL);
  obs.mutable_reference_period()->set_first_year(year);
  obs.mutable_reference_period()->set_last_year(year);
  obs.mutable_quantity()->set_value(value);
  obs.mutable_quantity()->set_effective_value(value);
  obs.mutable_quantity()->set_comparator(v1::COMPARATOR_EQUAL);
  obs.mutable_quantity()->set_unit("人");
  return obs;
}

// A valid report of `region` for `year`: a jobs target for the year, a
// result for the year before, and three measures.
v1::Report GoodReport(const std::string& region, int32_t year) {
  v1::Report report;
  report.set_region(region);
  report.set_year(year);
  report.set_title(absl::StrCat(year, "年政府工作报告"));
  *report.add_observations() =
      Figure("城镇新增就业", v1::OBSERVATION_KIND_TARGET, year, 6000);
  *report.add_observations() =
      Figure("城镇新增就业", v1::OBSERVATION_KIND_ACHIEVED, year - 1, 5800);
  for (int i = 1; i <= 3; ++i) {
    report.add_measures()->set_summary(absl::StrCat("举措", i));
  }
  return report;
}

std::string ReportName(const std::string& region, int32_t year) {
  return absl::StrCat(region, "/reports/", year);
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("bad_input");
    ASSERT_FALSE(dir_.empty());
    std::ofstream(dir_ + "/token") << kToken << "\n";
    const std::string receive =
        absl::StrCat("--max_receive_message_bytes=", kMaxReceiveBytes);
    absl::StatusOr<ServerProcess> parser = StartServer(
        "govreport-parser", dir_,
        {receive, absl::StrCat("--max_document_bytes=", kMaxDocumentBytes),
         "--shutdown_deadline=2s"});
    ASSERT_THAT(parser, IsOk());
    parser_ = std::make_unique<ServerProcess>(*std::move(parser));
    absl::StatusOr<ServerProcess> query = StartServer(
        "govreport-query", dir_,
        {"--data_dir=" + dir_ + "/data",
         "--parser_target=" + parser_->address(), "--parser_timeout=10s",
         "--auth_token_file=" + dir_ + "/token", receive,
         "--shutdown_deadline=2s"});
    ASSERT_THAT(query, IsOk());
    query_ = std::make_unique<ServerProcess>(*std::move(query));
  }

  void TearDown() override {
    // Servers first (their destructors kill them), then their files.
    query_.reset();
    parser_.reset();
    if (HasFailure()) {
      std::printf("server logs: %s\n", dir_.c_str());
    } else if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  Outcome Run(const Case& c) {
    const auto& channel =
        c.server == Server::kParser ? parser_->channel : query_->channel;
    return c.stream ? CallStream(channel, c.method, c.request)
                    : CallUnary(channel, c.method, c.request, c.auth);
  }

  // Calls a method that must succeed and returns its response.
  template <typename Response>
  Response MustCall(const std::string& method, const Message& request,
                    Auth auth = Auth::kNone) {
    const Outcome outcome =
        CallUnary(query_->channel, method, Bytes(request), auth);
    EXPECT_EQ(outcome.code, Code::OK) << method << ": " << outcome.message;
    Response response;
    EXPECT_TRUE(response.ParseFromString(outcome.response)) << method;
    return response;
  }

  void Put(const v1::Report& report) {
    v1::PutReportRequest request;
    *request.mutable_report() = report;
    MustCall<v1::PutReportResponse>("/govreport.v1.ReportService/PutReport",
                                    request, Auth::kToken);
  }

  int64_t DataVersion() {
    const auto snapshot = MustCall<v1::GetDataSnapshotResponse>(
        "/govreport.v1.CatalogService/GetDataSnapshot",
        v1::GetDataSnapshotRequest());
    int64_t version = -1;
    EXPECT_TRUE(absl::SimpleAtoi(snapshot.data_version(), &version));
    return version;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> parser_, query_;
};

// The methods of the four services, "/package.Service/Method".
std::set<std::string> AllMethods() {
  std::set<std::string> methods;
  for (const char* service :
       {"govreport.v1.ParserService", "govreport.v1.CatalogService",
        "govreport.v1.ReportService", "govreport.v1.QueryService"}) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    if (descriptor == nullptr) std::abort();
    for (int i = 0; i < descriptor->method_count(); ++i) {
      methods.insert(
          absl::StrCat("/", service, "/", descriptor->method(i)->name()));
    }
  }
  return methods;
}

// Requests that carry a page: the ones whose tokens the cases reuse.
struct Paged {
  v1::ListReportsRequest reports;
  v1::ListPolicyMeasuresRequest measures;
  v1::ListObservationsRequest observations;
  v1::CompareRegionsRequest compare;
  v1::EvaluateTargetsRequest evaluate;
  v1::QueryObservationsRequest query;
  v1::ListRegionsRequest regions;
  v1::ListIndicatorsRequest indicators;
};

Paged FirstPages() {
  Paged p;
  p.reports.set_parent("regions/-");
  p.reports.set_page_size(1);
  p.measures.set_parent(ReportName(kSongxian, 2024));
  p.measures.set_page_size(1);
  p.observations.set_parent(ReportName(kSongxian, 2024));
  p.observations.set_page_size(1);
  p.compare.mutable_regions()->mutable_region_list()->add_names(kSongxian);
  p.compare.mutable_regions()->mutable_region_list()->add_names(kMengjin);
  p.compare.mutable_series()->set_indicator(kJobs);
  p.compare.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
  p.compare.mutable_series()->set_kind(v1::OBSERVATION_KIND_TARGET);
  p.compare.set_year(2024);
  p.compare.set_page_size(1);
  p.evaluate.mutable_regions()->mutable_region_list()->add_names(kSongxian);
  p.evaluate.mutable_regions()->mutable_region_list()->add_names(kMengjin);
  p.evaluate.set_year(2024);
  p.evaluate.set_page_size(1);
  p.query.mutable_regions()->mutable_region_list()->add_names(kSongxian);
  p.query.set_page_size(1);
  p.regions.set_parent("regions/410300");
  p.regions.set_page_size(1);
  p.indicators.set_page_size(1);
  return p;
}

// The next_page_token field of a list response, from its bytes.
std::string NextToken(const Message& prototype, const std::string& bytes) {
  std::unique_ptr<Message> response(prototype.New());
  if (!response->ParseFromString(bytes)) return "";
  const auto* field =
      response->GetDescriptor()->FindFieldByName("next_page_token");
  return response->GetReflection()->GetString(*response, field);
}

template <typename M>
M WithToken(M request, const std::string& token) {
  request.set_page_token(token);
  return request;
}

// A response check: the list at `field` is empty and there is no next page.
std::function<std::string(const std::string&)> EmptyLastPage(
    const Message& prototype, const std::string& field) {
  std::shared_ptr<Message> response(prototype.New());
  return [response, field](const std::string& bytes) -> std::string {
    if (!response->ParseFromString(bytes)) return "response does not parse";
    const auto* list = response->GetDescriptor()->FindFieldByName(field);
    const auto* token =
        response->GetDescriptor()->FindFieldByName("next_page_token");
    const int size = response->GetReflection()->FieldSize(*response, list);
    const std::string next =
        response->GetReflection()->GetString(*response, token);
    if (size != 0 || !next.empty()) {
      return absl::StrCat(size, " items and next_page_token \"", next, "\"");
    }
    return "";
  };
}

// A response check: the list at `field` has `count` items.
std::function<std::string(const std::string&)> Exactly(const Message& prototype,
                                                       const std::string& field,
                                                       int count) {
  std::shared_ptr<Message> response(prototype.New());
  return [response, field, count](const std::string& bytes) -> std::string {
    if (!response->ParseFromString(bytes)) return "response does not parse";
    const auto* list = response->GetDescriptor()->FindFieldByName(field);
    const int size = response->GetReflection()->FieldSize(*response, list);
    return size == count ? "" : absl::StrCat(size, " items, not ", count);
  };
}

TEST_F(BadInputTest, EveryRpcRefusesItsBadCasesAndTheServersKeepServing) {
  // Data for the reads and their page tokens.
  Put(GoodReport(kSongxian, 2023));
  Put(GoodReport(kSongxian, 2024));
  Put(GoodReport(kMengjin, 2024));

  constexpr char kCatalog[] = "/govreport.v1.CatalogService/";
  constexpr char kReports[] = "/govreport.v1.ReportService/";
  constexpr char kQueries[] = "/govreport.v1.QueryService/";
  constexpr char kParser[] = "/govreport.v1.ParserService/";
  const std::string get_region = absl::StrCat(kCatalog, "GetRegion");
  const std::string list_regions = absl::StrCat(kCatalog, "ListRegions");
  const std::string batch_get = absl::StrCat(kCatalog, "BatchGetRegions");
  const std::string get_indicator = absl::StrCat(kCatalog, "GetIndicator");
  const std::string list_indicators = absl::StrCat(kCatalog, "ListIndicators");
  const std::string get_snapshot = absl::StrCat(kCatalog, "GetDataSnapshot");
  const std::string get_report = absl::StrCat(kReports, "GetReport");
  const std::string list_reports = absl::StrCat(kReports, "ListReports");
  const std::string list_measures =
      absl::StrCat(kReports, "ListPolicyMeasures");
  const std::string list_observations =
      absl::StrCat(kReports, "ListObservations");
  const std::string ingest = absl::StrCat(kReports, "IngestDocument");
  const std::string put = absl::StrCat(kReports, "PutReport");
  const std::string del = absl::StrCat(kReports, "DeleteReport");
  const std::string compare_regions = absl::StrCat(kQueries, "CompareRegions");
  const std::string compare_years = absl::StrCat(kQueries, "CompareYears");
  const std::string evaluate = absl::StrCat(kQueries, "EvaluateTargets");
  const std::string query_observations =
      absl::StrCat(kQueries, "QueryObservations");
  const std::string coverage = absl::StrCat(kQueries, "SummarizeCoverage");
  const std::string parse = absl::StrCat(kParser, "ParseDocument");
  const std::string parse_stream = absl::StrCat(kParser, "ParseDocuments");

  // Page tokens: the first page of each paged request now, then a write
  // makes every one of them stale; fresh ones are taken after it.
  const Paged pages = FirstPages();
  struct Tokens {
    std::string reports, measures, observations, compare, evaluate, query,
        regions, indicators;
  };
  auto take_tokens = [&]() {
    Tokens t;
    auto next = [&](const std::string& method, const Message& request,
                    const Message& response_prototype) {
      const Outcome outcome =
          CallUnary(query_->channel, method, Bytes(request), Auth::kNone);
      EXPECT_EQ(outcome.code, Code::OK) << method << ": " << outcome.message;
      const std::string token = NextToken(response_prototype, outcome.response);
      EXPECT_NE(token, "") << method << " gave no next page";
      return token;
    };
    t.reports = next(list_reports, pages.reports, v1::ListReportsResponse());
    t.measures =
        next(list_measures, pages.measures, v1::ListPolicyMeasuresResponse());
    t.observations = next(list_observations, pages.observations,
                          v1::ListObservationsResponse());
    t.compare =
        next(compare_regions, pages.compare, v1::CompareRegionsResponse());
    t.evaluate = next(evaluate, pages.evaluate, v1::EvaluateTargetsResponse());
    t.query =
        next(query_observations, pages.query, v1::QueryObservationsResponse());
    t.regions = next(list_regions, pages.regions, v1::ListRegionsResponse());
    t.indicators =
        next(list_indicators, pages.indicators, v1::ListIndicatorsResponse());
    return t;
  };
  const Tokens stale = take_tokens();
  Put(GoodReport(kXinan, 2024));
  const Tokens fresh = take_tokens();
  const int64_t version = DataVersion();
  ASSERT_FALSE(HasFailure());

  std::vector<Case> cases;
  auto add = [&](Case c) { cases.push_back(std::move(c)); };
  auto query_case = [&](std::string what, const std::string& method,
                        std::string request, Code code, std::string message,
                        Auth auth = Auth::kNone) {
    add({std::move(what), Server::kQuery, method, std::move(request), code,
         std::move(message), auth});
  };
  auto parser_case = [&](std::string what, std::string request, Code code,
                         std::string message) {
    add({std::move(what), Server::kParser, parse, std::move(request), code,
         std::move(message)});
  };
  auto stream_case = [&](std::string what, std::string request, Code code,
                         std::string message) {
    Case c{std::move(what),
           Server::kParser,
           parse_stream,
           std::move(request),
           code,
           std::move(message)};
    c.stream = true;
    add(std::move(c));
  };
  // Marks the case just added as one whose request does not decode: it is
  // answered INVALID_ARGUMENT naming the request type, whatever code and
  // message the case was added with.
  auto undecodable = [&] {
    Case& c = cases.back();
    c.undecodable = true;
    c.code = Code::INVALID_ARGUMENT;
    c.message = UndecodableMessage(c.method);
  };

  // --- For every method: not a protobuf message; beyond the receive
  // limit; an unknown field (ignored: clients may be newer than us).
  const std::string too_big(kMaxReceiveBytes + 1000, 'x');
  for (const std::string& method : AllMethods()) {
    const bool parser = absl::StartsWith(method, kParser);
    Case garbage{"not a protobuf message",
                 parser ? Server::kParser : Server::kQuery,
                 method,
                 "\xff\xff\xff\xff\x0f",
                 Code::INVALID_ARGUMENT,
                 UndecodableMessage(method)};
    garbage.stream = method == parse_stream;
    garbage.undecodable = true;
    add(garbage);
    Case huge{"message beyond --max_receive_message_bytes",
              parser ? Server::kParser : Server::kQuery,
              method,
              Bytes(WithRawField(v1::GetDataSnapshotRequest(), 1000, too_big)),
              Code::RESOURCE_EXHAUSTED,
              "larger than max"};
    huge.stream = method == parse_stream;
    add(huge);
  }

  // --- CatalogService.
  {
    v1::GetRegionRequest r;
    query_case("GetRegion without name", get_region, Bytes(r),
               Code::INVALID_ARGUMENT, "name: required");
    for (const char* name :
         {"410325", "regions/41032", "regions/4103255", "regions/41032x",
          "regions/410325/", "counties/410325", "regions//410325",
          " regions/410325"}) {
      r.set_name(name);
      query_case(absl::StrCat("GetRegion name \"", name, "\""), get_region,
                 Bytes(r), Code::INVALID_ARGUMENT, "name: \"");
    }
    r.set_name("regions/999999");
    query_case("GetRegion unknown region", get_region, Bytes(r),
               Code::NOT_FOUND, "regions/999999 not found");
    r.set_name(std::string(200000, 'r'));
    // The message quotes the start of it, not 200 kB: status messages
    // travel in HTTP/2 trailers, which clients cap at a few kB.
    query_case("GetRegion 200 kB name", get_region, Bytes(r),
               Code::INVALID_ARGUMENT,
               "rrrrrrrr...(200000 bytes)\" is not a valid name");
    query_case("GetRegion name with invalid UTF-8", get_region,
               Bytes(WithRawField(v1::GetRegionRequest(), 1, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::ListRegionsRequest r;
    r.set_parent("regions/4103");
    query_case("ListRegions malformed parent", list_regions, Bytes(r),
               Code::INVALID_ARGUMENT, "parent: \"regions/4103\"");
    r.set_parent("regions/990000");
    query_case("ListRegions unknown parent", list_regions, Bytes(r),
               Code::NOT_FOUND, "parent: region regions/990000 not found");
    r.set_parent("regions/410300");
    r.set_page_size(-1);
    query_case("ListRegions page_size -1", list_regions, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    r.set_page_size(std::numeric_limits<int32_t>::min());
    query_case("ListRegions page_size INT32_MIN", list_regions, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    // Every county: more than the maximum page.
    v1::ListRegionsRequest counties;
    counties.set_level(v1::REGION_LEVEL_COUNTY);
    counties.set_page_size(std::numeric_limits<int32_t>::max());
    Case huge{"ListRegions page_size INT32_MAX is coerced to 1000",
              Server::kQuery,
              list_regions,
              Bytes(counties),
              Code::OK,
              ""};
    huge.check_response = Exactly(v1::ListRegionsResponse(), "regions", 1000);
    add(huge);
    query_case("ListRegions unknown level", list_regions,
               Bytes(WithEnumNumber(v1::ListRegionsRequest(), "level", 9)),
               Code::INVALID_ARGUMENT, "level");
    query_case("ListRegions forged token", list_regions,
               Bytes(WithToken(pages.regions, absl::WebSafeBase64Escape(
                                                  std::string(32, 'A')))),
               Code::INVALID_ARGUMENT, "page_token: malformed");
    query_case(
        "ListRegions truncated token", list_regions,
        Bytes(WithToken(pages.regions,
                        fresh.regions.substr(0, fresh.regions.size() - 4))),
        Code::INVALID_ARGUMENT, "page_token: malformed");
    v1::ListRegionsRequest other = pages.regions;
    other.set_parent("regions/410000");
    query_case("ListRegions token of another parent", list_regions,
               Bytes(WithToken(other, fresh.regions)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("ListRegions token of ListIndicators", list_regions,
               Bytes(WithToken(pages.regions, fresh.indicators)),
               Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    v1::ListRegionsRequest bigger = pages.regions;
    bigger.set_page_size(5);
    Case resize{"ListRegions token with another page_size is fine",
                Server::kQuery,
                list_regions,
                Bytes(WithToken(bigger, fresh.regions)),
                Code::OK,
                ""};
    add(resize);
    query_case("ListRegions parent with invalid UTF-8", list_regions,
               Bytes(WithRawField(v1::ListRegionsRequest(), 1, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::BatchGetRegionsRequest r;
    query_case("BatchGetRegions without names", batch_get, Bytes(r),
               Code::INVALID_ARGUMENT, "names: give 1 to 1000");
    for (int i = 0; i < 1001; ++i) r.add_names(kSongxian);
    query_case("BatchGetRegions 1001 names", batch_get, Bytes(r),
               Code::INVALID_ARGUMENT, "names: give 1 to 1000 names, got 1001");
    r.clear_names();
    r.add_names(kSongxian);
    r.add_names("regions/41");
    query_case("BatchGetRegions malformed second name", batch_get, Bytes(r),
               Code::INVALID_ARGUMENT, "names[1]: \"regions/41\"");
    r.set_names(1, "");
    query_case("BatchGetRegions empty second name", batch_get, Bytes(r),
               Code::INVALID_ARGUMENT, "names[1]: required");
    r.set_names(1, "regions/999999");
    query_case("BatchGetRegions unknown second name", batch_get, Bytes(r),
               Code::NOT_FOUND, "names[1]: region regions/999999 not found");
  }
  {
    v1::GetIndicatorRequest r;
    query_case("GetIndicator without name", get_indicator, Bytes(r),
               Code::INVALID_ARGUMENT, "name: required");
    for (const char* name : {"gdp", "indicators/", "indicators/gdp/x",
                             "regions/410325", "indicator/gdp"}) {
      r.set_name(name);
      query_case(absl::StrCat("GetIndicator name \"", name, "\""),
                 get_indicator, Bytes(r), Code::INVALID_ARGUMENT, "name: \"");
    }
    r.set_name("indicators/no-such-thing");
    query_case("GetIndicator unknown indicator", get_indicator, Bytes(r),
               Code::NOT_FOUND, "indicators/no-such-thing not found");
    r.set_name("indicators/" + std::string(200000, 'i'));
    query_case("GetIndicator 200 kB name", get_indicator, Bytes(r),
               Code::NOT_FOUND, "iiiiiiii...(200011 bytes) not found");
  }
  {
    v1::ListIndicatorsRequest r;
    r.set_page_size(-7);
    query_case("ListIndicators page_size -7", list_indicators, Bytes(r),
               Code::INVALID_ARGUMENT,
               "page_size: must not be negative, got -7");
    query_case("ListIndicators token that is not base64", list_indicators,
               Bytes(WithToken(pages.indicators, "%%% not base64 %%%")),
               Code::INVALID_ARGUMENT, "page_token: malformed");
    v1::ListIndicatorsRequest searching = pages.indicators;
    searching.set_query("就业");
    query_case("ListIndicators token of another query", list_indicators,
               Bytes(WithToken(searching, fresh.indicators)),
               Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("ListIndicators query with invalid UTF-8", list_indicators,
               Bytes(WithRawField(v1::ListIndicatorsRequest(), 1, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    Case extra{"GetDataSnapshot with an unknown field is fine",
               Server::kQuery,
               get_snapshot,
               Bytes(WithRawField(v1::GetDataSnapshotRequest(), 77, "later")),
               Code::OK,
               ""};
    add(extra);
  }

  // --- ReportService reads.
  {
    v1::GetReportRequest r;
    query_case("GetReport without name", get_report, Bytes(r),
               Code::INVALID_ARGUMENT, "name: required");
    for (const char* name :
         {"regions/410325", "regions/410325/reports/",
          "regions/410325/reports/x", "regions/410325/reports/1899",
          "regions/410325/reports/2201", "regions/410325/reports/2024/x",
          "regions/410325/reports/+2024",
          "regions/410325/reports/99999999999999999999", "reports/2024"}) {
      r.set_name(name);
      query_case(absl::StrCat("GetReport name \"", name, "\""), get_report,
                 Bytes(r), Code::INVALID_ARGUMENT, "name: \"");
    }
    r.set_name("regions/999999/reports/2024");
    query_case("GetReport unknown region", get_report, Bytes(r),
               Code::NOT_FOUND, "name: region regions/999999 not found");
    r.set_name(ReportName(kSongxian, 2001));
    query_case("GetReport not held", get_report, Bytes(r), Code::NOT_FOUND,
               "name: no report regions/410325/reports/2001 is held");
    r.set_name(ReportName(kSongxian, 2024));
    query_case("GetReport unknown view", get_report,
               Bytes(WithEnumNumber(r, "view", 9)), Code::INVALID_ARGUMENT,
               "view");
    query_case("GetReport name with invalid UTF-8", get_report,
               Bytes(WithRawField(v1::GetReportRequest(), 1, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::ListReportsRequest r;
    query_case("ListReports without parent", list_reports, Bytes(r),
               Code::INVALID_ARGUMENT, "parent: required");
    r.set_parent("regions/410325/reports/2024");
    query_case("ListReports parent is a report", list_reports, Bytes(r),
               Code::INVALID_ARGUMENT,
               "parent: \"regions/410325/reports/2024\"");
    r.set_parent("regions/990000");
    query_case("ListReports unknown parent", list_reports, Bytes(r),
               Code::NOT_FOUND, "parent: region regions/990000 not found");
    r.set_parent("regions/-");
    r.set_page_size(-100);
    query_case("ListReports page_size -100", list_reports, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    r.set_page_size(std::numeric_limits<int32_t>::max());
    Case huge{"ListReports page_size INT32_MAX is coerced",
              Server::kQuery,
              list_reports,
              Bytes(r),
              Code::OK,
              ""};
    huge.check_response = Exactly(v1::ListReportsResponse(), "reports", 4);
    add(huge);
    query_case("ListReports stale token", list_reports,
               Bytes(WithToken(pages.reports, stale.reports)),
               Code::INVALID_ARGUMENT, "page_token: stale");
    v1::ListReportsRequest other = pages.reports;
    other.set_parent(kSongxian);
    query_case("ListReports token of another parent", list_reports,
               Bytes(WithToken(other, fresh.reports)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    v1::ListReportsRequest years = pages.reports;
    years.add_years(2024);
    query_case("ListReports token without the years filter", list_reports,
               Bytes(WithToken(years, fresh.reports)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    std::string flipped = fresh.reports;
    flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
    query_case("ListReports token with one character changed", list_reports,
               Bytes(WithToken(pages.reports, flipped)), Code::INVALID_ARGUMENT,
               "page_token: malformed");
    query_case("ListReports token of 31 bytes", list_reports,
               Bytes(WithToken(pages.reports, absl::WebSafeBase64Escape(
                                                  std::string(31, 'z')))),
               Code::INVALID_ARGUMENT, "page_token: malformed");
    // Forged by someone who knows the format: a valid checksum.
    query_case(
        "ListReports forged token for another request", list_reports,
        Bytes(WithToken(pages.reports, query::EncodePageToken(1, 42, version))),
        Code::INVALID_ARGUMENT, "page_token: does not match the request");
    query_case(
        "ListReports forged token for a future data version", list_reports,
        Bytes(WithToken(pages.reports, query::EncodePageToken(
                                           1, query::RequestHash(pages.reports),
                                           version + 5))),
        Code::INVALID_ARGUMENT, "page_token: stale");
    Case past_end{
        "ListReports forged token past the end: empty last page",
        Server::kQuery,
        list_reports,
        Bytes(WithToken(pages.reports,
                        query::EncodePageToken(
                            std::numeric_limits<uint64_t>::max() - 3,
                            query::RequestHash(pages.reports), version))),
        Code::OK,
        ""};
    past_end.check_response =
        EmptyLastPage(v1::ListReportsResponse(), "reports");
    add(past_end);
  }
  {
    v1::ListPolicyMeasuresRequest r;
    query_case("ListPolicyMeasures without parent", list_measures, Bytes(r),
               Code::INVALID_ARGUMENT, "parent: required");
    r.set_parent(kSongxian);
    query_case("ListPolicyMeasures parent is a region", list_measures, Bytes(r),
               Code::INVALID_ARGUMENT, "parent: \"regions/410325\"");
    r.set_parent(ReportName(kSongxian, 2001));
    query_case("ListPolicyMeasures report not held", list_measures, Bytes(r),
               Code::NOT_FOUND, "parent: no report");
    r.set_parent(ReportName(kSongxian, 2024));
    r.set_page_size(-1);
    query_case("ListPolicyMeasures page_size -1", list_measures, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    query_case("ListPolicyMeasures stale token", list_measures,
               Bytes(WithToken(pages.measures, stale.measures)),
               Code::INVALID_ARGUMENT, "page_token: stale");
    v1::ListPolicyMeasuresRequest other = pages.measures;
    other.set_parent(ReportName(kSongxian, 2023));
    query_case("ListPolicyMeasures token of another report", list_measures,
               Bytes(WithToken(other, fresh.measures)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("ListPolicyMeasures token of ListObservations", list_measures,
               Bytes(WithToken(pages.measures, fresh.observations)),
               Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
  }
  {
    v1::ListObservationsRequest r;
    query_case("ListObservations without parent", list_observations, Bytes(r),
               Code::INVALID_ARGUMENT, "parent: required");
    r.set_parent(ReportName(kSongxian, 2024));
    r.add_indicators(kJobs);
    r.add_indicators("gdp");
    query_case("ListObservations malformed second indicator", list_observations,
               Bytes(r), Code::INVALID_ARGUMENT, "indicators[1]: \"gdp\"");
    r.set_indicators(1, "indicators/no-such-thing");
    query_case("ListObservations unknown second indicator", list_observations,
               Bytes(r), Code::NOT_FOUND, "indicators[1]: indicator");
    r.clear_indicators();
    query_case("ListObservations unknown kind", list_observations,
               Bytes(WithEnumNumber(r, "kind", 9)), Code::INVALID_ARGUMENT,
               "kind");
    r.set_page_size(-1);
    query_case("ListObservations page_size -1", list_observations, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    query_case("ListObservations stale token", list_observations,
               Bytes(WithToken(pages.observations, stale.observations)),
               Code::INVALID_ARGUMENT, "page_token: stale");
    v1::ListObservationsRequest other = pages.observations;
    other.set_kind(v1::OBSERVATION_KIND_TARGET);
    query_case("ListObservations token of another kind", list_observations,
               Bytes(WithToken(other, fresh.observations)),
               Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("ListObservations subject_texts with invalid UTF-8",
               list_observations,
               Bytes(WithRawField(pages.observations, 6, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }

  // --- ReportService writes: the token first, then the request.
  {
    v1::IngestDocumentRequest doc;
    doc.set_content(kGoodDocument);
    v1::PutReportRequest put_request;
    *put_request.mutable_report() = GoodReport(kSongxian, 2022);
    v1::DeleteReportRequest del_request;
    del_request.set_name(ReportName(kSongxian, 2023));
    const std::vector<std::pair<std::string, std::string>> writes = {
        {ingest, Bytes(doc)},
        {put, Bytes(put_request)},
        {del, Bytes(del_request)}};
    for (const auto& [method, request] : writes) {
      const std::string name = method.substr(method.rfind('/') + 1);
      query_case(absl::StrCat(name, " without authorization"), method, request,
                 Code::UNAUTHENTICATED, "missing `authorization: Bearer",
                 Auth::kNone);
      query_case(absl::StrCat(name, " with a wrong token"), method, request,
                 Code::UNAUTHENTICATED, "invalid bearer token",
                 Auth::kWrongToken);
      query_case(absl::StrCat(name, " with Basic instead of Bearer"), method,
                 request, Code::UNAUTHENTICATED, "must be `Bearer <token>`",
                 Auth::kWrongScheme);
    }
    // Without the token, even an invalid request is refused for the token.
    query_case("PutReport without report and without authorization", put,
               Bytes(v1::PutReportRequest()), Code::UNAUTHENTICATED,
               "authorization");
  }
  {
    v1::IngestDocumentRequest r;
    query_case("IngestDocument without content", ingest, Bytes(r),
               Code::INVALID_ARGUMENT, "content: required", Auth::kToken);
    r.set_content(kBadUtf8);
    query_case("IngestDocument content not UTF-8", ingest, Bytes(r),
               Code::INVALID_ARGUMENT, "not valid UTF-8", Auth::kToken);
    r.set_content(" \n\t \n");
    query_case("IngestDocument whitespace only", ingest, Bytes(r),
               Code::INVALID_ARGUMENT, "whitespace", Auth::kToken);
    r.set_content(std::string(kMaxDocumentBytes + 1, 'a'));
    query_case("IngestDocument beyond the parser's --max_document_bytes",
               ingest, Bytes(r), Code::RESOURCE_EXHAUSTED, "max_document_bytes",
               Auth::kToken);
    r.set_content(too_big);
    query_case("IngestDocument beyond --max_receive_message_bytes", ingest,
               Bytes(r), Code::RESOURCE_EXHAUSTED, "larger than max",
               Auth::kToken);
    r.set_content("没有年份的嵩县报告：全年城镇新增就业6000人。");
    r.set_default_year(-5);
    query_case("IngestDocument negative default_year", ingest, Bytes(r),
               Code::INVALID_ARGUMENT, "default_year", Auth::kToken);
    r.set_default_year(3000);
    query_case("IngestDocument default_year 3000", ingest, Bytes(r),
               Code::INVALID_ARGUMENT, "default_year", Auth::kToken);
    v1::IngestDocumentRequest uri;
    uri.set_content(kGoodDocument);
    query_case("IngestDocument source_uri with invalid UTF-8", ingest,
               Bytes(WithRawField(uri, 2, kBadUtf8)), Code::INVALID_ARGUMENT,
               "UTF-8", Auth::kToken);
    undecodable();
  }
  {
    auto put_case = [&](std::string what, const v1::Report& report, Code code,
                        std::string message) {
      v1::PutReportRequest r;
      *r.mutable_report() = report;
      query_case(std::move(what), put, Bytes(r), code, std::move(message),
                 Auth::kToken);
    };
    query_case("PutReport without report", put, Bytes(v1::PutReportRequest()),
               Code::INVALID_ARGUMENT, "report: required", Auth::kToken);
    v1::Report report = GoodReport(kSongxian, 2022);
    report.clear_year();
    put_case("PutReport without year", report, Code::INVALID_ARGUMENT,
             "report.year: must be a year in 1900..2200, got 0");
    report.set_year(-2024);
    put_case("PutReport negative year", report, Code::INVALID_ARGUMENT,
             "report.year");
    report.set_year(std::numeric_limits<int32_t>::max());
    put_case("PutReport year INT32_MAX", report, Code::INVALID_ARGUMENT,
             "report.year");
    report = GoodReport("", 2022);
    put_case("PutReport without region or region_text", report,
             Code::INVALID_ARGUMENT, "report.region: required");
    report.set_region("410325");
    put_case("PutReport malformed region", report, Code::INVALID_ARGUMENT,
             "report.region: \"410325\"");
    report.set_region("regions/999999");
    put_case("PutReport unknown region", report, Code::NOT_FOUND,
             "report.region: region regions/999999 not found");
    report.clear_region();
    report.set_region_text("火星县");
    put_case("PutReport unknown region_text", report, Code::INVALID_ARGUMENT,
             "report.region_text");
    report.set_region_text(std::string(200000, 'x'));
    put_case("PutReport 200 kB region_text", report, Code::INVALID_ARGUMENT,
             "report.region_text: \"xxx");
    auto obs_case = [&](std::string what, v1::Observation obs,
                        std::string message) {
      v1::Report r = GoodReport(kSongxian, 2022);
      *r.mutable_observations(1) = std::move(obs);
      put_case(std::move(what), r, Code::INVALID_ARGUMENT, std::move(message));
    };
    const v1::Observation good =
        Figure("城镇新增就业", v1::OBSERVATION_KIND_TARGET, 2022, 1);
    obs_case("PutReport observation with unknown value_type",
             WithEnumNumber(good, "value_type", 9),
             "report.observations[1].value_type: unknown value");
    obs_case("PutReport observation with unknown kind",
             WithEnumNumber(good, "kind", 9),
             "report.observations[1].kind: unknown value");
    v1::Observation comparator = good;
    *comparator.mutable_quantity() =
        WithEnumNumber(good.quantity(), "comparator", 99);
    obs_case("PutReport observation with unknown comparator", comparator,
             "report.observations[1].quantity.comparator: unknown value");
    obs_case("PutReport observation with unknown flag",
             WithEnumNumber(good, "flags", 9), "report.observations[1].flags");
    v1::Observation nameless = good;
    nameless.clear_subject_text();
    obs_case("PutReport observation without subject or indicator", nameless,
             "report.observations[1].subject_text: required");
    v1::Observation nan = good;
    nan.mutable_quantity()->set_value(std::numeric_limits<double>::quiet_NaN());
    obs_case("PutReport observation with NaN value", nan,
             "report.observations[1].quantity: values must be finite");
    v1::Observation inf = good;
    inf.mutable_quantity()->set_upper_bound(
        -std::numeric_limits<double>::infinity());
    obs_case("PutReport observation with -inf bound", inf,
             "report.observations[1].quantity: values must be finite");
    v1::Observation backwards = good;
    backwards.mutable_reference_period()->set_first_year(2023);
    obs_case("PutReport observation period backwards", backwards,
             "report.observations[1].reference_period");
    v1::Observation indicator = good;
    indicator.set_indicator("gdp");
    obs_case("PutReport observation malformed indicator", indicator,
             "report.observations[1].indicator: \"gdp\"");
    indicator.set_indicator("indicators/no-such-thing");
    v1::Report unknown_indicator = GoodReport(kSongxian, 2022);
    *unknown_indicator.mutable_observations(1) = indicator;
    put_case("PutReport observation unknown indicator", unknown_indicator,
             Code::NOT_FOUND, "report.observations[1].indicator");
    unknown_indicator.mutable_observations(1)->set_indicator(
        "indicators/" + std::string(200000, 'i'));
    put_case("PutReport observation 200 kB indicator", unknown_indicator,
             Code::NOT_FOUND, "bytes) not found");
    put_case("PutReport unknown region_level",
             WithEnumNumber(GoodReport(kSongxian, 2022), "region_level", 9),
             Code::INVALID_ARGUMENT, "report.region_level");
    v1::Report session = GoodReport(kSongxian, 2022);
    *session.add_sessions() = WithEnumNumber(v1::Session(), "body", 9);
    put_case("PutReport session with unknown body", session,
             Code::INVALID_ARGUMENT, "report.sessions[0].body");
    v1::Report section = GoodReport(kSongxian, 2022);
    *section.add_sections() = WithEnumNumber(v1::Section(), "kind", 9);
    put_case("PutReport section with unknown kind", section,
             Code::INVALID_ARGUMENT, "report.sections[0].kind");
    put_case("PutReport title with invalid UTF-8",
             WithRawField(GoodReport(kSongxian, 2022), 4, kBadUtf8),
             Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::DeleteReportRequest r;
    query_case("DeleteReport without name", del, Bytes(r),
               Code::INVALID_ARGUMENT, "name: required", Auth::kToken);
    r.set_name("regions/410325/reports/twenty");
    query_case("DeleteReport malformed name", del, Bytes(r),
               Code::INVALID_ARGUMENT,
               "name: \"regions/410325/reports/twenty\"", Auth::kToken);
    r.set_name(ReportName(kSongxian, 2001));
    query_case("DeleteReport not held", del, Bytes(r), Code::NOT_FOUND,
               "no report", Auth::kToken);
  }

  // --- QueryService.
  {
    const v1::CompareRegionsRequest good = pages.compare;
    auto compare_case = [&](std::string what, v1::CompareRegionsRequest r,
                            Code code, std::string message) {
      r.clear_page_size();
      query_case(std::move(what), compare_regions, Bytes(r), code,
                 std::move(message));
    };
    v1::CompareRegionsRequest r = good;
    r.clear_regions();
    compare_case("CompareRegions without regions", r, Code::INVALID_ARGUMENT,
                 "regions: required; set region_list or subtree");
    r = good;
    r.mutable_regions()->mutable_region_list();
    r.mutable_regions()->mutable_region_list()->clear_names();
    compare_case("CompareRegions with an empty region_list", r,
                 Code::INVALID_ARGUMENT, "regions.region_list.names: give 1");
    r = good;
    r.mutable_regions()->mutable_region_list()->set_names(1, "regions/4103");
    compare_case("CompareRegions malformed second region", r,
                 Code::INVALID_ARGUMENT,
                 "regions.region_list.names[1]: \"regions/4103\"");
    r.mutable_regions()->mutable_region_list()->set_names(1, "regions/999999");
    compare_case("CompareRegions unknown second region", r, Code::NOT_FOUND,
                 "regions.region_list.names[1]: region regions/999999");
    r = good;
    for (int i = 0; i < 1000; ++i) {
      r.mutable_regions()->mutable_region_list()->add_names(kSongxian);
    }
    compare_case("CompareRegions 1002 regions", r, Code::INVALID_ARGUMENT,
                 "regions.region_list.names: give 1 to 1000");
    r = good;
    r.mutable_regions()->mutable_subtree()->set_parent("regions/41");
    compare_case("CompareRegions malformed subtree parent", r,
                 Code::INVALID_ARGUMENT,
                 "regions.subtree.parent: \"regions/41\"");
    r.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
    *r.mutable_regions()->mutable_subtree() =
        WithEnumNumber(r.regions().subtree(), "level", 9);
    compare_case("CompareRegions subtree with unknown level", r,
                 Code::INVALID_ARGUMENT, "regions.subtree.level");
    r = good;
    r.clear_series();
    compare_case("CompareRegions without series", r, Code::INVALID_ARGUMENT,
                 "series.indicator: required");
    r = good;
    r.mutable_series()->set_indicator("indicators/no-such-thing");
    compare_case("CompareRegions unknown indicator", r, Code::NOT_FOUND,
                 "series.indicator: indicator indicators/no-such-thing");
    r = good;
    r.mutable_series()->clear_value_type();
    compare_case("CompareRegions without value_type", r, Code::INVALID_ARGUMENT,
                 "series.value_type: required");
    r = good;
    *r.mutable_series() = WithEnumNumber(good.series(), "value_type", 9);
    compare_case("CompareRegions unknown value_type", r, Code::INVALID_ARGUMENT,
                 "series.value_type");
    r = good;
    r.mutable_series()->clear_kind();
    compare_case("CompareRegions without kind", r, Code::INVALID_ARGUMENT,
                 "series.kind: required");
    r = good;
    *r.mutable_series() = WithEnumNumber(good.series(), "kind", 9);
    compare_case("CompareRegions unknown kind", r, Code::INVALID_ARGUMENT,
                 "series.kind");
    r = good;
    r.clear_year();
    compare_case("CompareRegions EXACT without year", r, Code::INVALID_ARGUMENT,
                 "year: required when year_policy is EXACT");
    r.set_year(-2024);
    compare_case("CompareRegions negative year", r, Code::INVALID_ARGUMENT,
                 "year");
    compare_case("CompareRegions unknown year_policy",
                 WithEnumNumber(good, "year_policy", 9), Code::INVALID_ARGUMENT,
                 "year_policy");
    compare_case("CompareRegions unknown order",
                 WithEnumNumber(good, "order", 9), Code::INVALID_ARGUMENT,
                 "order");
    r = good;
    r.set_page_size(-1);
    query_case("CompareRegions page_size -1", compare_regions, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    query_case("CompareRegions stale token", compare_regions,
               Bytes(WithToken(good, stale.compare)), Code::INVALID_ARGUMENT,
               "page_token: stale");
    r = good;
    r.set_year(2023);
    query_case("CompareRegions token of another year", compare_regions,
               Bytes(WithToken(r, fresh.compare)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    r = good;
    r.set_exclude_unavailable(true);
    query_case("CompareRegions token without exclude_unavailable",
               compare_regions, Bytes(WithToken(r, fresh.compare)),
               Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    Case past_end{
        "CompareRegions forged token past the end: empty last page",
        Server::kQuery,
        compare_regions,
        Bytes(WithToken(
            good, query::EncodePageToken(std::numeric_limits<uint64_t>::max(),
                                         query::RequestHash(good), version))),
        Code::OK,
        ""};
    past_end.check_response =
        EmptyLastPage(v1::CompareRegionsResponse(), "rows");
    add(past_end);
    query_case(
        "CompareRegions region name with invalid UTF-8", compare_regions,
        Bytes(WithRawField(
            v1::CompareRegionsRequest(), 1,
            WithRawField(
                v1::RegionSelector(), 1,
                WithRawField(v1::RegionList(), 1, kBadUtf8).SerializeAsString())
                .SerializeAsString())),
        Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::CompareYearsRequest good;
    good.add_regions(kSongxian);
    good.mutable_series()->set_indicator(kJobs);
    good.mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
    good.mutable_years()->set_first_year(2020);
    good.mutable_years()->set_last_year(2024);
    auto years_case = [&](std::string what, const v1::CompareYearsRequest& r,
                          Code code, std::string message) {
      query_case(std::move(what), compare_years, Bytes(r), code,
                 std::move(message));
    };
    v1::CompareYearsRequest r = good;
    r.clear_regions();
    years_case("CompareYears without regions", r, Code::INVALID_ARGUMENT,
               "regions: give 1 to 100 regions, got 0");
    r = good;
    for (int i = 0; i < 100; ++i) r.add_regions(kMengjin);
    years_case("CompareYears 101 regions", r, Code::INVALID_ARGUMENT,
               "regions: give 1 to 100 regions, got 101");
    r = good;
    r.add_regions("regions/x");
    years_case("CompareYears malformed second region", r,
               Code::INVALID_ARGUMENT, "regions[1]: \"regions/x\"");
    r = good;
    r.clear_series();
    years_case("CompareYears without series", r, Code::INVALID_ARGUMENT,
               "series.indicator: required");
    r = good;
    r.mutable_series()->clear_value_type();
    years_case("CompareYears without value_type", r, Code::INVALID_ARGUMENT,
               "series.value_type: required");
    r = good;
    *r.mutable_series() = WithEnumNumber(good.series(), "value_type", 9);
    years_case("CompareYears unknown value_type", r, Code::INVALID_ARGUMENT,
               "series.value_type");
    r = good;
    r.clear_years();
    years_case("CompareYears without years", r, Code::INVALID_ARGUMENT,
               "years: need 0 < first_year <= last_year");
    r = good;
    r.mutable_years()->set_first_year(2025);
    years_case("CompareYears years backwards", r, Code::INVALID_ARGUMENT,
               "years: need 0 < first_year <= last_year");
    r = good;
    r.mutable_years()->set_first_year(1);
    r.mutable_years()->set_last_year(std::numeric_limits<int32_t>::max());
    years_case("CompareYears span of 2^31 years", r, Code::INVALID_ARGUMENT,
               "at most 100 years");
    r.mutable_years()->set_first_year(-5);
    years_case("CompareYears negative first_year", r, Code::INVALID_ARGUMENT,
               "years: need 0 < first_year");
  }
  {
    const v1::EvaluateTargetsRequest good = pages.evaluate;
    v1::EvaluateTargetsRequest r = good;
    r.clear_page_size();
    r.clear_regions();
    query_case("EvaluateTargets without regions", evaluate, Bytes(r),
               Code::INVALID_ARGUMENT, "regions: required");
    r = good;
    r.clear_year();
    query_case("EvaluateTargets without year", evaluate, Bytes(r),
               Code::INVALID_ARGUMENT, "year: required");
    r = good;
    r.add_indicators(kJobs);
    r.add_indicators("indicators/");
    query_case("EvaluateTargets malformed second indicator", evaluate, Bytes(r),
               Code::INVALID_ARGUMENT, "indicators[1]: \"indicators/\"");
    r = good;
    r.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
    *r.mutable_regions()->mutable_subtree() =
        WithEnumNumber(r.regions().subtree(), "level", 9);
    query_case("EvaluateTargets subtree with unknown level", evaluate, Bytes(r),
               Code::INVALID_ARGUMENT, "regions.subtree.level");
    r = good;
    r.set_page_size(-3);
    query_case("EvaluateTargets page_size -3", evaluate, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    query_case("EvaluateTargets stale token", evaluate,
               Bytes(WithToken(good, stale.evaluate)), Code::INVALID_ARGUMENT,
               "page_token: stale");
    r = good;
    r.set_year(2023);
    query_case("EvaluateTargets token of another year", evaluate,
               Bytes(WithToken(r, fresh.evaluate)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("EvaluateTargets token of CompareRegions", evaluate,
               Bytes(WithToken(good, fresh.compare)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
  }
  {
    const v1::QueryObservationsRequest good = pages.query;
    v1::QueryObservationsRequest r = good;
    r.clear_regions();
    query_case("QueryObservations without regions", query_observations,
               Bytes(r), Code::INVALID_ARGUMENT, "regions: required");
    r = good;
    r.add_indicators("indicators/no-such-thing");
    query_case("QueryObservations unknown indicator", query_observations,
               Bytes(r), Code::NOT_FOUND, "indicators[0]: indicator");
    query_case("QueryObservations unknown kind", query_observations,
               Bytes(WithEnumNumber(good, "kind", 9)), Code::INVALID_ARGUMENT,
               "kind");
    r = good;
    r.mutable_reference_years()->set_first_year(2024);
    r.mutable_reference_years()->set_last_year(2020);
    query_case("QueryObservations reference_years backwards",
               query_observations, Bytes(r), Code::INVALID_ARGUMENT,
               "reference_years: last_year is before first_year");
    r = good;
    r.set_page_size(-1);
    query_case("QueryObservations page_size -1", query_observations, Bytes(r),
               Code::INVALID_ARGUMENT, "page_size: must not be negative");
    r.set_page_size(std::numeric_limits<int32_t>::max());
    Case huge{"QueryObservations page_size INT32_MAX is coerced",
              Server::kQuery,
              query_observations,
              Bytes(r),
              Code::OK,
              ""};
    huge.check_response =
        Exactly(v1::QueryObservationsResponse(), "observations", 4);
    add(huge);
    query_case("QueryObservations stale token", query_observations,
               Bytes(WithToken(good, stale.query)), Code::INVALID_ARGUMENT,
               "page_token: stale");
    r = good;
    r.set_kind(v1::OBSERVATION_KIND_ACHIEVED);
    query_case("QueryObservations token of another kind", query_observations,
               Bytes(WithToken(r, fresh.query)), Code::INVALID_ARGUMENT,
               "page_token: does not match the request");
    query_case("QueryObservations subject_texts with invalid UTF-8",
               query_observations, Bytes(WithRawField(good, 8, kBadUtf8)),
               Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::SummarizeCoverageRequest good;
    good.mutable_regions()->mutable_region_list()->add_names(kSongxian);
    good.add_indicators(kJobs);
    v1::SummarizeCoverageRequest r = good;
    r.clear_indicators();
    query_case("SummarizeCoverage without indicators", coverage, Bytes(r),
               Code::INVALID_ARGUMENT,
               "indicators: give 1 to 50 indicators, got 0");
    r = good;
    for (int i = 0; i < 50; ++i) r.add_indicators(kJobs);
    query_case("SummarizeCoverage 51 indicators", coverage, Bytes(r),
               Code::INVALID_ARGUMENT,
               "indicators: give 1 to 50 indicators, got 51");
    r = good;
    r.clear_regions();
    query_case("SummarizeCoverage without regions", coverage, Bytes(r),
               Code::INVALID_ARGUMENT, "regions: required");
    r = good;
    r.add_indicators("jobs");
    query_case("SummarizeCoverage malformed second indicator", coverage,
               Bytes(r), Code::INVALID_ARGUMENT, "indicators[1]: \"jobs\"");
    r = good;
    r.mutable_regions()->mutable_subtree()->set_parent("regions/410300");
    *r.mutable_regions()->mutable_subtree() =
        WithEnumNumber(r.regions().subtree(), "level", 9);
    query_case("SummarizeCoverage subtree with unknown level", coverage,
               Bytes(r), Code::INVALID_ARGUMENT, "regions.subtree.level");
  }

  // --- ParserService.
  {
    v1::ParseDocumentRequest r;
    parser_case("ParseDocument without content", Bytes(r),
                Code::INVALID_ARGUMENT, "empty");
    r.set_content(kBadUtf8);
    parser_case("ParseDocument content not UTF-8", Bytes(r),
                Code::INVALID_ARGUMENT,
                "not valid UTF-8: invalid byte at offset 2");
    r.set_content("\n \n   ");
    parser_case("ParseDocument whitespace only", Bytes(r),
                Code::INVALID_ARGUMENT, "only whitespace");
    r.set_content(std::string(kMaxDocumentBytes + 1, 'a'));
    parser_case("ParseDocument beyond --max_document_bytes", Bytes(r),
                Code::RESOURCE_EXHAUSTED,
                absl::StrCat("the limit is ", kMaxDocumentBytes, " bytes"));
    r.set_content(kGoodDocument);
    parser_case("ParseDocument unknown format",
                Bytes(WithEnumNumber(r, "format", 9)), Code::INVALID_ARGUMENT,
                "format");
    r.set_default_year(-1);
    parser_case("ParseDocument negative default_year", Bytes(r),
                Code::INVALID_ARGUMENT, "default_year");
    parser_case("ParseDocument source_uri with invalid UTF-8",
                Bytes(WithRawField(v1::ParseDocumentRequest(), 3, kBadUtf8)),
                Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }
  {
    v1::ParseDocumentsRequest r;
    r.set_document_id("d1");
    stream_case("ParseDocuments without document", Bytes(r),
                Code::INVALID_ARGUMENT, "document is required");
    r.mutable_document()->set_content(kBadUtf8);
    stream_case("ParseDocuments content not UTF-8", Bytes(r),
                Code::INVALID_ARGUMENT, "not valid UTF-8");
    r.mutable_document()->set_content(std::string(kMaxDocumentBytes + 1, 'a'));
    stream_case("ParseDocuments beyond --max_document_bytes", Bytes(r),
                Code::RESOURCE_EXHAUSTED, "max_document_bytes");
    r.mutable_document()->set_content(kGoodDocument);
    *r.mutable_document() = WithEnumNumber(r.document(), "format", 9);
    stream_case("ParseDocuments unknown format", Bytes(r),
                Code::INVALID_ARGUMENT, "format");
    stream_case("ParseDocuments document_id with invalid UTF-8",
                Bytes(WithRawField(v1::ParseDocumentsRequest(), 1, kBadUtf8)),
                Code::INVALID_ARGUMENT, "UTF-8");
    undecodable();
  }

  // Every method got cases.
  std::set<std::string> tried;
  for (const Case& c : cases) tried.insert(c.method);
  EXPECT_EQ(tried, AllMethods());

  // The writes last: one that wrongly succeeds changes the data version,
  // and with it what the page token cases expect.
  std::stable_partition(cases.begin(), cases.end(), [&](const Case& c) {
    return c.method != ingest && c.method != put && c.method != del;
  });
  int failed = 0;
  for (const Case& c : cases) {
    const Outcome outcome = Run(c);
    std::string wrong;
    if (outcome.code != c.code) {
      wrong = absl::StrCat("expected ", GrpcCodeName(c.code));
    } else if (!absl::StrContains(outcome.message, c.message)) {
      wrong = absl::StrCat("expected the message to hold \"", c.message, "\"");
    } else if (c.code == Code::OK && c.check_response) {
      wrong = c.check_response(outcome.response);
    }
    const char* verdict = wrong.empty() ? "ok  " : "FAIL";
    if (!wrong.empty()) ++failed;
    const std::string method = c.method.substr(c.method.rfind('/') + 1);
    std::printf("%s %s: %s → %s \"%s\"%s%s\n", verdict, method.c_str(),
                c.what.c_str(), GrpcCodeName(outcome.code),
                outcome.message.substr(0, 160).c_str(),
                wrong.empty() ? "" : "; ", wrong.c_str());
    if (!wrong.empty()) {
      ADD_FAILURE() << method << ": " << c.what << ": got "
                    << GrpcCodeName(outcome.code) << " \"" << outcome.message
                    << "\"; " << wrong;
    }
  }
  const auto undecodable_cases = std::count_if(
      cases.begin(), cases.end(), [](const Case& c) { return c.undecodable; });
  std::printf(
      "%zu bad inputs tried over %zu methods (%td of them undecodable): %zu "
      "answered as expected, %d wrongly\n",
      cases.size(), tried.size(), undecodable_cases, cases.size() - failed,
      failed);

  // Both servers are alive, SERVING, and answer good requests.
  ASSERT_THAT(parser_->process.Signal(0), IsOk());
  ASSERT_THAT(query_->process.Signal(0), IsOk());
  EXPECT_TRUE(testing::WaitUntilServing(parser_->channel, absl::Seconds(5)));
  EXPECT_TRUE(testing::WaitUntilServing(query_->channel, absl::Seconds(5)));
  {
    v1::GetReportRequest get;
    get.set_name(ReportName(kSongxian, 2024));
    get.set_view(v1::REPORT_VIEW_FULL);
    const auto got = MustCall<v1::GetReportResponse>(get_report, get);
    EXPECT_EQ(got.report().observations_size(), 2);
    v1::ParseDocumentRequest doc;
    doc.set_content(kGoodDocument);
    const Outcome parsed =
        CallUnary(parser_->channel, parse, Bytes(doc), Auth::kNone);
    EXPECT_EQ(parsed.code, Code::OK) << parsed.message;
    v1::ParseDocumentResponse parse_response;
    ASSERT_TRUE(parse_response.ParseFromString(parsed.response));
    EXPECT_EQ(parse_response.reports_size(), 1);
    v1::IngestDocumentRequest ingest_request;
    ingest_request.set_content(kGoodDocument);
    const auto ingested = MustCall<v1::IngestDocumentResponse>(
        ingest, ingest_request, Auth::kToken);
    EXPECT_EQ(ingested.reports_size(), 1);
  }
  EXPECT_THAT(StopServer(*query_), IsOk());
  EXPECT_THAT(StopServer(*parser_), IsOk());
}

}  // namespace
}  // namespace govreport
