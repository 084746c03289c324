#include "mrv/file_mapping.h"

#include <signal.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace jcm::mrv {
namespace {

// The live mappings, read by the signal handler: lock-free atomics only.
constexpr int kSlots = 64;
std::atomic<uintptr_t> slot_begin[kSlots];
std::atomic<uintptr_t> slot_end[kSlots];
std::atomic<bool> slot_truncated[kSlots];
std::mutex slot_mutex;  // serialises claiming and releasing slots (never taken by the handler)
struct sigaction previous_action;

void OnSigbus(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  for (int i = 0; i < kSlots; ++i) {
    const uintptr_t begin = slot_begin[i].load(std::memory_order_acquire);
    const uintptr_t end = slot_end[i].load(std::memory_order_acquire);
    if (begin == 0 || address < begin || address >= end) continue;
    // Zero pages from the faulting page to the end of the mapping: the read resumes there.
    const uintptr_t page = address & ~uintptr_t{4095};
    if (mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      slot_truncated[i].store(true, std::memory_order_release);
      return;
    }
  }
  // Not ours: what was installed before decides (the default ends the process).
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != nullptr) {
    previous_action.sa_sigaction(signal, info, context);
    return;
  }
  if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN) {
    previous_action.sa_handler(signal);
    return;
  }
  // Default action: restore it; the faulting access runs again and ends the process.
  struct sigaction restore {};
  restore.sa_handler = SIG_DFL;
  sigemptyset(&restore.sa_mask);
  sigaction(SIGBUS, &restore, nullptr);
}

void InstallHandlerOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_sigaction = OnSigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous_action);
  });
}

}  // namespace

FileMapping::FileMapping(int fd, uint64_t size)
    : size_(size),
      address_(size == 0 ? MAP_FAILED : mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0)) {
  if (address_ == MAP_FAILED) return;
  InstallHandlerOnce();
  const std::lock_guard lock(slot_mutex);
  for (int i = 0; i < kSlots; ++i) {
    if (slot_begin[i].load() != 0) continue;
    slot_truncated[i].store(false);
    slot_end[i].store(reinterpret_cast<uintptr_t>(address_) + size_);
    slot_begin[i].store(reinterpret_cast<uintptr_t>(address_), std::memory_order_release);
    slot_ = i;
    return;
  }
  // No slot free (more than 64 files mapped at once): read this one with pread.
  munmap(address_, size_);
  address_ = MAP_FAILED;
}

FileMapping::~FileMapping() {
  if (address_ == MAP_FAILED) return;
  {
    const std::lock_guard lock(slot_mutex);
    slot_begin[slot_].store(0, std::memory_order_release);
    slot_end[slot_].store(0);
  }
  munmap(address_, size_);
}

const char* FileMapping::data() const {
  return address_ == MAP_FAILED ? nullptr : static_cast<const char*>(address_);
}

bool FileMapping::truncated() const {
  return slot_ >= 0 && slot_truncated[slot_].load(std::memory_order_acquire);
}

core::Status FileChangedError(const std::string& path, uint64_t bytes_before,
                              uint64_t bytes_after) {
  return core::DataLoss(path + ": the file changed while it was read (" +
                        std::to_string(bytes_before) + " bytes when opened, " +
                        std::to_string(bytes_after) +
                        " now); no result was computed: read it again once it is complete");
}

core::Status CheckUnchangedWhileRead(const std::string& path, int fd, const struct stat& before,
                                     const FileMapping& mapping) {
  struct stat after {};
  if (fstat(fd, &after) != 0) return core::Unavailable(path + ": cannot stat after reading");
  if (mapping.truncated() || after.st_size != before.st_size ||
      after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      after.st_mtim.tv_nsec != before.st_mtim.tv_nsec) {
    return FileChangedError(path, static_cast<uint64_t>(before.st_size),
                            static_cast<uint64_t>(after.st_size));
  }
  return core::OkStatus();
}

}  // namespace jcm::mrv
