// SHA-256 of byte strings, as lower-case hex. Used for the journal's hash chain and for the
// fingerprints of monitoring files and documents. Backed by OpenSSL (linked privately: no
// OpenSSL type appears here), which uses the CPU's SHA extensions where present.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace jcm::core {

// One-shot hash of `data`, as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// One-shot hash of `data`, as its 32 raw bytes (the transparency log's tree, core/merkle.h).
using Sha256Digest = std::array<uint8_t, 32>;
Sha256Digest Sha256Bytes(std::string_view data);

// Incremental hashing for streamed input (tens of GB): Update any number of times, then Hex once.
// Not thread-safe; one object per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Finishes the hash; REQUIRES: called once.
  std::string Hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace jcm::core
