// libFuzzer target for the query server's write path. Each input is a
// serialized govreport.fuzz.IngestCase: its PutReportRequest goes through
// ReportWriter::Put, as PutReport does once the caller is authenticated
// (PrepareReport's validation, the store's ValidateWriteRows and
// transaction on an in-memory SQLite store, the snapshot refresh), then is
// read back through the engine and deleted; with `also_ingest` the report
// also goes through ReportWriter::Ingest as a parsed document. Catalogs are
// the built-in ones.
//
// Bugs: a crash or sanitizer report; a refused write whose status is not
// INVALID_ARGUMENT or NOT_FOUND or whose message does not start with the
// field ("report..."); a stored report that does not read back as
// PrepareReport made it; a store or snapshot error on a validated report.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

#include "common/clock.h"
#include "query_service/catalog/indicator_catalog.h"
#include "query_service/catalog/region_catalog.h"
#include "query_service/engine/query_engine.h"
#include "query_service/fuzz/fuzz_cases.pb.h"
#include "query_service/fuzz/proto_mutator.h"
#include "query_service/ingest/report_preparer.h"
#include "query_service/ingest/report_writer.h"
#include "query_service/snapshot/snapshot_manager.h"
#include "query_service/store/sqlite_store.h"

namespace govreport::query {
namespace {

// Fails the run with `what` on stderr (libFuzzer saves the input).
void Check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "report_ingest_fuzzer: %s\n", what.c_str());
  std::abort();
}

void CheckRefusal(const absl::Status& status) {
  Check(absl::IsInvalidArgument(status) || absl::IsNotFound(status),
        absl::StrCat("write refused with an unexpected status: ",
                     status.ToString()));
  Check(absl::StartsWith(status.message(), "report"),
        absl::StrCat("error does not name the field: ", status.ToString()));
}

// The query server's write side on one in-memory SQLite store, kept for the
// whole run (each input deletes what it wrote).
struct WriteSide {
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<SnapshotManager> snapshots;
  std::unique_ptr<QueryEngine> engine;
  std::unique_ptr<ReportWriter> writer;
};

WriteSide& Server() {
  static WriteSide* side = [] {
    auto* s = new WriteSide;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open({":memory:"}, SystemClock::Get());
    Check(store.ok(), "cannot open the store");
    s->store = *std::move(store);
    s->snapshots = std::make_unique<SnapshotManager>(*s->store);
    Check(s->snapshots->Refresh().ok(), "first refresh failed");
    s->engine = std::make_unique<QueryEngine>(RegionCatalog::Builtin(),
                                              IndicatorCatalog::Builtin());
    s->writer = std::make_unique<ReportWriter>(*s->store, *s->snapshots,
                                               RegionCatalog::Builtin(),
                                               IndicatorCatalog::Builtin());
    return s;
  }();
  return *side;
}

// The stored report, read back in FULL, must be what PrepareReport made of
// the input (the store stamps ingest_time; the reference years and the
// other fields the snapshot keeps in compact form must survive).
void CheckReadBack(const WriteSide& side, const v1::Report& input,
                   const std::string& name) {
  absl::StatusOr<ReportRow> expected_row = PrepareReport(
      input, RegionCatalog::Builtin(), IndicatorCatalog::Builtin());
  Check(expected_row.ok(), "PrepareReport differs between two calls");
  v1::Report expected;
  Check(expected.ParseFromString(expected_row->report),
        "prepared bytes do not parse");

  std::shared_ptr<const Snapshot> snapshot = side.snapshots->Current();
  v1::GetReportRequest get;
  get.set_name(name);
  get.set_view(v1::REPORT_VIEW_FULL);
  absl::StatusOr<v1::GetReportResponse> got =
      side.engine->GetReport(*snapshot, get);
  Check(got.ok(),
        absl::StrCat("written report not readable: ", got.status().ToString()));
  v1::Report actual = got->report();
  actual.clear_ingest_time();

  google::protobuf::util::DefaultFieldComparator numbers;
  numbers.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differ;
  differ.set_field_comparator(&numbers);
  differ.set_message_field_comparison(
      google::protobuf::util::MessageDifferencer::EQUIVALENT);
  std::string diff;
  differ.ReportDifferencesToString(&diff);
  Check(differ.Compare(expected, actual),
        absl::StrCat("report reads back differently:\n", diff));

  // Its observations, in pages of 7, are the report's.
  v1::ListObservationsRequest list;
  list.set_parent(name);
  list.set_page_size(7);
  int listed = 0;
  do {
    absl::StatusOr<v1::ListObservationsResponse> page =
        side.engine->ListObservations(*snapshot, list);
    Check(page.ok(),
          absl::StrCat("ListObservations failed: ", page.status().ToString()));
    listed += page->observations_size();
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  Check(listed == expected.observations_size(),
        "ListObservations lists another count");
}

void Delete(WriteSide& side, const std::string& name) {
  v1::DeleteReportRequest request;
  request.set_name(name);
  absl::StatusOr<v1::DeleteReportResponse> deleted =
      side.writer->Delete(request);
  Check(deleted.ok() || absl::IsNotFound(deleted.status()),
        absl::StrCat("delete failed: ", deleted.status().ToString()));
}

void Put(WriteSide& side, const v1::PutReportRequest& request) {
  absl::StatusOr<v1::PutReportResponse> put = side.writer->Put(request);
  if (!put.ok()) {
    CheckRefusal(put.status());
    return;
  }
  const std::string& name = put->report().name();
  Check(absl::StartsWith(name, "regions/"),
        absl::StrCat("stored report has no name: ", name));
  CheckReadBack(side, request.report(), name);
  Delete(side, name);
}

void Ingest(WriteSide& side, const fuzz::IngestCase& input) {
  v1::ParseDocumentResponse parsed;
  *parsed.add_reports() = input.put().report();
  absl::StatusOr<v1::IngestDocumentResponse> ingested = side.writer->Ingest(
      input.content_sha256(), "fuzz:///document.txt", std::move(parsed));
  if (!ingested.ok()) {
    // The parser's output failing validation is INTERNAL (our bug), but
    // here the "parser" is the fuzzer.
    Check(absl::IsInternal(ingested.status()),
          absl::StrCat("ingest failed with an unexpected status: ",
                       ingested.status().ToString()));
    return;
  }
  for (const v1::Report& report : ingested->reports()) {
    Delete(side, report.name());
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
  govreport::fuzz::IngestCase input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return 0;
  govreport::query::WriteSide& side = govreport::query::Server();
  govreport::query::Put(side, input.put());
  if (input.also_ingest()) govreport::query::Ingest(side, input);
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                          size_t max_size, unsigned int seed) {
  static govreport::fuzz::ProtoMutator mutator(
      0, {"regions/410325",
          "regions/410322",
          "regions/410308",
          "regions/110101",
          "regions/999999",
          "regions/41032",
          "regions/410325/reports/2024",
          "indicators/gdp",
          "indicators/urban-new-employment",
          "indicators/no-such-indicator",
          "嵩县",
          "孟津县",
          "洛阳市",
          "河南省洛阳市嵩县",
          "朝阳区",
          "城镇新增就业",
          "地区生产总值",
          "一般公共预算收入",
          "高标准农田",
          "人",
          "元",
          "亩",
          "%",
          "sections/1",
          "measures/1",
          "sections/2",
          "regions/410325/reports/2024/sections/1"});
  static govreport::fuzz::IngestCase scratch;
  return govreport::fuzz::MutateSerialized(mutator, scratch, data, size,
                                           max_size, seed);
}
