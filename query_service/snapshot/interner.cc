#include "query_service/snapshot/interner.h"

namespace govreport::query {

Interner& Interner::Global() {
  static Interner* interner = new Interner;
  return *interner;
}

const std::string* Interner::Intern(absl::string_view text) {
  absl::MutexLock lock(&mu_);
  auto it = strings_.find(text);
  if (it != strings_.end()) return it->get();
  return strings_.insert(std::make_unique<std::string>(text)).first->get();
}

const std::string* Interner::Find(absl::string_view text) const {
  absl::MutexLock lock(&mu_);
  auto it = strings_.find(text);
  return it == strings_.end() ? nullptr : it->get();
}

}  // namespace govreport::query
