#include "core/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <utility>

#include "core/check.h"

namespace jcm::core {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

}  // namespace

struct Ed25519PrivateKey::State {
  PkeyPtr key;
};

Ed25519PrivateKey::Ed25519PrivateKey(std::unique_ptr<State> state) : state_(std::move(state)) {}
Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey::~Ed25519PrivateKey() = default;

Result<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Internal("OpenSSL could not generate an Ed25519 key");
  auto state = std::make_unique<State>();
  state->key = std::move(key);
  return Ed25519PrivateKey(std::move(state));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  JCM_CHECK(bio != nullptr, "OpenSSL memory BIO allocated");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return InvalidArgument("not a PKCS#8 PEM Ed25519 private key");
  }
  auto state = std::make_unique<State>();
  state->key = std::move(key);
  return Ed25519PrivateKey(std::move(state));
}

std::string Ed25519PrivateKey::ToPem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  JCM_CHECK(bio != nullptr, "OpenSSL memory BIO allocated");
  JCM_CHECK(PEM_write_bio_PrivateKey(bio.get(), state_->key.get(), nullptr, nullptr, 0, nullptr,
                                     nullptr) == 1,
            "Ed25519 key written as PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

std::string Ed25519PrivateKey::PublicKey() const {
  std::string raw(kEd25519PublicKeyBytes, '\0');
  size_t length = raw.size();
  JCM_CHECK(EVP_PKEY_get_raw_public_key(
                state_->key.get(), reinterpret_cast<unsigned char*>(raw.data()), &length) == 1 &&
                length == raw.size(),
            "Ed25519 public key read");
  return raw;
}

std::string Ed25519PrivateKey::Sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  JCM_CHECK(context != nullptr, "OpenSSL digest context allocated");
  JCM_CHECK(EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, state_->key.get()) == 1,
            "Ed25519 sign init");
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t length = signature.size();
  JCM_CHECK(
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
          length == signature.size(),
      "Ed25519 signature made");
  return signature;
}

bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeyBytes || signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(public_key.data()),
                                          public_key.size()));
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  JCM_CHECK(context != nullptr, "OpenSSL digest context allocated");
  if (EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace jcm::core
