// libFuzzer target for the query server's read requests: page tokens, page
// sizes, filters, selectors and resource names. Each input is a serialized
// govreport.fuzz.ReadCase: one request of a read RPC, answered by
// QueryEngine over a small snapshot of our own reports (the built-in
// catalogs), optionally with a forged page token (valid checksum, any
// offset, request hash or data version), and its next pages followed.
//
// Bugs: a crash or sanitizer report (UBSan makes signed overflow fatal); a
// status other than INVALID_ARGUMENT or NOT_FOUND, or an error without a
// message naming a field; a next_page_token that the same request refuses.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/engine/page_token.h"
#include "query_service/engine/query_engine.h"
#include "query_service/fuzz/fuzz_cases.pb.h"
#include "query_service/fuzz/proto_mutator.h"
#include "query_service/ingest/report_preparer.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/fake_store.h"

namespace govreport::query {
namespace {

using google::protobuf::Message;

void Check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "query_request_fuzzer: %s\n", what.c_str());
  std::abort();
}

v1::Observation Figure(absl::string_view indicator, absl::string_view subject,
                       v1::ObservationKind kind, v1::ValueType type,
                       int32_t year, double value, absl::string_view unit) {
  v1::Observation obs;
  if (!indicator.empty()) {
    obs.set_indicator(absl::StrCat("indicators/", indicator));
  }
  obs.set_subject_text(std::string(subject));
  obs.set_kind(kind);
  obs.set_value_type(type);
  obs.mutable_reference_period()->set_first_year(year);
  obs.mutable_reference_period()->set_last_year(year);
  obs.mutable_quantity()->set_value(value);
  obs.mutable_quantity()->set_effective_value(value);
  obs.mutable_quantity()->set_comparator(v1::COMPARATOR_EQUAL);
  obs.mutable_quantity()->set_unit(std::string(unit));
  return obs;
}

// Reports of three counties of 洛阳市 and one district of 郑州市 for
// 2023..2025: targets about the report year, results about the year before,
// one unmapped figure, one growth rate, a measure and a section each.
v1::Report OwnReport(absl::string_view code, int32_t year, int n) {
  v1::Report report;
  report.set_region(absl::StrCat("regions/", code));
  report.set_year(year);
  report.set_title(absl::StrCat(year, "年政府工作报告"));
  report.set_extractor_version("fuzz-fixture/1");
  v1::Section* section = report.add_sections();
  section->set_heading("过去一年工作回顾");
  section->set_kind(v1::SECTION_KIND_REVIEW);
  v1::PolicyMeasure* measure = report.add_measures();
  measure->set_title("项目为王稳经济");
  measure->set_section("sections/1");
  const double base = 1000.0 * n + year;
  *report.add_observations() = Figure(
      "urban-new-employment", "城镇新增就业", v1::OBSERVATION_KIND_ACHIEVED,
      v1::VALUE_TYPE_LEVEL, year - 1, base, "人");
  *report.add_observations() = Figure(
      "urban-new-employment", "城镇新增就业", v1::OBSERVATION_KIND_TARGET,
      v1::VALUE_TYPE_LEVEL, year, base + 100, "人");
  *report.add_observations() =
      Figure("gdp", "地区生产总值", v1::OBSERVATION_KIND_TARGET,
             v1::VALUE_TYPE_GROWTH_RATE, year, 6.5, "%");
  *report.add_observations() =
      Figure("gdp", "地区生产总值", v1::OBSERVATION_KIND_ACHIEVED,
             v1::VALUE_TYPE_GROWTH_RATE, year - 1, 5.0 + n, "%");
  *report.add_observations() =
      Figure("", "文旅项目", v1::OBSERVATION_KIND_ACHIEVED,
             v1::VALUE_TYPE_LEVEL, year - 1, n, "个");
  return report;
}

struct ReadSide {
  FakeStore store;
  std::unique_ptr<SnapshotManager> snapshots;
  // As the server wires it: CompareRegionsWire keeps rows here, and every
  // input checks the kept rows against the message form, which keeps none.
  std::unique_ptr<ResponseCache> rows;
  std::unique_ptr<QueryEngine> engine;
  std::shared_ptr<const Snapshot> snapshot;
};

const ReadSide& Server() {
  static const ReadSide* side = [] {
    auto* s = new ReadSide;
    const RegionCatalog& regions = RegionCatalog::Builtin();
    const IndicatorCatalog& indicators = IndicatorCatalog::Builtin();
    int n = 0;
    for (const char* code : {"410325", "410323", "410308", "410102"}) {
      for (int32_t year = 2023; year <= 2025; ++year) {
        absl::StatusOr<ReportRow> row =
            PrepareReport(OwnReport(code, year, n++), regions, indicators);
        Check(row.ok(), row.status().ToString());
        std::vector<ReportRow> rows;
        rows.push_back(*std::move(row));
        Check(s->store.WriteReports("", std::move(rows)).ok(), "write");
      }
    }
    s->snapshots = std::make_unique<SnapshotManager>(s->store);
    Check(s->snapshots->Refresh().ok(), "refresh");
    s->snapshot = s->snapshots->Current();
    s->rows = std::make_unique<ResponseCache>(1 << 20);
    s->engine =
        std::make_unique<QueryEngine>(regions, indicators, s->rows.get());
    return s;
  }();
  return *side;
}

// The string field `name` of `message`, or nullptr when it has none.
const google::protobuf::FieldDescriptor* StringField(const Message& message,
                                                     const char* name) {
  const auto* field = message.GetDescriptor()->FindFieldByName(name);
  return field != nullptr &&
                 field->type() == google::protobuf::FieldDescriptor::TYPE_STRING
             ? field
             : nullptr;
}

void CheckError(const absl::Status& status, const Message& request) {
  Check(absl::IsInvalidArgument(status) || absl::IsNotFound(status),
        absl::StrCat("unexpected status ", status.ToString(), " for ",
                     request.ShortDebugString()));
  // "field: why", the field in snake_case, possibly indexed or nested.
  const size_t colon = status.message().find(':');
  Check(colon != absl::string_view::npos && colon > 0,
        absl::StrCat("error does not name the field: ", status.ToString()));
  for (char c : status.message().substr(0, colon)) {
    Check(
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
            c == '.' || c == '[' || c == ']',
        absl::StrCat("error does not start with a field: ", status.ToString()));
  }
}

// Calls `method` with `request` (its page token forged as `input` says) and
// then with each next_page_token, up to input.follow_pages() more times.
template <typename Request, typename Response>
void Exercise(
    const fuzz::ReadCase& input, const Request& original,
    const std::function<absl::StatusOr<Response>(const Request&)>& method) {
  Request request = original;
  const auto* token_field = StringField(request, "page_token");
  if (token_field != nullptr && input.has_forged_token()) {
    const fuzz::ForgedToken& forged = input.forged_token();
    request.GetReflection()->SetString(
        &request, token_field,
        EncodePageToken(forged.offset(),
                        forged.other_request() ? forged.request_hash()
                                               : RequestHash(request),
                        forged.other_version()
                            ? forged.data_version()
                            : Server().snapshot->data_version()));
  }
  absl::StatusOr<Response> response = method(request);
  if (!response.ok()) {
    CheckError(response.status(), request);
    return;
  }
  const auto* next_field = StringField(*response, "next_page_token");
  if (token_field == nullptr || next_field == nullptr) return;
  for (uint32_t page = 0; page < std::min<uint32_t>(input.follow_pages(), 8);
       ++page) {
    const std::string next =
        response->GetReflection()->GetString(*response, next_field);
    if (next.empty()) return;
    request.GetReflection()->SetString(&request, token_field, next);
    response = method(request);
    Check(response.ok(), absl::StrCat("next_page_token refused: ",
                                      response.status().ToString(), " for ",
                                      request.ShortDebugString()));
  }
}

// The server answers CompareRegions with CompareRegionsWire: the same
// status, and bytes that parse to the message the engine builds.
void CheckWireMatches(const ReadSide& side,
                      const v1::CompareRegionsRequest& request) {
  absl::StatusOr<v1::CompareRegionsResponse> message =
      side.engine->CompareRegions(*side.snapshot, request);
  std::string bytes;
  const absl::Status wire =
      side.engine->CompareRegionsWire(*side.snapshot, request, &bytes);
  Check(wire == message.status(),
        absl::StrCat("CompareRegionsWire says ", wire.ToString(),
                     ", CompareRegions ", message.status().ToString()));
  if (!wire.ok()) return;
  v1::CompareRegionsResponse parsed;
  Check(parsed.ParseFromString(bytes), "CompareRegionsWire bytes do not parse");
  Check(google::protobuf::util::MessageDifferencer::Equals(parsed, *message),
        absl::StrCat("CompareRegionsWire differs: ", parsed.ShortDebugString(),
                     " vs ", message->ShortDebugString()));
}

// Runs `method` of the engine on the fixture snapshot.
#define GOVREPORT_READ(Method, getter)                                 \
  Exercise<v1::Method##Request, v1::Method##Response>(                 \
      input, input.getter(), [&](const v1::Method##Request& request) { \
        return side.engine->Method(*side.snapshot, request);           \
      })

void Read(const fuzz::ReadCase& input) {
  const ReadSide& side = Server();
  using Case = fuzz::ReadCase;
  switch (input.request_case()) {
    case Case::kGetRegion:
      GOVREPORT_READ(GetRegion, get_region);
      break;
    case Case::kListRegions:
      GOVREPORT_READ(ListRegions, list_regions);
      break;
    case Case::kBatchGetRegions:
      GOVREPORT_READ(BatchGetRegions, batch_get_regions);
      break;
    case Case::kGetIndicator:
      GOVREPORT_READ(GetIndicator, get_indicator);
      break;
    case Case::kListIndicators:
      GOVREPORT_READ(ListIndicators, list_indicators);
      break;
    case Case::kGetReport:
      GOVREPORT_READ(GetReport, get_report);
      break;
    case Case::kListReports:
      GOVREPORT_READ(ListReports, list_reports);
      break;
    case Case::kListPolicyMeasures:
      GOVREPORT_READ(ListPolicyMeasures, list_policy_measures);
      break;
    case Case::kListObservations:
      GOVREPORT_READ(ListObservations, list_observations);
      break;
    case Case::kCompareRegions:
      GOVREPORT_READ(CompareRegions, compare_regions);
      CheckWireMatches(side, input.compare_regions());
      break;
    case Case::kCompareYears:
      GOVREPORT_READ(CompareYears, compare_years);
      break;
    case Case::kEvaluateTargets:
      GOVREPORT_READ(EvaluateTargets, evaluate_targets);
      break;
    case Case::kQueryObservations:
      GOVREPORT_READ(QueryObservations, query_observations);
      break;
    case Case::kSummarizeCoverage:
      GOVREPORT_READ(SummarizeCoverage, summarize_coverage);
      break;
    case Case::REQUEST_NOT_SET:
      break;
  }
}

}  // namespace
}  // namespace govreport::query

// Protobuf logs every input that does not parse (most often: a string
// field that is not UTF-8, from byte-level mutation); that is expected here.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  govreport::fuzz::ReadCase input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return 0;
  govreport::query::Read(input);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  static govreport::fuzz::ProtoMutator mutator(
      0, {"regions/-",
          "regions/410325",
          "regions/410322",
          "regions/410308",
          "regions/410300",
          "regions/410000",
          "regions/410102",
          "regions/999999",
          "regions/4103250",
          "regions/410325/reports/2024",
          "regions/410325/reports/2025",
          "regions/410322/reports/2024",
          "regions/410325/reports/1899",
          "regions/410325/reports/-1",
          "indicators/gdp",
          "indicators/urban-new-employment",
          "indicators/-",
          "indicators/",
          "gdp",
          "城镇新增就业",
          "文旅项目",
          "就业",
          "生产总值",
          "GDP",
          "AgAAAAAAAAA",
          "page_token"});
  static govreport::fuzz::ReadCase scratch;
  return govreport::fuzz::MutateSerialized(mutator, scratch, data, size,
                                           max_size, seed);
}
