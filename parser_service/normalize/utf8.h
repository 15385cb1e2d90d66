// UTF-8 decoding, validation and encoding for the parser pipeline.
//
// The pipeline works on UTF-32 text (one char32_t per Unicode code point) so
// that every vocabulary lookup and every offset is in code points. These
// helpers convert at the edges. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace govreport::parser {

// Returns the byte offset of the first byte that does not start a valid UTF-8
// sequence (overlong forms, surrogates and code points above U+10FFFF are
// invalid), or nullopt when all of `bytes` is valid UTF-8.
std::optional<size_t> FindInvalidUtf8(absl::string_view bytes);

// Like FindInvalidUtf8, and also counts the code points (of the valid
// prefix) into *code_points. One pass over the input.
std::optional<size_t> ValidateUtf8(absl::string_view bytes,
                                   size_t* code_points);

// Decodes the code point at `bytes[*pos]` of input already checked by
// ValidateUtf8 (no checks; faster) and advances `*pos` past it.
char32_t DecodeValidUtf8At(absl::string_view bytes, size_t* pos);

// Decodes the code point that starts at `bytes[*pos]` and advances `*pos` past
// it. The input must be valid UTF-8 (see FindInvalidUtf8); on a malformed
// sequence it returns U+FFFD and advances one byte, never reading past the end.
char32_t DecodeUtf8At(absl::string_view bytes, size_t* pos);

// Appends the UTF-8 encoding of `c` to `out`. Invalid code points are encoded
// as U+FFFD.
void AppendUtf8(char32_t c, std::string* out);

// Encodes UTF-32 text as UTF-8.
std::string ToUtf8(std::u32string_view text);

// Decodes valid UTF-8 into UTF-32 (malformed bytes become U+FFFD).
std::u32string ToUtf32(absl::string_view bytes);

// Number of code points in valid UTF-8 `bytes`.
size_t CountCodePoints(absl::string_view bytes);

}  // namespace govreport::parser
