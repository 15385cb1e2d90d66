#include "query_service/store/fake_store.h"

#include "absl/strings/str_cat.h"

namespace govreport::query {

absl::StatusOr<WriteResult> FakeStore::WriteReports(
    absl::string_view document_sha256, std::vector<ReportRow> reports) {
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
  absl::MutexLock lock(&mu_);
  WriteResult result;
  result.data_version = data_version_;
  const std::string sha(document_sha256);
  if (auto it = documents_.find(sha); !sha.empty() && it != documents_.end()) {
    result.already_ingested = true;
    result.keys.assign(it->second.begin(), it->second.end());
    return result;
  }
  const int64_t next_version = data_version_ + 1;
  bool changed = false;
  for (ReportRow& row : reports) {
    result.keys.push_back(row.key);
    if (!sha.empty()) documents_[sha].insert(row.key);
    auto it = reports_.find(row.key);
    if (it != reports_.end() && it->second.report == row.report) {
      result.outcomes.push_back(WriteOutcome::kUnchanged);
      continue;
    }
    result.outcomes.push_back(it == reports_.end() ? WriteOutcome::kInserted
                                                   : WriteOutcome::kReplaced);
    changed = true;
    row.ingest_time = clock_.Now();
    row.version = next_version;
    reports_[row.key] = std::move(row);
  }
  if (changed) data_version_ = result.data_version = next_version;
  return result;
}

absl::StatusOr<int64_t> FakeStore::DeleteReport(const ReportKey& key) {
  absl::MutexLock lock(&mu_);
  if (reports_.erase(key) == 0) {
    return absl::NotFoundError(absl::StrCat(
        "no report for region ", key.region_code, " and year ", key.year));
  }
  for (auto it = documents_.begin(); it != documents_.end();) {
    it = it->second.count(key) ? documents_.erase(it) : std::next(it);
  }
  return ++data_version_;
}

absl::StatusOr<int64_t> FakeStore::DataVersion() {
  absl::MutexLock lock(&mu_);
  return data_version_;
}

absl::StatusOr<StoreListing> FakeStore::ListReports() {
  absl::MutexLock lock(&mu_);
  StoreListing listing;
  listing.data_version = data_version_;
  for (const auto& [key, row] : reports_) {
    listing.reports.push_back({key, row.version});
  }
  return listing;
}

absl::StatusOr<std::vector<ReportRow>> FakeStore::GetReports(
    const std::vector<ReportKey>& keys) {
  absl::MutexLock lock(&mu_);
  std::vector<ReportRow> rows;
  for (const ReportKey& key : keys) {
    if (auto it = reports_.find(key); it != reports_.end()) {
      const ReportRow& held = it->second;
      ReportRow row;
      row.key = held.key;
      row.content_sha256 = held.content_sha256;
      row.report = held.report;
      row.ingest_time = held.ingest_time;
      row.version = held.version;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

absl::StatusOr<std::vector<ObservationRow>> FakeStore::ListObservationRows(
    const ReportKey& key) {
  absl::MutexLock lock(&mu_);
  auto it = reports_.find(key);
  if (it == reports_.end()) return std::vector<ObservationRow>();
  return it->second.observations;
}

absl::StatusOr<Store::IndicatorRows> FakeStore::FindObservations(
    absl::string_view indicator, int32_t year) {
  absl::MutexLock lock(&mu_);
  IndicatorRows result;
  for (const auto& [key, row] : reports_) {
    for (const ObservationRow& obs : row.observations) {
      if (obs.indicator == indicator && obs.reference_last_year == year) {
        result.keys.push_back(key);
        result.rows.push_back(obs);
      }
    }
  }
  return result;
}

}  // namespace govreport::query
