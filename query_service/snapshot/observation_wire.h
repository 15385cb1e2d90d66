// Writes an observation of the snapshot straight to protobuf wire format,
// without building a v1::Observation: the stored blob is copied field by
// field and the fields the compact record holds (names, indicator, subject,
// kinds, period, unit, comparator, effective value) are written beside it.
//
// Parsing the bytes gives exactly Snapshot::ObservationProto(entry). Large
// responses (a comparison over 3,000 regions) are written this way: a
// message tree would cost a parse of every blob, a dozen allocations per
// observation and a serialization pass on top.
//
// Thread safety: pure functions over immutable snapshot data.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

#include "query_service/snapshot/snapshot.h"

namespace govreport::query::wire {

// Appends the wire bytes of the Observation (no tag, no length) to `out`.
void AppendObservation(const ObservationEntry& entry, std::string* out);

// Field writers for hand-built messages, proto3 rules: zero, empty and
// unset values are not written.
void AppendVarint(uint64_t value, std::string* out);
void AppendTag(int field, int wire_type, std::string* out);
void AppendString(int field, absl::string_view value, std::string* out);
void AppendInt(int field, int64_t value, std::string* out);
// A length-delimited field holding already serialized bytes (a message);
// written even when empty, as a present but empty submessage is.
void AppendMessage(int field, absl::string_view bytes, std::string* out);

}  // namespace govreport::query::wire
