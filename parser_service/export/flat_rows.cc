#include "parser_service/export/flat_rows.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace govreport::parser {
namespace {

// JSON string with the escapes RFC 8259 requires; UTF-8 passes through.
void AppendString(const std::string& s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Shortest decimal that reads back as the same double; null if not finite.
void AppendNumber(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  out->append(buf);
}

const char* BoundWord(v1::Comparator c) {
  switch (c) {
    case v1::COMPARATOR_AT_LEAST:
      return "at_least";
    case v1::COMPARATOR_AT_MOST:
      return "at_most";
    case v1::COMPARATOR_LESS_THAN:
      return "at_most";
    case v1::COMPARATOR_APPROXIMATELY:
      return "approx";
    case v1::COMPARATOR_GREATER_THAN:
      return "more_than";
    case v1::COMPARATOR_RANGE:
      return "range";
    default:
      return "exact";
  }
}

const char* ValueTypeWord(v1::ValueType t) {
  switch (t) {
    case v1::VALUE_TYPE_GROWTH_RATE:
      return "growth_rate";
    case v1::VALUE_TYPE_CHANGE:
      return "change";
    default:
      return "level";
  }
}

class Row {
 public:
  void Key(const char* key) {
    out_.append(first_ ? "{" : ", ");
    first_ = false;
    AppendString(key, &out_);
    out_.append(": ");
  }
  void String(const char* key, const std::string& v) {
    Key(key);
    AppendString(v, &out_);
  }
  void StringOrNull(const char* key, const std::string& v) {
    Key(key);
    if (v.empty()) {
      out_.append("null");
    } else {
      AppendString(v, &out_);
    }
  }
  void Number(const char* key, double v) {
    Key(key);
    AppendNumber(v, &out_);
  }
  void Null(const char* key) {
    Key(key);
    out_.append("null");
  }
  void Int(const char* key, long long v) {
    Key(key);
    out_.append(absl::StrCat(v));
  }
  void Bool(const char* key, bool v) {
    Key(key);
    out_.append(v ? "true" : "false");
  }
  std::string Finish() {
    out_.append(first_ ? "{}" : "}");
    return std::move(out_);
  }

 private:
  std::string out_;
  bool first_ = true;
};

}  // namespace

std::string ToFlatRow(const v1::Report& report, const v1::Observation& o) {
  Row row;
  const v1::Quantity& q = o.quantity();
  row.String("region", report.region_text());
  row.Int("year", o.reference_period().first_year());
  row.String("kind",
             o.kind() == v1::OBSERVATION_KIND_ACHIEVED ? "achieved" : "target");
  row.String("subject", o.subject_text());
  row.StringOrNull("action", o.action());
  row.Number("value", q.value());
  if (q.comparator() == v1::COMPARATOR_RANGE && q.has_upper_bound()) {
    row.Number("upper", q.upper_bound());
  } else {
    row.Null("upper");
  }
  row.String("unit", q.unit());
  row.String("bound", BoundWord(q.comparator()));
  if (o.has_growth_rate_percent()) {
    row.Number("growth_pct", o.growth_rate_percent());
  } else {
    row.Null("growth_pct");
  }
  row.String("raw", o.source().quote());
  row.String("value_type", ValueTypeWord(o.value_type()));
  bool estimated = false;
  for (int flag : o.flags())
    estimated |= flag == v1::OBSERVATION_FLAG_ESTIMATED;
  row.Bool("estimated", estimated);
  if (o.has_previous_value()) row.Number("previous_value", o.previous_value());
  row.StringOrNull("section", o.section());
  row.StringOrNull("measure", o.measure());
  row.Int("start", o.source().start_offset());
  row.Int("end", o.source().end_offset());
  return row.Finish();
}

std::string ToFlatRowsJsonl(const v1::ParseDocumentResponse& response) {
  std::string out;
  for (const v1::Report& report : response.reports()) {
    for (const v1::Observation& o : report.observations()) {
      out.append(ToFlatRow(report, o));
      out.push_back('\n');
    }
  }
  return out;
}

}  // namespace govreport::parser
