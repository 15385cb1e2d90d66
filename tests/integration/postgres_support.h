// The PostgreSQL server of the integration tests (started by
// scripts/with_postgres): fresh databases, and stopping and starting it.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace govreport::testing {

// $GOVREPORT_TEST_PG_DSN; empty when the tests run without PostgreSQL (they
// skip then, saying so with kNoPostgresMessage).
std::string PostgresDsn();
inline constexpr char kNoPostgresMessage[] =
    "GOVREPORT_TEST_PG_DSN is not set; run under scripts/with_postgres "
    "(make test does)";

// Creates an empty database named `prefix`_<pid>_<n> and returns the DSN of
// it. INTERNAL when psql fails.
absl::StatusOr<std::string> CreateFreshDatabase(const std::string& prefix);

// Runs `$GOVREPORT_TEST_PG_CTL action` (e.g. "stop -m fast", "start") as
// $GOVREPORT_TEST_PG_USER, through runuser when we are root. INTERNAL when
// it fails; FAILED_PRECONDITION without those variables.
absl::Status PgCtl(const std::string& action);

// Writes `content` to `path`. INTERNAL when it cannot.
absl::Status WriteFile(const std::string& path, const std::string& content);

}  // namespace govreport::testing
