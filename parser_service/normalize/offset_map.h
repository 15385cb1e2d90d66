// Map from positions of a derived text to code point offsets in the input,
// stored as runs: a new run starts only where the input offset does not
// simply advance by one (a removed tag, a dropped caption, "\r\n" folded to
// "\n"). Plain text therefore costs a few entries per line instead of four
// bytes per character.
//
// Thread safety: const methods are safe from any thread; mutation is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace govreport::parser {

class OffsetMap {
 public:
  // Maps the next position (size()) to input offset `source`.
  void Push(uint32_t source) {
    if (size_ == 0 || source != last_ + 1) runs_.push_back({size_, source});
    last_ = source;
    ++size_;
  }

  // Appends the mapping of positions [begin, end) of `from`.
  void AppendRange(const OffsetMap& from, uint32_t begin, uint32_t end);

  // Sets the offset reported for position size() (one past the end).
  void set_end(uint32_t end) { end_ = end; }

  // Number of mapped positions.
  uint32_t size() const { return size_; }

  // Input offset of position `index` (index == size() gives end()).
  uint32_t operator[](uint32_t index) const;

  // Input offset one past the end of the input.
  uint32_t end() const { return end_; }

  // First position of the run that holds `index`: the input is contiguous
  // from there up to `index`.
  uint32_t RunStart(uint32_t index) const;

  // Releases spare capacity.
  void ShrinkToFit() { runs_.shrink_to_fit(); }

 private:
  struct Run {
    uint32_t index;   // first position of the run
    uint32_t source;  // its input offset
  };
  // Index into runs_ of the run that holds `index` (index < size_).
  size_t RunOf(uint32_t index) const;

  std::vector<Run> runs_;
  uint32_t size_ = 0;
  uint32_t last_ = 0;
  uint32_t end_ = 0;
};

}  // namespace govreport::parser
