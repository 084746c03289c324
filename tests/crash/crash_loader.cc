// crash_loader: the load side of the crash test (docs/testing.md, "Crash test").
//
//   crash_loader DB LOG [SUBMITTERS]
//
// Opens (creating if needed) the store at DB (an SQLite file or a PostgreSQL URI). On first run it
// initialises registry MN, opens holder accounts and issues them units; every step carries an
// idempotency key or is harmlessly rejected, so a run killed during set-up is completed by the next
// one. Then it commits transfers and retirements from SUBMITTERS threads (default 4) forever, and
// after each Submit() that returned an accepted outcome appends "SEQ HASH\n" (the acknowledged
// journal entry) to LOG with one write(2) on an O_APPEND descriptor, so a line is in the kernel
// before the next transaction starts and survives SIGKILL. It never exits on its own unless
// something fails (exit 1 with a message): the driver kills it.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/open/open_store.h"
#include "store/testing/fixed_clock.h"

namespace {

using jcm::core::Result;
using jcm::core::Status;
namespace ledger = jcm::ledger;
namespace store = jcm::store;

constexpr int64_t kHolders = 8;
constexpr int64_t kUnitsPerHolder = 100'000'000;  // never runs out; 8 of them ≤ the 10^9 limit
constexpr int64_t kRetireOneIn = 8;

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "crash_loader: " << what << "\n";
  std::_Exit(1);
}

// Submit that must be accepted (or replayed, for a keyed command run before).
store::Outcome MustAccept(store::Store& s, const ledger::Command& command, const char* what) {
  Result<store::Outcome> outcome = s.Submit(command);
  if (!outcome.ok()) Fail(std::string(what) + ": " + outcome.status().ToString());
  if (outcome->rejection) Fail(std::string(what) + " rejected: " + outcome->rejection->message);
  return std::move(outcome).value();
}

// Idempotent set-up; returns the holders' account numbers.
std::vector<std::string> SetUp(store::Store& s) {
  Result<store::Outcome> init = s.Submit(ledger::InitRegistry{"MN"});
  if (!init.ok()) Fail("init: " + init.status().ToString());  // a rejection: already there
  std::vector<std::string> holders;
  ledger::TransactionRequest issue;
  issue.type = ledger::TransactionType::kIssuance;
  issue.idempotency_key = "crash-issuance";
  issue.registry = "MN";
  issue.project = "MN003";
  issue.period = "2017-08-26..2018-05-31";
  issue.authorization = ledger::Authorization::kNdc;
  // The crash test exercises durability, not the project cycle: its units are an import.
  issue.import_source = "tests/crash/crash_loader.cc";
  issue.import_line = 1;
  for (int64_t i = 0; i < kHolders; ++i) {
    const std::string name = "Crash holder " + std::to_string(i);
    ledger::OpenAccount open{"MN", ledger::AccountType::kEntityHolding,
                             ledger::Holder{name, "", "", "", ""},
                             "crash-holder-" + std::to_string(i)};
    const store::Outcome opened = MustAccept(s, open, "open account");
    holders.emplace_back(opened.entry.body.Find("account").value_or(""));
    issue.targets.push_back({holders.back(), kUnitsPerHolder});
  }
  MustAccept(s, issue, "issuance");
  return holders;
}

ledger::TransactionRequest RandomMovement(const std::vector<std::string>& holders,
                                          std::mt19937_64& random) {
  const size_t n = holders.size();
  const size_t from = random() % n;
  ledger::TransactionRequest r;
  r.from = holders[from];
  r.quantity = static_cast<int64_t>(random() % 5) + 1;
  if (random() % kRetireOneIn == 0) {
    r.type = ledger::TransactionType::kRetirement;
    r.beneficiary = "Japan NDC";
  } else {
    r.type = ledger::TransactionType::kInternalTransfer;
    r.to = holders[(from + 1 + random() % (n - 1)) % n];
  }
  return r;
}

void AppendAcknowledged(int log_fd, const ledger::JournalEntry& entry) {
  const std::string line = std::to_string(entry.seq) + " " + entry.hash + "\n";
  if (::write(log_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    Fail("writing the acknowledgement log");
  }
}

void SubmitForever(store::Store& s, const std::vector<std::string>& holders, int log_fd,
                   uint64_t seed) {
  std::mt19937_64 random(seed);
  while (true) {
    const store::Outcome outcome = MustAccept(s, RandomMovement(holders, random), "movement");
    AppendAcknowledged(log_fd, outcome.entry);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: crash_loader DB LOG [SUBMITTERS]\n";
    return 2;
  }
  const int64_t submitters = argc == 4 ? std::stoll(argv[3]) : 4;
  store::FixedClock clock;
  Result<std::unique_ptr<store::Store>> opened =
      store::OpenStore(argv[1], clock, store::OpenMode::kCreate);
  if (!opened.ok()) Fail("open: " + opened.status().ToString());
  store::Store& s = **opened;
  const std::vector<std::string> holders = SetUp(s);
  const int log_fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) Fail(std::string("cannot open ") + argv[2]);
  std::vector<std::thread> threads;
  const auto seed = static_cast<uint64_t>(::getpid());
  for (int64_t t = 0; t < submitters; ++t) {
    threads.emplace_back(SubmitForever, std::ref(s), std::cref(holders), log_fd,
                         seed * 64 + static_cast<uint64_t>(t));
  }
  for (std::thread& thread : threads) thread.join();  // never: the driver kills the process
  return 1;
}
