#include "tests/integration/postgres_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <vector>

#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

#include "common/testing/subprocess.h"

namespace govreport::testing {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

absl::Status Run(const std::vector<std::string>& argv) {
  absl::StatusOr<Subprocess> process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> status = process->Wait(absl::Seconds(120));
  if (!status.ok()) return status.status();
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return absl::InternalError(
        absl::StrCat(argv[0], " failed with wait status ", *status));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PostgresDsn() { return Env("GOVREPORT_TEST_PG_DSN"); }

absl::StatusOr<std::string> CreateFreshDatabase(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const std::string name = absl::StrCat(prefix, "_", getpid(), "_", counter++);
  absl::Status created =
      Run({"/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
           PostgresDsn(), "-c", absl::StrCat("CREATE DATABASE ", name)});
  if (!created.ok()) return created;
  // In a libpq connection string the last value of a keyword wins.
  return absl::StrCat(PostgresDsn(), " dbname=", name);
}

absl::Status PgCtl(const std::string& action) {
  const std::string pg_ctl = Env("GOVREPORT_TEST_PG_CTL");
  const std::string user = Env("GOVREPORT_TEST_PG_USER");
  if (pg_ctl.empty()) {
    return absl::FailedPreconditionError(
        "GOVREPORT_TEST_PG_CTL is not set (scripts/with_postgres sets it)");
  }
  const std::string command = absl::StrCat(pg_ctl, " ", action, " >/dev/null");
  if (getuid() == 0 && !user.empty() && user != "root") {
    return Run({"/usr/sbin/runuser", "-u", user, "--", "/bin/sh", "-c",
                absl::StrCat("cd / && ", command)});
  }
  return Run({"/bin/sh", "-c", command});
}

absl::Status WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace govreport::testing
