// Internal to the service: a registry's Ed25519 signing key kept in a PEM file of its own
// beside the database (the transparency log's, service/log_service.h; the exchange's,
// service/exchange_transfers.h), never in the database, whose copies are shared for audit and
// backup.
#pragma once

#include <string>
#include <string_view>

#include "core/ed25519.h"
#include "core/status.h"

namespace jcm::service::internal {

// Creates a new key in `path` (mode 0600, written and fsynced) and returns it. AlreadyExists
// when the file exists (a registry keeps its key), Unavailable when it cannot be written (no
// partial file is left). `what` names the key in messages ("log key").
core::Result<core::Ed25519PrivateKey> CreateKeyFile(const std::string& path, std::string_view what);
// FailedPrecondition naming the file and `create_with` (the command that makes one) when it is
// absent, or the file when it holds no Ed25519 key.
core::Result<core::Ed25519PrivateKey> LoadKeyFile(const std::string& path, std::string_view what,
                                                  std::string_view create_with);

}  // namespace jcm::service::internal
