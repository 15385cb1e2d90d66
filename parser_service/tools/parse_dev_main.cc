// govreport-parse-dev FILE|- [--html] [--year=N]: parses one document locally
// and prints the flat rows (FORMAT.md) to stdout. A developer tool for
// running ../shared/eval/score.py before the CLI; warnings go to stderr.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "parser_service/document_parser.h"
#include "parser_service/export/flat_rows.h"

namespace {

bool ReadAll(const char* path, std::string* out) {
  if (std::strcmp(path, "-") == 0) {
    out->assign(std::istreambuf_iterator<char>(std::cin), {});
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE|- [--html] [--year=N] [--debug]\n",
                 argv[0]);
    return 2;
  }
  govreport::v1::ParseDocumentRequest request;
  std::string content;
  if (!ReadAll(argv[1], &content)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  request.set_content(content);
  request.set_source_uri(argv[1]);
  bool debug = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--html") == 0) {
      request.set_format(govreport::v1::DOCUMENT_FORMAT_HTML);
    } else if (std::strncmp(argv[i], "--year=", 7) == 0) {
      request.set_default_year(std::atoi(argv[i] + 7));
    } else if (std::strcmp(argv[i], "--debug") == 0) {
      debug = true;
    }
  }
  govreport::parser::DocumentParser parser({});
  auto response = parser.Parse(request);
  if (!response.ok()) {
    std::fprintf(stderr, "%s\n", response.status().ToString().c_str());
    return 1;
  }
  std::fputs(govreport::parser::ToFlatRowsJsonl(*response).c_str(), stdout);
  for (const auto& w : response->warnings()) {
    std::fprintf(stderr, "warning: %s [%d,%d)\n", w.message().c_str(),
                 w.source().start_offset(), w.source().end_offset());
  }
  if (debug) std::fputs(response->DebugString().c_str(), stderr);
  return 0;
}
