#include "parser_service/extract/observation_extractor.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "parser_service/extract/lexicon.h"
#include "parser_service/extract/not_figure.h"
#include "parser_service/grammar/char_class.h"
#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

using View = std::u32string_view;

// Where a figure's subject came from.
enum class SubjectSource { kNone, kBefore, kAfter, kInherited, kDistributed };

// Candidate quantity of a line, with positions relative to the line.
struct Candidate {
  QuantityMatch q;
  FigureVerdict verdict = FigureVerdict::kNoUnit;
  bool from_value = false;  // 从260元 in 从260元提高至280元
};

// Working state for one figure while its line is read.
struct Work {
  const Candidate* cand = nullptr;
  size_t clause_begin = 0;    // after the last , ; : 。 before it
  size_t sentence_begin = 0;  // after the last 。 ! ? ; before it
  size_t seg_begin = 0;       // after the previous figure of the clause
  View subject;               // into the line, or into LineReader::storage_
  size_t subject_begin = 0, subject_end = 0;
  SubjectSource source = SubjectSource::kNone;
  View action;
  View prefix_word;         // 突破, 超 ...
  bool distribute = false;  // 分别 / 均 / 各 before the number
  bool each = false;        // 各
  size_t after_end = 0;     // end of the text read after the quantity
  ValueKind kind = ValueKind::kLevel;
  bool decrease = false;
  bool dropped = false;  // attached to another figure or not a figure
  std::optional<double> growth;
  std::optional<double> previous;
  bool ends_with_deng = false;  // "…等5条道路"
};

bool IsTrimChar(char32_t c) {
  return c == U'、' || c == U' ' || c == U'和' || c == U'及' || c == U'与' ||
         c == U'并';
}

// Trimmed from the end of a subject.
bool IsTrailingTrimChar(char32_t c) {
  return c == U'、' || c == U' ' || c == U'|';
}

// Words that stand for "the total of what was just named".
bool IsGenericSubject(std::u32string_view s) {
  return s == U"总数" || s == U"总量" || s == U"总额" || s == U"总规模" ||
         s == U"数量" || s == U"总计" || s == U"总面积";
}

}  // namespace

size_t ContentBegin(std::u32string_view line) {
  size_t p = 0;
  while (p < line.size() && (IsBulletChar(line[p]) || line[p] == U' ')) ++p;
  // 1️⃣ (a digit, U+FE0F, U+20E3): a list number of posts.
  if (p + 2 < line.size() && IsAsciiDigit(line[p]) &&
      line[p + 1] == U'\uFE0F' && line[p + 2] == U'\u20E3') {
    p += 3;
    while (p < line.size() && line[p] == U' ') ++p;
    return p;
  }
  const size_t start = p;
  // (一) / (12)
  if (p < line.size() && line[p] == U'(') {
    size_t q = p + 1;
    while (q < line.size() && q - p <= 4 && CanStartNumber(line[q])) ++q;
    if (q > p + 1 && q < line.size() && line[q] == U')') return q + 1;
  }
  // 1. / 1、 / 一、 / 12)
  size_t q = p;
  while (q < line.size() && q - p < 3 && CanStartNumber(line[q])) ++q;
  if (q > p && q < line.size() &&
      (line[q] == U'、' || line[q] == U')' ||
       (line[q] == U'.' &&
        !(q + 1 < line.size() && IsAsciiDigit(line[q + 1]))))) {
    return q + 1;
  }
  return start;
}

namespace {

// Clause boundaries, but not inside “…”.
bool IsClauseBoundary(char32_t c) {
  return c == U',' || c == U';' || c == U':' || c == U'。' || c == U'!' ||
         c == U'?' || c == U'\n';
}
bool IsSentenceBoundary(char32_t c) {
  return c == U'。' || c == U'!' || c == U'?' || c == U';' || c == U'\n';
}

class LineReader {
 public:
  LineReader() = default;
  LineReader(View line, bool target, int year) { Reset(line, target, year); }

  // Starts over on another line, keeping the buffers' capacity (one reader
  // serves every line of a report).
  void Reset(View line, bool target, int year) {
    line_ = line;
    target_ = target;
    year_ = year;
    content_begin_ = 0;
    quotes_.clear();
    candidates_.clear();
    works_.clear();
    after_subject_ = View();
    storage_.clear();
    bound_override_.clear();
    copies_.clear();
    meeting_words_.clear();
    delegate_line_ = false;
    clause_marks_.clear();
    sentence_marks_.clear();
  }

  // The words that name a wider region than the report's (by the suffix of
  // its name): in a county's report 全市 and 全省 are not the county, in a
  // city's 全省. Kept across Reset.
  void SetRegionSuffix(absl::string_view suffix) {
    other_scopes_ = {View(U"全国")};
    if (suffix == "县" || suffix == "旗" || suffix == "区") {
      for (View scope : {View(U"全市"), View(U"全省")}) {
        other_scopes_.push_back(scope);
      }
      if (suffix != "区") {
        for (View scope : {View(U"全州"), View(U"全盟")}) {
          other_scopes_.push_back(scope);
        }
      }
    } else if (suffix == "市" || suffix == "州" || suffix == "盟") {
      other_scopes_.push_back(U"全省");
    }
  }

  // Reads every figure of the line (positions relative to the line).
  std::vector<Figure> Run(std::vector<ExtractWarning>* warnings) {
    content_begin_ = ContentBegin(line_);
    FindCandidates(warnings);
    if (candidates_.empty()) return {};
    FindBoundaries();
    MarkFromValues();
    for (const Candidate& c : candidates_) {
      if (c.verdict != FigureVerdict::kFigure) continue;
      Work w;
      w.cand = &c;
      works_.push_back(std::move(w));
    }
    if (works_.empty()) return {};
    FindMeetingWords();
    delegate_line_ = IntroducesADelegate(line_);
    for (size_t i = 0; i < works_.size(); ++i) ReadFigure(i);
    Distribute();
    return Emit(warnings);
  }

 private:
  void FindCandidates(std::vector<ExtractWarning>* warnings) {
    quotes_ = ShortQuotes(line_);
    size_t i = 0;
    while (i < line_.size()) {
      const char32_t c = line_[i];
      const bool starts =
          CanStartNumber(c) &&
          (i == 0 || (!IsAsciiDigit(line_[i - 1]) && line_[i - 1] != U'.'));
      if (!starts) {
        ++i;
        continue;
      }
      std::optional<QuantityMatch> q = ReadQuantity(line_, i, 0);
      if (!q.has_value()) {
        ++i;
        continue;
      }
      Candidate cand;
      cand.q = *q;
      cand.verdict = JudgeQuantity(line_, cand.q, quotes_);
      if (cand.verdict == FigureVerdict::kNotFigureUnit &&
          CountsDays(line_, cand.q)) {
        cand.q.unit = &DayCountUnit();
        cand.verdict = JudgeQuantity(line_, cand.q, quotes_);
      }
      if (cand.verdict == FigureVerdict::kUnreadable) {
        warnings->push_back(
            {ExtractWarningCode::kUnreadableNumber,
             "number cannot be read as a figure (too many digits, exponent or "
             "out of range)",
             {static_cast<uint32_t>(q->number.begin),
              static_cast<uint32_t>(std::max(q->number.end, q->end))}});
      }
      i = std::max(q->number.end,
                   cand.verdict == FigureVerdict::kFigure ||
                           cand.verdict == FigureVerdict::kNotFigureUnit
                       ? q->end
                       : q->number.end);
      if (i <= q->number.begin) i = q->number.begin + 1;
      candidates_.push_back(std::move(cand));
    }
  }

  // 从每人每年260元提高至280元: the first value is where the change starts.
  void MarkFromValues() {
    for (Candidate& c : candidates_) {
      if (c.verdict != FigureVerdict::kFigure) continue;
      if (ChangeVerbs().MatchAt(line_, c.q.end) == 0) continue;
      // 从 opens the change a few words before the value (从每人每年260元).
      constexpr size_t kMaxLead = 16;
      const size_t clause =
          std::max(ClauseBegin(c.q.begin),
                   c.q.begin > kMaxLead ? c.q.begin - kMaxLead : size_t{0});
      const View before = line_.substr(clause, c.q.begin - clause);
      if (before.find(U'从') != View::npos ||
          before.find(U'由') != View::npos) {
        c.from_value = true;
      }
    }
  }

  // Positions of clause and sentence boundaries, found once per line so
  // that every lookup is a binary search (a long line without punctuation
  // must not make the reader quadratic).
  void FindBoundaries() {
    for (size_t i = 0; i < line_.size(); ++i) {
      if (IsClauseBoundary(line_[i])) clause_marks_.push_back(i);
      if (IsSentenceBoundary(line_[i])) sentence_marks_.push_back(i);
    }
  }
  static size_t BeginAfterMark(const std::vector<size_t>& marks, size_t pos) {
    auto it = std::lower_bound(marks.begin(), marks.end(), pos);
    return it == marks.begin() ? 0 : *(it - 1) + 1;
  }
  size_t EndAtMark(const std::vector<size_t>& marks, size_t pos) const {
    auto it = std::lower_bound(marks.begin(), marks.end(), pos);
    return it == marks.end() ? line_.size() : *it;
  }
  size_t ClauseBegin(size_t pos) const {
    return BeginAfterMark(clause_marks_, pos);
  }
  size_t SentenceBegin(size_t pos) const {
    return BeginAfterMark(sentence_marks_, pos);
  }
  size_t ClauseEnd(size_t pos) const { return EndAtMark(clause_marks_, pos); }

  // The candidate whose quantity starts at `pos`, or nullptr.
  const Candidate* CandidateAt(size_t pos) const {
    auto it = std::lower_bound(
        candidates_.begin(), candidates_.end(), pos,
        [](const Candidate& c, size_t p) { return c.q.begin < p; });
    return it != candidates_.end() && it->q.begin == pos ? &*it : nullptr;
  }

  void ReadFigure(size_t index) {
    Work& w = works_[index];
    const QuantityMatch& q = w.cand->q;
    w.clause_begin = ClauseBegin(q.begin);
    w.sentence_begin = SentenceBegin(q.begin);
    w.seg_begin = w.clause_begin;
    Work* prev = index > 0 ? &works_[index - 1] : nullptr;
    if (prev != nullptr && prev->clause_begin == w.clause_begin) {
      w.seg_begin = std::max(w.seg_begin, prev->cand->q.end);
      // 16个老旧小区、39条背街小巷: the previous subject is not ours.
      if (prev->source == SubjectSource::kAfter) {
        w.seg_begin = std::max(w.seg_begin, prev->subject_end);
      }
    }
    if (q.prefix_length > 0) {
      w.prefix_word = line_.substr(q.begin, q.prefix_length);
    }
    ReadBefore(&w);
    ReadAfter(index, &w);
    ChooseSubject(prev, &w);
    if (CheckThreshold(prev, &w)) return;
    CheckLeadingThreshold(prev, &w);
    AttachGrowth(prev, &w);
    AttachChange(prev, &w);
  }

  // Splits the text before the number into modifiers, verb and subject.
  void ReadBefore(Work* w) {
    const QuantityMatch& q = w->cand->q;
    size_t b = std::max(w->seg_begin, content_begin_), e = q.begin;
    while (b < e && IsTrimChar(line_[b])) ++b;
    b = SkipTimeExpression(b, e);
    // From-values: the subject ends at 从 (从每人每年260元).
    if (w->cand->from_value) {
      const View seg = line_.substr(b, e - b);
      size_t from = seg.rfind(U'从');
      if (from == View::npos) from = seg.rfind(U'由');
      if (from != View::npos) e = b + from;
    }
    e = StripInnerWords(b, e, w);
    // 黄河路西延等5条道路: the list before 等 names examples, the subject
    // follows the classifier.
    if (e > b && line_[e - 1] == U'等') {
      w->ends_with_deng = true;
      return;
    }
    View leading_verb;
    b = StripLeadingWords(b, e, &leading_verb);
    if (w->action.empty()) w->action = leading_verb;
    // 以“六朵金花”为主的中药材: the noun after the last 的.
    const View seg = line_.substr(b, e - b);
    const size_t de = seg.rfind(U'的');
    if (de != View::npos && seg.size() - de - 1 >= 2) b += de + 1;
    while (e > b && IsTrailingTrimChar(line_[e - 1])) --e;
    if (e > b &&
        (HasHan(line_.substr(b, e - b)) || IsAcronym(line_.substr(b, e - b)))) {
      w->subject = line_.substr(b, e - b);
      w->subject_begin = b;
      w->subject_end = e;
      w->source = SubjectSource::kBefore;
    } else {
      ReadLabel(b, e, w);
    }
  }

  // "地区生产总值:632.5亿元": with nothing to name it between a colon and
  // the number, the label before the colon is the subject. Not a colon that
  // opens a list (主要预期目标是:地区生产总值增长6%), whose items name
  // themselves.
  void ReadLabel(size_t b, size_t e, Work* w) {
    for (size_t k = b; k < e; ++k) {
      if (IsHan(line_[k]) && !IsTrimChar(line_[k])) return;  // words between
    }
    size_t colon = w->seg_begin;
    if (colon == 0 || line_[colon - 1] != U':') return;
    --colon;
    constexpr size_t kMaxLabel = 24;
    size_t start = colon;
    while (start > 0 && colon - start < kMaxLabel &&
           !IsClauseBreak(line_[start - 1]) && line_[start - 1] != U'、') {
      --start;
    }
    while (start < colon && IsTrimChar(line_[start])) ++start;
    const View label = line_.substr(start, colon - start);
    if (label.size() < 2 || !HasHan(label) || label.back() == U'是' ||
        label.back() == U'为' || label.back() == U'下' ||
        (start > 0 && !IsClauseBreak(line_[start - 1]) &&
         line_[start - 1] != U'、')) {
      return;
    }
    w->subject = label;
    w->subject_begin = start;
    w->subject_end = colon;
    w->source = SubjectSource::kBefore;
  }

  // Strips, from the end of [b, e), the words between a subject and its
  // number: growth words (增长), change verbs (提高至), inner verbs (达到,
  // 稳定在, 分别, 均为). Records them in `w`; returns the new end.
  size_t StripInnerWords(size_t b, size_t e, Work* w) const {
    const QuantityMatch& q = w->cand->q;
    const bool percent = q.unit->kind == UnitKind::kPercent;
    while (e > b) {
      if (size_t n = GrowthWords().MatchEndingAt(line_, e);
          percent && n > 0 && e - n >= b) {
        // 提高0.2个百分点 is a change; 增长6% a growth rate.
        w->kind = q.unit->base == U"百分点" ? ValueKind::kChange
                                            : ValueKind::kGrowthRate;
        w->action = line_.substr(e - n, n);
        w->decrease = IsDecreaseWord(w->action);
        e -= n;
      } else if (size_t n = GrowthWords().MatchEndingAt(line_, e);
                 !percent && n >= 2 && e - n >= b && w->action.empty()) {
        // 补助标准提高30元: a change by an amount, not a level.
        w->kind = ValueKind::kChange;
        w->action = line_.substr(e - n, n);
        e -= n;
      } else if (size_t n = ChangeVerbs().MatchEndingAt(line_, e);
                 n > 0 && e - n >= b) {
        if (w->action.empty()) w->action = line_.substr(e - n, n);
        e -= n;
      } else if (size_t n = InnerVerbs().MatchEndingAt(line_, e);
                 n > 0 && e - n >= b) {
        const View word = line_.substr(e - n, n);
        if (word.find(U"分别") != View::npos ||
            word.find(U'均') != View::npos || word == U"各") {
          w->distribute = true;
          w->each |= word == U"各";
        } else if (w->action.empty() && word != U"约" && word != U"近") {
          w->action = word;
        }
        e -= n;
      } else if (size_t n = RateQualifierEndingAt(b, e); n > 0) {
        e -= n;  // 提高至每人每月620元: the rate belongs to the unit
      } else {
        break;
      }
    }
    return e;
  }

  // Length of the rate qualifier (每人每年, 每亩, 每户) ending at `e`, or 0.
  size_t RateQualifierEndingAt(size_t b, size_t e) const {
    size_t k = e;
    while (k >= b + 2 && line_[k - 2] == U'每' &&
           std::u32string_view(U"人户亩年月日天名家").find(line_[k - 1]) !=
               std::u32string_view::npos) {
      k -= 2;
    }
    return e - k;
  }

  // Strips leading modifiers and verbs from [b, e); returns the new begin and
  // sets *verb to the last verb stripped. A place modifier counts only before
  // a verb or another modifier (高标准实施 vs 高标准农田); a verb followed by
  // 及/和 is a noun (造林及林质提升).
  size_t StripLeadingWords(size_t b, size_t e, View* verb_out) const {
    const View upto = line_.substr(0, e);
    // 为60周岁以上老人发放高龄津贴: a prepositional phrase before the verb.
    if (b < e && (line_[b] == U'为' || line_[b] == U'对' || line_[b] == U'向' ||
                  line_[b] == U'给')) {
      for (size_t k = b + 2; k + 1 < e && k <= b + 16; ++k) {
        if (line_[k] == U',' || line_[k] == U'、') break;
        if (const size_t verb = ActionVerbs().MatchAt(upto, k);
            verb > 0 && k + verb < e) {
          *verb_out = line_.substr(k, verb);
          b = k + verb;
          break;
        }
      }
    }
    while (b < e) {
      // “报告说今年…1500个,…”: a quotation opens and the subject has not
      // begun. Not “四上”企业, a quoted name closed before the figure.
      if (line_[b] == U'“' || line_[b] == U'‘' || line_[b] == U'「' ||
          line_[b] == U'『') {
        const View rest = line_.substr(b + 1, e - b - 1);
        if (rest.find_first_of(U"”’」』") == View::npos) {
          ++b;
          continue;
        }
      }
      const size_t verb = ActionVerbs().MatchAt(upto, b);
      const size_t mod = LeadingModifiers().MatchAt(upto, b);
      const size_t place = PlaceModifiers().MatchAt(upto, b);
      if (verb > 0 && verb >= mod && verb >= place) {
        const char32_t next = b + verb < e ? line_[b + verb] : U'\0';
        if (next == U'及' || next == U'和' || next == U'与' || next == U'、') {
          break;
        }
        *verb_out = line_.substr(b, verb);
        b += verb;
      } else if (mod > 0 && mod >= place) {
        b += mod;
      } else if (place > 0 &&
                 (b + place == e ||
                  ActionVerbs().MatchAt(upto, b + place) > 0 ||
                  LeadingModifiers().MatchAt(upto, b + place) > 0)) {
        b += place;
      } else {
        break;
      }
    }
    return b;
  }

  // 连续5年, 3年来, 2023年: a time expression opening the clause.
  size_t SkipTimeExpression(size_t b, size_t e) const {
    size_t p = b;
    if (line_.substr(p, 2) == U"连续") p += 2;
    const Candidate* c = CandidateAt(p);
    if (c != nullptr && c->verdict == FigureVerdict::kNotFigureUnit &&
        c->q.end <= e) {
      p = c->q.end;
      if (line_.substr(p, 1) == U"来" || line_.substr(p, 1) == U"内") ++p;
      while (p < e && (line_[p] == U',' || line_[p] == U' ')) ++p;
      return p;
    }
    return b;
  }

  // Stores a made-up subject for the life of the reader; returns a view.
  View Keep(std::u32string subject) {
    storage_.push_back(std::make_unique<std::u32string>(std::move(subject)));
    return *storage_.back();
  }

  static bool HasHan(View v) {
    return std::any_of(v.begin(), v.end(), [](char32_t c) { return IsHan(c); });
  }
  // GDP, CPI: an indicator written as a Latin acronym.
  static bool IsAcronym(View v) {
    return v.size() >= 2 && v.size() <= 5 &&
           std::all_of(v.begin(), v.end(),
                       [](char32_t c) { return c >= U'A' && c <= U'Z'; });
  }

  // The noun after the classifier: 建成20个中医诊疗康养服务中心.
  void ReadAfter(size_t index, Work* w) {
    const QuantityMatch& q = w->cand->q;
    size_t e = ClauseEnd(q.end);
    if (index + 1 < works_.size()) {
      e = std::min(e, static_cast<size_t>(works_[index + 1].cand->q.begin));
    }
    // Stop at a 、 that leads to another number in the clause.
    for (size_t k = q.end; k < e; ++k) {
      if (line_[k] != U'、') continue;
      size_t j = k + 1;
      while (j < e && !CanStartNumber(line_[j]) && line_[j] != U'、') ++j;
      if (j < e && CanStartNumber(line_[j]) && IsAsciiDigit(line_[j])) {
        e = k;
        break;
      }
    }
    w->after_end = e;
    size_t b = q.end;
    // 100名0至14岁残疾儿童: an age or date range qualifies the subject.
    // A grade stays: 两个百亿级产业集群 counts 百亿级产业集群.
    if (const Candidate* c = CandidateAt(b);
        c != nullptr && c->verdict != FigureVerdict::kFigure &&
        !(c->q.unit != nullptr && c->q.unit->text == U"级")) {
      b = std::min(e, std::max(b, c->q.end));
    }
    if (b < e && line_[b] == U'的') ++b;
    while (b < e && IsTrimChar(line_[b])) ++b;
    // Trim predicates that close the phrase: 完成改造, 顺利通车.
    size_t end = e;
    while (end > b) {
      const size_t n = TrailingPredicates().MatchEndingAt(line_, end);
      if (n == 0 || end - n < b + 2) break;
      end -= n;
    }
    while (end > b && IsTrailingTrimChar(line_[end - 1])) --end;
    if (end > b &&
        (IsHan(line_[b]) || IsLatinLetter(line_[b]) || IsOpenQuote(line_[b])) &&
        HasHan(line_.substr(b, end - b))) {
      after_subject_ = line_.substr(b, end - b);
      after_begin_ = b;
      after_end_ = end;
    } else {
      after_subject_ = View();
    }
  }

  // 在蒲麻镇、闾井镇各建设1个万头肉牛养殖小区: where a place (在…) or 各
  // stands before the verb, the verb right before a count takes the noun
  // after it as its object. Not 老旧小区改造94个 or 免费筛查2.5万人, where
  // the noun before the verb is the subject.
  bool VerbRightBefore(const Work& w) const {
    const size_t pos = w.cand->q.begin;
    size_t verb = CountingVerbs().MatchEndingAt(line_, pos);
    verb = std::max(verb, ActionVerbs().MatchEndingAt(line_, pos));
    if (verb == 0 || pos - verb <= w.seg_begin) return false;
    const size_t before = pos - verb;
    return line_[before - 1] == U'各' || line_[w.seg_begin] == U'在';
  }

  // 完成岷阳镇、茶埠镇、十里镇3个乡镇集镇风貌改造: the count counts the names
  // listed just before it, and the noun after it says what they are.
  bool CountsTheListBefore(const Work& w) const {
    const QuantityMatch& q = w.cand->q;
    if (q.bound != Bound::kExact || q.value < 2 || q.value > 20) return false;
    const View before = line_.substr(w.seg_begin, q.begin - w.seg_begin);
    if (before.empty() || !IsHan(before.back())) return false;
    size_t items = 1;
    for (size_t k = before.size(); k-- > 0;) {
      const char32_t c = before[k];
      if (c == U'、') {
        ++items;
      } else if (!IsHan(c)) {
        break;
      }
    }
    return items >= 2 && static_cast<double>(items) == q.value;
  }

  void ChooseSubject(const Work* prev, Work* w) {
    const QuantityMatch& q = w->cand->q;
    const bool count = q.unit->kind == UnitKind::kCount;
    const bool verb_before = !w->action.empty() || w->seg_begin == q.begin;
    const bool measure = q.unit->kind == UnitKind::kMeasure;
    const bool use_after =
        !after_subject_.empty() && (count || measure) &&
        (w->ends_with_deng || w->each ||
         (w->source != SubjectSource::kBefore &&
          (count || (measure && verb_before))) ||
         (count && (VerbRightBefore(*w) || CountsTheListBefore(*w))));
    if (use_after) {
      w->subject = after_subject_;
      w->subject_begin = after_begin_;
      w->subject_end = after_end_;
      w->source = SubjectSource::kAfter;
      return;
    }
    // 总数达到21家: a generic word names the total of the previous subject.
    if (w->source == SubjectSource::kBefore && prev != nullptr &&
        prev->sentence_begin == w->sentence_begin && !prev->subject.empty() &&
        IsGenericSubject(w->subject)) {
      w->subject =
          Keep(std::u32string(prev->subject) + std::u32string(w->subject));
    }
    if (w->source == SubjectSource::kBefore) {
      // 新建公园6座、公厕15座: one verb over the list.
      if (w->action.empty() && prev != nullptr &&
          prev->clause_begin == w->clause_begin) {
        w->action = prev->action;
      }
      return;
    }
    // Ellipsis: inherit the subject of the previous figure of the sentence.
    if (prev != nullptr && prev->sentence_begin == w->sentence_begin &&
        !prev->subject.empty()) {
      w->subject = prev->subject;
      w->source = SubjectSource::kInherited;
      if (w->action.empty() && prev->clause_begin == w->clause_begin) {
        w->action = prev->action;
      }
      return;
    }
    // 实现95%以上政务服务事项“一次办好”: nothing before, a noun after.
    if (!after_subject_.empty()) {
      w->subject = after_subject_;
      w->subject_begin = after_begin_;
      w->subject_end = after_end_;
      w->source = SubjectSource::kAfter;
      return;
    }
    if (!w->action.empty()) {
      w->subject = w->action;
      w->source = SubjectSource::kInherited;
    }
  }

  // 33个行政村集体经济收入突破100万元: the amount qualifies the villages.
  bool CheckThreshold(Work* prev, Work* w) {
    const QuantityMatch& q = w->cand->q;
    if (prev == nullptr || prev->source != SubjectSource::kAfter ||
        prev->clause_begin != w->clause_begin || prev->after_end != q.begin ||
        q.prefix_length == 0) {
      return false;
    }
    w->dropped = true;
    // The threshold belongs to the subject: 行政村集体经济收入突破100万元.
    prev->subject_end = q.end;
    prev->subject =
        line_.substr(prev->subject_begin, q.end - prev->subject_begin);
    return true;
  }

  // 30户以上自然村通硬化路比例达到100%: a threshold (以上/以下) opening the
  // phrase that names the next figure of the clause qualifies that subject.
  void CheckLeadingThreshold(Work* prev, Work* w) {
    if (prev == nullptr || prev->dropped ||
        prev->source != SubjectSource::kAfter ||
        prev->clause_begin != w->clause_begin ||
        prev->after_end != w->cand->q.begin) {
      return;
    }
    const QuantityMatch& t = prev->cand->q;
    if (t.prefix_length != 0 ||
        (t.bound != Bound::kAtLeast && t.bound != Bound::kAtMost)) {
      return;
    }
    size_t end = w->cand->q.begin;
    if (const size_t verb = InnerVerbs().MatchEndingAt(line_, end);
        verb > 0 && end - verb > t.end) {
      end -= verb;
    }
    prev->dropped = true;
    w->subject_begin = t.begin;
    w->subject_end = end;
    w->subject = line_.substr(t.begin, end - t.begin);
    w->source = SubjectSource::kBefore;
  }

  // 地区生产总值542亿元、增长0.5%: the rate rides on the level.
  void AttachGrowth(Work* prev, Work* w) {
    if (w->kind != ValueKind::kGrowthRate || IsMultiYearRate(*w) ||
        prev == nullptr || prev->dropped || prev->kind != ValueKind::kLevel ||
        prev->sentence_begin != w->sentence_begin ||
        w->source == SubjectSource::kBefore ||
        prev->cand->q.unit->kind == UnitKind::kPercent) {
      return;
    }
    // Only punctuation between the level and the growth word.
    const size_t gap_begin = prev->cand->q.end;
    const size_t gap_end = w->cand->q.begin;
    for (size_t k = gap_begin; k < gap_end; ++k) {
      const char32_t c = line_[k];
      if (c == U'、' || c == U',' || c == U' ' || c == U'(') continue;
      if (GrowthWords().MatchAt(line_, k) > 0) {
        k += GrowthWords().MatchAt(line_, k) - 1;
        continue;
      }
      if (c == U'同' || c == U'比' || c == U'上' || c == U'年' || c == U'去') {
        continue;
      }
      return;
    }
    const double v = w->cand->q.value;
    prev->growth = w->decrease ? -v : v;
    w->dropped = true;
  }

  // 从260元提高至280元: the new level remembers where it started.
  void AttachChange(Work* prev, Work* w) {
    if (prev == nullptr || !prev->cand->from_value ||
        prev->clause_begin != w->clause_begin) {
      return;
    }
    w->previous = prev->cand->q.value;
    if (w->source != SubjectSource::kBefore) {
      w->subject = prev->subject;
      w->source = SubjectSource::kInherited;
    }
  }

  // Figures after `i` that continue a list: only 、/和/及/与 between them.
  std::vector<size_t> ListFrom(size_t i, size_t max_size) const {
    std::vector<size_t> list = {i};
    for (size_t j = i + 1; j < works_.size() && list.size() < max_size; ++j) {
      const size_t gap_b = works_[j - 1].cand->q.end;
      const size_t gap_e = works_[j].cand->q.begin;
      if (gap_e != gap_b + 1) break;
      const char32_t c = line_[gap_b];
      if (c != U'、' && c != U'和' && c != U'及' && c != U'与') break;
      list.push_back(j);
    }
    return list;
  }

  // 牛、羊饲养量分别稳定在15万头、30万只以上 / 开工率、达产率均为100% /
  // 城乡居民人均可支配收入分别增长5.5%和7.8%.
  void Distribute() {
    for (size_t i = 0; i < works_.size(); ++i) {
      Work& w = works_[i];
      if (!w.distribute || w.dropped) continue;
      if (w.source != SubjectSource::kBefore) {
        DistributeGrowth(i);
        continue;
      }
      std::vector<size_t> list = ListFrom(i, 16);
      std::vector<std::u32string> items = SplitItems(w.subject, list.size());
      if (items.size() < 2) continue;
      if (list.size() >= items.size()) {
        list.resize(items.size());
        const Bound last = works_[list.back()].cand->q.bound;
        for (size_t k = 0; k < list.size(); ++k) {
          Work& t = works_[list[k]];
          t.subject = Keep(std::move(items[k]));
          t.source = SubjectSource::kDistributed;
          if (t.action.empty()) t.action = w.action;
          if (last != Bound::kExact && t.cand->q.bound == Bound::kExact) {
            bound_override_[list[k]] = last;
          }
        }
      } else if (list.size() == 1) {
        // One value for every item: emit a copy per item.
        copies_[i] = items;
      }
    }
  }

  // 城镇…38200元,农村…19800元,分别增长5.5%和7.8%: each rate rides on one of
  // the levels before it, in order.
  // 年均增长6.8%: an average over several years, a figure of its own and
  // not the growth of the level beside it.
  static bool IsMultiYearRate(const Work& w) {
    return w.action.find(U"年均") != View::npos;
  }

  void DistributeGrowth(size_t i) {
    if (works_[i].kind != ValueKind::kGrowthRate ||
        IsMultiYearRate(works_[i])) {
      return;
    }
    std::vector<size_t> rates = ListFrom(i, 8);
    if (rates.size() < 2) return;
    std::vector<size_t> levels;
    constexpr size_t kLookBack = 32;
    for (size_t j = i;
         j-- > 0 && levels.size() < rates.size() && i - j <= kLookBack;) {
      const Work& l = works_[j];
      if (l.sentence_begin != works_[i].sentence_begin) break;
      if (l.dropped || l.kind != ValueKind::kLevel || l.growth.has_value() ||
          l.cand->q.unit->kind == UnitKind::kPercent) {
        continue;
      }
      levels.insert(levels.begin(), j);
    }
    if (levels.size() != rates.size()) return;
    for (size_t k = 0; k < rates.size(); ++k) {
      Work& rate = works_[rates[k]];
      const double v = rate.cand->q.value;
      works_[levels[k]].growth = rate.decrease || works_[i].decrease ? -v : v;
      rate.dropped = true;
    }
  }

  // Splits "牛、羊饲养量" into 牛饲养量 and 羊饲养量 (a shared head noun is
  // written once, after the last item).
  static std::vector<std::u32string> SplitItems(View subject, size_t values) {
    std::vector<std::u32string> items;
    size_t start = 0;
    for (size_t k = 0; k <= subject.size(); ++k) {
      if (k == subject.size() || subject[k] == U'、') {
        if (k > start) items.emplace_back(subject.substr(start, k - start));
        start = k + 1;
      }
    }
    // 城乡居民收入 over two values: 城镇居民收入 and 农村居民收入.
    if (items.size() == 1 && values == 2 && subject.rfind(U"城乡", 0) == 0) {
      const std::u32string rest(subject.substr(2));
      return {U"城镇" + rest, U"农村" + rest};
    }
    if (items.size() < 2) return items;
    const size_t first = items.front().size();
    std::u32string& last = items.back();
    if (first <= 2 && last.size() > first + 1) {
      const std::u32string head = last.substr(first);
      for (size_t k = 0; k + 1 < items.size(); ++k) {
        if (items[k].size() <= 2) items[k] += head;
      }
    }
    return items;
  }

  // 应到代表218名,实到206名: attendance and votes are facts of the meeting,
  // not indicators of the region.
  // A meeting word in the figure's own clause, or anywhere in its sentence
  // when it counts people or votes (出席会议的代表…206名); 会议表决产生十件
  // 民生实事,总投资约9.8亿元 is about the projects.
  // A person speaking of themselves (我带来了3件建议) or of their own
  // community (我们社区有老旧小区9个) in an interview: not the region's
  // figures. Reports say 我们, 我县, 我市 of the region, which stay.
  // Only what is said before the figure counts: 报告说今年全区要新增托位
  // 1500个,我们街道一定办好 restates the report.
  bool SpokenForOneself(const Work& w) const {
    // 报告说全县要突破2300万人次,我们村争取贡献10万人次: the speaker's own
    // clause, whatever the sentence cited before it.
    const View clause =
        line_.substr(w.clause_begin, w.cand->q.end - w.clause_begin);
    if (OwnUnitAt(clause)) return true;
    const View sentence =
        line_.substr(w.sentence_begin, w.cand->q.end - w.sentence_begin);
    if (sentence.find(U"报告") != View::npos) return false;
    if (OwnUnitAt(sentence)) return true;
    // 我 alone is the speaker; 我们 (and 我县, 我市…) may be the region.
    for (size_t at = sentence.find(U'我'); at != View::npos;
         at = sentence.find(U'我', at + 1)) {
      const View rest = sentence.substr(at + 1);
      if (rest.empty()) return true;
      if (View(U"们县市区州省国镇乡旗").find(rest.front()) == View::npos) {
        return true;
      }
    }
    return false;
  }

  // A delegate's paragraph in a newspaper page (区人大代表、某某书记马丽娟
  // 说…): the figures are the speaker's own (their street, company, school)
  // unless the sentence, up to the figure, cites the report or speaks of
  // the whole region (报告提出今年新增400家, 全区高新技术企业已有2863家);
  // and what they propose (他建议…, 希望…) is not the region's either.
  bool FromADelegate(const Work& w) const {
    if (!delegate_line_) return false;
    const size_t e = EndAtMark(sentence_marks_, w.cand->q.end);
    const View sentence = line_.substr(w.sentence_begin, e - w.sentence_begin);
    for (View wish : {View(U"建议"), View(U"希望"), View(U"呼吁"),
                      View(U"提议"), View(U"期待")}) {
      if (sentence.find(wish) != View::npos) return true;
    }
    // A citation carries on to the end of the sentence (报告提出今年新增托位
    // 300个,新增养老床位300张); a clause of the speaker's own unit after it
    // is theirs (SpokenForOneself).
    const View before =
        line_.substr(w.sentence_begin, w.cand->q.end - w.sentence_begin);
    for (View cite : {View(U"报告"), View(U"全区"), View(U"全县"),
                      View(U"全市"), View(U"全州"), View(U"全旗")}) {
      if (before.find(cite) != View::npos) return false;
    }
    return true;
  }

  // 同期,全市地区生产总值增长3.1%,全省增长4.4%: a wider region's figure,
  // given for comparison (its clause names the wider region).
  bool OfAWiderRegion(const Work& w) const {
    const View clause =
        line_.substr(w.clause_begin, w.cand->q.begin - w.clause_begin);
    for (View scope : other_scopes_) {
      if (clause.find(scope) != View::npos) return true;
    }
    return false;
  }

  // A line that introduces a delegate or CPPCC member speaking: the title
  // set off by 、 (区人大代表、…) or followed by a name and a speech verb
  // (市政协委员王芳表示).
  static bool IntroducesADelegate(View line) {
    for (View title : {View(U"人大代表"), View(U"政协委员")}) {
      for (size_t at = line.find(title); at != View::npos;
           at = line.find(title, at + 1)) {
        const size_t after = at + title.size();
        if (after < line.size() && line[after] == U'、') return true;
        const View rest = line.substr(after, 7);
        for (View verb : {View(U"说"), View(U"表示"), View(U"介绍"),
                          View(U"认为"), View(U"谈到")}) {
          const size_t v = rest.find(verb);
          if (v != View::npos && v >= 2 &&
              rest.substr(0, v).find_first_of(U"，。、,") == View::npos) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // 我们村, 我们社区, 我们公司…: a speaker's own unit named in `text`.
  static bool OwnUnitAt(View text) {
    for (size_t at = text.find(U"我们"); at != View::npos;
         at = text.find(U"我们", at + 2)) {
      const View rest = text.substr(at + 2);
      for (View unit : {U"社区", U"村", U"街道", U"小区", U"单位", U"公司",
                        U"学校", U"企业", U"医院", U"乡", U"镇"}) {
        if (rest.substr(0, unit.size()) == unit) return true;
      }
    }
    return false;
  }

  // 报告中“民生”一词出现了38次,比去年多9次: counts of words in a text,
  // not figures.
  bool CountsWords(const Work& w) const {
    if (w.cand->q.unit->text != U"次") return false;
    const View clause =
        line_.substr(w.sentence_begin, w.cand->q.begin - w.sentence_begin);
    for (View word : {View(U"一词"), View(U"出现"), View(U"提到"),
                      View(U"提及"), View(U"报告多")}) {
      if (clause.find(word) != View::npos) return true;
    }
    return false;
  }

  bool AboutTheMeeting(const Work& w) const {
    if (meeting_words_.empty()) return false;
    const QuantityMatch& q = w.cand->q;
    // Anywhere in the figure's clause (从20个候选项目中票决产生), which a
    // space also ends (a headline's two parts).
    size_t clause_end = ClauseEnd(q.end);
    const size_t space = line_.find(U' ', q.end);
    if (space != View::npos) clause_end = std::min(clause_end, space);
    auto it = std::lower_bound(meeting_words_.begin(), meeting_words_.end(),
                               w.clause_begin);
    if (it != meeting_words_.end() && *it < clause_end) return true;
    const std::u32string_view unit = q.unit->text;
    if (unit != U"名" && unit != U"人" && unit != U"票" && unit != U"位") {
      return false;
    }
    const size_t e = EndAtMark(sentence_marks_, q.end);
    it = std::lower_bound(meeting_words_.begin(), meeting_words_.end(),
                          w.sentence_begin);
    return it != meeting_words_.end() && *it < e;
  }

  // 高于全省平均水平1.2个百分点, 增速比全省高1.2个百分点, 相当于全省平均水平的
  // 1.2倍: a comparison with a benchmark, not a figure of the region. So is a
  // margin over a target (超出省定目标0.3万人), and the number of peers in a
  // ranking (在全省11个设区市中排第6位).
  bool ComparesWithBenchmark(const Work& w) const {
    const QuantityMatch& q = w.cand->q;
    const View before = line_.substr(w.seg_begin, q.begin - w.seg_begin);
    for (View word : {View(U"超出"), View(U"高出"), View(U"超过")}) {
      const size_t at = before.find(word);
      if (at != View::npos && before.substr(at).find(U"目标") != View::npos) {
        return true;
      }
    }
    if (before.find(U"在全") != View::npos) {
      const View after = line_.substr(q.end, ClauseEnd(q.end) - q.end);
      const size_t among = after.find(U'中');
      if (among != View::npos &&
          after.substr(among).find_first_of(U"排居列") != View::npos) {
        return true;
      }
    }
    if (q.unit->kind != UnitKind::kPercent && q.unit->text != U"倍") {
      return false;
    }
    for (View word : {View(U"高于"), View(U"低于"), View(U"快于"),
                      View(U"慢于"), View(U"超出"), View(U"领先"),
                      View(U"高出"), View(U"相当于"), View(U"比全")}) {
      const size_t at = before.find(word);
      if (at == View::npos) continue;
      const View rest = before.substr(at);
      for (View benchmark : {View(U"全国"), View(U"全省"), View(U"全市"),
                             View(U"全县"), View(U"全区"), View(U"平均")}) {
        if (rest.find(benchmark) != View::npos) return true;
      }
    }
    return false;
  }

  // Where the line speaks of attendance or votes (looked up once per line).
  void FindMeetingWords() {
    // Attendance, votes, and the motions and speeches of the session.
    static constexpr View kWords[] = {
        U"出席",     U"列席",   U"应到",     U"实到", U"到会", U"参加会议",
        U"表决",     U"票当选", U"参会",     U"与会", U"提案", U"立案",
        U"大会发言", U"议案",   U"代表建议", U"票决"};
    // One pass: most characters open none of the words.
    for (size_t at = 0; at < line_.size(); ++at) {
      const char32_t c = line_[at];
      if (c != U'出' && c != U'列' && c != U'应' && c != U'实' && c != U'到' &&
          c != U'参' && c != U'表' && c != U'票' && c != U'与' && c != U'提' &&
          c != U'立' && c != U'大' && c != U'议' && c != U'代') {
        continue;
      }
      for (View word : kWords) {
        if (word.front() == c && line_.compare(at, word.size(), word) == 0) {
          meeting_words_.push_back(at);
          break;
        }
      }
    }
  }

  std::vector<Figure> Emit(std::vector<ExtractWarning>* warnings) {
    std::vector<Figure> figures;
    figures.reserve(works_.size());
    for (size_t i = 0; i < works_.size(); ++i) {
      const Work& w = works_[i];
      if (w.dropped || w.cand->from_value || AboutTheMeeting(w) ||
          SpokenForOneself(w) || FromADelegate(w) || ComparesWithBenchmark(w) ||
          OfAWiderRegion(w) || CountsWords(w)) {
        continue;
      }
      Figure f = MakeFigure(i, w);
      if (f.subject.empty()) {
        warnings->push_back({ExtractWarningCode::kNoSubject,
                             "figure without a subject", f.quantity});
      }
      auto copies = copies_.find(i);
      if (copies == copies_.end()) {
        figures.push_back(std::move(f));
        continue;
      }
      for (const std::u32string& item : copies->second) {
        Figure copy = f;
        copy.subject = ToUtf8(item);
        figures.push_back(std::move(copy));
      }
    }
    return figures;
  }

  Figure MakeFigure(size_t i, const Work& w) const {
    const QuantityMatch& q = w.cand->q;
    Figure f;
    f.quantity = {static_cast<uint32_t>(q.begin), static_cast<uint32_t>(q.end)};
    size_t raw_b = q.begin, raw_e = q.end;
    if (w.source == SubjectSource::kBefore ||
        w.source == SubjectSource::kInherited ||
        w.source == SubjectSource::kDistributed) {
      raw_b = w.seg_begin;
      while (raw_b < q.begin && IsTrimChar(line_[raw_b])) ++raw_b;
      if (w.source == SubjectSource::kBefore)
        raw_b = std::min(raw_b, w.subject_begin);
    }
    if (w.source == SubjectSource::kAfter) {
      raw_e = std::max(raw_e, w.subject_end);
      if (!w.ends_with_deng) {
        raw_b = w.seg_begin;
        while (raw_b < q.begin && IsTrimChar(line_[raw_b])) ++raw_b;
      }
    }
    raw_b =
        std::max(raw_b, std::min(content_begin_, static_cast<size_t>(q.begin)));
    f.raw = {static_cast<uint32_t>(raw_b), static_cast<uint32_t>(raw_e)};
    f.subject = ToUtf8(w.subject);
    f.action = ToUtf8(w.action.empty() ? w.prefix_word : w.action);
    f.value = q.value;
    f.bound = q.bound;
    if (auto it = bound_override_.find(i); it != bound_override_.end()) {
      f.bound = it->second;
    }
    if (q.upper.has_value()) f.upper = q.upper_value;
    f.unit = ToUtf8(q.unit->base);
    f.unit_text = ToUtf8(line_.substr(q.unit_begin, q.unit_end - q.unit_begin));
    f.multiplier_exponent = q.number.multiplier_exponent;
    f.original_text = ToUtf8(line_.substr(q.begin, q.end - q.begin));
    f.value_kind = w.kind;
    if ((w.kind == ValueKind::kGrowthRate ||
         (w.kind == ValueKind::kChange && q.unit->base == U"百分点")) &&
        w.decrease) {
      // 下降3.2% is a growth rate of -3.2%, as a level's growth_percent is,
      // and 下降0.3个百分点 a change of -0.3; a bound turns over with the
      // sign (下降5%以上: at most -5%).
      const double lower = f.value;
      f.value = -lower;
      if (f.upper.has_value()) {  // 下降2%至3%: from -3% to -2%
        f.value = -*f.upper;
        *f.upper = -lower;
      }
      switch (f.bound) {
        case Bound::kAtLeast:
          f.bound = Bound::kAtMost;
          break;
        case Bound::kAtMost:
          f.bound = Bound::kAtLeast;
          break;
        case Bound::kMoreThan:
          f.bound = Bound::kLessThan;
          break;
        case Bound::kLessThan:
          f.bound = Bound::kMoreThan;
          break;
        default:
          break;
      }
    }
    if (w.previous.has_value() && w.kind == ValueKind::kLevel) {
      f.previous_value = w.previous;
    }
    f.growth_percent = w.growth;
    f.target = target_;
    f.year = year_;
    return f;
  }

  View line_;
  bool target_ = true;
  int year_ = 0;
  size_t content_begin_ = 0;  // after a bullet or list number
  std::vector<TextRange> quotes_;
  std::vector<Candidate> candidates_;
  std::vector<Work> works_;
  View after_subject_;
  // Subjects made up by distribution (牛饲养量); a deque keeps them in place.
  // Allocated only when a subject has to be made up; the strings never move.
  std::vector<std::unique_ptr<std::u32string>> storage_;
  size_t after_begin_ = 0, after_end_ = 0;
  std::map<size_t, Bound> bound_override_;
  std::vector<size_t> meeting_words_;
  bool delegate_line_ = false;      // IntroducesADelegate(line_)
  std::vector<View> other_scopes_;  // see SetRegionSuffix
  std::vector<size_t> clause_marks_;
  std::vector<size_t> sentence_marks_;
  std::map<size_t, std::vector<std::u32string>> copies_;
};

// Kind and year of a paragraph from its section and its own opening words.
struct Context {
  bool target = true;
  int year = 0;
};

bool StartsWith(View s, View p) { return s.substr(0, p.size()) == p; }

// Default kind and year of a section's figures.
Context SectionContext(const SectionInfo* section, int report_year) {
  Context c;
  c.year = report_year;
  if (section != nullptr) {
    c.year = section->year ? section->year : report_year;
    c.target = section->type != SectionType::kReview;
  }
  return c;
}

// A time cue at the start of a clause ("2023年,", "今年", "过去一年") or a
// target cue ("预期目标"): it sets kind and year for what follows.
struct TimeCue {
  size_t pos;
  Context context;
};

bool AtClauseStart(View line, size_t p, size_t content_begin) {
  if (p <= content_begin) return true;
  const char32_t c = line[p - 1];
  if (IsClauseBoundary(c) || c == U')' || c == U' ' || c == U'、' ||
      c == U'“') {
    return true;
  }
  // What the report says follows its verb: 报告明确今年新增学位8000个.
  const View before = line.substr(0, p);
  for (View says : {View(U"说"), View(U"提出"), View(U"明确"), View(U"指出")}) {
    if (before.size() >= says.size() &&
        before.substr(before.size() - says.size()) == says) {
      return true;
    }
  }
  return false;
}

// "2023年" (not 2023年度) at `p`: the year, or 0.
int YearAt(View line, size_t p) {
  if (p + 5 > line.size() || line[p + 4] != U'年') return 0;
  int y = 0;
  for (size_t k = p; k < p + 4; ++k) {
    if (!IsAsciiDigit(line[k])) return 0;
    y = y * 10 + static_cast<int>(line[k] - U'0');
  }
  if (p + 5 < line.size() && line[p + 5] == U'度') return 0;
  return y;
}

std::vector<TimeCue> TimeCues(View line, int report_year) {
  std::vector<TimeCue> cues;
  const size_t content = ContentBegin(line);
  auto add = [&](size_t p, bool target, int year) {
    cues.push_back({p, Context{target, year}});
  };
  for (size_t p = content; p < line.size(); ++p) {
    // 主要目标是/预期目标为: targets follow. Not 主要目标任务较好完成, which
    // looks back on last year's.
    if ((line[p] == U'预' || line[p] == U'主') &&
        (StartsWith(line.substr(p), U"预期目标") ||
         StartsWith(line.substr(p), U"主要目标")) &&
        p + 4 < line.size() &&
        (line[p + 4] == U'是' || line[p + 4] == U'为' || line[p + 4] == U':' ||
         line[p + 4] == U',')) {
      add(p, true, report_year);
      continue;
    }
    if (!AtClauseStart(line, p, content)) continue;
    // 到2027年: a target for a later year.
    for (View lead :
         {View(U"力争到"), View(U"预计到"), View(U"到"), View(U"至")}) {
      if (!StartsWith(line.substr(p), lead)) continue;
      if (const int y = YearAt(line, p + lead.size());
          y != 0 && (report_year == 0 || y >= report_year)) {
        add(p, true, y);
      }
      break;
    }
    if (const int y = YearAt(line, p); y != 0) {
      if (report_year == 0 || (y >= report_year - 6 && y <= report_year + 1)) {
        add(p, report_year == 0 || y >= report_year, y);
      }
      continue;
    }
    const View rest = line.substr(p);
    if (StartsWith(rest, U"今年") || StartsWith(rest, U"新的一年")) {
      add(p, true, report_year);
    } else if (StartsWith(rest, U"去年") || StartsWith(rest, U"过去一年") ||
               StartsWith(rest, U"一年来") || StartsWith(rest, U"上年")) {
      add(p, false, report_year - 1);
    }
  }
  std::stable_sort(
      cues.begin(), cues.end(),
      [](const TimeCue& a, const TimeCue& b) { return a.pos < b.pos; });
  return cues;
}

// Where a line says 预计 and where its sentences end, found once per line.
struct EstimateMarks {
  bool found = false;
  std::vector<size_t> estimates;  // positions of 预计
  std::vector<size_t> periods;    // positions of 。
};

// 预计 earlier in the figure's sentence: an estimate made before the
// statistics were final.
bool IsEstimate(View line, size_t pos, EstimateMarks* marks) {
  if (!marks->found) {
    marks->found = true;
    for (size_t at = line.find(U"预计"); at != View::npos;
         at = line.find(U"预计", at + 2)) {
      marks->estimates.push_back(at);
    }
    if (marks->estimates.empty()) return false;
    for (size_t at = line.find(U'。'); at != View::npos;
         at = line.find(U'。', at + 1)) {
      marks->periods.push_back(at);
    }
  }
  if (marks->estimates.empty()) return false;
  auto period =
      std::lower_bound(marks->periods.begin(), marks->periods.end(), pos);
  const size_t sentence = period == marks->periods.begin() ? 0 : *(period - 1);
  auto est = std::lower_bound(marks->estimates.begin(), marks->estimates.end(),
                              sentence);
  return est != marks->estimates.end() && *est < pos;
}

void Shift(TextRange* r, uint32_t base) {
  r->begin += base;
  r->end += base;
}

}  // namespace

std::vector<Figure> ExtractFromParagraph(std::u32string_view paragraph,
                                         bool target, int year) {
  std::vector<ExtractWarning> warnings;
  return LineReader(paragraph, target, year).Run(&warnings);
}

Extraction ExtractFigures(const LayoutResult& layout,
                          const ReportInfo& report) {
  Extraction out;
  const View text(layout.text);
  std::optional<Context> carried;
  int carried_section = -2;
  LineReader reader;
  reader.SetRegionSuffix(report.region_suffix);
  auto first = std::lower_bound(
      layout.lines.begin(), layout.lines.end(), report.range.begin,
      [](const CleanLine& l, uint32_t pos) { return l.begin < pos; });
  size_t other = 0;  // the next of report.other_articles
  for (auto it = first; it != layout.lines.end(); ++it) {
    const CleanLine& line = *it;
    if (line.begin >= report.range.end) break;
    while (other < report.other_articles.size() &&
           report.other_articles[other].end <= line.begin) {
      ++other;
    }
    if (other < report.other_articles.size() &&
        report.other_articles[other].begin <= line.begin) {
      continue;  // another article on the page
    }
    if (line.kind == LineKind::kByline) continue;
    const View v = text.substr(line.begin, line.end - line.begin);
    const int section = IndexHolding(report.sections, line.begin);
    const SectionInfo* info =
        section >= 0 ? &report.sections[section] : nullptr;
    // Without a review/plan structure a time cue carries over to the next
    // paragraphs of the section ("报告指出,2023年,…" then "全年…").
    const bool structured = info != nullptr &&
                            info->type != SectionType::kMeeting &&
                            info->type != SectionType::kOther;
    if (section != carried_section) {
      carried.reset();
      carried_section = section;
    }
    Context ctx = SectionContext(info, report.year);
    if (!structured && carried.has_value()) ctx = *carried;
    std::vector<ExtractWarning> warnings;
    reader.Reset(v, ctx.target, ctx.year);
    std::vector<Figure> figures = reader.Run(&warnings);
    // Time cues matter only where there are figures, and for the carry-over.
    const std::vector<TimeCue> cues = figures.empty() && structured
                                          ? std::vector<TimeCue>()
                                          : TimeCues(v, report.year);
    EstimateMarks estimates;
    size_t next_cue = 0;
    std::optional<Context> cue_context;
    for (Figure& f : figures) {  // figures and cues are both in text order
      while (next_cue < cues.size() && cues[next_cue].pos <= f.quantity.begin) {
        cue_context = cues[next_cue++].context;
      }
      if (cue_context.has_value()) {
        f.target = cue_context->target;
        f.year = cue_context->year;
      }
      Shift(&f.quantity, line.begin);
      Shift(&f.raw, line.begin);
      f.section = section;
      f.measure = IndexHolding(report.measures, f.quantity.begin);
      f.estimated = IsEstimate(v, f.quantity.begin - line.begin, &estimates);
      out.figures.push_back(std::move(f));
    }
    for (ExtractWarning& w : warnings) {
      Shift(&w.range, line.begin);
      out.warnings.push_back(std::move(w));
    }
    if (!structured && !cues.empty()) carried = cues.back().context;
  }
  return out;
}

}  // namespace govreport::parser
