#include "parser_service/normalize/text_normalizer.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

#include "parser_service/normalize/utf8.h"

namespace govreport::parser {
namespace {

// HTML elements that start a new block of text. Table cells (td, th) are
// blocks too, except in a data table: see IsDataTable.
constexpr const char* kBlockTags[] = {
    "address", "article", "aside", "blockquote", "br",     "caption", "dd",
    "div",     "dl",      "dt",    "figcaption", "figure", "footer",  "h1",
    "h2",      "h3",      "h4",    "h5",         "h6",     "header",  "hr",
    "li",      "main",    "nav",   "ol",         "p",      "pre",     "section",
    "table",   "title",   "tr",    "ul"};

// A table with a cell holding more text than this (or with a table inside)
// lays out a page rather than holding figures.
constexpr size_t kMaxDataCellText = 60;

// HTML elements whose content is never text.
constexpr const char* kSkippedTags[] = {"script", "style", "noscript",
                                        "template", "head"};

// Named entities seen in Chinese news pages.
struct Entity {
  const char* name;
  char32_t value;
};
constexpr Entity kEntities[] = {
    {"amp", U'&'},         {"lt", U'<'},        {"gt", U'>'},
    {"quot", U'"'},        {"apos", U'\''},     {"nbsp", U'\u00A0'},
    {"ldquo", U'“'},       {"rdquo", U'”'},     {"lsquo", U'‘'},
    {"rsquo", U'’'},       {"middot", U'·'},    {"mdash", U'—'},
    {"ndash", U'–'},       {"hellip", U'…'},    {"times", U'×'},
    {"yen", U'¥'},         {"ensp", U'\u2002'}, {"emsp", U'\u2003'},
    {"thinsp", U'\u2009'}, {"deg", U'°'},       {"permil", U'‰'},
};

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool TagIn(absl::string_view name, const char* const* begin,
           const char* const* end) {
  return std::any_of(begin, end, [&](const char* t) {
    return absl::EqualsIgnoreCase(name, t);
  });
}

// Accumulates output characters with their source offsets.
class Builder {
 public:
  explicit Builder(NormalizedText* out, bool keep_unfolded)
      : out_(out), keep_unfolded_(keep_unfolded) {}

  void Emit(char32_t original, uint32_t source_cp) {
    char32_t c = FoldCodePoint(original);
    if (c == 0) return;
    out_->text.push_back(c);
    out_->source.Push(source_cp);
    if (keep_unfolded_) out_->unfolded.push_back(original);
  }
  // A block boundary from markup: at most one line break in a row.
  void EmitBreak(uint32_t source_cp) {
    if (!out_->text.empty() && out_->text.back() != U'\n') {
      Emit(U'\n', source_cp);
    }
  }
  // A table cell boundary: a tab, which FoldCodePoint would make a space.
  void EmitCellBreak(uint32_t source_cp) {
    out_->text.push_back(U'\t');
    out_->source.Push(source_cp);
    if (keep_unfolded_) out_->unfolded.push_back(U'\t');
  }
  char32_t Last() const { return out_->text.empty() ? 0 : out_->text.back(); }

 private:
  NormalizedText* out_;
  bool keep_unfolded_;
};

// Plain text: fold every code point; "\r\n" becomes one "\n".
void NormalizePlain(absl::string_view input, NormalizedText* out) {
  Builder b(out, false);
  size_t pos = 0;
  uint32_t cp = 0;
  out->byte_checkpoints.reserve(input.size() / kByteCheckpointStride + 2);
  while (pos < input.size()) {
    if (cp % kByteCheckpointStride == 0) {
      out->byte_checkpoints.push_back(static_cast<uint32_t>(pos));
    }
    const char32_t c = DecodeValidUtf8At(input, &pos);
    if (c == U'\r' && pos < input.size() && input[pos] == '\n') {
      ++cp;  // the '\n' that follows carries the break
      continue;
    }
    if (c == U'\t') {
      b.EmitCellBreak(cp);  // may separate the cells of a table
    } else {
      b.Emit(c, cp);
    }
    ++cp;
  }
  out->input_code_points = cp;
}

// Decodes an entity starting at input[pos] == '&'. On success returns the
// value and sets *len to its length in bytes (all ASCII).
char32_t DecodeEntity(absl::string_view input, size_t pos, size_t* len) {
  const size_t max_len = std::min<size_t>(input.size() - pos, 12);
  const absl::string_view window = input.substr(pos, max_len);
  const size_t semi = window.find(';');
  if (semi == absl::string_view::npos || semi < 2) return 0;
  absl::string_view body = window.substr(1, semi - 1);
  *len = semi + 1;
  if (body[0] == '#') {
    body.remove_prefix(1);
    int base = 10;
    if (!body.empty() && (body[0] == 'x' || body[0] == 'X')) {
      base = 16;
      body.remove_prefix(1);
    }
    if (body.empty() || body.size() > 7) return 0;
    uint32_t v = 0;
    for (char ch : body) {
      int d = absl::ascii_isdigit(ch) ? ch - '0'
              : (base == 16 && absl::ascii_isxdigit(ch))
                  ? absl::ascii_tolower(ch) - 'a' + 10
                  : -1;
      if (d < 0) return 0;
      v = v * base + d;
    }
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    return v;
  }
  for (const Entity& e : kEntities) {
    if (body == e.name) return e.value;
  }
  return 0;
}

// Reads the tag name of "<name ...>" or "</name>" starting after '<'.
absl::string_view TagName(absl::string_view input, size_t pos) {
  if (pos < input.size() && input[pos] == '/') ++pos;
  size_t end = pos;
  while (end < input.size() && absl::ascii_isalnum(input[end])) ++end;
  return input.substr(pos, end - pos);
}

// Position just after the '>' that closes the tag opened at `lt`.
size_t SkipTag(absl::string_view input, size_t lt) {
  if (input.substr(lt, 4) == "<!--") {
    const size_t end = input.find("-->", lt + 4);
    return end == absl::string_view::npos ? input.size() : end + 3;
  }
  char quote = 0;
  for (size_t i = lt + 1; i < input.size(); ++i) {
    const char c = input[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return input.size();
}

// True when the table whose content starts at `from` (just after its
// <table>) is a data table: no table inside, no script or style, and no cell
// with more than kMaxDataCellText characters of text. Its rows are lines
// with a tab between cells, and the blocks inside a cell (<td><p>5.1</p>,
// 2024年<br>完成) are part of the cell's text. Any other table lays out a
// page: each of its cells is a block.
bool IsDataTable(absl::string_view input, size_t from) {
  size_t text = 0;
  size_t i = from;
  while (i < input.size()) {
    const char c = input[i];
    if (c == '<' && i + 1 < input.size() &&
        (absl::ascii_isalpha(input[i + 1]) || input[i + 1] == '/')) {
      const bool closing = input[i + 1] == '/';
      const absl::string_view name = TagName(input, i + 1);
      if (absl::EqualsIgnoreCase(name, "table")) return closing;
      if (TagIn(name, std::begin(kSkippedTags), std::end(kSkippedTags))) {
        return false;
      }
      if (absl::EqualsIgnoreCase(name, "td") ||
          absl::EqualsIgnoreCase(name, "th")) {
        text = 0;
      }
      i = SkipTag(input, i);
      continue;
    }
    const bool lead_byte = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (lead_byte && !IsAsciiSpace(c) && ++text > kMaxDataCellText) {
      return false;
    }
    ++i;
  }
  return true;
}

// Position of the "</name" that closes a skipped element, or input.size().
size_t FindClose(absl::string_view input, size_t from, absl::string_view name) {
  for (size_t i = input.find("</", from); i != absl::string_view::npos;
       i = input.find("</", i + 2)) {
    if (absl::EqualsIgnoreCase(TagName(input, i + 1), name)) return i;
  }
  return input.size();
}

class HtmlStripper {
 public:
  HtmlStripper(absl::string_view input, NormalizedText* out)
      : input_(input), out_(out), b_(out, true) {}

  void Run() {
    while (pos_ < input_.size()) {
      const char c = input_[pos_];
      if (c == '<' && pos_ + 1 < input_.size() &&
          (absl::ascii_isalpha(input_[pos_ + 1]) || input_[pos_ + 1] == '/' ||
           input_[pos_ + 1] == '!' || input_[pos_ + 1] == '?')) {
        HandleTag();
      } else if (IsAsciiSpace(c)) {
        HandleSpace();
      } else if (c == '&') {
        HandleAmpersand();
      } else {
        const uint32_t at = cp_;
        b_.Emit(Next(), at);
      }
    }
    out_->input_code_points = cp_;
  }

 private:
  char32_t Next() {
    ++cp_;
    return DecodeValidUtf8At(input_, &pos_);
  }
  // Moves to byte `to`, counting the code points passed.
  void AdvanceTo(size_t to) {
    while (pos_ < to) Next();
  }

  void HandleTag() {
    const uint32_t at = cp_;
    const absl::string_view name = TagName(input_, pos_ + 1);
    const bool closing = input_[pos_ + 1] == '/';
    size_t end = SkipTag(input_, pos_);
    if (!closing &&
        TagIn(name, std::begin(kSkippedTags), std::end(kSkippedTags))) {
      const size_t close = FindClose(input_, end, name);
      end = SkipTag(input_, std::min(close, input_.size() - 1));
      if (close >= input_.size()) end = input_.size();
    }
    const bool cell = absl::EqualsIgnoreCase(name, "td") ||
                      absl::EqualsIgnoreCase(name, "th");
    if (absl::EqualsIgnoreCase(name, "table")) {
      if (!closing) {
        data_tables_.push_back(IsDataTable(input_, end));
      } else if (!data_tables_.empty()) {
        data_tables_.pop_back();
      }
    }
    const bool data = !data_tables_.empty() && data_tables_.back();
    if (absl::EqualsIgnoreCase(name, "tr") ||
        absl::EqualsIgnoreCase(name, "table")) {
      cells_in_row_ = 0;
      in_cell_ = false;
    }
    if (data && cell) {
      in_cell_ = !closing;
      // The cells of a row share its line, a tab before all but the first.
      if (!closing && cells_in_row_++ > 0) {
        b_.EmitCellBreak(at);
      } else if (!closing) {
        b_.EmitBreak(at);
      }
    } else if (cell ||
               TagIn(name, std::begin(kBlockTags), std::end(kBlockTags))) {
      if (!(data && in_cell_)) b_.EmitBreak(at);
    }
    AdvanceTo(end);
  }

  // Markup whitespace: a run containing a line break is dropped (Chinese is
  // written without spaces, and wrapped source lines must not split words);
  // other runs become one space.
  void HandleSpace() {
    const uint32_t at = cp_;
    bool newline = false;
    while (pos_ < input_.size() && IsAsciiSpace(input_[pos_])) {
      newline |= input_[pos_] == '\n' || input_[pos_] == '\r';
      ++pos_;
      ++cp_;
    }
    const char32_t last = b_.Last();
    if (!newline && last != 0 && last != U' ' && last != U'\n' &&
        last != U'\t') {
      b_.Emit(U' ', at);
    }
  }

  void HandleAmpersand() {
    const uint32_t at = cp_;
    size_t len = 0;
    const char32_t v = DecodeEntity(input_, pos_, &len);
    if (v == 0) {
      b_.Emit(Next(), at);
      return;
    }
    b_.Emit(v, at);
    pos_ += len;
    cp_ += static_cast<uint32_t>(len);
  }

  absl::string_view input_;
  NormalizedText* out_;
  Builder b_;
  size_t pos_ = 0;
  uint32_t cp_ = 0;
  // For each table open around the position: whether it is a data table.
  std::vector<bool> data_tables_;
  // Cells of the current row of a data table written so far on its line.
  int cells_in_row_ = 0;
  // Inside a cell of a data table: blocks there do not break the line.
  bool in_cell_ = false;
};

}  // namespace

char32_t FoldCodePoint(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFF01 + 0x21;  // full-width
  switch (c) {
    case U'\t':
    case U'\v':
    case U'\f':
    case 0x00A0:
    case 0x3000:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x205F:
      return U' ';
    case U'\r':
    case 0x0085:
    case 0x2028:
    case 0x2029:
      return U'\n';
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x00AD:
    case 0:
      return 0;
    case 0xFE50:
      return U',';  // small comma
    case 0xFE51:
      return U'、';  // small ideographic comma
    case 0xFE52:
      return U'.';
    case 0xFE54:
      return U';';
    case 0xFE55:
      return U':';
    case 0xFF5F:
    case 0xFF60:
      return c;
    default:
      break;
  }
  // Other C0 controls carry no text.
  if (c < 0x20 && c != U'\n') return 0;
  return c;
}

bool LooksLikeHtml(absl::string_view input) {
  const absl::string_view head = input.substr(0, 2048);
  static constexpr const char* kMarkers[] = {
      "<!doctype", "<html",    "<body",    "<p>", "<p ", "<div",  "<br",
      "<span",     "<article", "<section", "<h1", "<h2", "<table"};
  for (const char* marker : kMarkers) {
    const size_t n = std::strlen(marker);
    for (size_t i = head.find('<'); i != absl::string_view::npos;
         i = head.find('<', i + 1)) {
      if (absl::EqualsIgnoreCase(head.substr(i, n), marker)) return true;
    }
  }
  return false;
}

absl::StatusOr<NormalizedText> NormalizeText(absl::string_view input,
                                             InputFormat format) {
  size_t code_points = 0;
  if (auto bad = ValidateUtf8(input, &code_points); bad.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input is not valid UTF-8: invalid byte at offset ", *bad));
  }
  NormalizedText out;
  out.text.reserve(code_points + 2);
  const bool html = format == InputFormat::kHtml ||
                    (format == InputFormat::kAuto && LooksLikeHtml(input));
  if (html) {
    out.from_html = true;
    HtmlStripper(input, &out).Run();
  } else {
    NormalizePlain(input, &out);
  }
  out.source.set_end(out.input_code_points);
  out.source.ShrinkToFit();
  return out;
}

}  // namespace govreport::parser
