// Internal to the ledger's audit (audit.h): the state the journal implies, replayed entry by
// entry, with the violations found on the way (INV-1…INV-56 that one entry shows). audit.cc
// compares what it replayed with the stored tables.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "ledger/audit.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"
#include "ledger/types.h"

namespace jcm::ledger::internal {

// The state implied by replaying the journal.
class Replayer {
 public:
  std::vector<Violation> violations;
  std::map<std::string, Account> accounts;
  std::map<int64_t, UnitBlock> blocks;
  std::map<std::string, RegistryCounters> registries;
  std::map<std::string, int64_t> issued_by_registry;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> issued_by_project_period;
  std::map<std::string, RegistryPolicy> policies;
  std::map<std::pair<std::string, std::string>, JcDecision> decisions;  // (id, registry)
  // The entries violations name: the one that created each account and each registry's
  // counters, the last that set a policy, the last issuance of each (registry, project, period).
  std::map<std::string, int64_t> account_created_seq;
  std::map<std::string, int64_t> registry_created_seq;
  std::map<std::string, int64_t> policy_seq;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> last_issuance_seq;
  std::map<std::string, int64_t> highest_itmo_id;  // per registry, the highest ITMO ID given
  // External transfers: each open reservation's entry -> its source account and the blocks it
  // put in the transit account (INV-55).
  struct Reservation {
    std::string source;
    std::vector<int64_t> blocks;
  };
  std::map<int64_t, Reservation> open_reservations;

  void Add(std::string invariant, int64_t seq, std::string message);

  void Replay(const JournalEntry& e);

 private:
  void ReplayInit(const JournalEntry& e);

  void ReplayPolicy(const JournalEntry& e);

  void RecordDecision(const JournalEntry& e, std::string_view text);

  // INV-11: an issuance executes a recorded decision of its registry within the notified
  // amount, or is an import naming its evidence; its blocks say which.
  void CheckIssuanceOrigin(const JournalEntry& e, const std::vector<UnitBlock>& created);

  void ReplayAccount(const JournalEntry& e);

  void ReplayTransaction(const JournalEntry& e);

  // The exchange transit account a registry's first external transfer opens in its entry.
  void ReplayTransitOpened(const JournalEntry& e, std::string_view number);

  // INV-55: a release or completion ends exactly the blocks its reservation put in the transit
  // account, once, and a release returns them to the reservation's source.
  void CheckOutcome(const JournalEntry& e, const std::string& type);

  // The units an external completion sends away and an acquisition brings in, counted against
  // the registry and project period they were issued under (INV-1, INV-2 stay exact).
  void CountTransferred(const JournalEntry& e, const std::string& type, int64_t units_ended,
                        const std::vector<UnitBlock>& created);

  // `authorising`: an article6_authorisation, whose children may also be the parent citing the
  // entry's authorisation with the flag its purposes give (INV-5, INV-41).
  void CheckEndedBlock(const JournalEntry& e, const UnitBlock& parent, const std::string& from,
                       const std::vector<const UnitBlock*>& kids, bool authorising);

  // INV-42: a child keeps the ITMO IDs parallel to its serials; units getting ITMO IDs (issued
  // citing an authorisation, or cited later: `parent` null or without IDs) get the registry's
  // next ones, never given before.
  void CheckItmoIds(const JournalEntry& e, const UnitBlock* parent, const UnitBlock& block);

  // INV-43: an issued block's vintage is a calendar year of its monitoring period, and the
  // vintages of one issuance never decrease with its serials (0: issued before vintages).
  void CheckVintage(const JournalEntry& e, const UnitBlock& block, int64_t* previous);

  static void MarkFirstTransferredAs(UnitBlock* block);

  void CheckCreatedBlock(const JournalEntry& e, const std::string& type, const UnitBlock& child);
};

}  // namespace jcm::ledger::internal
