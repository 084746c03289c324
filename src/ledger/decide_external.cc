// Decide for the ledger's side of external transfers (docs/exchange.md): the reservation, its
// release or completion on the sending registry, and the acquisition on the receiving one. The
// protocol (who answers what, time limits) is the exchange service's; the ledger only holds
// the units: reserved units sit in the registry's exchange transit account, which nothing but
// their outcome empties (check 830), and each outcome takes exactly the units its reservation
// put there (check 832; INV-55).
#include <numeric>

#include "core/account_number.h"
#include "ledger/decide_internal.h"
#include "ledger/incoming_blocks.h"
#include "ledger/journal.h"
#include "ledger/transaction_table.h"

namespace jcm::ledger {
namespace {

using core::Result;

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

// The transit account of `registry`, opened now (in `delta`, with the registry's counters)
// when its first external transfer reserves units.
Result<Account> TransitAccount(Reader& reader, const core::RegistryCode& registry, Delta* delta) {
  JCM_ASSIGN_OR_RETURN(auto transit,
                       reader.FindGovernmentAccount(registry, AccountType::kExchangeTransit));
  if (transit) return *std::move(transit);
  JCM_ASSIGN_OR_RETURN(auto counters, reader.FindRegistry(registry));
  if (!counters) return core::DataLoss("registry " + registry.str() + " has no counters");
  Account opened{core::AccountNumber{registry, static_cast<int>(AccountType::kExchangeTransit),
                                     counters->next_account_sequence}
                     .ToString(),
                 registry, AccountType::kExchangeTransit, AccountState::kOpen,
                 Holder{"Government of " + registry.str(), "", "Registry manager", "", ""}};
  counters->next_account_sequence += 1;
  delta->registries.push_back({registry, *counters});
  delta->accounts.push_back(opened);
  return opened;
}

std::optional<Rejection> CheckExchangeDetails(const TransactionRequest& r) {
  if (auto bad = CheckDetails(r)) return bad;
  if (auto bad = CheckTextFields({{r.external_transaction, "the exchange transaction"}})) {
    return bad;
  }
  if (r.external_transaction.empty()) {
    return Reject(CheckCode::kDetailsInvalid,
                  "an external transfer's transaction names its exchange transaction id");
  }
  return std::nullopt;
}

// The reservation: checks 6-10 (830 for reserved units), 831, 17-20, then the units move to the
// transit account. The entry names the destination in the other registry (`external_to`).
Result<Verdict> DecideReservation(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  const TransactionTypeRow& row = RowFor(r.type);
  if (auto rejection = CheckExchangeDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto source_checked,
                       CheckAccount(reader, r.from, row.source_types, kSourceCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&source_checked)) return Verdict(*rejection);
  const Account source = std::get<Account>(source_checked);
  auto destination = core::AccountNumber::Parse(r.to);
  if (!destination.ok() || destination->registry == source.registry) {
    return Verdict(Reject(CheckCode::kExternalDestinationInvalid,
                          "an external transfer goes to an account number of another registry, "
                          "not '" +
                              r.to + "'"));
  }
  Delta opened;
  JCM_ASSIGN_OR_RETURN(Account transit, TransitAccount(reader, source.registry, &opened));
  JCM_ASSIGN_OR_RETURN(Verdict verdict, DecideSelection(reader, r, source, transit, ctx));
  if (auto* delta = std::get_if<Delta>(&verdict); delta != nullptr && !opened.accounts.empty()) {
    delta->accounts = std::move(opened.accounts);
    delta->registries = std::move(opened.registries);
  }
  return verdict;
}

// The live blocks reservation `r.external_reservation` put in `transit`: check 832 when there
// are none (never reserved, or released or completed already) or they are not `r.quantity`.
Result<std::variant<Rejection, std::vector<UnitBlock>>> ReservedBlocks(Reader& reader,
                                                                       const TransactionRequest& r,
                                                                       const Account& transit) {
  using Out = std::variant<Rejection, std::vector<UnitBlock>>;
  JCM_ASSIGN_OR_RETURN(std::vector<UnitBlock> live, reader.LiveBlocks(transit.number));
  std::vector<UnitBlock> reserved;
  for (UnitBlock& block : live) {
    if (block.created_seq == r.external_reservation) reserved.push_back(std::move(block));
  }
  const int64_t units =
      std::accumulate(reserved.begin(), reserved.end(), int64_t{0},
                      [](int64_t s, const UnitBlock& b) { return s + b.unit_count; });
  if (reserved.empty() || units != r.quantity) {
    return Out(Reject(CheckCode::kReservationNotOpen,
                      "entry " + std::to_string(r.external_reservation) + " holds " +
                          std::to_string(units) + " reserved units in " + transit.number +
                          ", not the " + std::to_string(r.quantity) +
                          " asked (never reserved, or released or completed already)"));
  }
  return Out(std::move(reserved));
}

// A release (the units go back to `r.to`, the reservation's source) or a completion (they end,
// leaving the registry for `r.to` in the other one).
Result<Verdict> DecideOutcome(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  const TransactionTypeRow& row = RowFor(r.type);
  const bool release = r.type == TransactionType::kExternalRelease;
  if (auto rejection = CheckExchangeDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto transit_checked,
                       CheckAccount(reader, r.from, row.source_types, kSourceCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&transit_checked)) return Verdict(*rejection);
  const Account transit = std::get<Account>(transit_checked);
  if (release) {
    JCM_ASSIGN_OR_RETURN(
        auto back, CheckAccount(reader, r.to, row.destination_types, kDestinationCodes, row.code));
    if (auto* rejection = std::get_if<Rejection>(&back)) return Verdict(*rejection);
    if (std::get<Account>(back).registry != transit.registry) {
      return Verdict(Reject(CheckCode::kDifferentRegistries,
                            "a release returns units to an account of " + transit.registry.str()));
    }
  } else if (auto destination = core::AccountNumber::Parse(r.to);
             !destination.ok() || destination->registry == transit.registry) {
    return Verdict(
        Reject(CheckCode::kExternalDestinationInvalid,
               "a completion names the destination in the other registry, not '" + r.to + "'"));
  }
  JCM_ASSIGN_OR_RETURN(auto reserved_or, ReservedBlocks(reader, r, transit));
  if (auto* rejection = std::get_if<Rejection>(&reserved_or)) return Verdict(*rejection);
  const auto& reserved = std::get<std::vector<UnitBlock>>(reserved_or);
  JCM_ASSIGN_OR_RETURN(int64_t next_id, reader.NextBlockId());
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  const int64_t seq = last ? last->seq + 1 : 1;
  Delta delta;
  core::Record body = BaseBody(r, transit.registry);
  body.Add("from", transit.number).Add("to", r.to).AddInt("quantity", r.quantity);
  body.Add("external_transaction", r.external_transaction);
  body.AddInt("external_reservation", r.external_reservation);
  for (const UnitBlock& block : reserved) {
    delta.blocks_ended.push_back(block.id);
    delta.units_ended.emplace_back(block.account, block.unit_count);
    body.AddInt("ended", block.id);
    if (!release) continue;
    UnitBlock child = block;
    child.id = next_id++;
    child.account = r.to;
    child.parent_id = block.id;
    child.created_seq = seq;
    child.ended_seq = 0;
    body.Add("created", EncodeBlock(child));
    delta.blocks_created.push_back(std::move(child));
  }
  delta.entry = NextEntry(last, ctx.time, "transaction", std::move(body));
  return Verdict(std::move(delta));
}

// The acquisition: the transferred blocks are created in `r.to` with this registry's ids; the
// entry names the exchange transaction, whose proposal carries the sender's lineage.
Result<Verdict> DecideAcquisition(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  const TransactionTypeRow& row = RowFor(r.type);
  if (auto rejection = CheckExchangeDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto destination_checked, CheckAccount(reader, r.to, row.destination_types,
                                                              kDestinationCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&destination_checked)) return Verdict(*rejection);
  const Account destination = std::get<Account>(destination_checked);
  if (auto rejection = CheckIncomingBlocks(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(int64_t next_id, reader.NextBlockId());
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  const int64_t seq = last ? last->seq + 1 : 1;
  Delta delta;
  core::Record body = BaseBody(r, destination.registry);
  body.Add("to", destination.number).AddInt("quantity", r.quantity);
  body.Add("external_transaction", r.external_transaction);
  for (UnitBlock block : r.incoming_blocks) {
    block.id = next_id++;
    block.account = destination.number;
    block.parent_id = 0;
    block.created_seq = seq;
    block.ended_seq = 0;
    body.Add("created", EncodeBlock(block));
    delta.blocks_created.push_back(std::move(block));
  }
  delta.entry = NextEntry(last, ctx.time, "transaction", std::move(body));
  return Verdict(std::move(delta));
}

}  // namespace

// Check 833 on an acquisition's blocks: each a run of serials within kSerialMax of some registry
// (the receiver's own too: units may come home) whose first transfer names the Party of the
// authorisation it cites, their units summing to the quantity.
std::optional<Rejection> CheckIncomingBlocks(const TransactionRequest& r) {
  int64_t units = 0;
  for (const UnitBlock& block : r.incoming_blocks) {
    if (block.unit_count <= 0 || block.serial_first < 1 ||
        block.serial_first > kSerialMax - block.unit_count + 1 || block.registry.str().empty()) {
      return Reject(CheckCode::kIncomingBlocksInvalid,
                    "incoming block " + EncodeBlock(block) + " is not a run of serials");
    }
    // INV-44 holds for what comes in too: a first-transferring Party is the cited one's.
    const std::string citing =
        block.article6_authorisation.substr(0, block.article6_authorisation.find('/'));
    if (!block.first_transferring_party.empty() &&
        (!block.first_transferred || block.first_transferring_party != citing)) {
      return Reject(CheckCode::kIncomingBlocksInvalid,
                    "incoming block " + EncodeBlock(block) + " names first-transferring Party " +
                        block.first_transferring_party + " for units citing '" +
                        block.article6_authorisation + "'");
    }
    units += block.unit_count;
  }
  if (r.incoming_blocks.empty() || units != r.quantity ||
      r.incoming_blocks.size() > static_cast<size_t>(kBlocksPerTransactionMax)) {
    return Reject(CheckCode::kIncomingBlocksInvalid,
                  "the incoming blocks hold " + std::to_string(units) + " units in " +
                      std::to_string(r.incoming_blocks.size()) + " blocks, not the " +
                      std::to_string(r.quantity) + " transferred");
  }
  return std::nullopt;
}

Result<Verdict> DecideExternal(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  switch (r.type) {
    case TransactionType::kExternalTransfer:
      return DecideReservation(reader, r, ctx);
    case TransactionType::kExternalRelease:
    case TransactionType::kExternalCompletion:
      return DecideOutcome(reader, r, ctx);
    case TransactionType::kExternalAcquisition:
      return DecideAcquisition(reader, r, ctx);
    default:
      return core::InvalidArgument("DecideExternal: not an external transfer's transaction");
  }
}

core::Status AddReservationFields(Reader& reader, const TransactionRequest& r,
                                  const Account& destination, core::Record* body) {
  if (r.type != TransactionType::kExternalTransfer) return core::OkStatus();
  body->Add("external_to", r.to).Add("external_transaction", r.external_transaction);
  JCM_ASSIGN_OR_RETURN(auto stored, reader.FindAccount(destination.number));
  if (!stored) body->Add("transit_opened", destination.number);
  return core::OkStatus();
}

bool IsExternal(TransactionType type) {
  return type == TransactionType::kExternalTransfer || type == TransactionType::kExternalRelease ||
         type == TransactionType::kExternalCompletion ||
         type == TransactionType::kExternalAcquisition;
}

}  // namespace jcm::ledger
