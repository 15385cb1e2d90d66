#include "query_service/catalog/indicator_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
      "slug",           "display_name", "aliases",
      "canonical_unit", "value_types",  "description"};
  return *columns;
}
enum Column {
  kSlug,
  kDisplayName,
  kAliases,
  kCanonicalUnit,
  kValueTypes,
  kDescription
};

constexpr absl::string_view kKnownValueTypes[] = {"level", "growth_rate",
                                                  "change"};

// Non-ASCII punctuation dropped by NormalizeIndicatorText (UTF-8).
constexpr absl::string_view kWidePunctuation[] = {
    "“",  "”",  "‘",  "’",  "「", "」", "『", "』", "《", "》", "〈",
    "〉", "（", "）", "【", "】", "〔", "〕", "、", "，", "。", "：",
    "；", "！", "？", "·",  "—",  "…",  "　", "～", "－", "／"};

// Units of one dimension; a figure in one can be a value in another. Units in
// no group are compatible only with themselves.
const std::vector<std::vector<absl::string_view>>& UnitGroups() {
  static const auto* groups = new std::vector<std::vector<absl::string_view>>{
      {"元", "万元", "亿元"},
      {"亩", "平方米", "公顷", "平方千米", "平方公里"},
      {"千米", "公里", "米"},
      {"吨", "斤", "公斤", "千克"},
      {"人", "名", "人次", "位"},
      {"个", "家", "所", "座", "处", "套", "户",   "间", "栋", "幢",
       "项", "条", "张", "台", "辆", "批", "批次", "场", "件", "家次"},
      {"头", "只", "羽", "匹"},
      {"天", "日"},
  };
  return *groups;
}

bool SameDimension(absl::string_view a, absl::string_view b) {
  if (a == b) return true;
  for (const auto& group : UnitGroups()) {
    const bool has_a = std::find(group.begin(), group.end(), a) != group.end();
    const bool has_b = std::find(group.begin(), group.end(), b) != group.end();
    if (has_a || has_b) return has_a && has_b;
  }
  return false;
}

bool Has(const std::vector<std::string>& values, absl::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// 税收占比, 民生支出比重, 森林覆盖率: a "%" that is a share or a rate in its
// own right, not the growth of an amount.
bool NamesShareOrRate(absl::string_view normalized_subject) {
  for (absl::string_view marker : {"占", "比重", "比例"}) {
    if (absl::StrContains(normalized_subject, marker)) return true;
  }
  return absl::EndsWith(normalized_subject, "率") &&
         !absl::EndsWith(normalized_subject, "增长率");
}

bool IsKebabCase(absl::string_view slug) {
  if (slug.empty() || slug.front() == '-' || slug.back() == '-' ||
      absl::StrContains(slug, "--")) {
    return false;
  }
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

absl::StatusOr<IndicatorEntry> ParseRow(const TsvRow& row) {
  const auto& cells = row.cells;
  IndicatorEntry entry;
  entry.slug = std::string(cells[kSlug]);
  if (!IsKebabCase(entry.slug)) {
    return CellError(row, kSlug, Columns(),
                     absl::StrCat("\"", entry.slug,
                                  "\" is not ASCII kebab-case (a-z, 0-9, -)"));
  }
  entry.display_name =
      std::string(absl::StripAsciiWhitespace(cells[kDisplayName]));
  if (entry.display_name.empty()) {
    return CellError(row, kDisplayName, Columns(), "empty display name");
  }
  entry.aliases = {entry.display_name};
  for (std::string& alias : internal::SplitList(cells[kAliases])) {
    if (!Has(entry.aliases, alias)) entry.aliases.push_back(std::move(alias));
  }
  entry.canonical_unit =
      std::string(absl::StripAsciiWhitespace(cells[kCanonicalUnit]));
  if (entry.canonical_unit.empty()) {
    return CellError(row, kCanonicalUnit, Columns(), "empty unit");
  }
  entry.value_types = internal::SplitList(cells[kValueTypes]);
  if (entry.value_types.empty()) {
    return CellError(row, kValueTypes, Columns(), "no value type");
  }
  for (const std::string& type : entry.value_types) {
    if (std::find(std::begin(kKnownValueTypes), std::end(kKnownValueTypes),
                  type) == std::end(kKnownValueTypes)) {
      return CellError(row, kValueTypes, Columns(),
                       absl::StrCat("unknown value type \"", type,
                                    "\" (level|growth_rate|change)"));
    }
  }
  entry.description =
      std::string(absl::StripAsciiWhitespace(cells[kDescription]));
  return entry;
}

}  // namespace

std::string NormalizeIndicatorText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const unsigned char c = static_cast<unsigned char>(text.front());
    if (c < 0x80) {
      if (absl::ascii_isalnum(c)) out.push_back(absl::ascii_toupper(c));
      text.remove_prefix(1);
      continue;
    }
    bool dropped = false;
    for (absl::string_view mark : kWidePunctuation) {
      if (absl::StartsWith(text, mark)) {
        text.remove_prefix(mark.size());
        dropped = true;
        break;
      }
    }
    if (!dropped) {
      out.push_back(text.front());
      text.remove_prefix(1);
    }
  }
  return out;
}

bool UnitCompatible(absl::string_view unit, absl::string_view canonical_unit,
                    const std::vector<std::string>& value_types) {
  unit = absl::StripAsciiWhitespace(unit);
  if (unit == "％") unit = "%";
  if (unit.empty()) return canonical_unit.empty();
  if (SameDimension(unit, canonical_unit)) return true;
  if (unit == "%") return Has(value_types, "growth_rate");
  if (unit == "个百分点") {
    return canonical_unit == "%" && Has(value_types, "change");
  }
  return false;
}

absl::StatusOr<IndicatorCatalog> IndicatorCatalog::FromTsv(
    absl::string_view tsv) {
  GOVREPORT_ASSIGN_OR_RETURN(std::vector<TsvRow> rows,
                             internal::ParseTsv(tsv, Columns()));
  IndicatorCatalog catalog;
  absl::flat_hash_map<std::string, uint32_t> alias_owner;
  for (const TsvRow& row : rows) {
    GOVREPORT_ASSIGN_OR_RETURN(IndicatorEntry entry, ParseRow(row));
    const auto position = static_cast<uint32_t>(catalog.entries_.size());
    if (!catalog.by_slug_.emplace(entry.slug, position).second) {
      return CellError(row, kSlug, Columns(),
                       absl::StrCat("duplicate slug ", entry.slug));
    }
    std::vector<std::string>& search_names =
        catalog.search_names_.emplace_back();
    search_names.push_back(NormalizeIndicatorText(entry.slug));
    for (const std::string& alias : entry.aliases) {
      std::string normalized = NormalizeIndicatorText(alias);
      search_names.push_back(normalized);
      if (normalized.empty()) {
        return CellError(row, kAliases, Columns(),
                         absl::StrCat("alias \"", alias, "\" has no text"));
      }
      auto [owner, inserted] = alias_owner.emplace(normalized, position);
      if (!inserted && owner->second != position) {
        return CellError(
            row, kAliases, Columns(),
            absl::StrCat("alias \"", alias, "\" already belongs to ",
                         catalog.entries_[owner->second].slug));
      }
      if (inserted)
        catalog.aliases_.push_back({std::move(normalized), position});
    }
    catalog.entries_.push_back(std::move(entry));
  }
  std::stable_sort(catalog.aliases_.begin(), catalog.aliases_.end(),
                   [](const Alias& a, const Alias& b) {
                     return a.text.size() > b.text.size();
                   });
  return catalog;
}

absl::StatusOr<IndicatorCatalog> IndicatorCatalog::LoadFile(
    const std::string& path) {
  return internal::LoadCatalogFile<IndicatorCatalog>(path);
}

const IndicatorCatalog& IndicatorCatalog::Builtin() {
  static const IndicatorCatalog* const catalog =
      internal::ParseBuiltinOrDie<IndicatorCatalog>(
          internal::EmbeddedIndicatorsTsv(), "indicators.tsv");
  return *catalog;
}

const IndicatorEntry* IndicatorCatalog::FindBySlug(
    absl::string_view slug) const {
  auto it = by_slug_.find(slug);
  return it == by_slug_.end() ? nullptr : &entries_[it->second];
}

std::vector<const IndicatorEntry*> IndicatorCatalog::Search(
    absl::string_view query) const {
  const std::string needle = NormalizeIndicatorText(query);
  if (needle.empty()) return {};
  // Rank of the best way `entry` matches: 0 exact, 1 prefix, 2 substring,
  // 3 an alias inside the query, 4 none.
  auto rank = [&](uint32_t index) {
    int best = 4;
    for (const std::string& name : search_names_[index]) {
      if (name == needle) return 0;
      if (absl::StartsWith(name, needle)) best = std::min(best, 1);
      if (absl::StrContains(name, needle)) best = std::min(best, 2);
      if (absl::StrContains(needle, name)) best = std::min(best, 3);
    }
    return best;
  };
  std::vector<std::pair<int, uint32_t>> ranked;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    const int r = rank(i);
    if (r < 4) ranked.emplace_back(r, i);
  }
  std::stable_sort(ranked.begin(), ranked.end());
  std::vector<const IndicatorEntry*> found;
  for (const auto& [r, i] : ranked) found.push_back(&entries_[i]);
  return found;
}

const IndicatorEntry* IndicatorCatalog::Map(absl::string_view subject_text,
                                            absl::string_view unit) const {
  const std::string subject = NormalizeIndicatorText(subject_text);
  if (subject.empty()) return nullptr;
  const bool share_or_rate = NamesShareOrRate(subject);
  for (const Alias& alias : aliases_) {  // longest first
    if (!absl::StrContains(subject, alias.text)) continue;
    const IndicatorEntry& entry = entries_[alias.indicator];
    if (!UnitCompatible(unit, entry.canonical_unit, entry.value_types))
      continue;
    const bool percent = absl::StripAsciiWhitespace(unit) == "%" ||
                         absl::StripAsciiWhitespace(unit) == "％";
    if (percent && share_or_rate && entry.canonical_unit != "%") continue;
    return &entry;
  }
  return nullptr;
}

}  // namespace govreport::query
