#include "parser_service/export/flat_rows.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace govreport::parser {
namespace {

v1::ParseDocumentResponse OneObservation() {
  v1::ParseDocumentResponse response;
  v1::Report* report = response.add_reports();
  report->set_region_text("青山县");
  v1::Observation* o = report->add_observations();
  o->set_subject_text("规模养殖场");
  o->set_action("新建");
  o->set_kind(v1::OBSERVATION_KIND_TARGET);
  o->set_value_type(v1::VALUE_TYPE_LEVEL);
  o->mutable_reference_period()->set_first_year(2024);
  o->mutable_reference_period()->set_last_year(2024);
  v1::Quantity* q = o->mutable_quantity();
  q->set_value(2);
  q->set_lower_bound(2);
  q->set_upper_bound(4);
  q->set_comparator(v1::COMPARATOR_RANGE);
  q->set_unit("家");
  o->mutable_source()->set_quote("规模养殖场2至4家");
  o->mutable_source()->set_start_offset(10);
  o->mutable_source()->set_end_offset(19);
  return response;
}

TEST(FlatRows, WritesTheFormatFields) {
  const std::string rows = ToFlatRowsJsonl(OneObservation());
  EXPECT_EQ(rows.back(), '\n');
  for (const char* field :
       {"\"region\": \"青山县\"", "\"year\": 2024", "\"kind\": \"target\"",
        "\"subject\": \"规模养殖场\"", "\"action\": \"新建\"", "\"value\": 2",
        "\"upper\": 4", "\"unit\": \"家\"", "\"bound\": \"range\"",
        "\"growth_pct\": null", "\"raw\": \"规模养殖场2至4家\"",
        "\"start\": 10", "\"end\": 19"}) {
    EXPECT_NE(rows.find(field), std::string::npos) << field << " in " << rows;
  }
}

TEST(FlatRows, MapsComparatorsToBounds) {
  struct Case {
    v1::Comparator comparator;
    const char* bound;
  } const kCases[] = {
      {v1::COMPARATOR_EQUAL, "exact"},
      {v1::COMPARATOR_AT_LEAST, "at_least"},
      {v1::COMPARATOR_AT_MOST, "at_most"},
      {v1::COMPARATOR_LESS_THAN, "at_most"},
      {v1::COMPARATOR_APPROXIMATELY, "approx"},
      {v1::COMPARATOR_GREATER_THAN, "more_than"},
  };
  for (const Case& c : kCases) {
    v1::ParseDocumentResponse response = OneObservation();
    response.mutable_reports(0)
        ->mutable_observations(0)
        ->mutable_quantity()
        ->set_comparator(c.comparator);
    const std::string rows = ToFlatRowsJsonl(response);
    EXPECT_NE(rows.find(std::string("\"bound\": \"") + c.bound + "\""),
              std::string::npos)
        << c.bound;
    EXPECT_NE(rows.find("\"upper\": null"), std::string::npos) << c.bound;
  }
}

TEST(FlatRows, WritesExactDecimalsAndNeverInfinity) {
  v1::ParseDocumentResponse response = OneObservation();
  v1::Observation* o = response.mutable_reports(0)->mutable_observations(0);
  o->mutable_quantity()->set_comparator(v1::COMPARATOR_EQUAL);
  o->mutable_quantity()->set_value(4182000000);
  o->set_growth_rate_percent(std::numeric_limits<double>::infinity());
  std::string rows = ToFlatRowsJsonl(response);
  EXPECT_NE(rows.find("\"value\": 4182000000"), std::string::npos) << rows;
  EXPECT_NE(rows.find("\"growth_pct\": null"), std::string::npos) << rows;
  o->mutable_quantity()->set_value(13.1);
  rows = ToFlatRowsJsonl(response);
  EXPECT_NE(rows.find("\"value\": 13.1,"), std::string::npos) << rows;
}

TEST(FlatRows, EscapesJsonStrings) {
  v1::ParseDocumentResponse response = OneObservation();
  response.mutable_reports(0)
      ->mutable_observations(0)
      ->mutable_source()
      ->set_quote("a\"b\\c\nd\x01");
  const std::string rows = ToFlatRowsJsonl(response);
  EXPECT_NE(rows.find("\"raw\": \"a\\\"b\\\\c\\nd\\u0001\""), std::string::npos)
      << rows;
}

TEST(FlatRows, WritesNothingForNoObservations) {
  EXPECT_EQ(ToFlatRowsJsonl(v1::ParseDocumentResponse()), "");
}

}  // namespace
}  // namespace govreport::parser
