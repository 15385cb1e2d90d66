#include "common/raw_messages.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace govreport {

std::string FlattenBytes(const grpc::ByteBuffer& buffer) {
  std::string flat;
  AppendBytes(buffer, &flat);
  return flat;
}

void AppendBytes(const grpc::ByteBuffer& buffer, std::string* out) {
  thread_local std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);  // fails only for an empty buffer
  out->reserve(out->size() + buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out->append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  slices.clear();  // let go of the slices now
}

absl::Status UndecodableRequest(absl::string_view type_name) {
  return absl::InvalidArgumentError(
      absl::StrCat("request: cannot parse the bytes as ", type_name,
                   " (malformed, or a string field that is not UTF-8)"));
}

grpc::ByteBuffer SharedBytes(std::shared_ptr<const std::string> bytes) {
  auto* holder = new std::shared_ptr<const std::string>(std::move(bytes));
  grpc::Slice slice(
      const_cast<char*>((*holder)->data()), (*holder)->size(),
      [](void* p) {
        delete static_cast<std::shared_ptr<const std::string>*>(p);
      },
      holder);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace govreport
