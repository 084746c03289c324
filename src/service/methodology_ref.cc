#include "service/methodology_ref.h"

namespace jcm::service {
namespace {

core::Result<MethodologyRef> Split(std::string_view text, std::string_view separator,
                                   std::string_view form) {
  const size_t at = text.find(separator);
  if (at == std::string_view::npos || at == 0 || at + separator.size() == text.size()) {
    return core::InvalidArgument("methodology '" + std::string(text) + "' is not of the form " +
                                 std::string(form));
  }
  return MethodologyRef{std::string(text.substr(0, at)),
                        std::string(text.substr(at + separator.size()))};
}

}  // namespace

core::Result<MethodologyRef> MethodologyRef::FromEngine(std::string_view text) {
  return Split(text, "@", "ID@VERSION");
}

core::Result<MethodologyRef> MethodologyRef::FromCycle(std::string_view text) {
  return Split(text, " Ver", "ID VerVERSION");
}

}  // namespace jcm::service
