// Stage 3 of the parser: document structure, in plain C++ structs.
//
// A document may hold several reports (a newspaper page often carries two
// counties). This stage splits the clean text into reports and, for each,
// finds the region and its level, the sessions (人大 and 政协 with their
// numbers), meeting dates, elections, who presented the report, the
// article's authors, the report year, the sections (review of the previous
// year, plan for this year, livelihood projects 民生实事) and the measures
// (● bullets with their titles).
//
// All positions are indices into LayoutResult::text (the clean text); the
// report/ stage maps them to input offsets.
//
// Thread safety: stateless; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser_service/layout/layout.h"

namespace govreport::parser {

// A [begin, end) range of the clean text.
struct TextRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

enum class SectionType {
  kMeeting,     // the news around the report, before any section heading
  kReview,      // results of a past year
  kPlan,        // targets for the report year
  kLivelihood,  // 民生实事: targets for the report year
  kOther,
};

struct SectionInfo {
  SectionType type = SectionType::kMeeting;
  int year = 0;         // the year its figures refer to by default
  std::string heading;  // UTF-8, as written (several heading lines joined)
  TextRange range;      // the section's text, heading included
  TextRange heading_range;
};

struct MeasureInfo {
  std::string title;  // UTF-8, e.g. "项目为王稳经济"; empty when untitled
  std::string summary;
  TextRange range;     // the bullet's paragraph
  size_t section = 0;  // index into ReportInfo::sections
};

struct SessionInfo {
  bool congress = true;  // 人大 (true) or 政协 (false)
  int term = 0;          // 十五届 -> 15
  int session = 0;       // 四次 -> 4
  TextRange range;
};

struct PersonInfo {
  std::string name;
  std::string post;
  TextRange range;
};

struct DateRange {
  int start_month = 0, start_day = 0, end_month = 0, end_day = 0;
  TextRange range;
};

struct ReportInfo {
  TextRange range;            // the report's part of the clean text
  std::string title;          // first heading of the article
  std::string region;         // as written with its suffix: 嵩县, 孟津区
  std::string region_suffix;  // 县, 区, 市, 州, 旗, 盟
  int year = 0;               // the report year; 0 when unknown
  std::vector<SessionInfo> sessions;
  std::vector<DateRange> meeting_dates;
  std::vector<PersonInfo> elections;
  PersonInfo presenter;  // empty name when not stated
  std::vector<std::string> authors;
  std::vector<SectionInfo> sections;  // in order, covering the report
  std::vector<MeasureInfo> measures;
  // Articles within the report's range that are not about it, in order: a
  // CPPCC session's report on the same newspaper page (its figures are the
  // committee's: members, motions, inspections), from its headline to the
  // next column (【…】) or people's-congress headline.
  std::vector<TextRange> other_articles;
};

// Splits the clean text into reports and reads their structure. When no
// session names a region the whole text is one report, with the region from
// other cues ("<region>人民政府") or empty. Returns an empty vector only for
// text without lines. `default_year` is used when the text never states a
// year.
std::vector<ReportInfo> AnalyzeStructure(const LayoutResult& layout,
                                         int default_year);

// Reads a region name (with its suffix) that ends just before `end` in
// `text`, e.g. "嵩县" before "十五届人大". Returns the begin index, or `end`
// when there is none. Exposed for tests.
size_t RegionNameBefore(std::u32string_view text, size_t end);

}  // namespace govreport::parser
