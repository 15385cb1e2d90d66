#include "parser_service/normalize/offset_map.h"

#include <algorithm>

namespace govreport::parser {

size_t OffsetMap::RunOf(uint32_t index) const {
  auto it =
      std::upper_bound(runs_.begin(), runs_.end(), index,
                       [](uint32_t i, const Run& r) { return i < r.index; });
  return static_cast<size_t>(it - runs_.begin()) - 1;
}

uint32_t OffsetMap::operator[](uint32_t index) const {
  if (index >= size_) return end_;
  const Run& r = runs_[RunOf(index)];
  return r.source + (index - r.index);
}

uint32_t OffsetMap::RunStart(uint32_t index) const {
  if (size_ == 0) return 0;
  if (index >= size_) index = size_ - 1;
  return runs_[RunOf(index)].index;
}

void OffsetMap::AppendRange(const OffsetMap& from, uint32_t begin,
                            uint32_t end) {
  if (begin >= end || begin >= from.size_) return;
  end = std::min(end, from.size_);
  size_t r = from.RunOf(begin);
  uint32_t pos = begin;
  while (pos < end) {
    const Run& run = from.runs_[r];
    const uint32_t run_end =
        r + 1 < from.runs_.size() ? from.runs_[r + 1].index : from.size_;
    const uint32_t stop = std::min(end, run_end);
    const uint32_t source = run.source + (pos - run.index);
    // Push the first position (may start a run), then extend it in bulk.
    Push(source);
    const uint32_t extra = stop - pos - 1;
    size_ += extra;
    last_ = source + extra;
    pos = stop;
    ++r;
  }
}

}  // namespace govreport::parser
