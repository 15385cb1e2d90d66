#include "parser_service/structure/document_structure.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "parser_service/grammar/char_class.h"
#include "parser_service/grammar/number_grammar.h"
#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

using View = std::u32string_view;

// Characters that end a region name: 县, 区, 市 ...
bool IsLevelSuffix(char32_t c) {
  return c == U'县' || c == U'区' || c == U'市' || c == U'州' || c == U'旗' ||
         c == U'盟';
}

// Characters a region name never contains; reading backwards stops there.
bool StopsRegionName(char32_t c) {
  static constexpr View kStops =
      U"的在于开了和与及协届会议是为日月年召、省全本该我各暨由向对";
  return kStops.find(c) != View::npos;
}

// Words that precede a region name and are not part of it.
constexpr View kRegionPrefixes[] = {
    U"中国人民政治协商会议", U"政协", U"中共", U"出席", U"召开", U"参加"};

// Heading keywords that say what a section is about.
constexpr View kLivelihoodCues[] = {U"民生实事",   U"民生工程", U"惠民实事",
                                    U"为民办实事", U"民生项目", U"民生清单"};
constexpr View kReviewCues[] = {U"回顾", U"过去", U"去年",     U"成绩",
                                U"成就", U"成效", U"主要工作", U"取得"};
constexpr View kPlanCues[] = {U"安排", U"目标", U"任务",     U"举措",
                              U"思路", U"今年", U"重点工作", U"展望",
                              U"部署", U"打算", U"工作建议", U"总体要求"};

// Posts that may precede the presenter's name (区长常涌涛作政府工作报告).
constexpr View kPresenterPosts[] = {U"代县长", U"代区长", U"代市长", U"代州长",
                                    U"代旗长", U"县长",   U"区长",   U"市长",
                                    U"州长",   U"旗长",   U"盟长",   U"副县长",
                                    U"副区长", U"副市长"};

bool ContainsAny(View s, const View* begin, const View* end) {
  return std::any_of(begin, end,
                     [&](View w) { return s.find(w) != View::npos; });
}

bool StartsWith(View s, View p) { return s.substr(0, p.size()) == p; }

std::string Utf8(View text, TextRange r) {
  return ToUtf8(text.substr(r.begin, r.end - r.begin));
}

// Value of a run of at most a few ASCII digits.
int SmallInt(View digits) {
  int v = 0;
  for (char32_t c : digits) v = v * 10 + static_cast<int>(c - U'0');
  return v;
}

// A numeral (Chinese or Arabic) ending just before `end`; returns its value
// and sets *begin, or returns 0.
int NumeralBefore(View text, size_t end, size_t* begin) {
  size_t b = end;
  while (b > 0 && (CanStartNumber(text[b - 1]) || text[b - 1] == U'零') &&
         end - b < 6) {
    --b;
  }
  if (b == end) return 0;
  std::optional<NumberMatch> n = ReadNumber(text, b);
  if (!n.has_value() || n->end != end || !(n->value < 1000)) return 0;
  *begin = b;
  return static_cast<int>(n->value);
}

// A numeral starting at `pos` (after an optional 第); sets *end.
int NumeralAfter(View text, size_t pos, size_t* end) {
  if (pos < text.size() && text[pos] == U'第') ++pos;
  std::optional<NumberMatch> n = ReadNumber(text, pos);
  if (!n.has_value() || !(n->value < 1000)) return 0;
  *end = n->end;
  return static_cast<int>(n->value);
}

// One session named in the text, with the region it belongs to.
struct SessionMention {
  SessionInfo info;
  std::string region;
  std::string suffix;
};

class StructureReader {
 public:
  StructureReader(const LayoutResult& layout, int default_year)
      : text_(layout.text),
        lines_(layout.lines),
        default_year_(default_year),
        page_date_year_(PageDateYear(layout)) {}

  std::vector<ReportInfo> Run() {
    FindSessions();
    std::vector<ReportInfo> reports = SplitReports();
    for (ReportInfo& report : reports) Fill(&report);
    return reports;
  }

 private:
  View LineView(size_t i) const {
    return text_.substr(lines_[i].begin, lines_[i].end - lines_[i].begin);
  }
  size_t LineOf(uint32_t pos) const {
    auto it = std::upper_bound(
        lines_.begin(), lines_.end(), pos,
        [](uint32_t p, const CleanLine& l) { return p < l.begin; });
    return it == lines_.begin() ? 0 : (it - lines_.begin()) - 1;
  }

  // Finds "十五届人大四次会议", "第十五届人民代表大会第四次会议",
  // "政协嵩县十届三次会议", "政协第十届嵩县委员会第三次会议".
  void FindSessions() {
    for (size_t i = text_.find(U'届'); i != View::npos;
         i = text_.find(U'届', i + 1)) {
      std::optional<SessionMention> m = SessionAt(i);
      if (m.has_value()) sessions_.push_back(std::move(*m));
    }
  }

  std::optional<SessionMention> SessionAt(size_t jie) const {
    size_t num_begin = 0;
    const int term = NumeralBefore(text_, jie, &num_begin);
    if (term <= 0) return std::nullopt;
    size_t before = num_begin;
    if (before > 0 && text_[before - 1] == U'第') --before;
    SessionMention m;
    m.info.term = term;
    size_t p = jie + 1;
    const View rest = text_.substr(p, 24);
    size_t region_begin = 0, region_end = 0;
    bool direct = false;
    if (StartsWith(rest, U"人大")) {
      p += 2;
      if (StartsWith(text_.substr(p), U"常委会")) return std::nullopt;
    } else if (StartsWith(rest, U"人民代表大会")) {
      p += 6;
    } else if (StartsWith(rest, U"政协")) {
      m.info.congress = false;
      p += 2;
    } else {
      // 第十届嵩县委员会 / 第十五届嵩县人民代表大会: the region follows.
      const size_t committee = rest.find(U"委员会");
      const size_t congress = rest.find(U"人民代表大会");
      const size_t word = std::min(committee, congress);
      if (word != View::npos && word >= 2 && word <= 12) {
        m.info.congress = word == congress;
        region_begin = RegionNameBefore(text_, p + word);
        region_end = p + word;
        if (region_begin >= region_end) return std::nullopt;
        p += word + (m.info.congress ? 6 : 3);
      } else {
        // 政协嵩县十届三次会议: the body was named before the region.
        direct = true;
      }
    }
    size_t session_end = 0;
    const int session = NumeralAfter(text_, p, &session_end);
    if (session <= 0 || !StartsWith(text_.substr(session_end), U"次会议")) {
      return std::nullopt;
    }
    m.info.session = session;
    if (region_end == 0) {
      region_end = before;
      region_begin = RegionNameBefore(text_, before);
    }
    // 政协 before the region or before the numeral makes it the CPPCC.
    const size_t look = region_begin >= 2 ? region_begin - 2 : 0;
    const bool cppcc_before =
        text_.substr(look, region_begin - look) == U"政协" ||
        (before >= 2 && text_.substr(before - 2, 2) == U"政协");
    if (cppcc_before) m.info.congress = false;
    if (direct && !cppcc_before) return std::nullopt;
    m.info.range = {static_cast<uint32_t>(std::min(region_begin, before)),
                    static_cast<uint32_t>(session_end + 3)};
    if (region_begin < region_end) {
      m.region = ToUtf8(text_.substr(region_begin, region_end - region_begin));
      m.suffix = ToUtf8(text_.substr(region_end - 1, 1));
    }
    return m;
  }

  // A session mention opens a new report when it names a new region and
  // sits at the start of an article (a heading, or right after one).
  std::vector<ReportInfo> SplitReports() {
    std::vector<ReportInfo> reports;
    std::string current;
    size_t start_line = 0;
    for (const SessionMention& m : sessions_) {
      if (m.region.empty() || m.region == current) continue;
      const size_t line = LineOf(m.info.range.begin);
      if (!StartsArticle(line)) continue;
      if (!current.empty()) {
        const size_t begin = ExtendBackOverHeadings(line, start_line);
        reports.back().range.end = lines_[begin].begin;
        start_line = begin;
      }
      ReportInfo report;
      report.range.begin = reports.empty() ? 0 : lines_[start_line].begin;
      report.region = m.region;
      report.region_suffix = m.suffix;
      reports.push_back(std::move(report));
      current = m.region;
    }
    if (reports.empty()) {
      // No session names a region: one report over the whole text, its
      // region from other cues or left empty (the caller drops it if it
      // holds nothing).
      ReportInfo report;
      FallbackRegion(&report);
      reports.push_back(std::move(report));
    }
    reports.back().range.end = static_cast<uint32_t>(text_.size());
    return reports;
  }

  bool StartsArticle(size_t line) const {
    if (lines_[line].kind == LineKind::kHeading) return true;
    return line == 0 || lines_[line - 1].kind != LineKind::kBody;
  }

  size_t ExtendBackOverHeadings(size_t line, size_t floor) const {
    while (line > floor + 1 && lines_[line - 1].kind == LineKind::kHeading) {
      --line;
    }
    return line;
  }

  // Without a session, "<region>人民政府" / "<region>政府工作报告" names it.
  bool FallbackRegion(ReportInfo* report) const {
    static constexpr View kCues[] = {U"人民政府", U"政府工作报告",
                                     U"人民代表大会"};
    for (View cue : kCues) {
      for (size_t i = text_.find(cue); i != View::npos;
           i = text_.find(cue, i + 1)) {
        // "青石县2024年政府工作报告": a year may sit between name and cue.
        size_t end = i;
        if (end >= 5 && text_[end - 1] == U'年' &&
            IsAsciiDigit(text_[end - 2]) && IsAsciiDigit(text_[end - 5])) {
          end -= 5;
        }
        const size_t b = RegionNameBefore(text_, end);
        if (b < end) {
          report->region = ToUtf8(text_.substr(b, end - b));
          report->region_suffix = ToUtf8(text_.substr(end - 1, 1));
          return true;
        }
      }
    }
    return false;
  }

  void Fill(ReportInfo* report) const {
    const size_t first = LineOf(report->range.begin);
    size_t last = first;
    while (last < lines_.size() && lines_[last].begin < report->range.end) {
      ++last;
    }
    // Mentions are in text order: start at the first inside the report.
    auto first_mention = std::lower_bound(
        sessions_.begin(), sessions_.end(), report->range.begin,
        [](const SessionMention& m, uint32_t pos) {
          return m.info.range.begin < pos;
        });
    for (auto it = first_mention; it != sessions_.end(); ++it) {
      const SessionMention& m = *it;
      if (m.info.range.begin >= report->range.end) break;
      const bool seen = std::any_of(
          report->sessions.begin(), report->sessions.end(),
          [&](const SessionInfo& s) {
            return s.congress == m.info.congress && s.term == m.info.term &&
                   s.session == m.info.session;
          });
      if (!seen) report->sessions.push_back(m.info);
    }
    if (first < last && lines_[first].kind == LineKind::kHeading) {
      report->title = Utf8(text_, {lines_[first].begin, lines_[first].end});
    }
    report->year = ReportYear(first, last);
    for (size_t i = first; i < last; ++i) ReadLineMetadata(i, report);
    ReadSections(first, last, report);
  }

  // A year written in a line: "2024年" (not 2024年度 ranks, not ranges).
  static std::vector<int> YearsIn(View line, bool skip_dates = false) {
    std::vector<int> years;
    for (size_t i = 0; i + 4 < line.size(); ++i) {
      if (line[i + 4] != U'年' || (i > 0 && IsAsciiDigit(line[i - 1])))
        continue;
      int y = 0;
      bool ok = true;
      for (size_t k = i; k < i + 4; ++k) {
        ok &= IsAsciiDigit(line[k]);
        y = y * 10 + static_cast<int>(line[k] - U'0');
      }
      if (skip_dates && IsDateYear(line, i + 5)) continue;
      if (ok && y >= 1990 && y <= 2100) years.push_back(y);
    }
    return years;
  }

  // The first year written as four digits without 年 and standing alone (no
  // digit, '.', '-' or '/' beside it, and not before 年/月/日, which YearsIn
  // reads), in 1990-2100; 0 when there is none. For headings only.
  static int BareYear(View line) {
    auto joins = [](char32_t c) {
      return IsAsciiDigit(c) || c == U'.' || c == U'-' || c == U'/' ||
             c == U'年' || c == U'月' || c == U'日' || c == U'%';
    };
    for (size_t i = 0; i + 4 <= line.size(); ++i) {
      if (i > 0 && joins(line[i - 1])) continue;
      if (i + 4 < line.size() && joins(line[i + 4])) continue;
      int y = 0;
      bool ok = true;
      for (size_t k = i; k < i + 4; ++k) {
        ok &= IsAsciiDigit(line[k]);
        y = y * 10 + static_cast<int>(line[k] - U'0');
      }
      if (ok && y >= 1990 && y <= 2100) return y;
    }
    return 0;
  }

  // True when a month follows the 年 ending just before `after`: the year of
  // a date ("2025年1月20日"), which tells when a line was written, not which
  // year its figures are about.
  static bool IsDateYear(View line, size_t after) {
    size_t k = after;
    while (k < line.size() && k < after + 2 && IsAsciiDigit(line[k])) ++k;
    return k > after && k < line.size() && line[k] == U'月';
  }

  // The year of the first date (2023年1月6日) in a page header: a newspaper
  // page reports a session held that year. 0 when there is none.
  static int PageDateYear(const LayoutResult& layout) {
    for (const NoiseLine& n : layout.noise) {
      if (n.kind != NoiseKind::kPageHeader) continue;
      const std::u32string line = ToUtf32(n.text);
      for (size_t i = 0; i + 4 < line.size(); ++i) {
        const std::vector<int> years = YearsIn(View(line).substr(i, 5));
        if (!years.empty() && IsDateYear(line, i + 5)) return years.front();
      }
    }
    return 0;
  }

  // Report year: the latest year in a heading (ignoring far-future goals such
  // as 2035年远景目标); else the year of the page's date, as sessions meet
  // early in the year they plan; else the latest year in the first body
  // lines, where an estimate (预计2022年…) looks back on the year before.
  int ReportYear(size_t first, size_t last) const {
    // The report's own title (…县2025年政府工作报告来了) in a heading or the
    // first lines. Not later in the text, where 2024年政府工作报告确定的目标
    // looks back on last year's report.
    for (size_t i = first, lines = 0; i < last && lines < 2; ++i) {
      const View v = LineView(i);
      if (v.empty()) continue;
      if (lines_[i].kind != LineKind::kHeading) ++lines;
      for (size_t at = v.find(U"年政府工作报告"); at != View::npos;
           at = v.find(U"年政府工作报告", at + 1)) {
        if (at < 4) continue;
        const std::vector<int> y = YearsIn(v.substr(at - 4, 5));
        if (!y.empty() && (at == 4 || !IsAsciiDigit(v[at - 5]))) {
          return y.front();
        }
      }
    }
    std::vector<int> years;
    for (size_t i = first; i < last; ++i) {
      if (lines_[i].kind != LineKind::kHeading) continue;
      for (int y : YearsIn(LineView(i))) years.push_back(y);
    }
    if (years.empty() && page_date_year_ != 0) return page_date_year_;
    if (years.empty()) {
      for (size_t i = first, body = 0; i < last && body < 4; ++i) {
        if (lines_[i].kind != LineKind::kBody) continue;
        ++body;
        const View v = LineView(i);
        for (size_t at = 0; at + 4 < v.size(); ++at) {
          const std::vector<int> y = YearsIn(v.substr(at, 5));
          if (y.empty() || (at > 0 && IsAsciiDigit(v[at - 1]))) continue;
          const bool estimate = at >= 2 && v.substr(at - 2, 2) == U"预计";
          years.push_back(estimate ? y.front() + 1 : y.front());
        }
      }
    }
    if (years.empty()) return default_year_;
    const int low = *std::min_element(years.begin(), years.end());
    int best = low;
    for (int y : years) {
      if (y <= low + 1) best = std::max(best, y);
    }
    return best;
  }

  void ReadLineMetadata(size_t i, ReportInfo* report) const {
    const CleanLine& line = lines_[i];
    const View v = LineView(i);
    if (line.kind == LineKind::kByline) {
      ReadAuthors(v, report);
      return;
    }
    if (line.kind != LineKind::kBody) return;
    ReadElections(line.begin, v, report);
    ReadPresenter(line.begin, v, report);
    if (report->meeting_dates.empty() && v.find(U"会议") != View::npos) {
      ReadMeetingDate(line.begin, v, report);
    }
  }

  // "王世光 王博 赵明辰 文/图", "党一豪/文 郑占波 王东亮/图", "记者 张三".
  static void ReadAuthors(View v, ReportInfo* report) {
    std::u32string name;
    auto flush = [&] {
      if (name.size() >= 2 && name.size() <= 4) {
        report->authors.push_back(ToUtf8(name));
      }
      name.clear();
    };
    for (size_t i = 0; i < v.size(); ++i) {
      const char32_t c = v[i];
      if (c == U'/' || c == U' ' || c == U':' || c == U'、') {
        flush();
        // The role after a slash ("/文", "/图") is not a name.
        if (c == U'/' && i + 1 < v.size() && IsHan(v[i + 1])) ++i;
        continue;
      }
      if (!IsHan(c)) {
        flush();
        continue;
      }
      name.push_back(c);
    }
    flush();
    static constexpr View kRoles[] = {U"文",       U"图",     U"摄",
                                      U"记者",     U"通讯员", U"本报记者",
                                      U"见习记者", U"摄影",   U"文字"};
    auto& authors = report->authors;
    authors.erase(std::remove_if(authors.begin(), authors.end(),
                                 [](const std::string& a) {
                                   for (View r : kRoles) {
                                     if (ToUtf8(r) == a) return true;
                                   }
                                   return false;
                                 }),
                  authors.end());
  }

  // Han run that ends just before `end` and starts after punctuation.
  static size_t HanRunBefore(View v, size_t end, size_t max_len) {
    size_t b = end;
    while (b > 0 && IsHan(v[b - 1]) && end - b < max_len) --b;
    return b;
  }

  // "任庆鹏当选嵩县人民政府县长".
  // "选举周某某为南岭县人民政府县长".
  static void ReadElectedAs(uint32_t base, View v, ReportInfo* report) {
    for (size_t i = v.find(U"选举"); i != View::npos;
         i = v.find(U"选举", i + 2)) {
      const size_t name_begin = i + 2;
      size_t wei = name_begin;
      while (wei < v.size() && wei - name_begin <= 4 && IsHan(v[wei]) &&
             v[wei] != U'为') {
        ++wei;
      }
      if (wei >= v.size() || v[wei] != U'为' || wei - name_begin < 2) continue;
      size_t e = wei + 1;
      while (e < v.size() && !IsClauseBreak(v[e]) && v[e] != U'、') ++e;
      if (e == wei + 1) continue;
      PersonInfo p;
      p.name = ToUtf8(v.substr(name_begin, wei - name_begin));
      p.post = ToUtf8(v.substr(wei + 1, e - wei - 1));
      p.range = {base + static_cast<uint32_t>(i),
                 base + static_cast<uint32_t>(e)};
      report->elections.push_back(std::move(p));
    }
  }

  static void ReadElections(uint32_t base, View v, ReportInfo* report) {
    ReadElectedAs(base, v, report);
    for (size_t i = v.find(U"当选"); i != View::npos;
         i = v.find(U"当选", i + 2)) {
      const size_t b = HanRunBefore(v, i, 4);
      if (i - b < 2) continue;
      size_t e = i + 2;
      while (e < v.size() && !IsClauseBreak(v[e]) && v[e] != U'、') ++e;
      if (e == i + 2) continue;
      PersonInfo p;
      p.name = ToUtf8(v.substr(b, i - b));
      p.post = ToUtf8(v.substr(i + 2, e - i - 2));
      p.range = {base + static_cast<uint32_t>(b),
                 base + static_cast<uint32_t>(e)};
      report->elections.push_back(std::move(p));
    }
  }

  // "区长常涌涛作政府工作报告", "县长张三代表县人民政府作政府工作报告".
  static void ReadPresenter(uint32_t base, View v, ReportInfo* report) {
    if (!report->presenter.name.empty()) return;
    size_t i = View::npos;
    for (View cue : {View(U"所作的政府工作报告"),
                     View(U"所作的《政府工作报告》"), View(U"作政府工作报告"),
                     View(U"作《政府工作报告》"), View(U"所作政府工作报告")}) {
      i = v.find(cue);
      if (i != View::npos) break;
    }
    if (i == View::npos) return;
    if (i > 0 && v[i - 1] == U'所') --i;
    size_t end = i;
    const size_t rep = v.rfind(U"代表", i);
    if (rep != View::npos && i - rep <= 10) end = rep;
    const size_t b = HanRunBefore(v, end, 10);
    View run = v.substr(b, end - b);
    for (View post : kPresenterPosts) {
      const size_t at = run.find(post);
      if (at == View::npos) continue;
      View name = run.substr(at + post.size());
      if (name.size() < 2 || name.size() > 4) continue;
      report->presenter.post = ToUtf8(post);
      report->presenter.name = ToUtf8(name);
      report->presenter.range = {base + static_cast<uint32_t>(b),
                                 base + static_cast<uint32_t>(i + 7)};
      return;
    }
  }

  // "1月14日至18日", "1月14日", "1月30日至2月2日".
  static void ReadMeetingDate(uint32_t base, View v, ReportInfo* report) {
    for (size_t i = v.find(U'月'); i != View::npos; i = v.find(U'月', i + 1)) {
      size_t b = i;
      while (b > 0 && IsAsciiDigit(v[b - 1]) && i - b < 2) --b;
      if (b == i) continue;
      size_t p = i + 1, e = p;
      while (e < v.size() && IsAsciiDigit(v[e]) && e - p < 2) ++e;
      if (e == p || e >= v.size() || v[e] != U'日') continue;
      DateRange d;
      d.start_month = SmallInt(v.substr(b, i - b));
      d.start_day = SmallInt(v.substr(p, e - p));
      d.end_month = d.start_month;
      d.end_day = d.start_day;
      size_t end = e + 1;
      if (end < v.size() &&
          (v[end] == U'至' || v[end] == U'-' || v[end] == U'到')) {
        size_t q = end + 1, r = q;
        while (r < v.size() && IsAsciiDigit(v[r]) && r - q < 2) ++r;
        if (r > q && r < v.size() && v[r] == U'月') {
          d.end_month = SmallInt(v.substr(q, r - q));
          q = r + 1;
          r = q;
          while (r < v.size() && IsAsciiDigit(v[r]) && r - q < 2) ++r;
        }
        if (r > q && r < v.size() && v[r] == U'日') {
          d.end_day = SmallInt(v.substr(q, r - q));
          end = r + 1;
        }
      }
      d.range = {base + static_cast<uint32_t>(b),
                 base + static_cast<uint32_t>(end)};
      report->meeting_dates.push_back(d);
      return;
    }
  }

  // Section cue of a heading line, if any.
  bool SectionCue(View heading, int report_year, SectionInfo* s) const {
    // A dateline ("某某日报 2025年1月20日 第03版") is not a section heading.
    std::vector<int> years = YearsIn(heading, /*skip_dates=*/true);
    // A sidebar title may write the year bare: 【数说2024】, 2025看点.
    const int year = years.empty() ? BareYear(heading) : years.front();
    const bool livelihood = ContainsAny(heading, std::begin(kLivelihoodCues),
                                        std::end(kLivelihoodCues));
    const bool review =
        ContainsAny(heading, std::begin(kReviewCues), std::end(kReviewCues));
    const bool plan =
        ContainsAny(heading, std::begin(kPlanCues), std::end(kPlanCues));
    if (livelihood) {
      s->type = SectionType::kLivelihood;
      s->year = year ? year : report_year;
    } else if (year != 0 && !review && !plan) {
      s->type = year < report_year ? SectionType::kReview : SectionType::kPlan;
      s->year = year;
    } else if (review) {
      s->type = SectionType::kReview;
      s->year = year ? year : report_year - 1;
    } else if (plan) {
      s->type = SectionType::kPlan;
      s->year = year ? year : report_year;
    } else {
      return false;
    }
    return true;
  }

  // "——2024年1月6日在…会议上" dates the meeting; it is not a section.
  static bool NamesAMeeting(View v) {
    return v.find(U"会议") != View::npos || v.find(U"日在") != View::npos;
  }

  void ReadSections(size_t first, size_t last, ReportInfo* report) const {
    SectionInfo meeting;
    meeting.type = SectionType::kMeeting;
    meeting.year = report->year;
    meeting.range = {report->range.begin, report->range.end};
    report->sections.push_back(meeting);
    bool previous_was_section_heading = false;
    bool in_cppcc_article = false;
    for (size_t i = first; i < last; ++i) {
      const CleanLine& line = lines_[i];
      const View v = LineView(i);
      if (line.kind == LineKind::kHeading) {
        const bool cppcc = StartsWith(v, U"政协") && NamesAMeeting(v);
        const bool closes = (!v.empty() && v.front() == U'【') ||
                            (v.find(U"人民代表大会") != View::npos ||
                             v.find(U"人大") != View::npos);
        if (cppcc && !in_cppcc_article) {
          report->other_articles.push_back({line.begin, report->range.end});
          in_cppcc_article = true;
        } else if (in_cppcc_article && closes && !cppcc) {
          report->other_articles.back().end = line.begin;
          in_cppcc_article = false;
        }
      }
      if (line.kind == LineKind::kHeading && !NamesAMeeting(v)) {
        SectionInfo s;
        const bool cue = SectionCue(v, report->year, &s);
        const bool bullet = IsBulletChar(v.front());
        if (previous_was_section_heading && report->sections.size() > 1 &&
            !bullet) {
          // "2024年 / 八大举措展宏图": a heading in several lines. A later
          // line may only refine the kind (to livelihood projects).
          SectionInfo& current = report->sections.back();
          if (!cue || YearsIn(v).empty()) {
            current.heading += " " + ToUtf8(v);
            current.heading_range.end = line.end;
            if (cue && s.type == SectionType::kLivelihood)
              current.type = s.type;
            continue;
          }
        }
        if (cue) {
          s.heading = ToUtf8(bullet ? v.substr(1) : v);
          while (!s.heading.empty() && s.heading.front() == ' ') {
            s.heading.erase(0, 1);
          }
          s.heading_range = {line.begin, line.end};
          s.range = {line.begin, report->range.end};
          report->sections.back().range.end = line.begin;
          report->sections.push_back(std::move(s));
          previous_was_section_heading = true;
          continue;
        }
      }
      previous_was_section_heading = false;
      if (!v.empty() && (IsBulletChar(v.front()) || NumberedItem(v) > 0)) {
        AddMeasure(line, v, report);
      }
    }
    // Drop an empty meeting section when the report opens with a section.
    if (report->sections.size() > 1 &&
        report->sections[0].range.end <= report->sections[0].range.begin) {
      report->sections.erase(report->sections.begin());
    }
  }

  // Length of a "(一)" / "(3)" list number opening `v`, or 0.
  static size_t NumberedItem(View v) {
    if (v.size() < 3 || v[0] != U'(') return 0;
    size_t q = 1;
    while (q < v.size() && q <= 4 && CanStartNumber(v[q])) ++q;
    return q > 1 && q < v.size() && v[q] == U')' ? q + 1 : 0;
  }

  void AddMeasure(const CleanLine& line, View v, ReportInfo* report) const {
    MeasureInfo m;
    const size_t begin = IsBulletChar(v.front()) ? 1 : NumberedItem(v);
    size_t end = begin;
    while (end < v.size() && !IsSentenceEnd(v[end])) ++end;
    if (end - begin <= 40) m.title = ToUtf8(v.substr(begin, end - begin));
    m.summary = m.title.empty()
                    ? ToUtf8(v.substr(begin, std::min<size_t>(end - begin, 80)))
                    : m.title;
    m.range = {line.begin, line.end};
    m.section = report->sections.size() - 1;
    report->measures.push_back(std::move(m));
  }

  View text_;
  const std::vector<CleanLine>& lines_;
  int default_year_;
  int page_date_year_;
  std::vector<SessionMention> sessions_;
};

}  // namespace

size_t RegionNameBefore(std::u32string_view text, size_t end) {
  if (end == 0 || end > text.size() || !IsLevelSuffix(text[end - 1])) {
    return end;
  }
  size_t b = end - 1;
  while (b > 0 && end - b < 12 && IsHan(text[b - 1]) &&
         !StopsRegionName(text[b - 1]) && !IsLevelSuffix(text[b - 1])) {
    --b;
  }
  View name = text.substr(b, end - b);
  for (View prefix : kRegionPrefixes) {
    if (StartsWith(name, prefix)) {
      b += prefix.size();
      name.remove_prefix(prefix.size());
    }
  }
  if (name.size() < 2) return end;
  return b;
}

std::vector<ReportInfo> AnalyzeStructure(const LayoutResult& layout,
                                         int default_year) {
  if (layout.lines.empty()) return {};
  return StructureReader(layout, default_year).Run();
}

}  // namespace govreport::parser
