// Gzip and Zstandard monitoring files, read as a stream of their decompressed bytes: never
// unpacked to disk, memory bounded by the decoders' windows and one input block.
//
// Contract: DetectCompression looks at the file's first bytes (gzip 1f 8b, Zstandard frame
// 28 b5 2f fd), not at its name. A Decompressor returns the decompressed bytes in order; a
// stream that ends before its last frame is complete (a truncated or still-growing file) or
// that is corrupt is an error (status()), never a silently short input.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "mrv/csv_scan.h"

namespace jcm::mrv {

enum class Compression : uint8_t { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression compression);

Compression DetectCompression(int fd);

class Decompressor : public ByteSource {
 public:
  // Reads the compressed file `fd` from its start (pread: the fd's offset is not used).
  static core::Result<std::unique_ptr<Decompressor>> Open(int fd, Compression compression);
  ~Decompressor() override = default;
};

// The 1-based line numbers of the decompressed bytes at `sorted_offsets` (ascending): one
// more pass of decompression, for error positions and findings.
std::vector<uint64_t> DecompressedLineNumbersAt(int fd, Compression compression,
                                                const std::vector<uint64_t>& sorted_offsets);

}  // namespace jcm::mrv
