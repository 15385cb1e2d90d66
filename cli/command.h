// What a govreport subcommand is: a name, its help, and a function over the
// context main.cc builds from the flags.
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

#include "cli/output.h"
#include "common/tls.h"

namespace govreport::cli {

// Everything a subcommand may use, filled from flags in main.cc.
struct CommandContext {
  // Positional arguments after the subcommand name.
  std::vector<std::string> args;
  // gRPC target of the server to call, e.g. "127.0.0.1:50052".
  std::string server;
  // TLS to the server (--tls_ca_file, --tls_cert_file, --tls_key_file);
  // plaintext when all are empty.
  ClientTlsFiles tls;
  // Bearer token for writes, read from --token_file; empty when none.
  std::string token;
  // Deadline for each RPC.
  absl::Duration timeout = absl::Seconds(30);
  // The raw --format value; each command parses it (not all allow jsonl).
  std::string format = "table";
  // Where results go (stdout); diagnostics go to stderr via the status.
  std::ostream* out = &std::cout;

  // Options of the query subcommands (flags of the same names).
  std::string parent;      // --parent: a region, e.g. regions/410300
  std::string level;       // --level: province, prefecture or county
  std::string indicator;   // --indicator: indicators/SLUG or SLUG
  std::string kind;        // --kind: target or achieved
  std::string value_type;  // --value_type: level, growth_rate or change
  std::string view;        // --view: basic or full
  std::string order;       // --order: desc, asc or code
  int year = 0;            // --year
  int from_year = 0;       // --from_year
  int to_year = 0;         // --to_year
  int page_size = 0;       // --page_size; 0 lets the server choose
  std::string page_token;  // --page_token
  bool all_pages = false;  // --all: follow next_page_token to the end
  std::string source_uri;  // --source_uri for ingest
};

// One subcommand. `run` returns a non-OK status to report and exit non-zero.
struct Command {
  const char* name;
  const char* summary;  // one line for `govreport --help`
  const char* usage;    // `govreport help NAME`
  absl::Status (*run)(const CommandContext& context);
};

// The subcommands, in the order `govreport --help` lists them.
const std::vector<Command>& AllCommands();

}  // namespace govreport::cli
