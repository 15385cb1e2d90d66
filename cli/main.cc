// govreport: the command-line client for people and scripts.
//
//   govreport --help                  lists the subcommands
//   govreport help COMMAND            explains one
//   govreport COMMAND [ARGS] [--flags]
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

#include "cli/command.h"
#include "common/tls.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50052",
          "gRPC target of the server to call (host:port, or dns:///name:port)");
ABSL_FLAG(std::string, format, "table",
          "output: table (for people), json (for scripts); parse also jsonl");
ABSL_FLAG(std::string, token_file, "",
          "file holding the bearer token that writes need");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM CA that signed the server's certificate: use TLS");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM client certificate, for servers that require mutual TLS");
ABSL_FLAG(std::string, tls_key_file, "", "PEM key of --tls_cert_file");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(30), "deadline of each RPC");
ABSL_FLAG(std::string, parent, "", "parent region, e.g. 410300");
ABSL_FLAG(std::string, level, "", "region level: province, prefecture, county");
ABSL_FLAG(std::string, indicator, "", "indicator slug, e.g. gdp");
ABSL_FLAG(std::string, kind, "", "target or achieved");
ABSL_FLAG(std::string, value_type, "", "level, growth_rate or change");
ABSL_FLAG(std::string, view, "basic", "report view: basic or full");
ABSL_FLAG(std::string, order, "desc", "row order: desc, asc or code");
ABSL_FLAG(int, year, 0, "reference year");
ABSL_FLAG(int, from_year, 0, "first year of a span");
ABSL_FLAG(int, to_year, 0, "last year of a span");
ABSL_FLAG(int, page_size, 0, "rows per page; 0 lets the server choose");
ABSL_FLAG(std::string, page_token, "", "page to start from");
ABSL_FLAG(bool, all, false, "follow pages to the end");
ABSL_FLAG(std::string, source_uri, "", "where an ingested text came from");

namespace govreport::cli {
namespace {

void PrintCommandList(std::ostream& out) {
  out << "govreport: command-line client for the govreport services.\n\n"
         "usage: govreport COMMAND [ARGS] [--server=HOST:PORT] "
         "[--format=table|json]\n\ncommands:\n";
  for (const Command& command : AllCommands()) {
    out << "  " << command.name
        << std::string(20 - std::min<size_t>(19, strlen(command.name)), ' ')
        << command.summary << "\n";
  }
  out << "  help                explain one command: govreport help COMMAND\n\n"
         "common flags: --server, --format, --token_file, --timeout "
         "(govreport help flags)\n";
}

const Command* FindCommand(const std::string& name) {
  for (const Command& command : AllCommands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("--token_file ", path, " cannot be read"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(buffer.str()));
}

int Main(int argc, char** argv) {
  const std::string first = argc > 1 ? argv[1] : "";
  if (first.empty() || first == "--help" || first == "-h" ||
      first == "--helpshort") {
    PrintCommandList(std::cout);
    return first.empty() ? EXIT_FAILURE : EXIT_SUCCESS;
  }
  if (first == "help") {
    const std::string topic = argc > 2 ? argv[2] : "";
    if (topic == "flags") {
      std::cout << "--server=HOST:PORT   server to call (default "
                   "127.0.0.1:50052)\n"
                   "--format=FORMAT      table (default) or json; parse also "
                   "takes jsonl\n"
                   "--token_file=FILE    bearer token for writes\n"
                   "--tls_ca_file=FILE   use TLS, trusting this CA; with\n"
                   "  --tls_cert_file, --tls_key_file for mutual TLS\n"
                   "--timeout=DURATION   deadline of each RPC (default 30s)\n"
                   "--page_size=N, --page_token=T, --all   paging of lists\n"
                   "--flagfile=FILE      read flags from a file\n";
      return EXIT_SUCCESS;
    }
    if (const Command* command = FindCommand(topic)) {
      std::cout << command->usage << "\n";
      return EXIT_SUCCESS;
    }
    PrintCommandList(std::cerr);
    return EXIT_FAILURE;
  }
  const Command* command = FindCommand(first);
  if (command == nullptr) {
    std::cerr << "govreport: unknown command \"" << first << "\"\n\n";
    PrintCommandList(std::cerr);
    return EXIT_FAILURE;
  }

  absl::SetProgramUsageMessage(command->usage);
  // argv without the command name: absl sees only flags and arguments.
  std::vector<char*> rest = {argv[0]};
  for (int i = 2; i < argc; ++i) rest.push_back(argv[i]);
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());

  CommandContext context;
  for (size_t i = 1; i < positional.size(); ++i) {
    context.args.emplace_back(positional[i]);
  }
  context.server = absl::GetFlag(FLAGS_server);
  context.tls = {absl::GetFlag(FLAGS_tls_ca_file),
                 absl::GetFlag(FLAGS_tls_cert_file),
                 absl::GetFlag(FLAGS_tls_key_file)};
  if (absl::Status s = MakeChannelCredentials(context.tls).status(); !s.ok()) {
    std::cerr << "govreport " << command->name << ": " << s.message() << "\n";
    return EXIT_FAILURE;
  }
  context.format = absl::GetFlag(FLAGS_format);
  context.timeout = absl::GetFlag(FLAGS_timeout);
  context.parent = absl::GetFlag(FLAGS_parent);
  context.level = absl::GetFlag(FLAGS_level);
  context.indicator = absl::GetFlag(FLAGS_indicator);
  context.kind = absl::GetFlag(FLAGS_kind);
  context.value_type = absl::GetFlag(FLAGS_value_type);
  context.view = absl::GetFlag(FLAGS_view);
  context.order = absl::GetFlag(FLAGS_order);
  context.year = absl::GetFlag(FLAGS_year);
  context.from_year = absl::GetFlag(FLAGS_from_year);
  context.to_year = absl::GetFlag(FLAGS_to_year);
  context.page_size = absl::GetFlag(FLAGS_page_size);
  context.page_token = absl::GetFlag(FLAGS_page_token);
  context.all_pages = absl::GetFlag(FLAGS_all);
  context.source_uri = absl::GetFlag(FLAGS_source_uri);
  absl::StatusOr<std::string> token =
      ReadToken(absl::GetFlag(FLAGS_token_file));
  if (!token.ok()) {
    std::cerr << "govreport " << command->name << ": "
              << token.status().message() << "\n";
    return EXIT_FAILURE;
  }
  context.token = *std::move(token);

  const absl::Status status = command->run(context);
  if (!status.ok()) {
    std::cerr << "govreport " << command->name << ": "
              << absl::StatusCodeToString(status.code()) << ": "
              << status.message() << "\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace govreport::cli

int main(int argc, char** argv) { return govreport::cli::Main(argc, argv); }
