// FileMapping: a read-only mapping of a whole monitoring file for the ingest workers, which
// survives the file shrinking while it is read.
//
// Contract: data() is the file's first `size` bytes as they were when mapped, or null where
// mmap is refused (the workers then read with pread). If the file is truncated meanwhile, a
// read of a page past its new end would raise SIGBUS and end the process; instead the
// process-wide SIGBUS handler installed on first use maps zero pages over the rest of the
// mapping and records it, so the read goes on over zeros and truncated() is true: the caller
// reports the file as changed, never a result computed from what the zeros made of it.
// SIGBUS outside every live FileMapping goes to the handler that was installed before.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

#include "core/status.h"

namespace jcm::mrv {

class FileMapping {
 public:
  FileMapping(int fd, uint64_t size);
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  ~FileMapping();
  const char* data() const;
  // A page past the file's end was read (the file shrank after it was mapped).
  bool truncated() const;

 private:
  uint64_t size_;
  void* address_;
  int slot_ = -1;  // in the table the SIGBUS handler reads; -1 if the table was full
};

// data_loss: "FILE: the file changed while it was read (…)".
core::Status FileChangedError(const std::string& path, uint64_t bytes_before, uint64_t bytes_after);

// OK unless the file `fd` shrank (a page past its end was read through `mapping`), grew or was
// rewritten (size or modification time differ from `before`) since it was opened.
core::Status CheckUnchangedWhileRead(const std::string& path, int fd, const struct stat& before,
                                     const FileMapping& mapping);

}  // namespace jcm::mrv
