// The catalog's data files, compiled into the binary. The definitions are
// generated at build time from data/*.tsv by embed_data.cmake (never
// committed), so every binary carries the data it was built with.
#pragma once

#include "absl/strings/string_view.h"

namespace govreport::query::internal {

// The text of data/regions.tsv; static storage, valid forever.
absl::string_view EmbeddedRegionsTsv();

// The text of data/indicators.tsv; static storage, valid forever.
absl::string_view EmbeddedIndicatorsTsv();

}  // namespace govreport::query::internal
