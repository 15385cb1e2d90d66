// govreport-bench: a closed-loop (or paced) gRPC load generator for our
// servers. Issues one RPC kind, or a weighted mix, from `--concurrency`
// outstanding calls for `--duration`, and prints QPS and latency percentiles
// (and, with --report_interval, one line per interval: for soak runs, see
// scripts/soak). With --rate, calls the pacer could not start because
// --concurrency calls were already outstanding are counted as "skipped".
//
//   govreport-bench --target=127.0.0.1:50052 --rpc=health --duration=10s
//   govreport-bench --target=...
//   --mix=get_report:4,compare_regions:1,ingest:0.1
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

#include "bench/load/latency_recorder.h"
#include "common/metrics.h"
#include "govreport/v1/catalog_service.grpc.pb.h"
#include "govreport/v1/query_service.grpc.pb.h"
#include "govreport/v1/report_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "server to load");
ABSL_FLAG(std::string, rpc, "health",
          "one of health, get_region, batch_get_regions, list_regions, "
          "get_indicator, list_indicators, get_data_snapshot, get_report, "
          "get_report_full, list_reports, list_policy_measures, "
          "list_observations, compare_regions, compare_years, "
          "evaluate_targets, query_observations, summarize_coverage, ingest");
ABSL_FLAG(std::string, mix, "",
          "weighted mix instead of --rpc, e.g. get_report:4,ingest:0.1");
ABSL_FLAG(int, concurrency, 16, "outstanding calls");
ABSL_FLAG(int, channels, 4, "gRPC channels (connections) to spread calls over");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long to measure");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "unmeasured warm-up");
ABSL_FLAG(double, rate, 0,
          "calls per second to issue (paced); 0 = closed loop, as fast as "
          "the server answers");
ABSL_FLAG(absl::Duration, report_interval, absl::ZeroDuration(),
          "print a line of stats every interval (soak runs)");
ABSL_FLAG(int, server_pid, 0,
          "with --report_interval, also print this process's resident memory");
ABSL_FLAG(std::string, indicator, "indicators/gdp", "indicator for queries");
ABSL_FLAG(int, year, 2023, "year for queries");
ABSL_FLAG(int, compare_regions, 10,
          "regions per CompareRegions; 0 = every county under --parent");
ABSL_FLAG(int, compare_sets, 0,
          "with --compare_regions > 0: 0 draws new regions for every call "
          "(no two requests alike); N > 0 draws N sets once and picks among "
          "them, as a dashboard asks the same comparisons again");
ABSL_FLAG(std::string, parent, "", "parent region for subtree comparisons");
ABSL_FLAG(std::string, ingest_file, "",
          "text to ingest (made unique per call)");
ABSL_FLAG(std::string, token_file, "", "bearer token for ingest");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each call");
ABSL_FLAG(std::string, request_id_prefix, "",
          "when set, every call carries x-request-id PREFIX-N (N counts "
          "calls), to find a call in the servers' logs");
ABSL_FLAG(bool, by_rpc, false,
          "with --mix, also print the totals of each RPC kind (before the "
          "overall line, which stays last)");
ABSL_FLAG(std::string, format, "table", "table or json");
ABSL_FLAG(bool, decode_responses, true,
          "parse each response into its message; false receives the bytes "
          "only (a generic call), so that on a machine shared with the "
          "server the client's parsing does not take CPU from it");

namespace govreport::bench {
namespace {

using v1::CatalogService;
using v1::QueryService;
using v1::ReportService;

// What the generator knows about the data, discovered at start.
struct Corpus {
  std::vector<std::string> reports;  // regions/X/reports/Y
  std::vector<std::string> regions;  // regions with at least one report
};

struct Stubs {
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
  std::unique_ptr<CatalogService::Stub> catalog;
  std::unique_ptr<ReportService::Stub> reports;
  std::unique_ptr<QueryService::Stub> query;
  std::unique_ptr<grpc::GenericStub> generic;  // --decode_responses=false
};

// "/package.Service/Method" of the method that takes Request and returns
// Response, looked up among the services of the request's own .proto file
// (where our APIs, and health, declare them).
template <typename Request, typename Response>
const std::string& MethodPath() {
  static const std::string* path = [] {
    const google::protobuf::FileDescriptor* file =
        Request::descriptor()->file();
    for (int i = 0; i < file->service_count(); ++i) {
      const google::protobuf::ServiceDescriptor* service = file->service(i);
      for (int j = 0; j < service->method_count(); ++j) {
        const google::protobuf::MethodDescriptor* m = service->method(j);
        if (m->input_type() == Request::descriptor() &&
            m->output_type() == Response::descriptor()) {
          return new std::string(
              absl::StrCat("/", service->full_name(), "/", m->name()));
        }
      }
    }
    std::cerr << "no method for " << Request::descriptor()->full_name() << "\n";
    std::abort();
  }();
  return *path;
}

// Everything one call needs to stay alive until its callback runs.
struct CallState {
  grpc::ClientContext context;
  absl::Time start;
  std::unique_ptr<google::protobuf::Message> request;
  std::unique_ptr<google::protobuf::Message> response;
  grpc::GenericStub* generic = nullptr;  // of the channel the call uses
  grpc::ByteBuffer raw_request;          // --decode_responses=false
  grpc::ByteBuffer raw_response;
};

class LoadGenerator {
 public:
  LoadGenerator(std::vector<Stubs> stubs, Corpus corpus,
                std::vector<std::pair<std::string, double>> mix,
                std::string ingest_text, std::string token,
                std::string request_id_prefix)
      : stubs_(std::move(stubs)),
        corpus_(std::move(corpus)),
        mix_(std::move(mix)),
        ingest_text_(std::move(ingest_text)),
        token_(std::move(token)),
        request_id_prefix_(std::move(request_id_prefix)) {
    for (const auto& entry : mix_) {
      total_weight_ += entry.second;
      by_kind_.try_emplace(entry.first);
    }
    DrawSelectors();
  }

  // Issues one call of a kind drawn from the mix; `done` runs on completion.
  void Issue(std::function<void()> done) {
    const std::string kind = PickKind();
    auto state = std::make_shared<CallState>();
    state->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
    if (!token_.empty()) {
      state->context.AddMetadata("authorization", "Bearer " + token_);
    }
    if (!request_id_prefix_.empty()) {
      state->context.AddMetadata(
          "x-request-id",
          absl::StrCat(request_id_prefix_, "-", next_request_id_.fetch_add(1)));
    }
    const Stubs& stubs = stubs_[next_stub_++ % stubs_.size()];
    state->generic = stubs.generic.get();
    state->start = absl::Now();
    LatencyRecorder* by_kind = &by_kind_.at(kind);
    auto finish = [this, state, by_kind,
                   done = std::move(done)](grpc::Status status) {
      if (measuring_.load(std::memory_order_relaxed)) {
        const int64_t us =
            absl::ToInt64Microseconds(absl::Now() - state->start);
        recorder_.Record(us, GrpcCodeName(status.error_code()));
        by_kind->Record(us, GrpcCodeName(status.error_code()));
      }
      done();
    };
    Dispatch(kind, stubs, state, std::move(finish));
  }

  LatencyRecorder& recorder() { return recorder_; }
  // The recorder of each kind of the mix, by name.
  const std::map<std::string, LatencyRecorder>& by_kind() const {
    return by_kind_;
  }
  void set_measuring(bool on) { measuring_.store(on); }
  bool measuring() const { return measuring_.load(); }

 private:
  template <typename Request, typename Response, typename AsyncStub>
  void Start(const std::shared_ptr<CallState>& state, AsyncStub* async,
             void (AsyncStub::*method)(grpc::ClientContext*, const Request*,
                                       Response*,
                                       std::function<void(grpc::Status)>),
             std::unique_ptr<Request> request,
             std::function<void(grpc::Status)> finish) {
    if (!decode_responses_) {
      bool own_buffer = false;
      grpc::GenericSerialize<grpc::ProtoBufferWriter, Request>(
          *request, &state->raw_request, &own_buffer);
      state->generic->UnaryCall(
          &state->context, MethodPath<Request, Response>(), grpc::StubOptions(),
          &state->raw_request, &state->raw_response, std::move(finish));
      return;
    }
    auto* request_ptr = request.get();
    auto response = std::make_unique<Response>();
    auto* response_ptr = response.get();
    state->request = std::move(request);
    state->response = std::move(response);
    (async->*method)(&state->context, request_ptr, response_ptr,
                     std::move(finish));
  }

  template <typename T>
  const T& Any(const std::vector<T>& items) {
    thread_local std::mt19937_64 rng(std::random_device{}());
    return items[rng() % items.size()];
  }

  std::string PickKind() {
    if (mix_.size() == 1) return mix_.front().first;
    thread_local std::mt19937_64 rng(std::random_device{}());
    double x = std::uniform_real_distribution<double>(0, total_weight_)(rng);
    for (const auto& [kind, weight] : mix_) {
      if (x < weight) return kind;
      x -= weight;
    }
    return mix_.back().first;
  }

  v1::RegionSelector Selector() {
    if (!selectors_.empty()) return Any(selectors_);
    return NewSelector();
  }

  v1::RegionSelector NewSelector() {
    v1::RegionSelector selector;
    const int n = absl::GetFlag(FLAGS_compare_regions);
    if (n == 0) {
      selector.mutable_subtree()->set_parent(absl::GetFlag(FLAGS_parent));
      selector.mutable_subtree()->set_level(v1::REGION_LEVEL_COUNTY);
    } else {
      for (int i = 0; i < n; ++i) {
        selector.mutable_region_list()->add_names(Any(corpus_.regions));
      }
    }
    return selector;
  }

  // --compare_sets: the region sets drawn once, before the first call.
  void DrawSelectors() {
    const int sets = absl::GetFlag(FLAGS_compare_sets);
    if (absl::GetFlag(FLAGS_compare_regions) <= 0) return;
    for (int i = 0; i < sets; ++i) selectors_.push_back(NewSelector());
  }

  void Dispatch(const std::string& kind, const Stubs& stubs,
                const std::shared_ptr<CallState>& state,
                std::function<void(grpc::Status)> finish);

  std::vector<Stubs> stubs_;
  Corpus corpus_;
  std::vector<std::pair<std::string, double>> mix_;
  double total_weight_ = 0;
  std::string ingest_text_;
  std::vector<v1::RegionSelector> selectors_;  // --compare_sets
  std::string token_;
  std::string request_id_prefix_;
  const bool decode_responses_ = absl::GetFlag(FLAGS_decode_responses);
  std::atomic<uint64_t> next_request_id_{0};
  std::atomic<uint64_t> next_stub_{0};
  std::atomic<uint64_t> ingest_counter_{0};
  // Differs per run, so that a second run's ingests are new documents too.
  const uint64_t run_id_ = std::random_device{}();
  std::atomic<bool> measuring_{false};
  LatencyRecorder recorder_;
  // One per kind of the mix; the map is never changed after construction,
  // so lookups need no lock (each recorder locks itself).
  std::map<std::string, LatencyRecorder> by_kind_;
};

void LoadGenerator::Dispatch(const std::string& kind, const Stubs& stubs,
                             const std::shared_ptr<CallState>& state,
                             std::function<void(grpc::Status)> finish) {
  if (kind == "health") {
    Start(state, stubs.health->async(),
          &grpc::health::v1::Health::Stub::async::Check,
          std::make_unique<grpc::health::v1::HealthCheckRequest>(),
          std::move(finish));
  } else if (kind == "get_region") {
    auto request = std::make_unique<v1::GetRegionRequest>();
    request->set_name(Any(corpus_.regions));
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::GetRegion, std::move(request),
          std::move(finish));
  } else if (kind == "list_regions") {
    auto request = std::make_unique<v1::ListRegionsRequest>();
    request->set_parent(absl::GetFlag(FLAGS_parent));
    request->set_page_size(100);
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::ListRegions, std::move(request),
          std::move(finish));
  } else if (kind == "get_report" || kind == "get_report_full") {
    auto request = std::make_unique<v1::GetReportRequest>();
    request->set_name(Any(corpus_.reports));
    if (kind == "get_report_full") request->set_view(v1::REPORT_VIEW_FULL);
    Start(state, stubs.reports->async(), &ReportService::Stub::async::GetReport,
          std::move(request), std::move(finish));
  } else if (kind == "list_observations") {
    auto request = std::make_unique<v1::ListObservationsRequest>();
    request->set_parent(Any(corpus_.reports));
    request->set_page_size(100);
    Start(state, stubs.reports->async(),
          &ReportService::Stub::async::ListObservations, std::move(request),
          std::move(finish));
  } else if (kind == "compare_regions") {
    auto request = std::make_unique<v1::CompareRegionsRequest>();
    *request->mutable_regions() = Selector();
    request->mutable_series()->set_indicator(absl::GetFlag(FLAGS_indicator));
    request->mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
    request->mutable_series()->set_kind(v1::OBSERVATION_KIND_ACHIEVED);
    request->set_year(absl::GetFlag(FLAGS_year));
    request->set_page_size(1000);
    Start(state, stubs.query->async(),
          &QueryService::Stub::async::CompareRegions, std::move(request),
          std::move(finish));
  } else if (kind == "compare_years") {
    auto request = std::make_unique<v1::CompareYearsRequest>();
    request->add_regions(Any(corpus_.regions));
    request->mutable_series()->set_indicator(absl::GetFlag(FLAGS_indicator));
    request->mutable_series()->set_value_type(v1::VALUE_TYPE_LEVEL);
    request->mutable_years()->set_first_year(absl::GetFlag(FLAGS_year) - 9);
    request->mutable_years()->set_last_year(absl::GetFlag(FLAGS_year));
    Start(state, stubs.query->async(), &QueryService::Stub::async::CompareYears,
          std::move(request), std::move(finish));
  } else if (kind == "evaluate_targets") {
    auto request = std::make_unique<v1::EvaluateTargetsRequest>();
    *request->mutable_regions() = Selector();
    request->set_year(absl::GetFlag(FLAGS_year));
    Start(state, stubs.query->async(),
          &QueryService::Stub::async::EvaluateTargets, std::move(request),
          std::move(finish));
  } else if (kind == "query_observations") {
    auto request = std::make_unique<v1::QueryObservationsRequest>();
    *request->mutable_regions() = Selector();
    request->add_indicators(absl::GetFlag(FLAGS_indicator));
    Start(state, stubs.query->async(),
          &QueryService::Stub::async::QueryObservations, std::move(request),
          std::move(finish));
  } else if (kind == "batch_get_regions") {
    auto request = std::make_unique<v1::BatchGetRegionsRequest>();
    for (int i = 0; i < 10; ++i) request->add_names(Any(corpus_.regions));
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::BatchGetRegions, std::move(request),
          std::move(finish));
  } else if (kind == "get_indicator") {
    auto request = std::make_unique<v1::GetIndicatorRequest>();
    request->set_name(absl::GetFlag(FLAGS_indicator));
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::GetIndicator, std::move(request),
          std::move(finish));
  } else if (kind == "list_indicators") {
    auto request = std::make_unique<v1::ListIndicatorsRequest>();
    request->set_query("就业");
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::ListIndicators, std::move(request),
          std::move(finish));
  } else if (kind == "get_data_snapshot") {
    Start(state, stubs.catalog->async(),
          &CatalogService::Stub::async::GetDataSnapshot,
          std::make_unique<v1::GetDataSnapshotRequest>(), std::move(finish));
  } else if (kind == "list_reports") {
    auto request = std::make_unique<v1::ListReportsRequest>();
    request->set_parent(Any(corpus_.regions));
    Start(state, stubs.reports->async(),
          &ReportService::Stub::async::ListReports, std::move(request),
          std::move(finish));
  } else if (kind == "list_policy_measures") {
    auto request = std::make_unique<v1::ListPolicyMeasuresRequest>();
    request->set_parent(Any(corpus_.reports));
    Start(state, stubs.reports->async(),
          &ReportService::Stub::async::ListPolicyMeasures, std::move(request),
          std::move(finish));
  } else if (kind == "summarize_coverage") {
    auto request = std::make_unique<v1::SummarizeCoverageRequest>();
    *request->mutable_regions() = Selector();
    request->add_indicators(absl::GetFlag(FLAGS_indicator));
    Start(state, stubs.query->async(),
          &QueryService::Stub::async::SummarizeCoverage, std::move(request),
          std::move(finish));
  } else {  // ingest
    auto request = std::make_unique<v1::IngestDocumentRequest>();
    // A unique trailing line (run and call) keeps every ingest a real write
    // (new SHA-256).
    request->set_content(absl::StrCat(ingest_text_, "\n", run_id_, "-",
                                      ingest_counter_.fetch_add(1), "\n"));
    request->set_source_uri("govreport-bench");
    Start(state, stubs.reports->async(),
          &ReportService::Stub::async::IngestDocument, std::move(request),
          std::move(finish));
  }
}

bool IsKnownKind(const std::string& kind) {
  static const char* kKinds[] = {"health",
                                 "get_region",
                                 "batch_get_regions",
                                 "list_regions",
                                 "get_indicator",
                                 "list_indicators",
                                 "get_data_snapshot",
                                 "list_reports",
                                 "list_policy_measures",
                                 "summarize_coverage",
                                 "get_report",
                                 "get_report_full",
                                 "list_observations",
                                 "compare_regions",
                                 "compare_years",
                                 "evaluate_targets",
                                 "query_observations",
                                 "ingest"};
  for (const char* known : kKinds) {
    if (kind == known) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::pair<std::string, double>>> ParseMix() {
  std::vector<std::pair<std::string, double>> mix;
  const std::string text = absl::GetFlag(FLAGS_mix);
  if (text.empty()) {
    mix.emplace_back(absl::GetFlag(FLAGS_rpc), 1.0);
  } else {
    for (absl::string_view part : absl::StrSplit(text, ',')) {
      std::vector<std::string> kv = absl::StrSplit(part, ':');
      double weight = 1;
      if (kv.size() > 2 ||
          (kv.size() == 2 && !absl::SimpleAtod(kv[1], &weight)) ||
          weight <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--mix entry \"", part, "\" is not NAME:WEIGHT"));
      }
      mix.emplace_back(kv[0], weight);
    }
  }
  for (const auto& entry : mix) {
    if (!IsKnownKind(entry.first)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown rpc \"", entry.first, "\"; see --help"));
    }
  }
  return mix;
}

// Lists every report the server holds (for picking names to read).
absl::StatusOr<Corpus> Discover(ReportService::Stub& stub) {
  Corpus corpus;
  std::set<std::string> regions;
  v1::ListReportsRequest request;
  request.set_parent("regions/-");
  request.set_page_size(1000);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::ListReportsResponse response;
    const grpc::Status status = stub.ListReports(&context, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("ListReports: ", status.error_message()));
    }
    for (const v1::Report& report : response.reports()) {
      corpus.reports.push_back(report.name());
      regions.insert(report.region());
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  corpus.regions.assign(regions.begin(), regions.end());
  return corpus;
}

int64_t ResidentKb(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    int64_t kb = 0;
    if (line.rfind("VmRSS:", 0) == 0 &&
        absl::SimpleAtoi(
            absl::StripAsciiWhitespace(absl::StripSuffix(line.substr(6), "kB")),
            &kb)) {
      return kb;
    }
  }
  return 0;
}

std::string ReadFileOrEmpty(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(buffer.str()));
}

// `extra_json`: more fields for the JSON line (",\"name\":value...").
void PrintStats(const LatencyStats& stats, absl::Duration elapsed,
                const std::string& label, bool json,
                const std::string& extra_json = "") {
  const double qps =
      static_cast<double>(stats.calls) / absl::ToDoubleSeconds(elapsed);
  if (json) {
    std::string codes;
    for (const auto& [code, count] : stats.by_code) {
      absl::StrAppend(&codes, codes.empty() ? "" : ",", "\"", code,
                      "\":", count);
    }
    std::cout << absl::StrFormat(
                     "{\"rpc\":\"%s\",\"calls\":%d,\"errors\":%d,\"qps\":%.1f,"
                     "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
                     "\"p999_ms\":%.3f,\"max_ms\":%.3f,\"codes\":{%s}%s}",
                     label, stats.calls, stats.errors, qps, stats.p50_ms,
                     stats.p90_ms, stats.p99_ms, stats.p999_ms, stats.max_ms,
                     codes, extra_json)
              << std::endl;
    return;
  }
  std::cout << absl::StrFormat(
                   "%-40s calls %8d  errors %5d  qps %9.1f  p50 %7.3f  p90 "
                   "%7.3f  p99 %7.3f  p99.9 %7.3f  max %7.3f ms",
                   label, stats.calls, stats.errors, qps, stats.p50_ms,
                   stats.p90_ms, stats.p99_ms, stats.p999_ms, stats.max_ms)
            << std::endl;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "govreport-bench: gRPC load generator for the govreport servers.\n"
      "  govreport-bench --target=HOST:PORT --rpc=health --duration=10s");
  absl::ParseCommandLine(argc, argv);
  // As in the servers (common/server_flags.cc): Debian's debug-built Abseil
  // would record every lock's order in one global graph, and the client's
  // CPU is the servers' on a shared machine.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<std::vector<std::pair<std::string, double>>> mix = ParseMix();
  if (!mix.ok()) {
    std::cerr << mix.status().message() << "\n";
    return EXIT_FAILURE;
  }
  const std::string target = absl::GetFlag(FLAGS_target);
  std::vector<Stubs> stubs;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
    grpc::ChannelArguments args;
    // Distinct arguments keep channels on distinct connections.
    args.SetInt("govreport.bench.channel", i);
    auto channel = grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args);
    stubs.push_back({grpc::health::v1::Health::NewStub(channel),
                     CatalogService::NewStub(channel),
                     ReportService::NewStub(channel),
                     QueryService::NewStub(channel),
                     std::make_unique<grpc::GenericStub>(channel)});
  }
  bool needs_corpus = false;
  for (const auto& [kind, weight] : *mix) {
    needs_corpus |= kind != "health" && kind != "list_regions" &&
                    kind != "ingest" && kind != "get_indicator" &&
                    kind != "list_indicators" && kind != "get_data_snapshot";
  }
  Corpus corpus;
  if (needs_corpus) {
    absl::StatusOr<Corpus> discovered = Discover(*stubs.front().reports);
    if (!discovered.ok() || discovered->reports.empty()) {
      std::cerr << "cannot load: the server holds no reports ("
                << (discovered.ok() ? "empty" : discovered.status().ToString())
                << ")\n";
      return EXIT_FAILURE;
    }
    corpus = *std::move(discovered);
  }
  std::string ingest_text = ReadFileOrEmpty(absl::GetFlag(FLAGS_ingest_file));
  LoadGenerator generator(std::move(stubs), std::move(corpus), *mix,
                          std::move(ingest_text),
                          ReadFileOrEmpty(absl::GetFlag(FLAGS_token_file)),
                          absl::GetFlag(FLAGS_request_id_prefix));

  const int concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));
  const double rate = absl::GetFlag(FLAGS_rate);
  std::atomic<bool> stop{false};
  std::atomic<int> in_flight{0};
  // Paced calls not started because `concurrency` were outstanding, while
  // measuring: the server did not keep up with --rate.
  std::atomic<int64_t> skipped{0};
  absl::Mutex done_mu;
  std::function<void()> issue_next;
  // Closed loop: each completion issues the next call.
  issue_next = [&] {
    in_flight.fetch_sub(1);
    if (stop.load() || rate > 0) return;
    in_flight.fetch_add(1);
    generator.Issue(issue_next);
  };
  std::thread pacer;
  if (rate > 0) {
    // Paced: calls start on a fixed schedule, at most `concurrency` at once.
    pacer = std::thread([&] {
      const absl::Duration gap = absl::Seconds(1.0 / rate);
      absl::Time next = absl::Now();
      while (!stop.load()) {
        absl::SleepFor(next - absl::Now());
        next += gap;
        if (in_flight.load() >= concurrency) {
          if (generator.measuring()) skipped.fetch_add(1);
          continue;
        }
        in_flight.fetch_add(1);
        generator.Issue(issue_next);
      }
    });
  } else {
    for (int i = 0; i < concurrency; ++i) {
      in_flight.fetch_add(1);
      generator.Issue(issue_next);
    }
  }

  absl::SleepFor(absl::GetFlag(FLAGS_warmup));
  generator.recorder().TakeWindow();
  generator.set_measuring(true);
  const absl::Time start = absl::Now();
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const absl::Duration interval = absl::GetFlag(FLAGS_report_interval);
  const bool json = absl::GetFlag(FLAGS_format) == "json";
  const int pid = absl::GetFlag(FLAGS_server_pid);
  if (interval > absl::ZeroDuration()) {
    absl::Time window_start = start;
    int64_t skipped_before = 0;
    while (absl::Now() - start < duration) {
      absl::SleepFor(std::min(interval, duration - (absl::Now() - start)));
      const LatencyStats window = generator.recorder().TakeWindow();
      const double t = absl::ToDoubleSeconds(absl::Now() - start);
      std::string label = absl::StrFormat("t=%.0fs", t);
      const int64_t rss_kb = pid > 0 ? ResidentKb(pid) : 0;
      if (pid > 0) absl::StrAppend(&label, " rss_kb=", rss_kb);
      const int64_t skipped_now = skipped.load();
      PrintStats(window, absl::Now() - window_start, label, json,
                 absl::StrFormat(",\"t_s\":%.1f,\"rss_kb\":%d,\"skipped\":%d",
                                 t, rss_kb, skipped_now - skipped_before));
      skipped_before = skipped_now;
      window_start = absl::Now();
    }
  } else {
    absl::SleepFor(duration);
  }
  generator.set_measuring(false);
  const absl::Duration elapsed = absl::Now() - start;
  stop.store(true);
  if (pacer.joinable()) pacer.join();
  while (in_flight.load() > 0) absl::SleepFor(absl::Milliseconds(5));
  const std::string label = absl::GetFlag(FLAGS_mix).empty()
                                ? absl::GetFlag(FLAGS_rpc)
                                : absl::GetFlag(FLAGS_mix);
  if (absl::GetFlag(FLAGS_by_rpc) && generator.by_kind().size() > 1) {
    for (const auto& [kind, recorder] : generator.by_kind()) {
      PrintStats(recorder.Total(), elapsed, kind, json,
                 ",\"scope\":\"by_rpc\"");
    }
  }
  // The overall line stays last (scripts read it with tail -1).
  PrintStats(
      generator.recorder().Total(), elapsed, label, json,
      absl::StrFormat(",\"skipped\":%d%s", skipped.load(),
                      pid > 0 ? absl::StrCat(",\"rss_kb\":", ResidentKb(pid))
                              : std::string()));
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace govreport::bench

int main(int argc, char** argv) { return govreport::bench::Main(argc, argv); }
