// An in-memory Store for tests: the same contract as SqliteStore, nothing
// durable. Passes the store conformance suite.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

#include "common/clock.h"
#include "query_service/store/store.h"

namespace govreport::query {

// Thread-safe (one mutex). `clock` stamps ingest times and must outlive the
// store; defaults to the system clock.
class FakeStore final : public Store {
 public:
  explicit FakeStore(const Clock& clock = SystemClock::Get()) : clock_(clock) {}

  absl::StatusOr<WriteResult> WriteReports(
      absl::string_view document_sha256,
      std::vector<ReportRow> reports) override;
  absl::StatusOr<int64_t> DeleteReport(const ReportKey& key) override;
  absl::StatusOr<int64_t> DataVersion() override;
  absl::StatusOr<StoreListing> ListReports() override;
  absl::StatusOr<std::vector<ReportRow>> GetReports(
      const std::vector<ReportKey>& keys) override;
  absl::StatusOr<std::vector<ObservationRow>> ListObservationRows(
      const ReportKey& key) override;
  absl::StatusOr<IndicatorRows> FindObservations(absl::string_view indicator,
                                                 int32_t year) override;

 private:
  const Clock& clock_;
  absl::Mutex mu_;
  int64_t data_version_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<ReportKey, ReportRow> reports_ ABSL_GUARDED_BY(mu_);
  // Document hash -> keys of the reports it produced.
  std::map<std::string, std::set<ReportKey>> documents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace govreport::query
