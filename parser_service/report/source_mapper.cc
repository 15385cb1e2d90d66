#include "parser_service/report/source_mapper.h"

#include <algorithm>

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

constexpr uint32_t kStride = kByteCheckpointStride;

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

SourceMapper::SourceMapper(absl::string_view input, const LayoutResult& layout)
    : input_(input), layout_(layout) {
  if (!layout.byte_checkpoints.empty() || input.empty()) {
    checkpoints_ = layout.byte_checkpoints;  // made while normalizing
    return;
  }
  checkpoints_.reserve(input.size() / kStride + 2);
  uint32_t cp = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    if (IsContinuation(input[i])) continue;
    if (cp % kStride == 0) checkpoints_.push_back(static_cast<uint32_t>(i));
    ++cp;
  }
}

size_t SourceMapper::ByteOffset(uint32_t cp) const {
  const size_t block = cp / kStride;
  if (block >= checkpoints_.size()) return input_.size();
  size_t pos = checkpoints_[block];
  for (uint32_t k = block * kStride; k < cp && pos < input_.size(); ++k) {
    ++pos;
    while (pos < input_.size() && IsContinuation(input_[pos])) ++pos;
  }
  return pos;
}

MappedSpan SourceMapper::Map(TextRange range) const {
  MappedSpan span;
  const auto& source = layout_.source;
  if (range.end <= range.begin || range.end > layout_.text.size()) return span;
  // A trailing '\n' of the clean text may stand for the end of the input.
  span.end = std::min(source[range.end - 1] + 1, source.end());
  span.start = std::min(source[range.begin], span.end);
  const std::u32string_view unfolded =
      std::u32string_view(layout_.unfolded)
          .substr(std::min<size_t>(range.begin, layout_.unfolded.size()),
                  range.end - range.begin);
  // A span across table cells (a tab between them) is quoted as the input's
  // own text, markup and all: the page text with its cell breaks is nowhere
  // in the input.
  if (!layout_.unfolded.empty() &&
      unfolded.find(U'\t') == std::u32string_view::npos) {
    span.quote = ToUtf8(unfolded);
  } else {
    const size_t b = ByteOffset(span.start);
    const size_t e = ByteOffset(span.end);
    span.quote = std::string(input_.substr(b, e - b));
  }
  return span;
}

MappedSpan SourceMapper::MapContiguous(TextRange range, uint32_t anchor) const {
  anchor = std::min(anchor, range.end);
  const auto& joins = layout_.joins;
  auto it = std::upper_bound(joins.begin(), joins.end(), anchor);
  if (it != joins.begin() && *(it - 1) > range.begin) range.begin = *(it - 1);
  return Map(range);
}

}  // namespace govreport::parser
