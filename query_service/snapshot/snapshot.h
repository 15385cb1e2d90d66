// The immutable in-memory view every read is served from: all reports and
// their observations, in compact records, indexed for the queries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

#include "govreport/v1/resources.pb.h"
#include "query_service/store/store.h"

namespace govreport::query {

struct ReportEntry;

// One observation, compact (56 bytes): what the indexes and comparisons
// need, plus where its full serialized form lies in its report's blob.
struct ObservationEntry {
  const ReportEntry* report;     // owner; never null
  const std::string* indicator;  // interned slug; "" when unmapped
  const std::string* subject;    // interned subject text
  const std::string* unit;       // interned normalized unit
  double effective_value;        // NaN when the figure has no number
  uint32_t blob_offset;          // serialized Observation in report->blob
  uint32_t blob_size;
  int16_t reference_first_year;  // 0 when the report left it unset
  int16_t reference_last_year;
  uint8_t value_type;  // govreport.v1.ValueType
  uint8_t kind;        // govreport.v1.ObservationKind
  uint8_t comparator;  // govreport.v1.Comparator

  bool has_value() const { return effective_value == effective_value; }
  // The year the figure is about: the last year of its reference period,
  // or the report year when the period is unset.
  int32_t reference_year() const;
  // True when the reference period is one year (or unset).
  bool single_year() const {
    return reference_first_year == reference_last_year;
  }
  // 1-based position in the report.
  int32_t ordinal() const;
};

// One report, parsed once and shared by every snapshot that holds this
// version of it. Immutable after FromRow.
struct ReportEntry {
  ReportKey key;
  std::string name;     // regions/{code}/reports/{year}
  int64_t version = 0;  // the data version the store wrote it at
  // The Report without its observations, with name, region and ingest time
  // set, serialized.
  std::string report_bytes;
  // The BASIC view (metadata only), ready to copy into a response.
  v1::Report basic;
  // The observations, serialized one after another without the fields the
  // compact records hold or the report implies (names, indicator, subject,
  // kinds, period, unit, comparator, effective value).
  std::string blob;
  std::vector<ObservationEntry> observations;  // in report order
  std::string extractor_version;
  int32_t measure_count = 0;

  // Parses a stored row. DATA_LOSS when the bytes are not a Report.
  static absl::StatusOr<std::shared_ptr<const ReportEntry>> FromRow(
      const ReportRow& row);
  ReportEntry() = default;
  ReportEntry(const ReportEntry&) = delete;
  ReportEntry& operator=(const ReportEntry&) = delete;
};

using ReportPtr = std::shared_ptr<const ReportEntry>;

// One region's reports and its observation index. A shard is a pure
// function of its reports, so a snapshot refresh rebuilds only the shards of
// regions whose reports changed and shares every other one with the
// previous snapshot (structural sharing). Immutable after Build.
class RegionShard {
 public:
  // Indexes `reports` (all of region `code`, sorted by year, distinct).
  static std::shared_ptr<const RegionShard> Build(
      std::vector<ReportPtr> reports);
  RegionShard(const RegionShard&) = delete;
  RegionShard& operator=(const RegionShard&) = delete;

  // The region's division code.
  absl::string_view code() const { return code_; }
  // Distinct for every shard built in this process, never reused: what a
  // cache of answers derived from a shard keys them by, so that a rebuilt
  // shard (a report of the region changed) never meets the answers of the
  // shard it replaced, while an unchanged shard, shared by the next
  // snapshot, keeps its answers.
  uint64_t id() const { return id_; }
  // The region's reports, by year; never empty.
  const std::vector<ReportPtr>& reports() const { return reports_; }
  // Observations of one indicator (interned slug), by reference year,
  // report year, ordinal; with the clamped reference years alongside so that
  // finding a year touches no observation.
  struct Series {
    std::vector<int16_t> years;
    std::vector<const ObservationEntry*> observations;
  };
  // The series of `indicator` (interned), or nullptr.
  const Series* Find(const std::string* indicator) const;
  // Every indicator (interned) the shard indexes.
  template <typename Fn>
  void ForEachIndicator(Fn&& fn) const {
    for (const auto& [slug, series] : by_indicator_) fn(slug);
  }
  size_t observation_count() const { return observation_count_; }
  // The first and last report year.
  std::pair<int32_t, int32_t> report_years() const { return years_; }
  // Distinct extractor versions of the reports, sorted.
  const std::vector<std::string>& extractor_versions() const {
    return extractor_versions_;
  }
  // Approximate heap bytes of the shard and its reports.
  size_t ApproximateBytes() const;

 private:
  RegionShard() = default;
  std::string code_;  // a copy, so that comparing codes follows no pointer
  uint64_t id_ = 0;
  std::vector<ReportPtr> reports_;
  absl::flat_hash_map<const std::string*, Series> by_indicator_;
  size_t observation_count_ = 0;
  std::pair<int32_t, int32_t> years_{0, 0};
  std::vector<std::string> extractor_versions_;
};

using ShardPtr = std::shared_ptr<const RegionShard>;

// An immutable, consistent view of the store at one data version. Thread-
// safe (const). Built off the request path; see SnapshotManager.
class Snapshot {
 public:
  // Indexes `reports` (any order, though sorted by key is cheapest; keys
  // distinct). With `base`, the shards of regions whose reports are the very
  // same ReportPtrs as in `base` are shared instead of rebuilt: the result
  // is the same as without `base`.
  Snapshot(int64_t data_version, std::vector<ReportPtr> reports,
           const Snapshot* base = nullptr);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // The store's data version this snapshot reflects.
  int64_t data_version() const { return data_version_; }
  // The data version as the API shows it.
  const std::string& data_version_string() const {
    return data_version_string_;
  }

  // Every report, sorted by region code then year.
  const std::vector<ReportPtr>& reports() const { return reports_; }
  // The report of `region_code` for `year`, or nullptr.
  const ReportEntry* FindReport(absl::string_view region_code,
                                int32_t year) const;
  // The reports of one region, by year.
  absl::Span<const ReportPtr> ReportsOf(absl::string_view region_code) const;

  // The regions holding reports, one shard each, sorted by code.
  const std::vector<ShardPtr>& shards() const { return shards_; }
  // The shard of `region_code`, or nullptr.
  const RegionShard* FindShard(absl::string_view region_code) const;
  // The interned slug the indexes use for `indicator`, or nullptr when no
  // observation of it is held.
  const std::string* FindSlug(absl::string_view indicator) const;

  // Observations of one region and indicator, by reference year, report
  // year, ordinal.
  absl::Span<const ObservationEntry* const> ByRegionIndicator(
      absl::string_view region_code, absl::string_view indicator) const;

  // Observations of one region and indicator about `year`
  // (reference_year()), by report year and ordinal: the candidates of a
  // comparison cell, found with one lookup.
  absl::Span<const ObservationEntry* const> ByRegionIndicatorYear(
      absl::string_view region_code, absl::string_view indicator,
      int32_t year) const;
  // The same within one shard, for an interned slug (see FindSlug).
  static absl::Span<const ObservationEntry* const> ShardIndicatorYear(
      const RegionShard& shard, const std::string* slug, int32_t year);

  // Number of observations held.
  size_t observation_count() const { return observation_count_; }
  // Earliest and latest report year held; {0, 0} when empty.
  std::pair<int32_t, int32_t> report_years() const { return years_; }
  // Distinct extractor versions, sorted.
  const std::vector<std::string>& extractor_versions() const {
    return extractor_versions_;
  }
  // Approximate heap bytes of the snapshot and the reports it holds.
  size_t ApproximateBytes() const;

  // The full Observation proto of `entry`, with its resource names.
  static v1::Observation ObservationProto(const ObservationEntry& entry);
  // Fills `obs` (cleared first) with ObservationProto(entry); reuses its
  // allocations.
  static void FillObservation(const ObservationEntry& entry,
                              v1::Observation* obs);
  // The Report proto of `entry`: metadata only, or with sections, measures
  // and observations when `full`.
  static v1::Report ReportProto(const ReportEntry& entry, bool full);
  // Fills `report` (cleared first) with ReportProto(entry, full), in place
  // (it may live on an arena).
  static void FillReport(const ReportEntry& entry, bool full,
                         v1::Report* report);

 private:
  const int64_t data_version_;
  const std::string data_version_string_;
  std::vector<ReportPtr> reports_;
  std::vector<ShardPtr> shards_;
  // Region code (viewing the shard's own copy) → the shard: one hash lookup
  // per region instead of a binary search through the shards.
  absl::flat_hash_map<absl::string_view, uint32_t> shard_index_;
  // The shard of `region_code` as shared, or nullptr.
  const ShardPtr* FindShardPtr(absl::string_view region_code) const;
  // Slug → the interned pointer the indexes use, so that lookups never
  // touch the (locked) global interner.
  absl::flat_hash_map<absl::string_view, const std::string*> slugs_;
  size_t observation_count_ = 0;
  std::pair<int32_t, int32_t> years_{0, 0};
  std::vector<std::string> extractor_versions_;
};

}  // namespace govreport::query
