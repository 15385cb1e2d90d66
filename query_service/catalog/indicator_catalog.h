// The catalog of common work-report indicators (地区生产总值, 高标准农田 …) and
// the mapping of an observation's subject text and unit onto them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace govreport::query {

struct IndicatorEntry {
  std::string slug;          // "high-standard-farmland"
  std::string display_name;  // "高标准农田"
  // Wordings reports use, display name first: ["高标准农田", "高标准农田建设"].
  std::vector<std::string> aliases;
  std::string canonical_unit;  // base unit as the parser emits it: "亩"
  std::vector<std::string> value_types;  // of "level", "growth_rate", "change"
  std::string description;
};

// Text as Map and Search compare it: quotes, brackets, punctuation and
// whitespace removed, ASCII upper-cased ("新入库“四上”企业" → "新入库四上企业",
// "pm2.5" → "PM25"). Thread-safe.
std::string NormalizeIndicatorText(absl::string_view text);

// Whether a figure in `unit` can be a value of an indicator measured in
// `canonical_unit` with these value types: the same unit or one of the same
// dimension (亩/平方米/公顷, 千米/公里, 吨/斤, 人/名/人次, 个/家/所/户 …);
// or "%" for an indicator with a growth_rate; or "个百分点" for a "%"
// indicator with a change. An empty unit is compatible with nothing but an
// empty canonical unit. Thread-safe.
bool UnitCompatible(absl::string_view unit, absl::string_view canonical_unit,
                    const std::vector<std::string>& value_types);

// The indicators, loaded once and immutable afterwards: every const method is
// safe to call from many threads at once. Returned pointers stay valid for
// the catalog's lifetime (they point into All()).
class IndicatorCatalog {
 public:
  // Parses an indicators.tsv text: '#' comment lines, then the header
  // "slug\tdisplay_name\taliases\tcanonical_unit\tvalue_types\tdescription",
  // then one indicator per line (lists '|'-separated). Returns
  // INVALID_ARGUMENT naming the line and column for a slug that is not ASCII
  // kebab-case or is repeated, an empty display name or unit, an unknown or
  // missing value type, or an alias (after NormalizeIndicatorText) that
  // another indicator already uses.
  static absl::StatusOr<IndicatorCatalog> FromTsv(absl::string_view tsv);

  // Reads and parses the file at `path`; errors as FromTsv, or NOT_FOUND /
  // FAILED_PRECONDITION when the file cannot be read, with the path in the
  // message.
  static absl::StatusOr<IndicatorCatalog> LoadFile(const std::string& path);

  // The committed query_service/catalog/data/indicators.tsv, compiled into
  // the binary and parsed on first use. Never fails: the build's tests
  // guarantee the file parses.
  static const IndicatorCatalog& Builtin();

  // The indicator with this slug, or nullptr.
  const IndicatorEntry* FindBySlug(absl::string_view slug) const;

  // Indicators whose slug, display name or an alias contains `query`
  // (normalized as above), best first: exact matches, then prefixes, then
  // other substrings, then indicators with an alias contained in the query;
  // ties in catalog order. Empty for an empty query.
  std::vector<const IndicatorEntry*> Search(absl::string_view query) const;

  // Maps an observation's subject as written ("新入库“四上”企业", "城镇就业")
  // and its base unit ("家") to an indicator, or nullptr. Among indicators
  // whose unit is compatible (UnitCompatible), the one with the longest alias
  // contained in the normalized subject wins. A "%" figure whose subject
  // names a share or a rate (占, 比重, 比例, …率) maps only to "%" indicators,
  // never as the growth rate of an amount.
  const IndicatorEntry* Map(absl::string_view subject_text,
                            absl::string_view unit) const;

  // Every indicator, in file order.
  const std::vector<IndicatorEntry>& All() const { return entries_; }

 private:
  struct Alias {
    std::string text;  // normalized
    uint32_t indicator;
  };

  IndicatorCatalog() = default;

  std::vector<IndicatorEntry> entries_;
  absl::flat_hash_map<std::string, uint32_t> by_slug_;
  std::vector<Alias> aliases_;  // longest first, then catalog order
  // Per entry, its slug and aliases normalized once at load, for Search.
  std::vector<std::vector<std::string>> search_names_;
};

}  // namespace govreport::query
