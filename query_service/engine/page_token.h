// AIP-158 pagination: opaque page tokens bound to the request and to the
// data version they were issued for.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace google::protobuf {
class Message;
}

namespace govreport::query {

// Limits of one list method.
struct PageLimits {
  int32_t default_size;
  int32_t max_size;
};

// Where one page starts and how long it is. Refers to the request it was
// started from, which must outlive it: the request's hash, which a token
// binds, is only computed when a token is read or written (most requests
// fit one page and bring no token).
struct PageRange {
  size_t offset = 0;
  size_t size = 0;
  const google::protobuf::Message* request = nullptr;
  int64_t data_version = 0;
};

// The tail every paginated method shares: calls `add(items[i])` for the
// items of this page, in order, and sets the response's next_page_token.
template <typename Items, typename Response, typename Add>
void FillPage(const PageRange& page, const Items& items, Response& response,
              Add add);

// One past the page's last item in a list of `total`: never past the list,
// and without a sum that could wrap for a forged offset.
inline size_t PageEnd(const PageRange& page, size_t total) {
  if (page.offset >= total) return total;
  return page.offset + std::min(total - page.offset, page.size);
}

// A stable 64-bit hash (FNV-1a) of `request` with its `page_size` and
// `page_token` fields cleared: two requests that differ only in paging hash
// the same. Uses deterministic serialization, so it is stable across
// processes and replicas of the same binary.
uint64_t RequestHash(const google::protobuf::Message& request);

// Reads `page_size` and `page_token` of a list request. An empty token
// starts at 0; page_size 0 means `limits.default_size`, above max is
// coerced. INVALID_ARGUMENT for a negative page_size, and for a token that
// is not one of ours ("malformed"), was issued for a request with other
// fields ("does not match the request"), or for another data version
// ("stale: the data changed; start again without a page_token").
absl::StatusOr<PageRange> StartPage(const google::protobuf::Message& request,
                                    int32_t page_size,
                                    absl::string_view page_token,
                                    PageLimits limits, int64_t data_version);
// The page would outlive a temporary request.
absl::StatusOr<PageRange> StartPage(const google::protobuf::Message&& request,
                                    int32_t page_size,
                                    absl::string_view page_token,
                                    PageLimits limits,
                                    int64_t data_version) = delete;

// The token for the page after `page` when `total` items exist; "" when
// `page` reaches the end.
std::string NextPageToken(const PageRange& page, size_t total);

template <typename Items, typename Response, typename Add>
void FillPage(const PageRange& page, const Items& items, Response& response,
              Add add) {
  const size_t end = PageEnd(page, items.size());
  for (size_t i = page.offset; i < end; ++i) add(items[i]);
  response.set_next_page_token(NextPageToken(page, items.size()));
}

// The token format, exposed for tests: base64url (no padding) of offset,
// request hash, data version and a checksum over them (8 bytes each,
// little-endian).
std::string EncodePageToken(uint64_t offset, uint64_t request_hash,
                            int64_t data_version);

}  // namespace govreport::query
