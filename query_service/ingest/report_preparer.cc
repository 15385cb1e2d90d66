#include "query_service/ingest/report_preparer.h"

#include <cmath>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

#include "common/status_macros.h"
#include "query_service/engine/resource_names.h"

namespace govreport::query {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// `ref` made absolute under `report_name` when it is relative.
void Absolute(absl::string_view report_name, std::string* ref) {
  if (!ref->empty() && !absl::StartsWith(*ref, "regions/")) {
    *ref = absl::StrCat(report_name, "/", *ref);
  }
}

bool Finite(const v1::Quantity& q) {
  auto ok = [](bool has, double v) { return !has || std::isfinite(v); };
  return ok(q.has_value(), q.value()) &&
         ok(q.has_lower_bound(), q.lower_bound()) &&
         ok(q.has_upper_bound(), q.upper_bound()) &&
         ok(q.has_effective_value(), q.effective_value());
}

absl::Status ValidateObservation(const v1::Observation& obs,
                                 absl::string_view field) {
  if (!v1::ValueType_IsValid(obs.value_type())) {
    return Invalid(absl::StrCat(field, ".value_type"), "unknown value");
  }
  if (!v1::ObservationKind_IsValid(obs.kind())) {
    return Invalid(absl::StrCat(field, ".kind"), "unknown value");
  }
  if (!v1::Comparator_IsValid(obs.quantity().comparator())) {
    return Invalid(absl::StrCat(field, ".quantity.comparator"),
                   "unknown value");
  }
  for (int i = 0; i < obs.flags_size(); ++i) {
    if (!v1::ObservationFlag_IsValid(obs.flags(i))) {
      return Invalid(absl::StrCat(field, ".flags[", i, "]"), "unknown value");
    }
  }
  if (obs.subject_text().empty() && obs.indicator().empty()) {
    return Invalid(absl::StrCat(field, ".subject_text"),
                   "required when indicator is empty");
  }
  if (!Finite(obs.quantity())) {
    return Invalid(absl::StrCat(field, ".quantity"),
                   "values must be finite numbers");
  }
  if (obs.has_growth_rate_percent() &&
      !std::isfinite(obs.growth_rate_percent())) {
    return Invalid(absl::StrCat(field, ".growth_rate_percent"),
                   "must be a finite number");
  }
  if (obs.has_previous_value() && !std::isfinite(obs.previous_value())) {
    return Invalid(absl::StrCat(field, ".previous_value"),
                   "must be a finite number");
  }
  const v1::YearRange& period = obs.reference_period();
  // Four-digit years (0: not known). The snapshot keeps reference years in
  // 16 bits, so a wider one would read back as another year.
  for (int32_t year : {period.first_year(), period.last_year()}) {
    if (year != 0 && (year < 1000 || year > 9999)) {
      return Invalid(absl::StrCat(field, ".reference_period"),
                     absl::StrCat("years must be 0 (not known) or in "
                                  "1000..9999, got ",
                                  year));
    }
  }
  if (period.last_year() < period.first_year()) {
    return Invalid(absl::StrCat(field, ".reference_period"),
                   "last_year is before first_year");
  }
  return absl::OkStatus();
}

// Sets the indicator of `obs` (validating a given one) and its names.
absl::Status CompleteObservation(v1::Observation& obs, int ordinal,
                                 absl::string_view report_name,
                                 absl::string_view region_name,
                                 const IndicatorCatalog& indicators,
                                 absl::string_view field) {
  GOVREPORT_RETURN_IF_ERROR(ValidateObservation(obs, field));
  if (!obs.indicator().empty()) {
    const std::string indicator_field = absl::StrCat(field, ".indicator");
    GOVREPORT_ASSIGN_OR_RETURN(
        std::string slug, ParseIndicatorName(obs.indicator(), indicator_field));
    if (indicators.FindBySlug(slug) == nullptr) {
      return absl::NotFoundError(absl::StrCat(indicator_field, ": indicator ",
                                              Abbreviate(obs.indicator()),
                                              " not found"));
    }
  } else if (const IndicatorEntry* entry =
                 indicators.Map(obs.subject_text(), obs.quantity().unit())) {
    obs.set_indicator(IndicatorName(entry->slug));
  }
  obs.set_name(absl::StrCat(report_name, "/observations/", ordinal));
  obs.set_region(std::string(region_name));
  obs.set_report(std::string(report_name));
  Absolute(report_name, obs.mutable_section());
  Absolute(report_name, obs.mutable_measure());
  if (obs.has_source()) {
    obs.mutable_source()->set_report(std::string(report_name));
    Absolute(report_name, obs.mutable_source()->mutable_section());
  }
  return absl::OkStatus();
}

void NameSectionsAndMeasures(v1::Report& report) {
  const std::string& name = report.name();
  for (int i = 0; i < report.sections_size(); ++i) {
    v1::Section* section = report.mutable_sections(i);
    if (section->ordinal() == 0) section->set_ordinal(i + 1);
    section->set_name(absl::StrCat(name, "/sections/", section->ordinal()));
    if (section->has_source()) {
      section->mutable_source()->set_report(name);
      section->mutable_source()->set_section(section->name());
    }
  }
  for (int i = 0; i < report.measures_size(); ++i) {
    v1::PolicyMeasure* measure = report.mutable_measures(i);
    if (measure->ordinal() == 0) measure->set_ordinal(i + 1);
    measure->set_name(absl::StrCat(name, "/measures/", measure->ordinal()));
    Absolute(name, measure->mutable_section());
    if (measure->has_source()) {
      measure->mutable_source()->set_report(name);
      Absolute(name, measure->mutable_source()->mutable_section());
    }
  }
}

std::string DeterministicBytes(const v1::Report& report) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  report.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// The report's own enums (the observations' are checked with them).
absl::Status ValidateReportEnums(const v1::Report& report,
                                 absl::string_view field) {
  if (!v1::RegionLevel_IsValid(report.region_level())) {
    return Invalid(absl::StrCat(field, ".region_level"), "unknown value");
  }
  for (int i = 0; i < report.sessions_size(); ++i) {
    if (!v1::SessionBody_IsValid(report.sessions(i).body())) {
      return Invalid(absl::StrCat(field, ".sessions[", i, "].body"),
                     "unknown value");
    }
  }
  for (int i = 0; i < report.sections_size(); ++i) {
    if (!v1::SectionKind_IsValid(report.sections(i).kind())) {
      return Invalid(absl::StrCat(field, ".sections[", i, "].kind"),
                     "unknown value");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<const RegionEntry*> ResolveReportRegion(
    const v1::Report& report, const RegionCatalog& regions,
    absl::string_view field) {
  if (!report.region().empty()) {
    const std::string region_field = absl::StrCat(field, ".region");
    GOVREPORT_ASSIGN_OR_RETURN(std::string code,
                               ParseRegionName(report.region(), region_field));
    const RegionEntry* entry = regions.FindByCode(code);
    if (entry == nullptr) {
      return absl::NotFoundError(absl::StrCat(region_field, ": region ",
                                              report.region(), " not found"));
    }
    return entry;
  }
  const std::string text_field = absl::StrCat(field, ".region_text");
  if (report.region_text().empty()) {
    return Invalid(absl::StrCat(field, ".region"), "required (or region_text)");
  }
  // Region names are a few characters; the resolver's message would quote
  // a long text whole.
  constexpr size_t kMaxRegionTextBytes = 256;
  if (report.region_text().size() > kMaxRegionTextBytes) {
    return Invalid(text_field,
                   absl::StrCat("\"", Abbreviate(report.region_text()),
                                "\" is longer than any region name"));
  }
  absl::StatusOr<const RegionEntry*> entry =
      regions.ResolveName(report.region_text());
  if (!entry.ok()) {
    return Invalid(text_field, entry.status().message());
  }
  return *entry;
}

absl::StatusOr<ReportRow> PrepareReport(v1::Report report,
                                        const RegionCatalog& regions,
                                        const IndicatorCatalog& indicators,
                                        absl::string_view field) {
  if (report.year() < 1900 || report.year() > 2200) {
    return Invalid(
        absl::StrCat(field, ".year"),
        absl::StrCat("must be a year in 1900..2200, got ", report.year()));
  }
  GOVREPORT_RETURN_IF_ERROR(ValidateReportEnums(report, field));
  GOVREPORT_ASSIGN_OR_RETURN(const RegionEntry* region,
                             ResolveReportRegion(report, regions, field));
  const std::string region_name = RegionName(region->code);
  report.set_region(region_name);
  report.set_name(ReportResourceName(region->code, report.year()));
  report.clear_ingest_time();
  NameSectionsAndMeasures(report);

  ReportRow row;
  row.key = {region->code, report.year()};
  row.content_sha256 = report.content_sha256();
  for (int i = 0; i < report.observations_size(); ++i) {
    v1::Observation& obs = *report.mutable_observations(i);
    GOVREPORT_RETURN_IF_ERROR(
        CompleteObservation(obs, i + 1, report.name(), region_name, indicators,
                            absl::StrCat(field, ".observations[", i, "]")));
    row.observations.push_back(ObservationRowOf(obs, i + 1));
  }
  row.report = DeterministicBytes(report);
  return row;
}

ObservationRow ObservationRowOf(const v1::Observation& obs, int32_t ordinal) {
  ObservationRow row;
  row.ordinal = ordinal;
  row.indicator =
      std::string(absl::StripPrefix(obs.indicator(), "indicators/"));
  row.subject_text = obs.subject_text();
  row.value_type = obs.value_type();
  row.kind = obs.kind();
  row.reference_first_year = obs.reference_period().first_year();
  row.reference_last_year = obs.reference_period().last_year();
  if (obs.quantity().has_effective_value()) {
    row.effective_value = obs.quantity().effective_value();
  }
  row.unit = obs.quantity().unit();
  return row;
}

}  // namespace govreport::query
