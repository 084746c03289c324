// The journal form of cycle events: kind "cycle.<payload kind>" and a core::Record body.
//
// Body layout: "actor.role", "actor.org", then the payload's fields in Visit() order. Nested
// structs use dotted keys ("document.sha256"); lists repeat their key, and a list of structs
// repeats each sub-key once per element ("share.side", "share.holder", "share.bp", …).
// Dates are ISO 8601, periods "START..END", booleans "true"/"false", enums their stable names.
#pragma once

#include <string>
#include <string_view>

#include "core/record.h"
#include "core/status.h"
#include "cycle/command.h"

namespace jcm::cycle {

inline constexpr std::string_view kEventKindPrefix = "cycle.";

struct EncodedEvent {
  std::string kind;  // "cycle.pin_submitted"
  core::Record body;
};

EncodedEvent EncodeEvent(const Event& event);

// DataLoss when `kind` is not a cycle event kind or `body` lacks or garbles a field.
core::Result<Event> DecodeEvent(std::string_view kind, const core::Record& body);

// True when `kind` starts with "cycle.": the events Replay consumes.
bool IsCycleEventKind(std::string_view kind);

// The payload kind of a command ("pin_submitted"), without the prefix.
std::string_view PayloadKind(const Payload& payload);

}  // namespace jcm::cycle
