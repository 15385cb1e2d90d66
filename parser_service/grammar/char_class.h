// Character classes used by every stage of the parser (UTF-32 code points).
// Pure inline functions; thread-safe.
#pragma once

namespace govreport::parser {

// CJK unified ideographs (including extensions A and B..) and compatibility
// ideographs.
inline bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
         c == U'〇';
}

inline bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

inline bool IsLatinLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

inline bool IsSpace(char32_t c) { return c == U' ' || c == U'\t'; }

// Ends a sentence: 。！？ (folded to ASCII where a twin exists) and ;.
inline bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'!' || c == U'?' || c == U';' || c == U'…';
}

// Separates clauses inside a sentence.
inline bool IsClauseBreak(char32_t c) {
  return c == U',' || c == U':' || IsSentenceEnd(c) || c == U'\n';
}

// Opening and closing quotation / title marks.
inline bool IsOpenQuote(char32_t c) {
  return c == U'“' || c == U'「' || c == U'《' || c == U'‘' || c == U'『' ||
         c == U'【';
}
inline bool IsCloseQuote(char32_t c) {
  return c == U'”' || c == U'」' || c == U'》' || c == U'’' || c == U'』' ||
         c == U'】';
}

}  // namespace govreport::parser
