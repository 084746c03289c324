#include "core/sha256.h"

#include <openssl/evp.h>

#include "core/check.h"

namespace jcm::core {
namespace {

std::string ToHex(const unsigned char* digest, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

// Fetched once: OpenSSL 3 otherwise looks the algorithm up in its provider on every init,
// which costs more than hashing a journal entry.
const EVP_MD* Sha256Method() {
  static const EVP_MD* const method = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return method;
}

}  // namespace

struct Sha256::State {
  EVP_MD_CTX* context = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  JCM_CHECK(state_->context != nullptr, "OpenSSL digest context allocated");
  JCM_CHECK(EVP_DigestInit_ex(state_->context, Sha256Method(), nullptr) == 1, "SHA-256 init");
}

Sha256::~Sha256() { EVP_MD_CTX_free(state_->context); }

void Sha256::Update(std::string_view data) {
  JCM_CHECK(EVP_DigestUpdate(state_->context, data.data(), data.size()) == 1, "SHA-256 update");
}

std::string Sha256::Hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  JCM_CHECK(EVP_DigestFinal_ex(state_->context, digest, &length) == 1, "SHA-256 final");
  return ToHex(digest, length);
}

std::string Sha256Hex(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  return hash.Hex();
}

Sha256Digest Sha256Bytes(std::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  JCM_CHECK(
      EVP_Digest(data.data(), data.size(), digest.data(), &length, Sha256Method(), nullptr) == 1 &&
          length == digest.size(),
      "SHA-256 one-shot");
  return digest;
}

}  // namespace jcm::core
