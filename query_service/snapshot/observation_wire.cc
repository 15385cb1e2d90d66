#include "query_service/snapshot/observation_wire.h"

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace govreport::query::wire {
namespace {

constexpr int kVarint = 0;
constexpr int kFixed64 = 1;
constexpr int kLengthDelimited = 2;
constexpr int kFixed32 = 5;

// Field numbers of resources.proto that the writer touches.
namespace observation {
constexpr int kName = 1, kRegion = 2, kReport = 3, kSection = 4, kIndicator = 5,
              kSubjectText = 6, kValueType = 7, kKind = 8, kReferencePeriod = 9,
              kQuantity = 10, kSource = 13, kMeasure = 15;
}  // namespace observation
namespace quantity {
constexpr int kComparator = 4, kUnit = 5, kEffectiveValue = 9;
}
namespace span {
constexpr int kReport = 1, kSection = 2;
}
namespace year_range {
constexpr int kFirstYear = 1, kLastYear = 2;
}

// One field read from serialized bytes.
struct Field {
  int number = 0;
  int type = 0;
  absl::string_view whole;    // tag and payload, as stored
  absl::string_view payload;  // the bytes of a length-delimited field
};

bool ReadVarint(const char*& p, const char* end, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*p++);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

// Reads the field at `p` and moves past it; false on malformed bytes.
bool NextField(const char*& p, const char* end, Field* field) {
  const char* start = p;
  uint64_t tag = 0;
  if (!ReadVarint(p, end, &tag) || (tag >> 3) == 0) return false;
  field->number = static_cast<int>(tag >> 3);
  field->type = static_cast<int>(tag & 7);
  switch (field->type) {
    case kVarint: {
      uint64_t ignored;
      if (!ReadVarint(p, end, &ignored)) return false;
      break;
    }
    case kFixed64:
      if (end - p < 8) return false;
      p += 8;
      break;
    case kFixed32:
      if (end - p < 4) return false;
      p += 4;
      break;
    case kLengthDelimited: {
      uint64_t size = 0;
      if (!ReadVarint(p, end, &size) || size > static_cast<uint64_t>(end - p)) {
        return false;
      }
      field->payload = absl::string_view(p, size);
      p += size;
      break;
    }
    default:  // groups are not used by our protos
      return false;
  }
  field->whole = absl::string_view(start, static_cast<size_t>(p - start));
  return true;
}

void AppendDouble(int field, double value, std::string* out) {
  AppendTag(field, kFixed64, out);
  char bytes[8];
  std::memcpy(bytes, &value, sizeof bytes);  // little-endian, as on x86/ARM
  out->append(bytes, sizeof bytes);
}

// A name the blob keeps relative to its report ("sections/2"), written out
// absolute as Snapshot::ObservationProto does.
void AppendAbsolute(int field, absl::string_view report_name,
                    absl::string_view name, std::string* out) {
  if (name.empty()) return;
  if (absl::StartsWith(name, "regions/")) {
    AppendString(field, name, out);
    return;
  }
  AppendTag(field, kLengthDelimited, out);
  AppendVarint(report_name.size() + 1 + name.size(), out);
  out->append(report_name.data(), report_name.size());
  out->push_back('/');
  out->append(name.data(), name.size());
}

// The SourceSpan with its report set and its section made absolute.
bool AppendSource(absl::string_view report_name, absl::string_view stored,
                  std::string* scratch, std::string* out) {
  scratch->clear();
  AppendString(span::kReport, report_name, scratch);
  const char* p = stored.data();
  const char* end = p + stored.size();
  Field f;
  while (p < end) {
    if (!NextField(p, end, &f)) return false;
    if (f.number == span::kReport) continue;
    if (f.number == span::kSection && f.type == kLengthDelimited) {
      AppendAbsolute(span::kSection, report_name, f.payload, scratch);
    } else {
      scratch->append(f.whole.data(), f.whole.size());
    }
  }
  AppendMessage(observation::kSource, *scratch, out);
  return true;
}

// The Quantity with what the compact record holds written beside what the
// blob kept (value, bounds, wording).
void AppendQuantity(const ObservationEntry& entry, absl::string_view stored,
                    std::string* scratch, std::string* out) {
  scratch->assign(stored.data(), stored.size());
  AppendInt(quantity::kComparator, entry.comparator, scratch);
  AppendString(quantity::kUnit, *entry.unit, scratch);
  if (entry.has_value()) {
    AppendDouble(quantity::kEffectiveValue, entry.effective_value, scratch);
  }
  AppendMessage(observation::kQuantity, *scratch, out);
}

bool AppendFromBlob(const ObservationEntry& entry, std::string* out) {
  const ReportEntry& report = *entry.report;
  const absl::string_view blob(report.blob.data() + entry.blob_offset,
                               entry.blob_size);
  const char* p = blob.data();
  const char* end = p + blob.size();
  std::string scratch;
  bool wrote_quantity = false;
  Field f;
  while (p < end) {
    if (!NextField(p, end, &f)) return false;
    const bool bytes = f.type == kLengthDelimited;
    if (bytes && (f.number == observation::kSection ||
                  f.number == observation::kMeasure)) {
      AppendAbsolute(f.number, report.name, f.payload, out);
    } else if (bytes && f.number == observation::kSource) {
      if (!AppendSource(report.name, f.payload, &scratch, out)) return false;
    } else if (bytes && f.number == observation::kQuantity) {
      AppendQuantity(entry, f.payload, &scratch, out);
      wrote_quantity = true;
    } else {
      out->append(f.whole.data(), f.whole.size());
    }
  }
  if (!wrote_quantity &&
      (!entry.unit->empty() || entry.comparator != 0 || entry.has_value())) {
    AppendQuantity(entry, absl::string_view(), &scratch, out);
  }
  return true;
}

}  // namespace

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void AppendTag(int field, int wire_type, std::string* out) {
  AppendVarint((static_cast<uint64_t>(field) << 3) | wire_type, out);
}

void AppendString(int field, absl::string_view value, std::string* out) {
  if (value.empty()) return;
  AppendMessage(field, value, out);
}

void AppendInt(int field, int64_t value, std::string* out) {
  if (value == 0) return;
  AppendTag(field, kVarint, out);
  AppendVarint(static_cast<uint64_t>(value), out);  // negatives take 10 bytes
}

void AppendMessage(int field, absl::string_view bytes, std::string* out) {
  AppendTag(field, kLengthDelimited, out);
  AppendVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

void AppendObservation(const ObservationEntry& entry, std::string* out) {
  const ReportEntry& report = *entry.report;
  const size_t start = out->size();
  // Names first, in field order, then the stored fields.
  AppendTag(observation::kName, kLengthDelimited, out);
  const std::string ordinal = absl::StrCat(entry.ordinal());
  AppendVarint(report.name.size() + 14 + ordinal.size(), out);
  out->append(report.name);
  out->append("/observations/");
  out->append(ordinal);
  // "regions/{code}" is the front of the report's name.
  AppendString(
      observation::kRegion,
      absl::string_view(report.name.data(), 8 + report.key.region_code.size()),
      out);
  AppendString(observation::kReport, report.name, out);
  if (!entry.indicator->empty()) {
    AppendTag(observation::kIndicator, kLengthDelimited, out);
    AppendVarint(11 + entry.indicator->size(), out);
    out->append("indicators/");
    out->append(*entry.indicator);
  }
  AppendString(observation::kSubjectText, *entry.subject, out);
  AppendInt(observation::kValueType, entry.value_type, out);
  AppendInt(observation::kKind, entry.kind, out);
  if (entry.reference_first_year != 0 || entry.reference_last_year != 0) {
    std::string period;
    AppendInt(year_range::kFirstYear, entry.reference_first_year, &period);
    AppendInt(year_range::kLastYear, entry.reference_last_year, &period);
    AppendMessage(observation::kReferencePeriod, period, out);
  }
  if (!AppendFromBlob(entry, out)) {
    // Never for blobs we wrote; if it happens, the message path is right.
    out->resize(start);
    Snapshot::ObservationProto(entry).AppendToString(out);
  }
}

}  // namespace govreport::query::wire
