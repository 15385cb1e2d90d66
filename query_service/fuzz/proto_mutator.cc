#include "query_service/fuzz/proto_mutator.h"

#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

#include <google/protobuf/descriptor.h>

// libFuzzer's own byte-level mutation (linked in with -fsanitize=fuzzer).
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace govreport::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Integers where validation rules and conversions change behaviour: years
// at the edges of 1900..2200, the int16 range snapshots store reference
// years in, the 32- and 64-bit limits.
constexpr int64_t kIntegers[] = {0,
                                 1,
                                 -1,
                                 2,
                                 7,
                                 100,
                                 1000,
                                 1899,
                                 1900,
                                 2020,
                                 2023,
                                 2024,
                                 2025,
                                 2200,
                                 2201,
                                 32767,
                                 32768,
                                 -32769,
                                 65536,
                                 std::numeric_limits<int32_t>::max(),
                                 std::numeric_limits<int32_t>::min(),
                                 int64_t{1} << 32,
                                 std::numeric_limits<int64_t>::max(),
                                 std::numeric_limits<int64_t>::min()};

constexpr double kDoubles[] = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               0.5,
                               12.5,
                               1.0e9,
                               1.2e13,
                               1.0e308,
                               -1.0e308,
                               std::numeric_limits<double>::min(),
                               std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::max(),
                               std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN()};

// Texts that are empty, not valid UTF-8 (a lone continuation byte, a cut
// sequence, an overlong NUL, a surrogate: for bytes fields; string fields
// keep only their valid part, see ValidUtf8), or hold separators and NULs.
const std::string kAwkward[] = {"",
                                "\xff",
                                "\x80",
                                "\xe5\xb5",
                                "\xc0\x80",
                                "\xed\xa0\x80",
                                std::string("a\0b", 3),
                                " ",
                                "\t\n",
                                "/",
                                "//",
                                "-",
                                "*"};

// `text` without the bytes that are not part of a valid UTF-8 sequence
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// Proto3 `string` fields must hold UTF-8: a message with anything else fails
// to parse, so gRPC would never deliver it to a handler.
std::string ValidUtf8(const std::string& text) {
  constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (lead < 0x80) {
      n = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      n = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      n = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      n = 4;
      cp = lead & 0x07;
    }
    bool ok = n > 0 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      ok = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    ok = ok && cp >= kMin[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    if (ok) out.append(text, i, n);
    i += ok ? n : 1;
  }
  return out;
}

void AddDefault(Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      r.AddInt32(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r.AddInt64(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r.AddUInt32(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r.AddUInt64(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r.AddDouble(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r.AddFloat(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r.AddBool(&message, &field, false);
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      r.AddEnumValue(&message, &field, 0);
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      r.AddString(&message, &field, "");
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      r.AddMessage(&message, &field);
      break;
  }
}

}  // namespace

ProtoMutator::ProtoMutator(uint32_t seed, std::vector<std::string> words)
    : random_(seed), words_(std::move(words)) {}

void ProtoMutator::Mutate(Message& message) {
  const google::protobuf::Descriptor& descriptor = *message.GetDescriptor();
  if (descriptor.field_count() == 0) return;
  MutateField(message, *descriptor.field(static_cast<int>(Below(
                           static_cast<size_t>(descriptor.field_count())))));
}

void ProtoMutator::MutateField(Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  if (field.is_repeated()) {
    MutateRepeated(message, field);
  } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    if (Below(6) == 0) {
      r.ClearField(&message, &field);
    } else {
      Mutate(*r.MutableMessage(&message, &field));
    }
  } else if (Below(8) == 0) {
    r.ClearField(&message, &field);
  } else {
    SetScalar(message, field, -1);
  }
}

void ProtoMutator::MutateRepeated(Message& message,
                                  const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  const int size = r.FieldSize(message, &field);
  const size_t choice = size == 0 ? 0 : Below(6);
  if (choice == 0) {  // add an element: new, or a copy of one
    AddDefault(message, field);
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      SetScalar(message, field, size);
    } else if (size > 0 && Below(2) == 0) {
      r.MutableRepeatedMessage(&message, &field, size)
          ->CopyFrom(r.GetRepeatedMessage(message, &field,
                                          static_cast<int>(Below(size))));
    } else {
      Mutate(*r.MutableRepeatedMessage(&message, &field, size));
    }
  } else if (choice == 1) {  // remove one
    r.SwapElements(&message, &field, static_cast<int>(Below(size)), size - 1);
    r.RemoveLast(&message, &field);
  } else if (choice == 2) {  // reorder
    r.SwapElements(&message, &field, static_cast<int>(Below(size)),
                   static_cast<int>(Below(size)));
  } else {  // change one
    const int index = static_cast<int>(Below(size));
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Mutate(*r.MutableRepeatedMessage(&message, &field, index));
    } else {
      SetScalar(message, field, index);
    }
  }
}

// Sets the singular `field` (index -1) or element `index` of a repeated one.
void ProtoMutator::SetScalar(Message& message, const FieldDescriptor& field,
                             int index) {
  const Reflection& r = *message.GetReflection();
  const bool one = index < 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto v = static_cast<int32_t>(
          Below(3) == 0
              ? Nudge(one ? r.GetInt32(message, &field)
                          : r.GetRepeatedInt32(message, &field, index))
              : Integer());
      one ? r.SetInt32(&message, &field, v)
          : r.SetRepeatedInt32(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v =
          Below(3) == 0
              ? Nudge(one ? r.GetInt64(message, &field)
                          : r.GetRepeatedInt64(message, &field, index))
              : Integer();
      one ? r.SetInt64(&message, &field, v)
          : r.SetRepeatedInt64(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto v = static_cast<uint32_t>(Integer());
      one ? r.SetUInt32(&message, &field, v)
          : r.SetRepeatedUInt32(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const auto v = static_cast<uint64_t>(Integer());
      one ? r.SetUInt64(&message, &field, v)
          : r.SetRepeatedUInt64(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v = Double();
      one ? r.SetDouble(&message, &field, v)
          : r.SetRepeatedDouble(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto v = static_cast<float>(Double());
      one ? r.SetFloat(&message, &field, v)
          : r.SetRepeatedFloat(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = Below(2) == 0;
      one ? r.SetBool(&message, &field, v)
          : r.SetRepeatedBool(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      // Mostly a declared value; sometimes one the enum does not declare
      // (proto3 enums are open, so the wire carries any int32).
      const google::protobuf::EnumDescriptor& e = *field.enum_type();
      const int v = Below(4) == 0
                        ? static_cast<int32_t>(Integer())
                        : e.value(static_cast<int>(Below(
                                      static_cast<size_t>(e.value_count()))))
                              ->number();
      one ? r.SetEnumValue(&message, &field, v)
          : r.SetRepeatedEnumValue(&message, &field, index, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v =
          MutateString(one ? r.GetString(message, &field)
                           : r.GetRepeatedString(message, &field, index));
      if (field.type() == FieldDescriptor::TYPE_STRING) v = ValidUtf8(v);
      one ? r.SetString(&message, &field, std::move(v))
          : r.SetRepeatedString(&message, &field, index, std::move(v));
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;  // not a scalar
  }
}

std::string ProtoMutator::MutateString(std::string value) {
  constexpr size_t kMaxLength = 4096;
  const std::string& word =
      words_.empty() ? kAwkward[0] : words_[Below(words_.size())];
  switch (Below(7)) {
    case 0:
      return word;
    case 1:
      return kAwkward[Below(std::size(kAwkward))];
    case 2:  // cut anywhere, also inside a UTF-8 sequence
      value.resize(Below(value.size() + 1));
      return value;
    case 3:  // one random byte inserted
      value.insert(Below(value.size() + 1), 1, static_cast<char>(Below(256)));
      return value;
    case 4:
      return value.size() < kMaxLength ? value + word : value;
    case 5: {  // a stretch replaced by a word
      const size_t at = Below(value.size() + 1);
      value.replace(at, Below(value.size() - at + 1), word);
      return value;
    }
    default:
      return value.size() < kMaxLength ? value + value : value;
  }
}

int64_t ProtoMutator::Integer() {
  switch (Below(4)) {
    case 0:
      return static_cast<int64_t>(random_()) - 1000;
    case 1:
      return static_cast<int64_t>((uint64_t{random_()} << 32) | random_());
    default:
      return kIntegers[Below(std::size(kIntegers))];
  }
}

int64_t ProtoMutator::Nudge(int64_t value) {
  // Wrapping arithmetic: the edges of the type are worth reaching.
  const auto v = static_cast<uint64_t>(value);
  switch (Below(4)) {
    case 0:
      return static_cast<int64_t>(v + 1);
    case 1:
      return static_cast<int64_t>(v - 1);
    case 2:
      return static_cast<int64_t>(~v + 1);  // negated
    default:
      return static_cast<int64_t>(v * 2);
  }
}

double ProtoMutator::Double() {
  if (Below(4) == 0) {
    return std::uniform_real_distribution<double>(-1.0e12, 1.0e12)(random_);
  }
  return kDoubles[Below(std::size(kDoubles))];
}

size_t MutateSerialized(ProtoMutator& mutator, Message& scratch, uint8_t* data,
                        size_t size, size_t max_size, unsigned int seed) {
  if (seed % 8 == 0 || !scratch.ParseFromArray(data, static_cast<int>(size))) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  mutator.Reseed(seed);
  for (unsigned round = 0; round <= seed % 3; ++round) mutator.Mutate(scratch);
  const std::string out = scratch.SerializeAsString();
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace govreport::fuzz
