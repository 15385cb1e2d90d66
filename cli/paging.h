// Walking AIP-158 pages from the CLI.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"

#include "cli/command.h"

namespace govreport::cli {

// Calls `fetch(request, &response)` for the first page (request.page_size and
// page_token from the context), hands each response to `sink`, and with --all
// follows next_page_token to the end.
template <typename Request, typename Response>
absl::Status ForEachPage(
    const CommandContext& context, Request request,
    const std::function<absl::Status(const Request&, Response*)>& fetch,
    const std::function<void(const Response&)>& sink) {
  if (context.page_size != 0) request.set_page_size(context.page_size);
  request.set_page_token(context.page_token);
  while (true) {
    Response response;
    if (absl::Status s = fetch(request, &response); !s.ok()) return s;
    sink(response);
    if (!context.all_pages || response.next_page_token().empty()) {
      if (!context.all_pages && !response.next_page_token().empty()) {
        std::cerr << "(more: --page_token=" << response.next_page_token()
                  << " or --all)\n";
      }
      return absl::OkStatus();
    }
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace govreport::cli
