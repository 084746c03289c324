// Shared by the store adapters: the checks a document must pass before it is stored, and after
// it is read back (stored bytes are external input).
#pragma once

#include <string>
#include <string_view>

#include "core/sha256.h"
#include "store/store.h"

namespace jcm::store {

inline core::Status CheckDocument(const std::string& sha256, std::string_view bytes) {
  if (bytes.size() > kDocumentBytesMax) {
    return core::ResourceExhausted("a document is at most " + std::to_string(kDocumentBytesMax) +
                                   " bytes; this one has " + std::to_string(bytes.size()));
  }
  if (core::Sha256Hex(bytes) != sha256) {
    return core::InvalidArgument("document content does not match its SHA-256 " + sha256);
  }
  return core::OkStatus();
}

}  // namespace jcm::store
