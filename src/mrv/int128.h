// 128-bit integers for the exact fixed-point hot path (monitoring sums).
// GCC and Clang provide __int128 as an extension; the typedefs keep -Wpedantic quiet.
#pragma once

namespace jcm::mrv {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

}  // namespace jcm::mrv
