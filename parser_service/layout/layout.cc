#include "parser_service/layout/layout.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

#include "parser_service/grammar/char_class.h"
#include "parser_service/layout/table_rows.h"
#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

using Range = std::pair<uint32_t, uint32_t>;  // [begin, end) in the buffer

// A line longer than this is prose even without punctuation.
constexpr size_t kMaxHeadingLength = 50;
// A caption is at most this long.
constexpr size_t kMaxCaptionLength = 24;
// Captions skipped between two halves of a sentence, at most.
constexpr int kMaxCaptionsInside = 4;

bool StartsWith(std::u32string_view s, std::u32string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool Contains(std::u32string_view s, std::u32string_view part) {
  return s.find(part) != std::u32string_view::npos;
}
bool StartsWithAny(std::u32string_view s,
                   std::initializer_list<std::u32string_view> prefixes) {
  for (auto p : prefixes) {
    if (StartsWith(s, p)) return true;
  }
  return false;
}

// "相关新闻:" and the like head a list of links (the following short lines).
bool OpensRelatedBlock(std::u32string_view line) {
  return StartsWithAny(
      line, {U"相关新闻", U"相关阅读", U"延伸阅读", U"相关链接", U"推荐阅读",
             U"更多阅读", U"往期回顾", U"往期推荐", U"往期精彩", U"【相关"});
}

bool HasClausePunctuation(std::u32string_view line) {
  for (char32_t c : line) {
    if (c == U',' || c == U';' || c == U':' || c == U'。' || c == U'!' ||
        c == U'?') {
      return true;
    }
  }
  return false;
}

// A line whose last character closes a sentence (or introduces a list).
bool IsTerminated(std::u32string_view line) {
  if (line.empty()) return true;
  char32_t last = line.back();
  if (IsCloseQuote(last) || last == U')') {
    if (line.size() < 2) return false;
    last = line[line.size() - 2];
  }
  return IsSentenceEnd(last) || last == U':';
}

// Byline markers: who wrote the text and who took the pictures.
bool IsByline(std::u32string_view line) {
  if (line.size() > 40 || HasClausePunctuation(line)) {
    // "记者:张三" style colons are allowed below; other punctuation is prose,
    // and so is an interviewer's question (记者:报告提出…2,400套,您怎么看?).
    if (line.size() > 40 || !StartsWithAny(line, {U"记者", U"通讯员"})) {
      return false;
    }
    for (char32_t c : line) {
      if (IsAsciiDigit(c) || c == U'?' || c == U'。' || c == U',') {
        return false;
      }
    }
  }
  static constexpr std::u32string_view kMarks[] = {
      U"文/图", U"图/文", U"文/摄", U"/文", U"/图", U"/摄", U"文 /图"};
  for (auto mark : kMarks) {
    if (Contains(line, mark)) return true;
  }
  if (StartsWithAny(line, {U"记者", U"本报记者", U"通讯员", U"见习记者",
                           U"融媒体记者", U"文字:", U"摄影:"})) {
    return true;
  }
  // "张三 摄" closes a photo credit.
  return line.size() <= 16 && line.back() == U'摄' && line.size() >= 3 &&
         line[line.size() - 2] == U' ';
}

}  // namespace

bool IsBulletChar(char32_t c) {
  return c == U'●' || c == U'■' || c == U'◆' || c == U'★' || c == U'•' ||
         c == U'◎' || c == U'○' || c == U'□' || c == U'◇' || c == U'☆' ||
         c == U'▪' || c == U'►' || c == U'·' || c == U'・' ||
         // Posts on social media: ▶ ➤ ✅ ☑ ✔ 🔹 🔸 👉.
         c == U'▶' || c == U'➤' || c == U'✅' || c == U'☑' || c == U'✔' ||
         c == U'\U0001F539' || c == U'\U0001F538' || c == U'\U0001F449';
}

bool IsNoiseLine(std::u32string_view line, NoiseKind* kind) {
  if (line.size() <= 60 &&
      (StartsWithAny(line, {U"责任编辑", U"责编", U"编辑:", U"校对", U"美编",
                            U"组版", U"审核:", U"审读"}) ||
       (Contains(line, U"星期") && Contains(line, U"月")) ||
       (Contains(line, U"第") && line.back() == U'版' && line.size() <= 30))) {
    *kind = NoiseKind::kPageHeader;
    return true;
  }
  // Links and image placeholders of scraped pages.
  if (line.size() <= 120 &&
      (Contains(line, U"http://") || Contains(line, U"https://") ||
       Contains(line, U"www.") ||
       StartsWithAny(line, {U"[图片]", U"【图片】"}) ||
       Contains(line, U"打印本页") || Contains(line, U"关闭窗口") ||
       StartsWithAny(
           line, {U"首页>", U"首页 >", U"当前位置", U"发布时间", U"【字体"}))) {
    *kind = NoiseKind::kRelatedNews;
    return true;
  }
  if (StartsWithAny(line, {U"相关新闻", U"相关阅读", U"延伸阅读", U"相关链接",
                           U"推荐阅读", U"更多阅读", U"往期回顾", U"往期推荐",
                           U"往期精彩", U"点击",     U"扫码",     U"扫一扫",
                           U"分享到",   U"来源:",    U"原标题",   U"【相关",
                           U"阅读原文", U"返回",     U"上一篇",   U"下一篇",
                           U">>"})) {
    *kind = NoiseKind::kRelatedNews;
    return true;
  }
  // ▶ opens a link (▶点击阅读原文, ▶往期回顾) or, in a post, a heading
  // (▶ 2024 · 亮眼成绩单), which is kept.
  if (StartsWith(line, U"▶") &&
      (Contains(line, U"点击") || Contains(line, U"阅读") ||
       Contains(line, U"原文") || Contains(line, U"往期") ||
       Contains(line, U"推荐") || Contains(line, U"相关") ||
       Contains(line, U"链接") || Contains(line, U"关注"))) {
    *kind = NoiseKind::kRelatedNews;
    return true;
  }
  if (line.size() <= 60 &&
      (StartsWithAny(line, {U"电话", U"联系电话", U"咨询电话", U"热线",
                            U"服务热线", U"举报电话", U"传真", U"邮箱",
                            U"E-mail", U"Email", U"电子邮箱", U"地址:"}) ||
       Contains(line, U"热线:") || Contains(line, U"电话:"))) {
    *kind = NoiseKind::kContact;
    return true;
  }
  if (StartsWithAny(line, {U"图为", U"图:", U"▲", U"△", U"(图", U"上图",
                           U"下图", U"左图", U"右图", U"供图"})) {
    *kind = NoiseKind::kCaption;
    return true;
  }
  return false;
}

LineKind ClassifyLine(std::u32string_view line) {
  if (IsByline(line)) return LineKind::kByline;
  if (HasClausePunctuation(line) || line.size() > kMaxHeadingLength) {
    return LineKind::kBody;
  }
  return LineKind::kHeading;
}

namespace {

struct RawLine {
  Range range;
  bool blank = true;
  bool noise = false;
  NoiseKind noise_kind = NoiseKind::kCaption;
  LineKind kind = LineKind::kBody;
};

// Splits the buffer into trimmed lines.
std::vector<RawLine> SplitLines(const std::u32string& text) {
  std::vector<RawLine> lines;
  uint32_t start = 0;
  const uint32_t n = static_cast<uint32_t>(text.size());
  for (uint32_t i = 0; i <= n; ++i) {
    if (i < n && text[i] != U'\n') continue;
    uint32_t b = start, e = i;
    while (b < e && IsSpace(text[b])) ++b;
    while (e > b && IsSpace(text[e - 1])) --e;
    RawLine line;
    line.range = {b, e};
    line.blank = b == e;
    if (!line.blank) {
      const std::u32string_view view(text.data() + b, e - b);
      line.noise = IsNoiseLine(view, &line.noise_kind);
      line.kind = ClassifyLine(view);
    }
    lines.push_back(line);
    start = i + 1;
  }
  return lines;
}

// A paragraph of the clean text before compaction: pieces of the buffer.
struct Logical {
  std::vector<Range> pieces;
  LineKind kind;
};

class Repairer {
 public:
  explicit Repairer(NormalizedText&& n)
      : text_(std::move(n.text)),
        source_(std::move(n.source)),
        unfolded_(std::move(n.unfolded)),
        byte_checkpoints_(std::move(n.byte_checkpoints)) {
    // A final line break gives Compact() room for the last '\n'.
    text_.push_back(U'\n');
    source_.Push(source_.end());
    if (!unfolded_.empty()) unfolded_.push_back(U'\n');
  }

  LayoutResult Run() {
    // Indicator tables: their rows stay whole lines (table_rows.h).
    const std::vector<TableRowRange> table_rows = FindTableRows(text_);
    ResolveStrayTabs(table_rows, /*html=*/!unfolded_.empty(), &text_,
                     &unfolded_);
    lines_ = SplitLines(text_);
    MarkTableRows(table_rows);
    MarkRelatedNewsBlocks();
    for (size_t i = 0; i < lines_.size(); ++i) {
      const RawLine& line = lines_[i];
      if (line.blank) continue;
      if (line.noise) {
        AddNoise(line, line.noise_kind);
        continue;
      }
      Logical logical{{line.range}, line.kind};
      if (line.kind == LineKind::kBody) i = JoinContinuations(i, &logical);
      logical_.push_back(std::move(logical));
    }
    return Compact();
  }

 private:
  std::u32string_view View(const RawLine& line) const {
    return std::u32string_view(text_.data() + line.range.first,
                               line.range.second - line.range.first);
  }

  // Table rows are lines of their own kind, from their first cell on (a
  // leading tab is an empty first cell), never joined to prose.
  void MarkTableRows(const std::vector<TableRowRange>& rows) {
    size_t r = 0;
    for (RawLine& line : lines_) {
      while (r < rows.size() && rows[r].end < line.range.second) ++r;
      if (r == rows.size()) return;
      if (line.blank || rows[r].end != line.range.second) continue;
      line.range.first = rows[r].begin;
      line.kind = LineKind::kTableRow;
      line.noise = false;
    }
  }

  // Short heading-like lines after "相关新闻:" are link titles.
  void MarkRelatedNewsBlocks() {
    bool in_block = false;
    for (RawLine& line : lines_) {
      if (line.blank) continue;
      if (line.noise) {
        in_block = OpensRelatedBlock(View(line));
        continue;
      }
      if (in_block && line.kind == LineKind::kHeading) {
        line.noise = true;
        line.noise_kind = NoiseKind::kRelatedNews;
        continue;
      }
      in_block = false;
    }
  }

  bool CaptionLike(const RawLine& line) const {
    if (line.noise) return true;
    const std::u32string_view v = View(line);
    return line.kind == LineKind::kHeading && v.size() <= kMaxCaptionLength &&
           !IsBulletChar(v.front());
  }

  // While the paragraph's last piece is unterminated, looks past blank lines
  // and captions for the prose line that continues it. Returns the index of
  // the last line consumed.
  size_t JoinContinuations(size_t i, Logical* logical) {
    while (!IsTerminated(View(lines_[i]))) {
      std::vector<size_t> captions;
      size_t j = i + 1;
      for (; j < lines_.size(); ++j) {
        const RawLine& next = lines_[j];
        if (next.blank) continue;
        if (CaptionLike(next) &&
            captions.size() < static_cast<size_t>(kMaxCaptionsInside)) {
          captions.push_back(j);
          continue;
        }
        break;
      }
      if (j >= lines_.size() || !ContinuesSentence(lines_[j])) return i;
      for (size_t c : captions) {
        AddNoise(lines_[c],
                 lines_[c].noise ? lines_[c].noise_kind : NoiseKind::kCaption);
      }
      logical->pieces.push_back(lines_[j].range);
      i = j;
    }
    return i;
  }

  bool ContinuesSentence(const RawLine& line) const {
    if (line.noise || line.kind != LineKind::kBody) return false;
    const std::u32string_view v = View(line);
    return !IsBulletChar(v.front()) && !StartsWithLabel(v);
  }

  // "一般公共预算收入:58.36亿元": an entry of a list of indicators, which
  // starts a line of its own rather than continuing the one before.
  static bool StartsWithLabel(std::u32string_view v) {
    constexpr size_t kMaxLabel = 24;
    for (size_t i = 0; i < v.size() && i <= kMaxLabel; ++i) {
      const char32_t c = v[i];
      if (c == U':') return i >= 2;
      if (!IsHan(c) && !IsAsciiDigit(c) && !IsLatinLetter(c) && c != U'.') {
        return false;
      }
    }
    return false;
  }

  void AddNoise(const RawLine& line, NoiseKind kind) {
    NoiseLine noise;
    noise.kind = kind;
    noise.source_begin = source_[line.range.first];
    noise.source_end = source_[line.range.second - 1] + 1;
    noise.text = ToUtf8(View(line));
    noise.clean_position = 0;  // fixed up in Compact()
    noise_.push_back({std::move(noise), line.range.first});
  }

  // Writes the logical lines over the buffer (never ahead of the read
  // position, so this is safe in place) and shrinks it.
  LayoutResult Compact() {
    LayoutResult result;
    OffsetMap map;
    uint32_t w = 0;
    size_t noise_index = 0;
    std::sort(noise_.begin(), noise_.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const Logical& logical : logical_) {
      // Noise that sat before this paragraph points at its start.
      while (noise_index < noise_.size() &&
             noise_[noise_index].second < logical.pieces.front().first) {
        noise_[noise_index++].first.clean_position = w;
      }
      CleanLine line;
      line.begin = w;
      line.kind = logical.kind;
      for (const Range& r : logical.pieces) {
        if (&r != &logical.pieces.front()) result.joins.push_back(w);
        map.AppendRange(source_, r.first, r.second);
        for (uint32_t k = r.first; k < r.second; ++k) {
          text_[w] = text_[k];
          if (!unfolded_.empty()) unfolded_[w] = unfolded_[k];
          ++w;
        }
      }
      line.end = w;
      result.lines.push_back(line);
      text_[w] = U'\n';
      map.Push(source_[logical.pieces.back().second]);
      if (!unfolded_.empty()) unfolded_[w] = U'\n';
      ++w;
    }
    for (; noise_index < noise_.size(); ++noise_index) {
      noise_[noise_index].first.clean_position = w;
    }
    map.set_end(source_.end());
    map.ShrinkToFit();
    text_.resize(w);
    text_.shrink_to_fit();
    if (!unfolded_.empty()) {
      unfolded_.resize(w);
      unfolded_.shrink_to_fit();
    }
    result.text = std::move(text_);
    result.unfolded = std::move(unfolded_);
    result.byte_checkpoints = std::move(byte_checkpoints_);
    result.source = std::move(map);
    for (auto& n : noise_) result.noise.push_back(std::move(n.first));
    return result;
  }

  std::u32string text_;
  OffsetMap source_;
  std::u32string unfolded_;
  std::vector<uint32_t> byte_checkpoints_;
  std::vector<RawLine> lines_;
  std::vector<Logical> logical_;
  std::vector<std::pair<NoiseLine, uint32_t>> noise_;
};

}  // namespace

LayoutResult RepairLayout(NormalizedText normalized) {
  return Repairer(std::move(normalized)).Run();
}

}  // namespace govreport::parser
