// Printing RPC results the same way in every subcommand: one response, or
// AIP-158 pages walked with --all, as a table for people or JSON for scripts.
#pragma once

#include <functional>
#include <iostream>
#include <string>

#include "absl/status/status.h"

#include "cli/command.h"
#include "cli/output.h"
#include "cli/rpc.h"

namespace govreport::cli {

// Fetches one page (or the one response) of an RPC.
template <typename Request, typename Response>
using Fetch = std::function<absl::Status(const Request&, Response*)>;

// A Fetch that calls `method` on `stub` (which must outlive it).
template <typename Stub, typename Request, typename Response>
Fetch<Request, Response> Fetcher(
    const CommandContext& context, Stub& stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const char* rpc_name) {
  return [&context, &stub, method, rpc_name](const Request& request,
                                             Response* response) {
    return Call(context, stub, method, rpc_name, request, response);
  };
}

// Calls `fetch` for the first page (page_size and page_token from the
// context), and with --all follows next_page_token to the end. JSON prints
// one compact object per page; a table collects the rows `add_rows` makes
// of every page and prints them once, then `footer` of the last page.
template <typename Request, typename Response>
absl::Status PrintPages(
    const CommandContext& context, OutputFormat format, Request request,
    const Fetch<Request, Response>& fetch, Table table,
    const std::function<void(const Response&, Table&)>& add_rows,
    const std::function<void(const Response&, std::ostream&)>& footer =
        nullptr) {
  if (context.page_size != 0) request.set_page_size(context.page_size);
  request.set_page_token(context.page_token);
  Response page;
  while (true) {
    page.Clear();
    if (absl::Status s = fetch(request, &page); !s.ok()) return s;
    if (format == OutputFormat::kJson) {
      *context.out << ToJson(page, /*multiline=*/false) << "\n";
    } else {
      add_rows(page, table);
    }
    if (page.next_page_token().empty()) break;
    if (!context.all_pages) {
      std::cerr << "(more: --page_token=" << page.next_page_token()
                << " or --all)\n";
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (format == OutputFormat::kTable) {
    table.Print(*context.out);
    if (footer) footer(page, *context.out);
  }
  return absl::OkStatus();
}

// Calls `fetch` once and prints the response: compact JSON, or what
// `print_table` makes of it.
template <typename Request, typename Response>
absl::Status PrintOne(
    const CommandContext& context, OutputFormat format, const Request& request,
    const Fetch<Request, Response>& fetch,
    const std::function<void(const Response&, std::ostream&)>& print_table) {
  Response response;
  if (absl::Status s = fetch(request, &response); !s.ok()) return s;
  if (format == OutputFormat::kJson) {
    *context.out << ToJson(response, /*multiline=*/false) << "\n";
  } else {
    print_table(response, *context.out);
  }
  return absl::OkStatus();
}

}  // namespace govreport::cli
