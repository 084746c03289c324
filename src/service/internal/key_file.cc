#include "service/internal/key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace jcm::service::internal {

core::Result<core::Ed25519PrivateKey> CreateKeyFile(const std::string& path,
                                                    std::string_view what) {
  JCM_ASSIGN_OR_RETURN(core::Ed25519PrivateKey key, core::Ed25519PrivateKey::Generate());
  const std::string name(what);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) {
      return core::AlreadyExists(name + " " + path + " exists; a registry keeps its key");
    }
    return core::Unavailable("cannot create " + name + " " + path + ": " + std::strerror(error));
  }
  const std::string pem = key.ToPem();
  const bool written =
      ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return core::Unavailable("cannot write " + name + " " + path);
  }
  return key;
}

core::Result<core::Ed25519PrivateKey> LoadKeyFile(const std::string& path, std::string_view what,
                                                  std::string_view create_with) {
  std::ifstream in(path, std::ios::binary);
  const std::string name(what);
  if (!in) {
    // "log key" -> "no log signing key at …"
    const std::string kind = name.substr(0, name.rfind(" key"));
    return core::FailedPrecondition("no " + kind + " signing key at " + path +
                                    " (create one with `" + std::string(create_with) + "`)");
  }
  std::ostringstream pem;
  pem << in.rdbuf();
  core::Result<core::Ed25519PrivateKey> key = core::Ed25519PrivateKey::FromPem(pem.str());
  if (!key.ok()) return core::FailedPrecondition(name + " " + path + ": " + key.status().message());
  return key;
}

}  // namespace jcm::service::internal
