#include "query_service/engine/page_token.h"

#include <memory>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace govreport::query {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;
// Mixed into the checksum so that a token from another API does not pass.
constexpr absl::string_view kTokenSalt = "govreport.v1.page";

uint64_t Fnv1a(absl::string_view bytes, uint64_t hash = kFnvOffset) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  return hash;
}

void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t GetU64(absl::string_view bytes) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return v;
}

absl::Status BadToken(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("page_token: ", why));
}

}  // namespace

uint64_t RequestHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::Descriptor* descriptor = copy->GetDescriptor();
  const google::protobuf::Reflection* reflection = copy->GetReflection();
  for (const char* field : {"page_size", "page_token"}) {
    if (const auto* f = descriptor->FindFieldByName(field)) {
      reflection->ClearField(copy.get(), f);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return Fnv1a(bytes, Fnv1a(descriptor->full_name()));
}

std::string EncodePageToken(uint64_t offset, uint64_t request_hash,
                            int64_t data_version) {
  std::string raw;
  PutU64(offset, &raw);
  PutU64(request_hash, &raw);
  PutU64(static_cast<uint64_t>(data_version), &raw);
  PutU64(Fnv1a(raw, Fnv1a(kTokenSalt)), &raw);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageRange> StartPage(const google::protobuf::Message& request,
                                    int32_t page_size,
                                    absl::string_view page_token,
                                    PageLimits limits, int64_t data_version) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must not be negative, got ", page_size));
  }
  PageRange page;
  page.size = static_cast<size_t>(page_size == 0
                                      ? limits.default_size
                                      : std::min(page_size, limits.max_size));
  page.request = &request;
  page.data_version = data_version;
  if (page_token.empty()) return page;

  std::string raw;
  if (!absl::WebSafeBase64Unescape(page_token, &raw) || raw.size() != 32 ||
      GetU64(absl::string_view(raw).substr(24)) !=
          Fnv1a(absl::string_view(raw).substr(0, 24), Fnv1a(kTokenSalt))) {
    return BadToken("malformed; pass the next_page_token of a response");
  }
  const absl::string_view view(raw);
  if (GetU64(view.substr(8)) != RequestHash(request)) {
    return BadToken(
        "does not match the request; every field but page_size must stay "
        "the same between pages");
  }
  const auto token_version = static_cast<int64_t>(GetU64(view.substr(16)));
  if (token_version != data_version) {
    return BadToken(absl::StrCat(
        "stale: the data changed since it was issued (data version ",
        token_version, ", now ", data_version,
        "); start again without a page_token"));
  }
  page.offset = static_cast<size_t>(GetU64(view));
  return page;
}

std::string NextPageToken(const PageRange& page, size_t total) {
  // Compared without adding: a forged offset near 2^64 must not wrap round
  // to a token for an earlier page.
  if (page.offset >= total || total - page.offset <= page.size) return "";
  return EncodePageToken(page.offset + page.size, RequestHash(*page.request),
                         page.data_version);
}

}  // namespace govreport::query
