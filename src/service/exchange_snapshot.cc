// BuildSnapshot (exchange_reconcile.h): this registry described for one peer, from the ledger's
// external_* entries, the transfer book and the live blocks, all read through one snapshot.
#include <map>
#include <utility>

#include "core/account_number.h"
#include "exchange/transfer_book.h"
#include "ledger/decide.h"
#include "service/exchange_reconcile.h"
#include "service/internal/journal_replay.h"
#include "service/internal/utc_seconds.h"

namespace jcm::service {
namespace {

using exchange::ReportedState;
using exchange::SerialRun;
using exchange::TrailEntry;

SerialRun Crossed(const ledger::UnitBlock& b) {
  SerialRun run{b.registry, b.serial_first, b.unit_count, b.vintage, "", 0};
  if (b.itmo_first != 0) {
    run.itmo = b.cooperative_approach + "/" + b.itmo_registry + ":" + std::to_string(b.itmo_first);
  }
  return run;
}

std::string RegistryOfAccount(std::string_view number) {
  core::Result<core::AccountNumber> parsed = core::AccountNumber::Parse(number);
  return parsed.ok() ? parsed->registry.str() : "";
}

// The transfers between the two as the ledger's external_* entries give them.
class LedgerTrail {
 public:
  LedgerTrail(const core::RegistryCode& self, const core::RegistryCode& peer)
      : self_(self.str()), peer_(peer.str()) {}

  core::Status Add(const ledger::JournalEntry& entry) {
    const std::string_view type = entry.body.Find("type").value_or("");
    if (!type.starts_with("external_")) return core::OkStatus();
    const std::string tx(entry.body.Find("external_transaction").value_or(""));
    const std::string sender = tx.substr(0, tx.find(':'));
    if (type == "external_transfer") {
      if (sender != self_ ||
          RegistryOfAccount(entry.body.Find("external_to").value_or("")) != peer_)
        return core::OkStatus();
      TrailEntry& t = trail_[tx];
      t.transaction = tx;
      t.state = ReportedState::kProposed;
      JCM_ASSIGN_OR_RETURN(t.quantity, entry.body.GetInt("quantity"));
      JCM_ASSIGN_OR_RETURN(int64_t at_s, internal::UtcSeconds(entry.time));
      t.deadline_s = at_s + kDefaultTransferTimeLimitSeconds;
      const std::string transit(entry.body.Find("to").value_or(""));
      JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> created, ledger::CreatedBlocks(entry));
      for (const ledger::UnitBlock& b : created) {
        if (b.account == transit) t.blocks.push_back(Crossed(b));
      }
    } else if (type == "external_completion" || type == "external_release") {
      auto found = trail_.find(tx);
      if (found == trail_.end()) return core::OkStatus();  // another peer's
      found->second.state =
          type == "external_completion" ? ReportedState::kCompleted : ReportedState::kFailed;
    } else if (type == "external_acquisition" && sender == peer_) {
      TrailEntry& t = trail_[tx];
      t.transaction = tx;
      t.state = ReportedState::kCompleted;
      JCM_ASSIGN_OR_RETURN(t.quantity, entry.body.GetInt("quantity"));
      JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> created, ledger::CreatedBlocks(entry));
      for (const ledger::UnitBlock& b : created) t.blocks.push_back(Crossed(b));
    }
    return core::OkStatus();
  }

  std::map<std::string, TrailEntry>& trail() { return trail_; }

 private:
  std::string self_, peer_;
  std::map<std::string, TrailEntry> trail_;
};

// The transfer book's states over the ledger's: pending, rejected and terminated exist only
// there, and so does each transfer's time limit.
core::Status AddBookStates(const exchange::TransferBook& book, const core::RegistryCode& peer,
                           LedgerTrail& ledger) {
  std::map<std::string, TrailEntry>& trail = ledger.trail();
  for (const auto& [id, record] : book.outgoing()) {
    if (record.peer != peer) continue;
    TrailEntry& t = trail[id];
    t.transaction = id;
    t.state = exchange::Reported(record.machine.state);
    t.quantity = record.quantity;
    t.deadline_s = record.machine.deadline_s;
  }
  for (const auto& [key, record] : book.incoming()) {
    if (key.first != peer) continue;
    TrailEntry& t = trail[key.second];
    t.transaction = key.second;
    t.state = exchange::Reported(record.machine.state);
    if (record.quantity != 0) t.quantity = record.quantity;
    if (!t.blocks.empty()) continue;  // acquired: the ledger's blocks
    for (const std::string& text : record.blocks) {
      JCM_ASSIGN_OR_RETURN(ledger::UnitBlock block, ledger::DecodeBlock(text));
      t.blocks.push_back(Crossed(block));
    }
  }
  return core::OkStatus();
}

core::Result<std::vector<SerialRun>> LiveRuns(store::Store& store, const core::RegistryCode& self,
                                              const core::RegistryCode& peer) {
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::Account> accounts, store.ListAccounts(self.str()));
  std::map<std::string, int> type_of;  // this registry's accounts (the database may hold others)
  for (const ledger::Account& a : accounts) type_of[a.number] = static_cast<int>(a.type);
  std::vector<SerialRun> live;
  for (const core::RegistryCode& origin : {self, peer}) {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> blocks,
                         store.LiveBlocksOfSerials(origin.str()));
    for (const ledger::UnitBlock& b : blocks) {
      auto type = type_of.find(b.account);
      if (type == type_of.end()) continue;
      live.push_back({b.registry, b.serial_first, b.unit_count, 0, "", type->second});
    }
  }
  return exchange::Coalesce(std::move(live));
}

}  // namespace

core::Result<exchange::ReconcileSnapshot> BuildSnapshot(store::Store& store,
                                                        const ExchangeIdentity& identity,
                                                        const core::RegistryCode& peer,
                                                        store::Clock& clock) {
  if (peer == identity.self) {
    return core::InvalidArgument("a registry does not reconcile with itself");
  }
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> view, store.Snapshot());
  exchange::ReconcileSnapshot s;
  s.registry = identity.self;
  s.peer = peer;
  s.taken_at = clock.NowUtc();
  JCM_ASSIGN_OR_RETURN(s.journal_seq, view->LogTreeSize());
  LedgerTrail ledger(identity.self, peer);
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> transactions,
                       view->ReadJournal(1, "transaction"));
  for (const ledger::JournalEntry& entry : transactions) JCM_RETURN_IF_ERROR(ledger.Add(entry));
  JCM_ASSIGN_OR_RETURN(
      exchange::TransferBook book,
      internal::ReplayJournalFamily<exchange::TransferBook>(*view, exchange::kEventKindPrefix));
  JCM_RETURN_IF_ERROR(AddBookStates(book, peer, ledger));
  for (auto& [id, entry] : ledger.trail()) s.trail.push_back(std::move(entry));
  JCM_ASSIGN_OR_RETURN(s.live, LiveRuns(*view, identity.self, peer));
  s.DeriveTotals();
  s.Sign(identity.key);
  return s;
}

}  // namespace jcm::service
