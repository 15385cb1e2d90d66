// Stage 1 of the parser: turns the raw request bytes into folded UTF-32 text
// with a map from every normalized character back to the input.
//
// What it does:
//   * validates UTF-8 (invalid bytes -> INVALID_ARGUMENT naming the offset);
//   * strips HTML (tags removed, entities decoded, block elements become line
//     breaks, script/style dropped) when the input is HTML;
//   * keeps the rows of data tables whole: the cells of an HTML row (td, th)
//     are separated by a tab on one line, blocks inside a cell (<p>, <br>)
//     joining its text, and the tabs of plain text are kept ('\t' is the
//     cell separator; layout/ turns the tabs outside indicator tables back
//     into what they were: line breaks for HTML, spaces for plain text). A
//     table with a table inside or a cell of more than a short text lays out
//     a page instead: each of its cells is a block, as before;
//   * folds full-width ASCII (digits, letters, punctuation such as
//   ，；：（）％)
//     and exotic spaces to their ASCII forms, drops zero-width characters and
//     turns \r\n, \r, U+2028/2029 into \n.
// Chinese punctuation without an ASCII twin (。、“”《》) is kept as is.
//
// Offsets: `source[i]` is the offset, in Unicode code points, of the input
// character that produced `text[i]`. Every span the parser reports is in these
// units, which is what Python's str indexing and JavaScript's Array.from use.
//
// Thread safety: stateless functions; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "parser_service/normalize/offset_map.h"

namespace govreport::parser {

// Code points between two entries of NormalizedText::byte_checkpoints.
inline constexpr uint32_t kByteCheckpointStride = 16;

// How to read the input bytes.
enum class InputFormat {
  kAuto,       // HTML if the input looks like markup, else plain text
  kPlainText,  // never strip tags
  kHtml,       // always strip tags and decode entities
};

// Folded text plus the way back to the input.
struct NormalizedText {
  // The folded text, one element per code point.
  std::u32string text;
  // source[i] is the code point offset in the input of text[i];
  // source.size() == text.size() and source.end() is the input length in
  // code points.
  OffsetMap source;
  // For HTML input only: the character before folding, one per `text`
  // element (so quotes of HTML input read like the page, not the markup).
  std::u32string unfolded;
  // True when tags were stripped.
  bool from_html = false;
  // Plain text only (empty for HTML): byte offset in the input of every
  // kByteCheckpointStride-th code point, so that later stages can turn code
  // point offsets into byte offsets without decoding the input again.
  std::vector<uint32_t> byte_checkpoints;
  // Length of the input in code points.
  uint32_t input_code_points = 0;
};

// Normalizes `input`. INVALID_ARGUMENT if `input` is not valid UTF-8 (the
// message names the byte offset of the first bad byte).
absl::StatusOr<NormalizedText> NormalizeText(absl::string_view input,
                                             InputFormat format);

// Folds one code point (full-width ASCII to ASCII, exotic spaces and tabs to
// ' ', line separators to '\n'; NormalizeText keeps a tab as a cell
// separator before folding). Returns 0 for characters that are dropped
// (zero-width spaces, BOM, soft hyphen, '\r' before '\n' is handled by the
// caller). Exposed for tests.
char32_t FoldCodePoint(char32_t c);

// True when `input` looks like HTML markup (used for InputFormat::kAuto).
bool LooksLikeHtml(absl::string_view input);

}  // namespace govreport::parser
