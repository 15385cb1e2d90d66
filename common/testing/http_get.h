// A minimal HTTP/1.0 GET for tests of the /metrics endpoint.
#pragma once

#include <string>

namespace govreport::testing {

// GETs http://127.0.0.1:`port``path` and returns the whole response (status
// line, headers and body); empty if the connection fails.
std::string HttpGet(int port, const std::string& path);

}  // namespace govreport::testing
