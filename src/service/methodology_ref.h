// MethodologyRef: one approved methodology version, whichever way a module writes it. The MRV
// engine names a definition "MN_AM003@2.0" (its catalog's file layout); the project cycle, like
// the Joint Committees' documents, writes "MN_AM003 Ver2.0". This is the one place that converts
// between the two (docs/glossary.md, "methodology").
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::service {

struct MethodologyRef {
  std::string id;       // "MN_AM003"
  std::string version;  // "2.0"

  // "MN_AM003@2.0"; InvalidArgument when there is no "@VERSION".
  static core::Result<MethodologyRef> FromEngine(std::string_view text);
  // "MN_AM003 Ver2.0"; InvalidArgument when there is no " Ver".
  static core::Result<MethodologyRef> FromCycle(std::string_view text);

  std::string EngineForm() const { return id + "@" + version; }
  std::string CycleForm() const { return id + " Ver" + version; }
  friend bool operator==(const MethodologyRef&, const MethodologyRef&) = default;
};

}  // namespace jcm::service
