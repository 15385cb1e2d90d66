// TLS credentials from PEM files, for our servers and for our clients of
// them. Empty file names mean plaintext.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include "absl/status/statusor.h"

namespace govreport {

// Server side: certificate chain and key; with a client CA, mutual TLS (the
// client must present a certificate signed by it).
struct ServerTlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;
};

// Client side: the CA that signed the server's certificate; for mutual TLS
// also the client's own certificate and key.
struct ClientTlsFiles {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

// Insecure credentials when no file is named. INVALID_ARGUMENT when only one
// of cert and key is given, or a client CA without them; NOT_FOUND naming a
// file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsFiles& files);

// Insecure credentials when no file is named. INVALID_ARGUMENT when only one
// of cert and key is given; NOT_FOUND naming a file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const ClientTlsFiles& files);

}  // namespace govreport
