#include "query_service/snapshot/observation_wire.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "google/protobuf/util/message_differencer.h"

namespace govreport::query {
namespace {

// Observations with every field the parser or PutReport may set, and with
// the optional parts left out one at a time.
std::vector<v1::Observation> Shapes() {
  std::vector<v1::Observation> shapes;
  v1::Observation full;
  full.set_indicator("indicators/gdp");
  full.set_subject_text("地区生产总值");
  full.set_value_type(v1::VALUE_TYPE_LEVEL);
  full.set_kind(v1::OBSERVATION_KIND_ACHIEVED);
  full.mutable_reference_period()->set_first_year(2023);
  full.mutable_reference_period()->set_last_year(2023);
  v1::Quantity& q = *full.mutable_quantity();
  q.set_value(54200000000);
  q.set_lower_bound(54200000000);
  q.set_comparator(v1::COMPARATOR_AT_LEAST);
  q.set_unit("元");
  q.set_original_unit_multiplier(8);
  q.set_original_unit_text("亿元");
  q.set_original_text("542亿元以上");
  q.set_effective_value(54200000000);
  full.add_flags(v1::OBSERVATION_FLAG_ESTIMATED);
  full.mutable_base_period()->set_first_year(2022);
  full.mutable_source()->set_section("sections/2");
  full.mutable_source()->set_quote("地区生产总值542亿元以上");
  full.mutable_source()->set_start_offset(120);
  full.mutable_source()->set_end_offset(135);
  full.set_section("sections/2");
  full.set_measure("measures/3");
  full.set_action("完成");
  full.set_growth_rate_percent(-0.5);
  full.set_previous_value(0);
  shapes.push_back(full);

  v1::Observation bare;  // a figure without number, unit or names
  bare.set_subject_text("农村人居环境");
  shapes.push_back(bare);

  v1::Observation no_quantity = full;
  no_quantity.clear_quantity();
  shapes.push_back(no_quantity);

  v1::Observation zero = full;  // zero is a value, not an absence
  zero.mutable_quantity()->set_value(0);
  zero.mutable_quantity()->set_effective_value(0);
  zero.clear_indicator();
  shapes.push_back(zero);

  v1::Observation open_period = full;  // one end of the period unset
  open_period.mutable_reference_period()->set_first_year(0);
  open_period.clear_source();
  open_period.clear_section();
  shapes.push_back(open_period);

  v1::Observation absolute = full;  // names already absolute stay as given
  absolute.set_section("regions/410325/reports/2024/sections/1");
  absolute.mutable_source()->set_section(
      "regions/410325/reports/2024/sections/1");
  shapes.push_back(absolute);
  return shapes;
}

TEST(ObservationWire, ParsesToTheObservationTheSnapshotWouldBuild) {
  v1::Report report;
  report.set_year(2024);
  for (const v1::Observation& obs : Shapes()) *report.add_observations() = obs;
  ReportRow row;
  row.key = {"410325", 2024};
  report.SerializeToString(&row.report);
  auto entry = ReportEntry::FromRow(row);
  ASSERT_TRUE(entry.ok()) << entry.status();
  ASSERT_EQ((*entry)->observations.size(), Shapes().size());
  for (const ObservationEntry& obs : (*entry)->observations) {
    std::string bytes;
    wire::AppendObservation(obs, &bytes);
    v1::Observation parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes)) << obs.ordinal();
    const v1::Observation expected = Snapshot::ObservationProto(obs);
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(parsed, expected))
        << "observation " << obs.ordinal()
        << "\n got: " << parsed.ShortDebugString()
        << "\nwant: " << expected.ShortDebugString();
  }
}

TEST(ObservationWire, WritesNothingForZeroAndEmptyValues) {
  std::string out;
  wire::AppendString(1, "", &out);
  wire::AppendInt(2, 0, &out);
  EXPECT_TRUE(out.empty());
  wire::AppendMessage(3, "", &out);  // a present, empty submessage
  EXPECT_EQ(out, std::string("\x1a\x00", 2));
}

TEST(ObservationWire, WritesNegativeIntegersAsTenByteVarints) {
  std::string out;
  wire::AppendInt(1, -1, &out);
  EXPECT_EQ(out.size(), 11u);  // tag + 10 bytes, as int32 fields require
  v1::YearRange parsed;
  ASSERT_TRUE(parsed.ParseFromString(out));
  EXPECT_EQ(parsed.first_year(), -1);
}

}  // namespace
}  // namespace govreport::query
