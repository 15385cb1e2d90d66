#include "query_service/catalog/region_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "spdlog/spdlog.h"

#include "common/logging.h"
#include "common/status_macros.h"
#include "query_service/catalog/embedded_data.h"
#include "query_service/catalog/tsv.h"

namespace govreport::query {
namespace {

using internal::CellError;
using internal::TsvRow;

const std::vector<absl::string_view>& Columns() {
  static const auto* columns = new std::vector<absl::string_view>{
      "code", "name", "level", "parent_code", "former_codes", "former_names"};
  return *columns;
}
enum Column { kCode, kName, kLevel, kParentCode, kFormerCodes, kFormerNames };

// Longest first, so that 自治县 is tried before 县.
constexpr absl::string_view kSuffixes[] = {
    "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "新区",       "林区",   "矿区",   "地区",   "省",
    "市",         "区",     "县",     "旗",     "盟"};

// Nationality names as they stand before 自治区/州/县/旗 in division names.
constexpr absl::string_view kNationalities[] = {
    "蒙古族",   "回族",   "藏族",   "维吾尔", "苗族",   "彝族",     "壮族",
    "布依族",   "朝鲜族", "满族",   "侗族",   "瑶族",   "白族",     "土家族",
    "哈尼族",   "哈萨克", "傣族",   "黎族",   "傈僳族", "佤族",     "畲族",
    "拉祜族",   "水族",   "东乡族", "纳西族", "景颇族", "柯尔克孜", "土族",
    "达斡尔族", "仫佬族", "羌族",   "布朗族", "撒拉族", "毛南族",   "仡佬族",
    "锡伯",     "阿昌族", "普米族", "塔吉克", "怒族",   "鄂温克族", "德昂族",
    "保安族",   "裕固族", "京族",   "独龙族", "鄂伦春", "赫哲族",   "门巴族",
    "珞巴族",   "基诺族", "蒙古",   "各族"};

size_t CodePoints(absl::string_view utf8) {
  return std::count_if(utf8.begin(), utf8.end(),
                       [](char c) { return (c & 0xC0) != 0x80; });
}

bool IsCode(absl::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
}

bool ParseLevel(absl::string_view text, RegionLevel* level) {
  for (RegionLevel candidate :
       {RegionLevel::kProvince, RegionLevel::kPrefecture,
        RegionLevel::kCounty}) {
    if (text == RegionLevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

absl::StatusOr<RegionEntry> ParseRow(const TsvRow& row) {
  const auto& cells = row.cells;
  RegionEntry entry;
  if (!IsCode(cells[kCode])) {
    return CellError(row, kCode, Columns(), "expected a 6-digit code");
  }
  entry.code = std::string(cells[kCode]);
  entry.name = std::string(absl::StripAsciiWhitespace(cells[kName]));
  if (entry.name.empty()) return CellError(row, kName, Columns(), "empty name");
  if (!ParseLevel(cells[kLevel], &entry.level)) {
    return CellError(row, kLevel, Columns(),
                     absl::StrCat("unknown level \"", cells[kLevel],
                                  "\" (province|prefecture|county)"));
  }
  entry.parent_code = std::string(cells[kParentCode]);
  const bool is_province = entry.level == RegionLevel::kProvince;
  if (is_province != entry.parent_code.empty() ||
      (!is_province && !IsCode(entry.parent_code))) {
    return CellError(row, kParentCode, Columns(),
                     is_province ? "a province has no parent"
                                 : "expected the parent's 6-digit code");
  }
  entry.former_codes = internal::SplitList(cells[kFormerCodes]);
  for (const std::string& code : entry.former_codes) {
    if (!IsCode(code)) {
      return CellError(row, kFormerCodes, Columns(),
                       absl::StrCat("\"", code, "\" is not a 6-digit code"));
    }
  }
  entry.former_names = internal::SplitList(cells[kFormerNames]);
  return entry;
}

bool ParentLevelFits(RegionLevel child, RegionLevel parent) {
  switch (child) {
    case RegionLevel::kPrefecture:
      return parent == RegionLevel::kProvince;
    case RegionLevel::kCounty:  // municipalities and 省直辖 counties skip one
      return parent == RegionLevel::kPrefecture ||
             parent == RegionLevel::kProvince;
    default:
      return false;
  }
}

void AddTo(absl::flat_hash_map<std::string, std::vector<uint32_t>>& index,
           std::string key, uint32_t position) {
  std::vector<uint32_t>& positions = index[std::move(key)];
  if (std::find(positions.begin(), positions.end(), position) ==
      positions.end()) {
    positions.push_back(position);
  }
}

}  // namespace

absl::string_view RegionLevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return "province";
    case RegionLevel::kPrefecture:
      return "prefecture";
    case RegionLevel::kCounty:
      return "county";
    default:
      return "unspecified";
  }
}

std::string ShortRegionName(absl::string_view name) {
  absl::string_view stem = name;
  for (absl::string_view suffix : kSuffixes) {
    if (absl::EndsWith(name, suffix)) {
      stem = name.substr(0, name.size() - suffix.size());
      break;
    }
  }
  if (stem.empty()) return std::string(name);
  // 威宁彝族回族苗族 → 威宁; the place name must keep two characters, so that
  // 内蒙古 stays whole.
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (absl::string_view nationality : kNationalities) {
      if (absl::EndsWith(stem, nationality) &&
          CodePoints(stem) >= CodePoints(nationality) + 2) {
        stem.remove_suffix(nationality.size());
        stripped = true;
      }
    }
  }
  return std::string(stem);
}

absl::StatusOr<RegionCatalog> RegionCatalog::FromTsv(absl::string_view tsv) {
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<TsvRow> rows,
                             internal::ParseTsv(tsv, Columns()));
  std::vector<std::pair<RegionEntry, int>> parsed;
  parsed.reserve(rows.size());
  for (const TsvRow& row : rows) {
    GOVREPORT_ASSIGN_OR_RETURN(RegionEntry entry, ParseRow(row));
    parsed.emplace_back(std::move(entry), row.line);
  }
  std::stable_sort(
      parsed.begin(), parsed.end(),
      [](const auto& a, const auto& b) { return a.first.code < b.first.code; });
  RegionCatalog catalog;
  catalog.entries_.reserve(parsed.size());
  catalog.lines_.reserve(parsed.size());
  for (auto& [entry, line] : parsed) {
    catalog.entries_.push_back(std::move(entry));
    catalog.lines_.push_back(line);
  }
  GOVREPORT_RETURN_IF_ERROR(catalog.Link());
  return catalog;
}

absl::Status RegionCatalog::RowError(uint32_t region, int column,
                                     absl::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", lines_[region], ", column ", column + 1, " (",
                   Columns()[column], "): ", what));
}

absl::Status RegionCatalog::Link() {
  GOVREPORT_RETURN_IF_ERROR(IndexCodes());
  GOVREPORT_RETURN_IF_ERROR(LinkParents());
  IndexNames();
  return absl::OkStatus();
}

absl::Status RegionCatalog::IndexCodes() {
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    if (!by_code_.emplace(entries_[i].code, i).second) {
      return RowError(i, kCode,
                      absl::StrCat("duplicate code ", entries_[i].code));
    }
  }
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    for (const std::string& code : entries_[i].former_codes) {
      if (!by_code_.emplace(code, i).second) {
        return RowError(
            i, kFormerCodes,
            absl::StrCat("former code ", code, " is already used by ",
                         entries_[by_code_.at(code)].name));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status RegionCatalog::LinkParents() {
  parent_.assign(entries_.size(), -1);
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const RegionEntry& entry = entries_[i];
    if (entry.parent_code.empty()) continue;
    auto parent = by_code_.find(entry.parent_code);
    if (parent == by_code_.end() ||
        entries_[parent->second].code != entry.parent_code) {
      return RowError(i, kParentCode,
                      absl::StrCat("unknown parent ", entry.parent_code));
    }
    if (!ParentLevelFits(entry.level, entries_[parent->second].level)) {
      return RowError(
          i, kParentCode,
          absl::StrCat("parent ", entry.parent_code, " is a ",
                       RegionLevelName(entries_[parent->second].level)));
    }
    parent_[i] = static_cast<int32_t>(parent->second);
    children_[entry.parent_code].push_back(i);  // entries_ is in code order
  }
  return absl::OkStatus();
}

void RegionCatalog::IndexNames() {
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    RegionEntry& entry = entries_[i];
    for (int32_t p = parent_[i]; p >= 0; p = parent_[p]) {
      entry.ancestor_names.insert(entry.ancestor_names.begin(),
                                  entries_[p].name);
    }
    AddTo(by_name_, entry.name, i);
    AddTo(by_short_name_, ShortRegionName(entry.name), i);
    for (const std::string& former : entry.former_names) {
      AddTo(by_former_name_, former, i);
      AddTo(by_short_name_, ShortRegionName(former), i);
    }
  }
}

absl::StatusOr<RegionCatalog> RegionCatalog::LoadFile(const std::string& path) {
  return internal::LoadCatalogFile<RegionCatalog>(path);
}

const RegionCatalog& RegionCatalog::Builtin() {
  static const RegionCatalog* const catalog =
      internal::ParseBuiltinOrDie<RegionCatalog>(internal::EmbeddedRegionsTsv(),
                                                 "regions.tsv");
  return *catalog;
}

const RegionEntry* RegionCatalog::FindByCode(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &entries_[it->second];
}

RegionCatalog::Index RegionCatalog::Candidates(absl::string_view name) const {
  for (const auto* index : {&by_name_, &by_former_name_, &by_short_name_}) {
    auto it = index->find(name);
    if (it != index->end()) return it->second;
  }
  return {};
}

bool RegionCatalog::IsAncestor(uint32_t ancestor, uint32_t region) const {
  for (int32_t p = parent_[region]; p >= 0; p = parent_[p]) {
    if (static_cast<uint32_t>(p) == ancestor) return true;
  }
  return false;
}

int RegionCatalog::RelatedContextCount(
    uint32_t candidate, absl::string_view name,
    const std::vector<std::string>& context) const {
  int count = 0;
  for (const std::string& raw : context) {
    absl::string_view place = absl::StripAsciiWhitespace(raw);
    if (place.empty() || place == name) continue;
    for (uint32_t other : Candidates(place)) {
      if (IsAncestor(other, candidate) || IsAncestor(candidate, other)) {
        ++count;
        break;
      }
    }
  }
  return count;
}

std::string RegionCatalog::Describe(uint32_t region) const {
  const RegionEntry& entry = entries_[region];
  std::string description = absl::StrCat(entry.code, " ", entry.name);
  if (!entry.ancestor_names.empty()) {
    absl::StrAppend(&description, " (",
                    absl::StrJoin(entry.ancestor_names, " "), ")");
  }
  return description;
}

absl::StatusOr<const RegionEntry*> RegionCatalog::ResolveName(
    absl::string_view name, const std::vector<std::string>& context) const {
  name = absl::StripAsciiWhitespace(name);
  Index candidates = Candidates(name);
  if (candidates.empty()) {
    return absl::NotFoundError(
        absl::StrCat("unknown region name \"", name, "\""));
  }
  if (candidates.size() > 1 && !context.empty()) {
    std::vector<int> related(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      related[i] = RelatedContextCount(candidates[i], name, context);
    }
    const int best = *std::max_element(related.begin(), related.end());
    if (best > 0) {
      Index kept;
      for (size_t i = 0; i < candidates.size(); ++i) {
        if (related[i] == best) kept.push_back(candidates[i]);
      }
      candidates = std::move(kept);
    }
  }
  if (candidates.size() == 1) return &entries_[candidates[0]];
  // 长沙 is 长沙市 rather than 长沙县 inside it: a candidate that contains all
  // the others is what a bare name means.
  for (uint32_t candidate : candidates) {
    if (std::all_of(candidates.begin(), candidates.end(), [&](uint32_t other) {
          return other == candidate || IsAncestor(candidate, other);
        })) {
      return &entries_[candidate];
    }
  }
  std::vector<std::string> described;
  for (uint32_t candidate : candidates)
    described.push_back(Describe(candidate));
  return absl::FailedPreconditionError(
      absl::StrCat("region name \"", name,
                   "\" is ambiguous: ", absl::StrJoin(described, ", "),
                   "; name the province or city in the context"));
}

std::vector<const RegionEntry*> RegionCatalog::Children(
    absl::string_view parent_code) const {
  std::vector<const RegionEntry*> children;
  const RegionEntry* parent = FindByCode(parent_code);
  if (parent == nullptr) return children;
  auto it = children_.find(parent->code);
  if (it == children_.end()) return children;
  for (uint32_t child : it->second) children.push_back(&entries_[child]);
  return children;
}

std::vector<const RegionEntry*> RegionCatalog::Descendants(
    absl::string_view parent_code, RegionLevel level) const {
  std::vector<const RegionEntry*> found;
  std::vector<const RegionEntry*> pending = Children(parent_code);
  while (!pending.empty()) {
    const RegionEntry* region = pending.back();
    pending.pop_back();
    if (level == RegionLevel::kUnspecified || region->level == level) {
      found.push_back(region);
    }
    for (const RegionEntry* child : Children(region->code)) {
      pending.push_back(child);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const RegionEntry* a, const RegionEntry* b) {
              return a->code < b->code;
            });
  return found;
}

}  // namespace govreport::query
