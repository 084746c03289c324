#include "identity/password_hash.h"

#include <argon2.h>

#include <vector>

#include "identity/random.h"

namespace jcm::identity {

core::Result<std::string> HashPassword(std::string_view password, std::string_view salt,
                                       const Argon2Parameters& parameters) {
  if (salt.size() != kPasswordSaltBytes) {
    return core::InvalidArgument("a password salt must be " + std::to_string(kPasswordSaltBytes) +
                                 " bytes");
  }
  const size_t encoded_length =
      argon2_encodedlen(parameters.iterations, parameters.memory_kib, parameters.lanes,
                        static_cast<uint32_t>(salt.size()), kPasswordHashBytes, Argon2_id);
  std::vector<char> encoded(encoded_length);
  const int status =
      argon2id_hash_encoded(parameters.iterations, parameters.memory_kib, parameters.lanes,
                            password.data(), password.size(), salt.data(), salt.size(),
                            kPasswordHashBytes, encoded.data(), encoded.size());
  if (status != ARGON2_OK) {
    return core::Internal(std::string("argon2id hashing failed: ") + argon2_error_message(status));
  }
  return std::string(encoded.data());
}

core::Result<std::string> HashPasswordWithRandomSalt(std::string_view password) {
  JCM_ASSIGN_OR_RETURN(const std::string salt, RandomBytes(kPasswordSaltBytes));
  return HashPassword(password, salt);
}

bool VerifyPassword(std::string_view phc, std::string_view password) {
  if (phc.substr(0, 10) != "$argon2id$") return false;
  const std::string encoded(phc);  // argon2id_verify needs a NUL-terminated string
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

const std::string& DecoyPasswordHash() {
  static const std::string decoy = [] {
    core::Result<std::string> hash = HashPasswordWithRandomSalt("jcm decoy: no user has this");
    return hash.ok() ? *hash : std::string();
  }();
  return decoy;
}

}  // namespace jcm::identity
