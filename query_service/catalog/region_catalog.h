// The catalog of Chinese administrative divisions at county level and above
// (GB/T 2260 codes), and the resolution of place names as reports write them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace govreport::query {

enum class RegionLevel { kUnspecified, kProvince, kPrefecture, kCounty };

// "province", "prefecture", "county" (as in regions.tsv); "unspecified".
absl::string_view RegionLevelName(RegionLevel level);

// One division as of the data file's date.
struct RegionEntry {
  std::string code;  // "410325"
  std::string name;  // "嵩县"
  RegionLevel level = RegionLevel::kUnspecified;
  std::string parent_code;  // "" for provinces
  // Codes and names this division had or absorbed (孟津区: 410322 孟津县 and
  // 410306 吉利区, both abolished in 2021).
  std::vector<std::string> former_codes;
  std::vector<std::string> former_names;
  // Names of the ancestors from the province down: ["河南省", "洛阳市"].
  std::vector<std::string> ancestor_names;
};

// Returns `name` without its administrative suffix and, for autonomous
// divisions, without the names of the nationalities before it, the way
// reports write names in short: 嵩县 → 嵩, 孟津区 → 孟津, 浦东新区 → 浦东,
// 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 瀍河回族区 → 瀍河. Returns
// `name` unchanged when nothing would be left (矿区), and keeps a nationality
// that is the whole place name (鄂温克族自治旗 → 鄂温克族). Thread-safe.
std::string ShortRegionName(absl::string_view name);

// The regions, loaded once and immutable afterwards: every const method is
// safe to call from many threads at once. Returned pointers stay valid for
// the catalog's lifetime (they point into All()).
class RegionCatalog {
 public:
  // Parses a regions.tsv text: '#' comment lines, then the header
  // "code\tname\tlevel\tparent_code\tformer_codes\tformer_names", then one
  // region per line (lists '|'-separated). Rows may come in any order.
  // Returns INVALID_ARGUMENT naming the line (and column) for a malformed
  // row, a duplicate or clashing code, an unknown parent or a parent that is
  // not one level up (counties may hang directly under a province).
  static absl::StatusOr<RegionCatalog> FromTsv(absl::string_view tsv);

  // Reads and parses the file at `path`; errors as ReadFile / FromTsv, with
  // the path in the message.
  static absl::StatusOr<RegionCatalog> LoadFile(const std::string& path);

  // The committed query_service/catalog/data/regions.tsv, compiled into the
  // binary and parsed on first use (a few milliseconds). Never fails: the
  // build's tests guarantee the file parses.
  static const RegionCatalog& Builtin();

  // The region with this current or former code ("410322" → 孟津区), or
  // nullptr if unknown.
  const RegionEntry* FindByCode(absl::string_view code) const;

  // Resolves a name as written in a report: a full name (嵩县), a former name
  // (孟津县 → 孟津区), or a short name (嵩, 孟津, 河南; see ShortRegionName).
  // Full current names win over former names, which win over short names.
  // When several regions match, `context` (other place names seen in the
  // same document, e.g. 洛阳市, 河南) keeps those related to the most context
  // names, as ancestor or descendant. Of candidates left, one that contains
  // all the others wins (长沙 → 长沙市, not 长沙县 inside it). Returns
  // NOT_FOUND when nothing matches and FAILED_PRECONDITION listing the
  // candidates when still ambiguous.
  absl::StatusOr<const RegionEntry*> ResolveName(
      absl::string_view name,
      const std::vector<std::string>& context = {}) const;

  // The direct children of `parent_code` (current or former code) sorted by
  // code; empty for an unknown code or a county.
  std::vector<const RegionEntry*> Children(absl::string_view parent_code) const;

  // All regions below `parent_code` at `level` (every level when
  // kUnspecified), sorted by code; empty for an unknown code.
  std::vector<const RegionEntry*> Descendants(absl::string_view parent_code,
                                              RegionLevel level) const;

  // Every region, sorted by code.
  const std::vector<RegionEntry>& All() const { return entries_; }

 private:
  using Index = std::vector<uint32_t>;  // positions in entries_

  RegionCatalog() = default;
  // After entries_ is filled in code order: checks codes and parents, fills
  // parent_, ancestor_names and the indexes. INVALID_ARGUMENT naming the line.
  absl::Status Link();
  absl::Status IndexCodes();
  absl::Status LinkParents();
  void IndexNames();
  absl::Status RowError(uint32_t region, int column,
                        absl::string_view what) const;
  Index Candidates(absl::string_view name) const;
  bool IsAncestor(uint32_t ancestor, uint32_t region) const;
  int RelatedContextCount(uint32_t candidate, absl::string_view name,
                          const std::vector<std::string>& context) const;
  std::string Describe(uint32_t region) const;

  std::vector<RegionEntry> entries_;
  std::vector<int> lines_;       // source line of each entry, for errors
  std::vector<int32_t> parent_;  // position of the parent, -1 for provinces
  absl::flat_hash_map<std::string, uint32_t> by_code_;  // current and former
  absl::flat_hash_map<std::string, Index> children_;    // by parent code
  absl::flat_hash_map<std::string, Index> by_name_;
  absl::flat_hash_map<std::string, Index> by_former_name_;
  absl::flat_hash_map<std::string, Index> by_short_name_;  // current + former
};

}  // namespace govreport::query
