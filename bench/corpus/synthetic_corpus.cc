#include "bench/corpus/synthetic_corpus.h"

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace govreport::bench {
namespace {

// A value of the right order of magnitude for an indicator's unit, varying
// by region (`scale`) and year.
double PlausibleLevel(const std::string& unit, double scale,
                      std::mt19937_64& rng) {
  std::uniform_real_distribution<double> noise(0.7, 1.3);
  double base = 100;
  if (unit == "元") base = 2.0e10;  // tens of 亿元
  if (unit == "%") base = 60;
  if (unit == "亩") base = 20000;
  if (unit == "人" || unit == "人次") base = 5000;
  if (unit == "吨") base = 100000;
  return std::round(base * scale * noise(rng) * 10) / 10;
}

v1::Comparator PickComparator(std::mt19937_64& rng) {
  const int r = static_cast<int>(rng() % 10);
  if (r < 6) return v1::COMPARATOR_EQUAL;
  if (r < 8) return v1::COMPARATOR_AT_LEAST;
  if (r < 9) return v1::COMPARATOR_APPROXIMATELY;
  return v1::COMPARATOR_GREATER_THAN;
}

void FillQuantity(double value, const std::string& unit,
                  v1::Comparator comparator, v1::Quantity* quantity) {
  quantity->set_value(value);
  quantity->set_effective_value(value);
  quantity->set_comparator(comparator);
  quantity->set_unit(unit);
  if (comparator == v1::COMPARATOR_AT_LEAST ||
      comparator == v1::COMPARATOR_GREATER_THAN) {
    quantity->set_lower_bound(value);
  }
  const bool yi = unit == "元" && value >= 1e8;
  quantity->set_original_unit_multiplier(yi ? 8 : 0);
  quantity->set_original_unit_text(yi ? "亿元" : unit);
  const std::string number = yi ? absl::StrFormat("%.2f亿", value / 1e8)
                                : absl::StrFormat("%g", value);
  quantity->set_original_text(absl::StrCat(
      comparator == v1::COMPARATOR_GREATER_THAN ? "突破" : "", number,
      yi ? "元" : unit, comparator == v1::COMPARATOR_AT_LEAST ? "以上" : "",
      comparator == v1::COMPARATOR_APPROXIMATELY ? "左右" : ""));
}

}  // namespace

v1::Report SyntheticReport(const query::RegionEntry& region, int year,
                           const query::IndicatorCatalog& indicators,
                           const CorpusOptions& options) {
  std::seed_seq seed{static_cast<uint64_t>(std::stoll(region.code)),
                     static_cast<uint64_t>(year), options.seed};
  std::mt19937_64 rng(seed);
  // Larger regions have larger figures, consistently across years.
  std::mt19937_64 region_rng(std::stoull(region.code));
  const double scale =
      std::uniform_real_distribution<double>(0.3, 3.0)(region_rng) *
      std::pow(1.05, year - 2015);

  v1::Report report;
  report.set_region(absl::StrCat("regions/", region.code));
  report.set_region_text(region.name);
  report.set_year(year);
  report.set_title(absl::StrCat(region.name, year, "年政府工作报告"));
  report.set_source_uri("synthetic://govreport-corpus");
  report.set_extractor_version("govreport-corpus/1");
  v1::Section* review = report.add_sections();
  review->set_name("sections/1");
  review->set_ordinal(1);
  review->set_heading(absl::StrCat(year - 1, "年工作回顾"));
  review->set_kind(v1::SECTION_KIND_REVIEW);
  review->set_reference_year(year - 1);
  v1::Section* plan = report.add_sections();
  plan->set_name("sections/2");
  plan->set_ordinal(2);
  plan->set_heading(absl::StrCat(year, "年工作安排"));
  plan->set_kind(v1::SECTION_KIND_PLAN);
  plan->set_reference_year(year);
  for (int m = 1; m <= 8; ++m) {
    v1::PolicyMeasure* measure = report.add_measures();
    measure->set_name(absl::StrCat("measures/", m));
    measure->set_section("sections/2");
    measure->set_ordinal(m);
    measure->set_title(absl::StrCat("第", m, "项重点工作"));
    measure->set_summary(absl::StrCat("围绕重点领域推进第", m, "项工作。"));
  }

  const auto& all = indicators.All();
  int offset = 0;
  for (int i = 0; i < options.observations_per_report; ++i) {
    const query::IndicatorEntry& indicator =
        all[static_cast<size_t>(i / 3) % all.size()];
    // Per indicator: the result of last year, its growth, this year's target.
    const int role = i % 3;
    v1::Observation* o = report.add_observations();
    o->set_name(absl::StrCat("observations/", i + 1));
    o->set_subject_text(indicator.display_name);
    o->set_action(role == 2 ? "力争" : "完成");
    o->set_kind(role == 2 ? v1::OBSERVATION_KIND_TARGET
                          : v1::OBSERVATION_KIND_ACHIEVED);
    const int reference_year = role == 2 ? year : year - 1;
    o->mutable_reference_period()->set_first_year(reference_year);
    o->mutable_reference_period()->set_last_year(reference_year);
    o->set_section(role == 2 ? "sections/2" : "sections/1");
    if (role == 1) {
      o->set_value_type(v1::VALUE_TYPE_GROWTH_RATE);
      const double growth =
          std::round(std::uniform_real_distribution<double>(-2, 12)(rng) * 10) /
          10;
      FillQuantity(growth, "%", v1::COMPARATOR_EQUAL, o->mutable_quantity());
    } else {
      o->set_value_type(v1::VALUE_TYPE_LEVEL);
      FillQuantity(PlausibleLevel(indicator.canonical_unit, scale, rng),
                   indicator.canonical_unit,
                   role == 2 ? PickComparator(rng) : v1::COMPARATOR_EQUAL,
                   o->mutable_quantity());
    }
    const std::string quote =
        absl::StrCat(indicator.display_name, o->quantity().original_text());
    v1::SourceSpan* source = o->mutable_source();
    source->set_quote(quote);
    source->set_start_offset(offset);
    offset += 20;
    source->set_end_offset(offset);
  }
  return report;
}

}  // namespace govreport::bench
