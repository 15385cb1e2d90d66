// ReportService reads: reports, their measures and observations.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"

#include "common/status_macros.h"
#include "query_service/engine/page_token.h"
#include "query_service/engine/query_engine.h"
#include "query_service/engine/resource_names.h"

namespace govreport::query {
namespace {

constexpr PageLimits kReportPages{100, 1000};
constexpr absl::string_view kAllRegions = "regions/-";

}  // namespace

absl::StatusOr<const ReportEntry*> QueryEngine::FindReport(
    const Snapshot& snapshot, absl::string_view name,
    absl::string_view field) const {
  GOVREPORT_ASSIGN_OR_RETURN(ReportName parsed, ParseReportName(name, field));
  const RegionEntry* region = regions_.FindByCode(parsed.region_code);
  if (region == nullptr) {
    return absl::NotFoundError(absl::StrCat(field, ": region regions/",
                                            parsed.region_code, " not found"));
  }
  const ReportEntry* report = snapshot.FindReport(region->code, parsed.year);
  if (report == nullptr) {
    return absl::NotFoundError(
        absl::StrCat(field, ": no report ", name, " is held"));
  }
  return report;
}

absl::StatusOr<v1::GetReportResponse> QueryEngine::GetReport(
    const Snapshot& snapshot, const v1::GetReportRequest& request) const {
  v1::GetReportResponse response;
  GOVREPORT_RETURN_IF_ERROR(GetReport(snapshot, request, &response));
  return response;
}

absl::Status QueryEngine::GetReport(const Snapshot& snapshot,
                                    const v1::GetReportRequest& request,
                                    v1::GetReportResponse* response) const {
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("view", request.view(), v1::ReportView_IsValid));
  GOVREPORT_ASSIGN_OR_RETURN(const ReportEntry* report,
                             FindReport(snapshot, request.name(), "name"));
  // BASIC copies the prebuilt view (a small message; no parsing).
  Snapshot::FillReport(*report, request.view() == v1::REPORT_VIEW_FULL,
                       response->mutable_report());
  response->set_data_version(snapshot.data_version_string());
  return absl::OkStatus();
}

absl::StatusOr<v1::ListReportsResponse> QueryEngine::ListReports(
    const Snapshot& snapshot, const v1::ListReportsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kReportPages, snapshot.data_version()));
  absl::Span<const ReportPtr> candidates = snapshot.reports();
  if (request.parent() != kAllRegions) {
    GOVREPORT_ASSIGN_OR_RETURN(const RegionEntry* region,
                               FindRegion(request.parent(), "parent"));
    candidates = snapshot.ReportsOf(region->code);
  }
  const std::set<int32_t> years(request.years().begin(), request.years().end());
  std::vector<const ReportEntry*> matching;
  for (const ReportPtr& report : candidates) {
    if (years.empty() || years.count(report->key.year)) {
      matching.push_back(report.get());
    }
  }
  v1::ListReportsResponse response;
  FillPage(page, matching, response, [&](const auto& item) {
    *response.add_reports() = Snapshot::ReportProto(*item, false);
  });
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::ListPolicyMeasuresResponse> QueryEngine::ListPolicyMeasures(
    const Snapshot& snapshot,
    const v1::ListPolicyMeasuresRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kReportPages, snapshot.data_version()));
  GOVREPORT_ASSIGN_OR_RETURN(const ReportEntry* report,
                             FindReport(snapshot, request.parent(), "parent"));
  v1::Report full;  // the stored form keeps the measures
  full.ParseFromString(report->report_bytes);
  v1::ListPolicyMeasuresResponse response;
  const size_t total = static_cast<size_t>(full.measures_size());
  for (size_t i = page.offset; i < PageEnd(page, total); ++i) {
    *response.add_policy_measures() = full.measures(static_cast<int>(i));
  }
  response.set_next_page_token(NextPageToken(page, total));
  response.set_data_version(snapshot.data_version_string());
  return response;
}

absl::StatusOr<v1::ListObservationsResponse> QueryEngine::ListObservations(
    const Snapshot& snapshot,
    const v1::ListObservationsRequest& request) const {
  GOVREPORT_ASSIGN_OR_RETURN(
      PageRange page,
      StartPage(request, request.page_size(), request.page_token(),
                kReportPages, snapshot.data_version()));
  GOVREPORT_RETURN_IF_ERROR(
      CheckEnum("kind", request.kind(), v1::ObservationKind_IsValid));
  GOVREPORT_ASSIGN_OR_RETURN(const ReportEntry* report,
                             FindReport(snapshot, request.parent(), "parent"));
  std::set<std::string> slugs;
  for (int i = 0; i < request.indicators_size(); ++i) {
    GOVREPORT_ASSIGN_OR_RETURN(
        const IndicatorEntry* entry,
        FindIndicator(request.indicators(i),
                      absl::StrCat("indicators[", i, "]")));
    slugs.insert(entry->slug);
  }
  const std::set<std::string> subjects(request.subject_texts().begin(),
                                       request.subject_texts().end());
  const bool filtered = !slugs.empty() || !subjects.empty();
  std::vector<const ObservationEntry*> matching;
  for (const ObservationEntry& obs : report->observations) {
    if (request.kind() != v1::OBSERVATION_KIND_UNSPECIFIED &&
        obs.kind != request.kind()) {
      continue;
    }
    if (filtered && !slugs.count(*obs.indicator) &&
        !subjects.count(*obs.subject)) {
      continue;
    }
    matching.push_back(&obs);
  }
  v1::ListObservationsResponse response;
  FillPage(page, matching, response, [&](const auto& item) {
    *response.add_observations() = Snapshot::ObservationProto(*item);
  });
  response.set_data_version(snapshot.data_version_string());
  return response;
}

}  // namespace govreport::query
