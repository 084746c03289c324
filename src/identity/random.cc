#include "identity/random.h"

#include <openssl/rand.h>

namespace jcm::identity {

core::Result<std::string> RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    return core::Internal("the random generator failed (RAND_bytes)");
  }
  return bytes;
}

}  // namespace jcm::identity
