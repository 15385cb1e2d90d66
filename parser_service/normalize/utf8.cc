#include "parser_service/normalize/utf8.h"

#include <cstdint>

namespace govreport::parser {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Length of the sequence announced by a lead byte, or 0 for a byte that
// cannot start one.
int SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// Checks the second byte's range, which is what rules out overlong forms,
// surrogates and values above U+10FFFF (RFC 3629 table).
bool SecondByteOk(uint8_t lead, uint8_t second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;
    case 0xED:
      return second >= 0x80 && second <= 0x9F;
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;
    default:
      return IsContinuation(second);
  }
}

// Returns the length of the valid sequence at `pos`, or 0 if invalid.
int ValidSequenceAt(absl::string_view bytes, size_t pos) {
  const uint8_t lead = static_cast<uint8_t>(bytes[pos]);
  const int len = SequenceLength(lead);
  if (len <= 1) return len;
  if (pos + len > bytes.size()) return 0;
  if (!SecondByteOk(lead, static_cast<uint8_t>(bytes[pos + 1]))) return 0;
  for (int i = 2; i < len; ++i) {
    if (!IsContinuation(static_cast<uint8_t>(bytes[pos + i]))) return 0;
  }
  return len;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(absl::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    // Fast path for ASCII runs.
    if (static_cast<uint8_t>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const int len = ValidSequenceAt(bytes, pos);
    if (len == 0) return pos;
    pos += len;
  }
  return std::nullopt;
}

std::optional<size_t> ValidateUtf8(absl::string_view bytes,
                                   size_t* code_points) {
  size_t pos = 0, count = 0;
  while (pos < bytes.size()) {
    ++count;
    if (static_cast<uint8_t>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const int len = ValidSequenceAt(bytes, pos);
    if (len == 0) {
      *code_points = count - 1;
      return pos;
    }
    pos += len;
  }
  *code_points = count;
  return std::nullopt;
}

char32_t DecodeValidUtf8At(absl::string_view bytes, size_t* pos) {
  const size_t p = *pos;
  const uint8_t lead = static_cast<uint8_t>(bytes[p]);
  if (lead < 0x80) {
    *pos = p + 1;
    return lead;
  }
  const int len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (p + len > bytes.size()) {  // cannot happen for validated input
    *pos = bytes.size();
    return 0xFFFD;
  }
  char32_t c = lead & (0xFF >> (len + 1));
  for (int i = 1; i < len; ++i) {
    c = (c << 6) | (static_cast<uint8_t>(bytes[p + i]) & 0x3F);
  }
  *pos = p + len;
  return c;
}

char32_t DecodeUtf8At(absl::string_view bytes, size_t* pos) {
  const size_t p = *pos;
  const uint8_t lead = static_cast<uint8_t>(bytes[p]);
  if (lead < 0x80) {
    *pos = p + 1;
    return lead;
  }
  const int len = ValidSequenceAt(bytes, p);
  if (len == 0) {
    *pos = p + 1;
    return kReplacement;
  }
  char32_t c = lead & (0xFF >> (len + 1));
  for (int i = 1; i < len; ++i) {
    c = (c << 6) | (static_cast<uint8_t>(bytes[p + i]) & 0x3F);
  }
  *pos = p + len;
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacement;
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) AppendUtf8(c, &out);
  return out;
}

std::u32string ToUtf32(absl::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) out.push_back(DecodeUtf8At(bytes, &pos));
  return out;
}

size_t CountCodePoints(absl::string_view bytes) {
  size_t n = 0;
  for (char b : bytes) n += !IsContinuation(static_cast<uint8_t>(b));
  return n;
}

}  // namespace govreport::parser
