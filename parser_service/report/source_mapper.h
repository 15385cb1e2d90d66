// Maps ranges of the clean text back to the input: code point offsets and
// the quoted text as it appears in the input.
//
// For plain text the quote is exactly input[start:end) (in code points), full-
// width characters and all, so a reader can find it in the original. For HTML
// input it is the page text (markup removed, entities decoded, not folded),
// except for a span across the cells of a table row, which is quoted as
// input[start:end) too ("能耗降低</td><td>%</td><td>3.2"): its page text, with
// the cell breaks, appears nowhere in the input.
//
// Thread safety: immutable after construction; const methods are safe from
// any thread. Borrows `input` and `layout`, which must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "parser_service/layout/layout.h"
#include "parser_service/structure/document_structure.h"

namespace govreport::parser {

struct MappedSpan {
  uint32_t start = 0;  // code points into the input
  uint32_t end = 0;    // exclusive
  std::string quote;   // UTF-8
};

class SourceMapper {
 public:
  SourceMapper(absl::string_view input, const LayoutResult& layout);

  // Maps a clean-text range. An empty range maps to an empty span.
  MappedSpan Map(TextRange range) const;

  // Like Map, but first moves the start forward past any join of lines (a
  // removed caption, a line break inside a sentence) before `anchor`, so the
  // quote is one piece of the input's text that still holds `anchor`.
  MappedSpan MapContiguous(TextRange range, uint32_t anchor) const;

 private:
  // Byte offset in the input of code point `cp`.
  size_t ByteOffset(uint32_t cp) const;

  absl::string_view input_;
  const LayoutResult& layout_;
  // Byte offset of every 16th code point.
  std::vector<uint32_t> checkpoints_;
};

}  // namespace govreport::parser
