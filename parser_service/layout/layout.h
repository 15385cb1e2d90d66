// Stage 2 of the parser: layout repair.
//
// Newspaper pages and scraped reports carry text that is not part of the
// report: photo captions that land in the middle of a sentence, bylines
// ("王世光 王博 赵明辰 文/图", "党一豪/文"), page headers, related-news lists
// and contact lines. This stage classifies every line, sets that noise aside
// (it is kept, with its span, as metadata) and joins the pieces of a sentence
// that the noise had broken ("全年谋划实施重点⏎⏎中原医药科创基地⏎⏎项目145个"
// becomes one line without the caption).
//
// The result is the "clean text": one line per paragraph, heading, bullet or
// byline, with a map back to the input in code points.
//
// Thread safety: stateless; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser_service/normalize/text_normalizer.h"

namespace govreport::parser {

// Marks that open a bullet (a measure, a list item) in the genre, including
// the middle dots of newspaper lists (·新建社区食堂30个); only at the start of
// a line are they bullets (7·18 is a date).
bool IsBulletChar(char32_t c);

// What a line of the clean text is.
enum class LineKind {
  kBody,     // prose with clause punctuation (may start with a bullet)
  kHeading,  // short line without clause punctuation (titles, headings)
  kByline,   // authors / photographers; closes an article
  // A row of an indicator table (layout/table_rows.h): its cells separated by
  // tabs or runs of spaces; the first row of a run of them is the header.
  kTableRow,
};

// What was set aside.
enum class NoiseKind {
  kCaption,      // photo caption
  kPageHeader,   // newspaper page header / edition line
  kRelatedNews,  // related-news links, share prompts, sources
  kContact,      // phone numbers, e-mail, hotlines
};

struct CleanLine {
  uint32_t begin = 0;  // index in CleanText::text
  uint32_t end = 0;    // one past the last character (the '\n' excluded)
  LineKind kind = LineKind::kBody;
};

struct NoiseLine {
  NoiseKind kind = NoiseKind::kCaption;
  uint32_t source_begin = 0;  // code point offsets into the input
  uint32_t source_end = 0;
  uint32_t clean_position = 0;  // where it sat in the clean text
  std::string text;             // UTF-8, folded
};

struct LayoutResult {
  // Lines separated by '\n'.
  std::u32string text;
  // source[i]: input code point offset of text[i]; source.end() is the
  // input length.
  OffsetMap source;
  // HTML input only: text before full-width folding, parallel to `text`.
  std::u32string unfolded;
  // Plain text only: NormalizedText::byte_checkpoints, passed through.
  std::vector<uint32_t> byte_checkpoints;
  std::vector<CleanLine> lines;
  std::vector<NoiseLine> noise;
  // Positions in `text` where a line continues a sentence from an earlier
  // line (a caption or a line break removed in between), in order.
  std::vector<uint32_t> joins;
};

// Repairs the layout of `normalized`, consuming it (its buffers are reused so
// that a large document is not held twice).
LayoutResult RepairLayout(NormalizedText normalized);

// Classifies one trimmed line on its own (exposed for tests): body, heading
// or byline. Noise is decided by IsNoiseLine and by position.
LineKind ClassifyLine(std::u32string_view line);

// True (and sets *kind) when the line is page furniture whatever its
// position: page headers, related news, contacts, "图为…" captions.
bool IsNoiseLine(std::u32string_view line, NoiseKind* kind);

}  // namespace govreport::parser
