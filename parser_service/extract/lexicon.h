// Word lists the observation extractor reads with: action verbs, modifiers,
// inner verbs and growth words of the work-report genre. Kept as data tables
// (lexicon.cc) so they read like a specification and grow without code.
//
// Thread safety: the tables are immutable after first use (function-local
// statics); lookups are const and safe from any thread.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace govreport::parser {

// A set of words with longest-match lookup at a position.
class Lexicon {
 public:
  Lexicon(std::initializer_list<std::u32string_view> words);

  // Length of the longest word that starts at text[pos], or 0.
  size_t MatchAt(std::u32string_view text, size_t pos) const;
  // Length of the longest word that ends just before text[end], or 0.
  size_t MatchEndingAt(std::u32string_view text, size_t end) const;
  // True when `word` is in the set.
  bool Contains(std::u32string_view word) const;

 private:
  // Sorted by first character, longest first within one first character,
  // so a lookup scans only the words that can match.
  std::vector<std::u32string_view> words_;
  // Sorted by last character, longest first (for MatchEndingAt).
  std::vector<std::u32string_view> by_last_;
};

// Verbs that govern a figure: 新建, 完成, 实现, 引进, 提升改造 ...
const Lexicon& ActionVerbs();
// Time, scope and modal words that open a clause and are never part of a
// subject: 全年, 力争, 确保, 累计, 全县 ...
const Lexicon& LeadingModifiers();
// Place and manner words that are stripped only when a verb follows them
// (城区新增供热面积 vs 城区绿化面积, 高标准实施 vs 高标准农田).
const Lexicon& PlaceModifiers();
// Words between a subject and its number: 达到, 稳定在, 提高至, 为, 均为, 分别
// ...
const Lexicon& InnerVerbs();
// Growth words before a percentage: 增长, 同比增长, 增速, 下降 ...
const Lexicon& GrowthWords();
// Verbs of a from→to change written after the first value: 提高至, 增加到 ...
const Lexicon& ChangeVerbs();
// Verbs and adverbs that may close a subject written after its classifier
// (16个老旧小区完成改造, 5条道路顺利通车) and are trimmed from it.
const Lexicon& TrailingPredicates();
// Words that may directly follow a measured quantity without making it part
// of a name (增长, 同比, 和, 用于 ...).
const Lexicon& QuantityFollowers();

// Verbs that make or win countable things, after which a count written in
// Chinese numerals is a figure (培育两个产业集群, 新建三所学校), unlike the
// slogans and names most such counts belong to (两个确保, 三大风口). Not
// 争创 and the like: titles striven for are aims, not countable output.
const Lexicon& CountingVerbs();

// True for growth words that mean a decrease (下降, 减少, 降低 ...).
bool IsDecreaseWord(std::u32string_view word);

}  // namespace govreport::parser
