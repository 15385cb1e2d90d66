// The storage seam of the query server: durable reports (kept whole, as
// serialized govreport.v1.Report bytes) plus indexed observation rows, and a
// monotonically increasing data version. Plain C++ types only; the snapshot
// layer parses the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace govreport::query {

// Identifies a report: one region (six-digit division code) and report year.
struct ReportKey {
  std::string region_code;
  int32_t year = 0;

  friend bool operator==(const ReportKey& a, const ReportKey& b) {
    return a.region_code == b.region_code && a.year == b.year;
  }
  friend bool operator<(const ReportKey& a, const ReportKey& b) {
    return a.region_code != b.region_code ? a.region_code < b.region_code
                                          : a.year < b.year;
  }
};

// The indexed columns of one observation of a report. Enums hold the
// numbers of the govreport.v1 enums (ValueType, ObservationKind).
struct ObservationRow {
  int32_t ordinal = 0;       // position in the report, from 1
  std::string indicator;     // catalog slug ("gdp"); empty when unmapped
  std::string subject_text;  // as written, e.g. "高标准农田"
  int value_type = 0;        // govreport.v1.ValueType
  int kind = 0;              // govreport.v1.ObservationKind
  int32_t reference_first_year = 0;
  int32_t reference_last_year = 0;
  std::optional<double> effective_value;
  std::string unit;  // normalized base unit, e.g. "元"

  friend bool operator==(const ObservationRow& a, const ObservationRow& b) {
    return a.ordinal == b.ordinal && a.indicator == b.indicator &&
           a.subject_text == b.subject_text && a.value_type == b.value_type &&
           a.kind == b.kind &&
           a.reference_first_year == b.reference_first_year &&
           a.reference_last_year == b.reference_last_year &&
           a.effective_value == b.effective_value && a.unit == b.unit;
  }
};

// One report as the store holds it.
struct ReportRow {
  ReportKey key;
  // Hex SHA-256 of the document the report came from; may be empty.
  std::string content_sha256;
  // The serialized govreport.v1.Report, complete, without `ingest_time`
  // (the store keeps that in `ingest_time` below).
  std::string report;
  // Indexed columns of the report's observations.
  std::vector<ObservationRow> observations;
  // Set by the store when the report is written; ignored on input.
  absl::Time ingest_time = absl::InfinitePast();
  // The data version at which this row was last written; set by the store.
  int64_t version = 0;
};

// What a write did to one report.
enum class WriteOutcome {
  kInserted,   // no report was held for its region and year
  kReplaced,   // a different report for the same region and year was replaced
  kUnchanged,  // an identical report was already held; nothing changed
};

// Result of Store::WriteReports.
struct WriteResult {
  // True when the document (by SHA-256) had been stored before; nothing was
  // written and `keys` lists the reports it produced then.
  bool already_ingested = false;
  // The reports of the write (or of the earlier ingest), in input order.
  std::vector<ReportKey> keys;
  // Per report, what happened; empty when `already_ingested`.
  std::vector<WriteOutcome> outcomes;
  // The data version after the write (unchanged when nothing changed).
  int64_t data_version = 0;
};

// A report's key and the data version at which it was last written: enough
// to tell whether a cached copy is current.
struct ReportVersion {
  ReportKey key;
  int64_t version = 0;
};

// Everything the store holds, as keys: the input of a snapshot refresh.
struct StoreListing {
  int64_t data_version = 0;
  std::vector<ReportVersion> reports;  // sorted by key
};

// Durable storage of reports. Implementations are thread-safe; every write
// is one transaction, durable before the call returns. Errors: UNAVAILABLE
// when the backing database cannot be reached or is busy, DATA_LOSS or
// INTERNAL when it is corrupt, FAILED_PRECONDITION for a schema this binary
// does not know.
class Store {
 public:
  virtual ~Store() = default;

  // Stores `reports` (each with a distinct key) atomically. When
  // `document_sha256` is not empty and a document with that hash was stored
  // before, nothing is written and the result says `already_ingested`;
  // otherwise the document hash is recorded with the keys of its reports
  // (when there is at least one). A report whose bytes equal the one held
  // for its key is kUnchanged; the data version is bumped once when
  // anything changed. INVALID_ARGUMENT for a row without region or year or
  // for duplicate keys.
  virtual absl::StatusOr<WriteResult> WriteReports(
      absl::string_view document_sha256, std::vector<ReportRow> reports) = 0;

  // Deletes one report and its observation rows, and forgets the documents
  // that produced it (so that ingesting one of them again stores it again).
  // Returns the new data version. NOT_FOUND when no such report is held.
  virtual absl::StatusOr<int64_t> DeleteReport(const ReportKey& key) = 0;

  // The current data version: 0 for an empty new store, then +1 per change.
  virtual absl::StatusOr<int64_t> DataVersion() = 0;

  // The keys of every report with the version each was written at, and the
  // data version, read consistently.
  virtual absl::StatusOr<StoreListing> ListReports() = 0;

  // The reports with these keys, in the order given; keys not held are
  // skipped. The rows' `observations` are left empty (the bytes hold them;
  // see ListObservationRows).
  virtual absl::StatusOr<std::vector<ReportRow>> GetReports(
      const std::vector<ReportKey>& keys) = 0;

  // The indexed observation rows of one report, by ordinal; empty when the
  // report is not held.
  virtual absl::StatusOr<std::vector<ObservationRow>> ListObservationRows(
      const ReportKey& key) = 0;

  // Observation rows of `indicator` whose reference period ends in `year`,
  // ordered by region, report year and ordinal (uses the index). The rows'
  // report keys are returned alongside in `keys`.
  struct IndicatorRows {
    std::vector<ReportKey> keys;
    std::vector<ObservationRow> rows;
  };
  virtual absl::StatusOr<IndicatorRows> FindObservations(
      absl::string_view indicator, int32_t year) = 0;
};

// The INVALID_ARGUMENT check every Store::WriteReports makes first: each row
// has a region code and a year, and no key appears twice in one write.
inline absl::Status ValidateWriteRows(const std::vector<ReportRow>& reports) {
  std::set<ReportKey> seen;
  for (const ReportRow& row : reports) {
    if (row.key.region_code.empty() || row.key.year == 0) {
      return absl::InvalidArgumentError(
          "store: report without region code or year");
    }
    if (!seen.insert(row.key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("store: report ", row.key.region_code, "/", row.key.year,
                       " appears twice in one write"));
    }
  }
  return absl::OkStatus();
}

}  // namespace govreport::query
