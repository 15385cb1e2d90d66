#include "query_service/snapshot/snapshot.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <set>

#include <google/protobuf/arena.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

#include "query_service/snapshot/interner.h"

namespace govreport::query {
namespace {

int16_t ClampYear(int32_t year) {
  return static_cast<int16_t>(std::clamp<int32_t>(year, -32768, 32767));
}

// `name` without the report's own prefix: the snapshot keeps relative names
// (sections/2) and restores full ones on the way out.
void Relativize(absl::string_view prefix, std::string* name) {
  if (absl::StartsWith(*name, prefix)) name->erase(0, prefix.size());
}

void Absolutize(absl::string_view report_name, std::string* name) {
  if (!name->empty() && !absl::StartsWith(*name, "regions/")) {
    *name = absl::StrCat(report_name, "/", *name);
  }
}

// A report's view of the global interner: repeated texts (units, slugs)
// take the global lock once per report, not once per observation.
class LocalInterner {
 public:
  const std::string* Intern(absl::string_view text) {
    auto it = cache_.find(text);
    if (it != cache_.end()) return it->second;
    const std::string* interned = Interner::Global().Intern(text);
    cache_.emplace(*interned, interned);
    return interned;
  }

 private:
  absl::flat_hash_map<absl::string_view, const std::string*> cache_;
};

// Builds the compact record of `obs` and appends its stripped serialized
// form to `entry->blob`. `prefix` is the report's name and a slash.
void AddObservation(v1::Observation& obs, absl::string_view prefix,
                    LocalInterner& interner, ReportEntry* entry) {
  ObservationEntry o;
  o.report = entry;
  o.indicator =
      interner.Intern(absl::StripPrefix(obs.indicator(), "indicators/"));
  o.subject = interner.Intern(obs.subject_text());
  o.unit = interner.Intern(obs.quantity().unit());
  o.effective_value = obs.quantity().has_effective_value()
                          ? obs.quantity().effective_value()
                          : std::numeric_limits<double>::quiet_NaN();
  o.reference_first_year = ClampYear(obs.reference_period().first_year());
  o.reference_last_year = ClampYear(obs.reference_period().last_year());
  o.value_type = static_cast<uint8_t>(obs.value_type());
  o.kind = static_cast<uint8_t>(obs.kind());
  o.comparator = static_cast<uint8_t>(obs.quantity().comparator());
  // What the compact record holds, and the names (derived from the report
  // and the position), are restored on the way out: the blob keeps only
  // the rest.
  obs.clear_name();
  obs.clear_region();
  obs.clear_report();
  obs.clear_indicator();
  obs.clear_subject_text();
  obs.clear_value_type();
  obs.clear_kind();
  obs.clear_reference_period();
  obs.mutable_quantity()->clear_unit();
  obs.mutable_quantity()->clear_comparator();
  obs.mutable_quantity()->clear_effective_value();
  Relativize(prefix, obs.mutable_section());
  Relativize(prefix, obs.mutable_measure());
  if (obs.has_source()) {
    obs.mutable_source()->clear_report();
    Relativize(prefix, obs.mutable_source()->mutable_section());
  }
  o.blob_offset = static_cast<uint32_t>(entry->blob.size());
  obs.AppendToString(&entry->blob);
  o.blob_size = static_cast<uint32_t>(entry->blob.size() - o.blob_offset);
  entry->observations.push_back(o);
}

}  // namespace

int32_t ObservationEntry::reference_year() const {
  return reference_last_year != 0 ? reference_last_year : report->key.year;
}

int32_t ObservationEntry::ordinal() const {
  return static_cast<int32_t>(this - report->observations.data()) + 1;
}

absl::StatusOr<std::shared_ptr<const ReportEntry>> ReportEntry::FromRow(
    const ReportRow& row) {
  // Parsing on an arena: one allocation per block instead of per field.
  google::protobuf::Arena arena;
  v1::Report& report =
      *google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
  if (!report.ParseFromString(row.report)) {
    return absl::DataLossError(absl::StrCat("report ", row.key.region_code, "/",
                                            row.key.year,
                                            " is not a valid Report"));
  }
  auto entry = std::make_shared<ReportEntry>();
  entry->key = row.key;
  entry->name =
      absl::StrCat("regions/", row.key.region_code, "/reports/", row.key.year);
  entry->version = row.version;
  entry->extractor_version = report.extractor_version();
  entry->measure_count = report.measures_size();
  entry->observations.reserve(report.observations_size());
  const std::string prefix = absl::StrCat(entry->name, "/");
  LocalInterner interner;
  for (v1::Observation& obs : *report.mutable_observations()) {
    AddObservation(obs, prefix, interner, entry.get());
  }
  report.clear_observations();
  report.set_name(entry->name);
  report.set_region(absl::StrCat("regions/", row.key.region_code));
  report.set_year(row.key.year);
  if (row.ingest_time != absl::InfinitePast()) {
    const int64_t micros = absl::ToUnixMicros(row.ingest_time);
    report.mutable_ingest_time()->set_seconds(micros / 1000000);
    report.mutable_ingest_time()->set_nanos(
        static_cast<int32_t>(micros % 1000000) * 1000);
  }
  report.SerializeToString(&entry->report_bytes);
  report.clear_sections();
  report.clear_measures();
  entry->basic = report;
  entry->blob.shrink_to_fit();
  return std::shared_ptr<const ReportEntry>(std::move(entry));
}

std::shared_ptr<const RegionShard> RegionShard::Build(
    std::vector<ReportPtr> reports) {
  static std::atomic<uint64_t> last_id{0};
  std::shared_ptr<RegionShard> shard(new RegionShard());
  shard->id_ = last_id.fetch_add(1, std::memory_order_relaxed) + 1;
  shard->reports_ = std::move(reports);
  shard->reports_.shrink_to_fit();
  shard->code_ = shard->reports_.front()->key.region_code;
  shard->years_ = {shard->reports_.front()->key.year,
                   shard->reports_.back()->key.year};
  std::set<std::string> extractors;
  for (const ReportPtr& report : shard->reports_) {
    if (!report->extractor_version.empty()) {
      extractors.insert(report->extractor_version);
    }
  }
  shard->extractor_versions_.assign(extractors.begin(), extractors.end());
  for (const ReportPtr& report : shard->reports_) {
    shard->observation_count_ += report->observations.size();
    for (const ObservationEntry& obs : report->observations) {
      if (obs.indicator->empty()) continue;
      shard->by_indicator_[obs.indicator].observations.push_back(&obs);
    }
  }
  for (auto& [slug, series] : shard->by_indicator_) {
    auto& list = series.observations;
    // Reports come by year and observations in text order: a stable sort by
    // reference year leaves report year, ordinal as the tie order.
    std::stable_sort(list.begin(), list.end(),
                     [](const ObservationEntry* a, const ObservationEntry* b) {
                       return a->reference_year() < b->reference_year();
                     });
    list.shrink_to_fit();
    series.years.reserve(list.size());
    for (const ObservationEntry* obs : list) {
      series.years.push_back(ClampYear(obs->reference_year()));
    }
  }
  return shard;
}

const RegionShard::Series* RegionShard::Find(
    const std::string* indicator) const {
  auto it = by_indicator_.find(indicator);
  return it == by_indicator_.end() ? nullptr : &it->second;
}

size_t RegionShard::ApproximateBytes() const {
  size_t bytes = sizeof(*this) + 16 /* shared_ptr control block */ +
                 code_.capacity() + reports_.capacity() * sizeof(ReportPtr);
  for (const ReportPtr& r : reports_) {
    bytes += sizeof(ReportEntry) + 16 /* shared_ptr control block */ +
             r->report_bytes.capacity() + r->blob.capacity() +
             r->basic.SpaceUsedLong() - sizeof(v1::Report) +
             r->observations.capacity() * sizeof(ObservationEntry) +
             r->name.capacity() + r->key.region_code.capacity();
  }
  // Each index entry: the map slot plus its two vectors.
  constexpr size_t kSlot = sizeof(std::pair<const void*, Series>) + 1;
  bytes += by_indicator_.capacity() * kSlot;
  for (const auto& [slug, series] : by_indicator_) {
    bytes += series.observations.capacity() * sizeof(void*) +
             series.years.capacity() * sizeof(int16_t);
  }
  return bytes;
}

Snapshot::Snapshot(int64_t data_version, std::vector<ReportPtr> reports,
                   const Snapshot* base)
    : data_version_(data_version),
      data_version_string_(absl::StrCat(data_version)),
      reports_(std::move(reports)) {
  if (!std::is_sorted(reports_.begin(), reports_.end(),
                      [](const ReportPtr& a, const ReportPtr& b) {
                        return a->key < b->key;
                      })) {
    std::sort(
        reports_.begin(), reports_.end(),
        [](const ReportPtr& a, const ReportPtr& b) { return a->key < b->key; });
  }
  if (base != nullptr) slugs_ = base->slugs_;
  std::set<std::string> extractors;
  const size_t n = reports_.size();
  for (size_t begin = 0; begin < n;) {
    const absl::string_view code = reports_[begin]->key.region_code;
    // Share the base's shard when it holds exactly the region's reports:
    // compared by pointer, so an unchanged region touches only its first
    // report and the one after its last.
    const ShardPtr* old = base != nullptr ? base->FindShardPtr(code) : nullptr;
    ShardPtr shard;
    size_t end = begin;
    if (old != nullptr) {
      const std::vector<ReportPtr>& held = (*old)->reports();
      const size_t m = held.size();
      if (begin + m <= n &&
          std::equal(held.begin(), held.end(),
                     reports_.begin() + static_cast<ptrdiff_t>(begin)) &&
          (begin + m == n || reports_[begin + m]->key.region_code != code)) {
        shard = *old;
        end = begin + m;
      }
    }
    if (shard == nullptr) {
      end = begin + 1;
      while (end < n && reports_[end]->key.region_code == code) ++end;
      shard = RegionShard::Build(std::vector<ReportPtr>(
          reports_.begin() + static_cast<ptrdiff_t>(begin),
          reports_.begin() + static_cast<ptrdiff_t>(end)));
      shard->ForEachIndicator(
          [&](const std::string* slug) { slugs_.emplace(*slug, slug); });
    }
    observation_count_ += shard->observation_count();
    const auto [first, last] = shard->report_years();
    years_.first = years_.first == 0 ? first : std::min(years_.first, first);
    years_.second = std::max(years_.second, last);
    for (const std::string& version : shard->extractor_versions()) {
      if (extractors.empty() || *extractors.rbegin() != version) {
        extractors.insert(version);
      }
    }
    shard_index_.emplace(shard->code(), static_cast<uint32_t>(shards_.size()));
    shards_.push_back(std::move(shard));
    begin = end;
  }
  extractor_versions_.assign(extractors.begin(), extractors.end());
}

const ReportEntry* Snapshot::FindReport(absl::string_view region_code,
                                        int32_t year) const {
  for (const ReportPtr& report : ReportsOf(region_code)) {
    if (report->key.year == year) return report.get();
  }
  return nullptr;
}

const ShardPtr* Snapshot::FindShardPtr(absl::string_view region_code) const {
  auto it = shard_index_.find(region_code);
  return it == shard_index_.end() ? nullptr : &shards_[it->second];
}

const RegionShard* Snapshot::FindShard(absl::string_view region_code) const {
  const ShardPtr* shard = FindShardPtr(region_code);
  return shard == nullptr ? nullptr : shard->get();
}

absl::Span<const ReportPtr> Snapshot::ReportsOf(
    absl::string_view region_code) const {
  const RegionShard* shard = FindShard(region_code);
  if (shard == nullptr) return {};
  return shard->reports();
}

absl::Span<const ObservationEntry* const> Snapshot::ByRegionIndicator(
    absl::string_view region_code, absl::string_view indicator) const {
  const std::string* interned = FindSlug(indicator);
  if (interned == nullptr) return {};
  const RegionShard* shard = FindShard(region_code);
  if (shard == nullptr) return {};
  const RegionShard::Series* series = shard->Find(interned);
  if (series == nullptr) return {};
  return series->observations;
}

absl::Span<const ObservationEntry* const> Snapshot::ByRegionIndicatorYear(
    absl::string_view region_code, absl::string_view indicator,
    int32_t year) const {
  const std::string* interned = FindSlug(indicator);
  if (interned == nullptr) return {};
  const RegionShard* shard = FindShard(region_code);
  if (shard == nullptr) return {};
  return ShardIndicatorYear(*shard, interned, year);
}

absl::Span<const ObservationEntry* const> Snapshot::ShardIndicatorYear(
    const RegionShard& shard, const std::string* slug, int32_t year) {
  const RegionShard::Series* series = shard.Find(slug);
  if (series == nullptr) return {};
  auto [lo, hi] = std::equal_range(series->years.begin(), series->years.end(),
                                   ClampYear(year));
  return absl::MakeConstSpan(
      series->observations.data() + (lo - series->years.begin()),
      static_cast<size_t>(hi - lo));
}

const std::string* Snapshot::FindSlug(absl::string_view indicator) const {
  auto it = slugs_.find(indicator);
  return it == slugs_.end() ? nullptr : it->second;
}

size_t Snapshot::ApproximateBytes() const {
  size_t bytes = sizeof(*this) + reports_.capacity() * sizeof(ReportPtr) +
                 shards_.capacity() * sizeof(ShardPtr) +
                 shard_index_.capacity() *
                     (sizeof(std::pair<absl::string_view, uint32_t>) + 1);
  for (const ShardPtr& shard : shards_) bytes += shard->ApproximateBytes();
  return bytes;
}

v1::Observation Snapshot::ObservationProto(const ObservationEntry& entry) {
  v1::Observation obs;
  FillObservation(entry, &obs);
  return obs;
}

void Snapshot::FillObservation(const ObservationEntry& entry,
                               v1::Observation* out) {
  v1::Observation& obs = *out;
  const ReportEntry& report = *entry.report;
  obs.ParseFromArray(report.blob.data() + entry.blob_offset,
                     static_cast<int>(entry.blob_size));
  if (!entry.indicator->empty()) {
    std::string* indicator = obs.mutable_indicator();
    indicator->reserve(11 + entry.indicator->size());
    indicator->assign("indicators/");
    indicator->append(*entry.indicator);
  }
  obs.set_subject_text(*entry.subject);
  obs.set_value_type(static_cast<v1::ValueType>(entry.value_type));
  obs.set_kind(static_cast<v1::ObservationKind>(entry.kind));
  if (entry.reference_first_year != 0 || entry.reference_last_year != 0) {
    obs.mutable_reference_period()->set_first_year(entry.reference_first_year);
    obs.mutable_reference_period()->set_last_year(entry.reference_last_year);
  }
  if (!entry.unit->empty() || entry.comparator != 0 || entry.has_value()) {
    v1::Quantity* quantity = obs.mutable_quantity();
    quantity->set_unit(*entry.unit);
    quantity->set_comparator(static_cast<v1::Comparator>(entry.comparator));
    if (entry.has_value()) quantity->set_effective_value(entry.effective_value);
  }
  std::string* name = obs.mutable_name();
  name->reserve(report.name.size() + 24);
  name->assign(report.name);
  name->append("/observations/");
  absl::StrAppend(name, entry.ordinal());
  // "regions/{code}" is the front of the report's name.
  obs.set_region(report.name.data(), 8 + report.key.region_code.size());
  obs.set_report(report.name);
  Absolutize(report.name, obs.mutable_section());
  Absolutize(report.name, obs.mutable_measure());
  if (obs.has_source()) {
    obs.mutable_source()->set_report(report.name);
    Absolutize(report.name, obs.mutable_source()->mutable_section());
  }
}

v1::Report Snapshot::ReportProto(const ReportEntry& entry, bool full) {
  v1::Report report;
  FillReport(entry, full, &report);
  return report;
}

void Snapshot::FillReport(const ReportEntry& entry, bool full,
                          v1::Report* report) {
  if (!full) {
    report->CopyFrom(entry.basic);
    return;
  }
  report->ParseFromString(entry.report_bytes);
  report->mutable_observations()->Reserve(
      static_cast<int>(entry.observations.size()));
  for (const ObservationEntry& obs : entry.observations) {
    FillObservation(obs, report->add_observations());
  }
}

}  // namespace govreport::query
