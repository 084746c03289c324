// Text checks shared by every input path: what a journaled or printed text may contain.
//
// Text is journaled as bytes and printed as is (text output, JSON strings), so it must be valid
// UTF-8 (else a --json document is no longer JSON), and a name must not hold control characters
// (a newline in a holder name would forge a row of `jcm account list`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::core {

// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
// (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool IsValidUtf8(std::string_view text);

// True when `text` (valid UTF-8) contains a control character: C0 (U+0000–U+001F), DEL
// (U+007F) or C1 (U+0080–U+009F).
bool HasControlCharacter(std::string_view text);

// `text` with a double encoding undone: UTF-8 bytes once read as Latin-1 and encoded again
// ("â\u0080\u0093" for "–", "Ã±" for "ñ"), as some public data files hold them. nullopt when
// `text` is not such a string (a code point above U+00FF, or the bytes are not UTF-8 then).
std::optional<std::string> UndoDoubleEncoding(std::string_view text);

// Why `text` may not be journaled as a field named `what`, or nullopt when it may: longer than
// `max_bytes`, not UTF-8, or (when `single_line`) holding a control character.
std::optional<std::string> TextProblem(std::string_view text, std::string_view what,
                                       size_t max_bytes, bool single_line);

// Lower-case hex of bytes, and back (InvalidArgument on an odd length or a non-hex digit).
std::string BytesToHex(std::string_view bytes);
Result<std::string> HexToBytes(std::string_view hex);

}  // namespace jcm::core
