// Interned strings for the snapshot: each distinct text is stored once, and
// compact records hold a pointer to it (pointer equality is text equality).
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace govreport::query {

// A set of strings that only grows. Thread-safe: Intern and Find take a
// mutex; the returned pointers stay valid, and may be read without locking,
// for the interner's lifetime.
class Interner {
 public:
  // The process-wide interner the snapshots use; never destroyed. Its size
  // is bounded by the distinct subject texts, units and slugs ever stored.
  static Interner& Global();

  // The interned copy of `text`, added if new. Never null.
  const std::string* Intern(absl::string_view text);

  // The interned copy of `text`, or nullptr if it was never interned.
  const std::string* Find(absl::string_view text) const;

  // The interned empty string.
  const std::string* Empty() { return Intern(""); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(absl::string_view s) const {
      return absl::Hash<absl::string_view>()(s);
    }
    size_t operator()(const std::unique_ptr<std::string>& s) const {
      return (*this)(absl::string_view(*s));
    }
  };
  struct Eq {
    using is_transparent = void;
    static absl::string_view View(absl::string_view s) { return s; }
    static absl::string_view View(const std::unique_ptr<std::string>& s) {
      return *s;
    }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_set<std::unique_ptr<std::string>, Hash, Eq> strings_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace govreport::query
