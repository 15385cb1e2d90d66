// Starts our binaries as real child processes in integration tests.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace govreport::testing {

// A child process; killed (SIGKILL) and reaped on destruction if still running.
class Subprocess {
 public:
  // Starts `argv[0]` with `argv`; stdout and stderr go to `log_path` (append)
  // when given, else are inherited. INTERNAL if it cannot be started.
  static absl::StatusOr<Subprocess> Start(const std::vector<std::string>& argv,
                                          const std::string& log_path = "");
  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  ~Subprocess();

  pid_t pid() const { return pid_; }

  // Sends `signal` to the child.
  absl::Status Signal(int signal);

  // Waits up to `timeout` for the child to exit and returns its wait status
  // (as waitpid gives it). DEADLINE_EXCEEDED if it is still running.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  explicit Subprocess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

// Waits up to `timeout` for `path` to hold a port number (a server started
// with --port_file) and returns it. DEADLINE_EXCEEDED otherwise.
absl::StatusOr<int> WaitForPortFile(const std::string& path,
                                    absl::Duration timeout);

// Directory of our built binaries: $GOVREPORT_BIN_DIR (set by ctest).
std::string BinDir();

// A fresh, empty directory under the test's temporary directory.
std::string MakeTempDir(const std::string& prefix);

}  // namespace govreport::testing
