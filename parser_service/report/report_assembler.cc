#include "parser_service/report/report_assembler.h"

#include <cmath>
#include <utility>

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"

#include "parser_service/report/source_mapper.h"

namespace govreport::parser {
namespace {

v1::SectionKind ToSectionKind(SectionType type) {
  switch (type) {
    case SectionType::kMeeting:
      return v1::SECTION_KIND_MEETING;
    case SectionType::kReview:
      return v1::SECTION_KIND_REVIEW;
    case SectionType::kPlan:
      return v1::SECTION_KIND_PLAN;
    case SectionType::kLivelihood:
      return v1::SECTION_KIND_LIVELIHOOD_PROJECTS;
    case SectionType::kOther:
      return v1::SECTION_KIND_OTHER;
  }
  return v1::SECTION_KIND_OTHER;
}

v1::Comparator ToComparator(Bound bound) {
  switch (bound) {
    case Bound::kExact:
      return v1::COMPARATOR_EQUAL;
    case Bound::kAtLeast:
      return v1::COMPARATOR_AT_LEAST;
    case Bound::kAtMost:
      return v1::COMPARATOR_AT_MOST;
    case Bound::kApprox:
      return v1::COMPARATOR_APPROXIMATELY;
    case Bound::kMoreThan:
      return v1::COMPARATOR_GREATER_THAN;
    case Bound::kLessThan:
      return v1::COMPARATOR_LESS_THAN;
    case Bound::kRange:
      return v1::COMPARATOR_RANGE;
  }
  return v1::COMPARATOR_EQUAL;
}

v1::ValueType ToValueType(ValueKind kind) {
  switch (kind) {
    case ValueKind::kLevel:
      return v1::VALUE_TYPE_LEVEL;
    case ValueKind::kGrowthRate:
      return v1::VALUE_TYPE_GROWTH_RATE;
    case ValueKind::kChange:
      return v1::VALUE_TYPE_CHANGE;
  }
  return v1::VALUE_TYPE_LEVEL;
}

// 县/区/旗 are county-level; 市/州/盟 are taken as prefecture-level (a
// county-level city cannot be told apart from its name alone).
v1::RegionLevel ToRegionLevel(const std::string& suffix) {
  if (suffix == "县" || suffix == "区" || suffix == "旗") {
    return v1::REGION_LEVEL_COUNTY;
  }
  if (suffix == "市" || suffix == "州" || suffix == "盟") {
    return v1::REGION_LEVEL_PREFECTURE;
  }
  return v1::REGION_LEVEL_UNSPECIFIED;
}

bool Finite(double v) { return std::isfinite(v); }

}  // namespace

class ResponseBuilder::Impl {
 public:
  Impl(absl::string_view input, const LayoutResult& layout,
       const AssembleOptions& options, v1::ParseDocumentResponse* response)
      : layout_(layout),
        options_(options),
        response_(response),
        mapper_(input, layout) {
    response_->set_content_sha256(options.content_sha256);
    response_->set_extractor_version(options.extractor_version);
    response_->set_content_length(static_cast<int32_t>(layout.source.end()));
  }

  void Finish() {
    AddArtifacts();
    if (reports_added_ == 0) {
      v1::ParseWarning* w = response_->add_warnings();
      w->set_code(v1::PARSE_WARNING_CODE_NO_REPORT);
      w->set_message("no report found: no region, session, section or figure");
    }
  }

  // Sets the span's offsets and, with kWithQuote, its quote. Spans of whole
  // reports and sections go without: their quote would copy the document.
  enum QuoteMode { kWithQuote, kOffsetsOnly };
  void SetSpan(TextRange range, v1::SourceSpan* span,
               QuoteMode mode = kWithQuote) const {
    MappedSpan m = mapper_.Map(range);
    span->set_start_offset(static_cast<int32_t>(m.start));
    span->set_end_offset(static_cast<int32_t>(m.end));
    if (mode == kWithQuote && !m.quote.empty()) {
      span->set_quote(std::move(m.quote));
    }
  }

  void AddReport(const ReportInfo& info, Extraction& extraction) {
    v1::Report* report = response_->add_reports();
    ++reports_added_;
    report->set_year(info.year);
    report->set_title(info.title);
    report->set_source_uri(options_.source_uri);
    report->set_content_sha256(options_.content_sha256);
    report->set_extractor_version(options_.extractor_version);
    report->set_region_text(info.region);
    report->set_region_suffix(info.region_suffix);
    report->set_region_level(ToRegionLevel(info.region_suffix));
    SetSpan(info.range, report->mutable_source(), kOffsetsOnly);
    AddSessions(info, report);
    AddPeople(info, report);
    AddSections(info, report);
    AddMeasures(info, report);
    report->mutable_observations()->Reserve(
        static_cast<int>(extraction.figures.size()));
    for (Figure& f : extraction.figures) AddObservation(f, report);
    for (const ExtractWarning& w : extraction.warnings) AddWarning(w);
    if (info.year == 0) {
      v1::ParseWarning* w = response_->add_warnings();
      w->set_code(v1::PARSE_WARNING_CODE_NO_YEAR);
      w->set_message(absl::StrCat("no report year found for ", info.region));
      SetSpan(info.range, w->mutable_source(), kOffsetsOnly);
    }
    if (info.region.empty()) {
      v1::ParseWarning* w = response_->add_warnings();
      w->set_code(v1::PARSE_WARNING_CODE_NO_REGION);
      w->set_message("no region found for a report");
      SetSpan(info.range, w->mutable_source(), kOffsetsOnly);
    }
  }

  void AddSessions(const ReportInfo& info, v1::Report* report) const {
    for (const SessionInfo& s : info.sessions) {
      v1::Session* session = report->add_sessions();
      session->set_body(s.congress ? v1::SESSION_BODY_PEOPLES_CONGRESS
                                   : v1::SESSION_BODY_CPPCC);
      session->set_term(s.term);
      session->set_session(s.session);
      if (!info.meeting_dates.empty()) {
        const DateRange& d = info.meeting_dates.front();
        session->mutable_start_date()->set_year(info.year);
        session->mutable_start_date()->set_month(d.start_month);
        session->mutable_start_date()->set_day(d.start_day);
        session->mutable_end_date()->set_year(info.year);
        session->mutable_end_date()->set_month(d.end_month);
        session->mutable_end_date()->set_day(d.end_day);
      }
      SetSpan(s.range, session->mutable_source());
    }
  }

  void AddPeople(const ReportInfo& info, v1::Report* report) const {
    if (!info.presenter.name.empty()) {
      report->mutable_presenter()->set_name(info.presenter.name);
      report->mutable_presenter()->set_post(info.presenter.post);
    }
    for (const PersonInfo& p : info.elections) {
      v1::Election* e = report->add_elections();
      e->mutable_person()->set_name(p.name);
      e->mutable_person()->set_post(p.post);
      SetSpan(p.range, e->mutable_source());
    }
    for (const std::string& a : info.authors) report->add_authors(a);
  }

  static std::string SectionName(int index) {
    return index < 0 ? "" : absl::StrCat("sections/", index + 1);
  }

  void AddSections(const ReportInfo& info, v1::Report* report) const {
    for (size_t i = 0; i < info.sections.size(); ++i) {
      const SectionInfo& s = info.sections[i];
      v1::Section* section = report->add_sections();
      section->set_name(SectionName(static_cast<int>(i)));
      section->set_ordinal(static_cast<int32_t>(i + 1));
      section->set_heading(s.heading);
      section->set_kind(ToSectionKind(s.type));
      section->set_reference_year(s.year);
      SetSpan(s.range, section->mutable_source(), kOffsetsOnly);
      section->mutable_source()->set_section(section->name());
    }
  }

  void AddMeasures(const ReportInfo& info, v1::Report* report) const {
    for (size_t i = 0; i < info.measures.size(); ++i) {
      const MeasureInfo& m = info.measures[i];
      v1::PolicyMeasure* measure = report->add_measures();
      measure->set_name(absl::StrCat("measures/", i + 1));
      measure->set_ordinal(static_cast<int32_t>(i + 1));
      measure->set_section(SectionName(static_cast<int>(m.section)));
      measure->set_title(m.title);
      measure->set_summary(m.summary);
      SetSpan(m.range, measure->mutable_source());
      measure->mutable_source()->set_section(measure->section());
    }
  }

  void AddObservation(Figure& f, v1::Report* report) {
    if (!Finite(f.value)) return;
    v1::Observation* o = report->add_observations();
    o->set_name(absl::StrCat("observations/", report->observations_size()));
    o->set_section(SectionName(f.section));
    if (f.measure >= 0)
      o->set_measure(absl::StrCat("measures/", f.measure + 1));
    // Proto string setters allocate even for "", and many of these texts are
    // empty: a large response is noticeably smaller without those.
    if (!f.subject.empty()) o->set_subject_text(std::move(f.subject));
    if (!f.action.empty()) o->set_action(std::move(f.action));
    o->set_value_type(ToValueType(f.value_kind));
    o->set_kind(f.target ? v1::OBSERVATION_KIND_TARGET
                         : v1::OBSERVATION_KIND_ACHIEVED);
    o->mutable_reference_period()->set_first_year(f.year);
    o->mutable_reference_period()->set_last_year(f.year);
    if (f.estimated) o->add_flags(v1::OBSERVATION_FLAG_ESTIMATED);
    if (f.growth_percent.has_value() && Finite(*f.growth_percent)) {
      o->set_growth_rate_percent(*f.growth_percent);
    }
    if (f.previous_value.has_value() && Finite(*f.previous_value)) {
      o->set_previous_value(*f.previous_value);
    }
    FillQuantity(f, o->mutable_quantity());
    MappedSpan span = mapper_.MapContiguous(f.raw, f.quantity.begin);
    o->mutable_source()->set_start_offset(static_cast<int32_t>(span.start));
    o->mutable_source()->set_end_offset(static_cast<int32_t>(span.end));
    if (!span.quote.empty())
      o->mutable_source()->set_quote(std::move(span.quote));
  }

  static void FillQuantity(Figure& f, v1::Quantity* q) {
    q->set_value(f.value);
    q->set_comparator(ToComparator(f.bound));
    if (!f.unit.empty()) q->set_unit(std::move(f.unit));
    q->set_original_unit_multiplier(f.multiplier_exponent);
    if (!f.unit_text.empty()) q->set_original_unit_text(std::move(f.unit_text));
    if (!f.original_text.empty()) {
      q->set_original_text(std::move(f.original_text));
    }
    double effective = f.value;
    switch (f.bound) {
      case Bound::kRange:
        q->set_lower_bound(f.value);
        if (f.upper.has_value() && Finite(*f.upper)) {
          q->set_upper_bound(*f.upper);
          effective = (f.value + *f.upper) / 2;
        }
        break;
      case Bound::kAtLeast:
      case Bound::kMoreThan:
        q->set_lower_bound(f.value);
        break;
      case Bound::kAtMost:
      case Bound::kLessThan:
        q->set_upper_bound(f.value);
        break;
      default:
        break;
    }
    q->set_effective_value(effective);
  }

  void AddWarning(const ExtractWarning& w) {
    v1::ParseWarning* warning = response_->add_warnings();
    warning->set_code(w.code == ExtractWarningCode::kUnreadableNumber
                          ? v1::PARSE_WARNING_CODE_UNREADABLE_NUMBER
                          : v1::PARSE_WARNING_CODE_NO_SUBJECT);
    warning->set_message(w.message);
    SetSpan(w.range, warning->mutable_source());
  }

  static v1::LayoutArtifactKind ToArtifactKind(NoiseKind kind) {
    switch (kind) {
      case NoiseKind::kCaption:
        return v1::LAYOUT_ARTIFACT_KIND_CAPTION;
      case NoiseKind::kPageHeader:
        return v1::LAYOUT_ARTIFACT_KIND_PAGE_HEADER;
      case NoiseKind::kRelatedNews:
        return v1::LAYOUT_ARTIFACT_KIND_RELATED_NEWS;
      case NoiseKind::kContact:
        return v1::LAYOUT_ARTIFACT_KIND_OTHER;
    }
    return v1::LAYOUT_ARTIFACT_KIND_OTHER;
  }

  void AddArtifacts() {
    const LayoutResult& layout = layout_;
    std::vector<std::pair<uint32_t, v1::LayoutArtifact>> artifacts;
    for (const NoiseLine& n : layout.noise) {
      v1::LayoutArtifact a;
      a.set_kind(ToArtifactKind(n.kind));
      a.mutable_source()->set_start_offset(
          static_cast<int32_t>(n.source_begin));
      a.mutable_source()->set_end_offset(static_cast<int32_t>(n.source_end));
      a.mutable_source()->set_quote(n.text);
      artifacts.emplace_back(n.source_begin, std::move(a));
    }
    for (const CleanLine& line : layout.lines) {
      if (line.kind != LineKind::kByline) continue;
      v1::LayoutArtifact a;
      a.set_kind(v1::LAYOUT_ARTIFACT_KIND_BYLINE);
      SetSpan({line.begin, line.end}, a.mutable_source());
      artifacts.emplace_back(a.source().start_offset(), std::move(a));
    }
    std::stable_sort(
        artifacts.begin(), artifacts.end(),
        [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& a : artifacts)
      *response_->add_layout_artifacts() = std::move(a.second);
  }

  const LayoutResult& layout_;
  const AssembleOptions options_;
  v1::ParseDocumentResponse* response_;
  SourceMapper mapper_;
  int reports_added_ = 0;  // the caller may take reports out as they come
};

ResponseBuilder::ResponseBuilder(absl::string_view input,
                                 const LayoutResult& layout,
                                 const AssembleOptions& options,
                                 v1::ParseDocumentResponse* response)
    : impl_(new Impl(input, layout, options, response)) {}

ResponseBuilder::~ResponseBuilder() { delete impl_; }

void ResponseBuilder::AddReport(const ReportInfo& info, Extraction extraction) {
  impl_->AddReport(info, extraction);
}

void ResponseBuilder::Finish() { impl_->Finish(); }

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

}  // namespace govreport::parser
