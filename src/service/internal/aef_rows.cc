#include "service/internal/aef_rows.h"

#include <algorithm>

#include "article6/aef.h"
#include "core/account_number.h"
#include "core/record.h"

namespace jcm::service::internal {
namespace {

using article6::kNotApplicable;

const std::string kNa(kNotApplicable);

// 2/CMA.3 annex para 22–23 and 18/CMA.1 para 37: Parties report with the 100-year GWPs of the
// IPCC's Fifth Assessment Report; every JCM methodology's reductions are tCO2e on them.
constexpr const char* kGwpValues = "AR5 GWP100";
// The JCM issues credits for emission reductions; the registry keeps no removal projects apart.
constexpr const char* kMitigationType = "Emission reductions";

std::pair<std::string, std::string> SplitReference(const std::string& reference) {
  const size_t slash = reference.find('/');
  if (slash == std::string::npos) return {"", reference};
  return {reference.substr(0, slash), reference.substr(slash + 1)};
}

// The Party of the registry that sent an external transfer, from its exchange transaction id
// ("MN:7"; docs/exchange.md); "" when it does not name one.
std::string SendingParty(const ledger::JournalEntry& entry) {
  const std::string_view transaction = entry.body.Find("external_transaction").value_or("");
  const std::string_view code = transaction.substr(0, transaction.find(':'));
  if (!core::IsKnownRegistryCode(code)) return "";
  return std::string(core::RegistryCode::FromTrusted(code).party());
}

const article6::Authorisation* AuthorisationOf(const AefSources& sources,
                                               const std::string& reference) {
  const auto [party, id] = SplitReference(reference);
  return sources.authorisations->Latest(party, id);
}

// The 16 cells T3 and T4 share, for the units of `block`.
std::vector<std::string> UnitCells(const ledger::UnitBlock& block, const AefSources& sources) {
  const auto [authorising_party, id] = SplitReference(block.article6_authorisation);
  const article6::Authorisation* authorisation =
      AuthorisationOf(sources, block.article6_authorisation);
  const article6::Metric metric =
      authorisation != nullptr ? authorisation->metric : article6::Metric::kGhg;
  const bool non_ghg = metric == article6::Metric::kNonGhg;
  // Until the units are first transferred the Party that will transfer them is the one that
  // authorised them (6/CMA.4 annex I para 5(c)).
  const std::string first_transferring =
      block.first_transferring_party.empty() ? authorising_party : block.first_transferring_party;
  return {block.cooperative_approach,
          id,
          first_transferring,
          block.itmo_registry,
          std::to_string(block.itmo_first),
          std::to_string(block.itmo_last()),
          "JCM",
          std::to_string(block.serial_first),
          std::to_string(block.serial_last()),
          std::string(article6::MetricName(metric)),
          kGwpValues,
          non_ghg ? "" : kNa,  // the registry records no non-GHG metric: validation names it
          std::to_string(block.unit_count),
          non_ghg ? "" : kNa,
          kMitigationType,
          block.vintage == 0 ? "" : std::to_string(block.vintage)};
}

std::string FirstTransferSubtype(const ledger::UnitBlock& block, const AefSources& sources) {
  if (HoldingParty(block) != block.first_transferring_party) {
    return "First transfer to another Party";
  }
  const article6::Authorisation* authorisation =
      AuthorisationOf(sources, block.article6_authorisation);
  switch (authorisation != nullptr ? authorisation->first_transfer
                                   : article6::FirstTransferDefinition::kNone) {
    case article6::FirstTransferDefinition::kAuthorisation:
      return "Authorization";
    case article6::FirstTransferDefinition::kIssuance:
      return "Issuance";
    case article6::FirstTransferDefinition::kUseOrCancellation:
      return "Use or cancellation";
    case article6::FirstTransferDefinition::kNone:
      break;
  }
  return "Not yet defined";
}

struct ActionFields {
  std::string type;
  std::string subtype = kNa;
  std::string transferring = kNa;
  std::string acquiring = kNa;
  std::string oimp_purpose = kNa;
  std::string using_party = kNa;
  std::string using_entity = kNa;
  std::string year_used = kNa;
};

AefAction MakeAction(const ledger::UnitBlock& block, const ledger::JournalEntry& entry,
                     const std::string& party, const ActionFields& f, const AefSources& sources) {
  AefAction action;
  action.seq = entry.seq;
  action.year = static_cast<int>(core::ParseInt64(entry.time.substr(0, 4)).value_or(0));
  action.party = party;
  action.reference = block.article6_authorisation;
  action.type = f.type;
  action.quantity = block.unit_count;
  action.cells = {article6::AefActionDate(entry.time), f.type, f.subtype};
  for (std::string& cell : UnitCells(block, sources)) action.cells.push_back(std::move(cell));
  for (const std::string* cell : {&f.transferring, &f.acquiring, &f.oimp_purpose, &f.using_party,
                                  &f.using_entity, &f.year_used}) {
    action.cells.push_back(*cell);
  }
  action.cells.push_back("");  // the consistency-check result: the CARP's
  action.cells.push_back(kNa);
  return action;
}

// The use or cancellation the block's arrival in a terminal account records, if any.
std::optional<ActionFields> UseOrCancellation(const ledger::UnitBlock& block,
                                              const ledger::JournalEntry& entry,
                                              ledger::AccountType account_type) {
  ActionFields f;
  f.using_party = HoldingParty(block);
  if (account_type == ledger::AccountType::kRetirement) {
    f.type = "Use";
    const std::string_view beneficiary = entry.body.Find("beneficiary").value_or("");
    if (!beneficiary.empty()) f.using_entity = std::string(beneficiary);
    const std::optional<std::string_view> use_year = entry.body.Find("use_year");
    if (use_year && ledger::AllowsNdcUse(block.authorization)) {
      f.year_used = std::string(*use_year);
    } else {
      f.oimp_purpose = "OIMP";  // units not authorised for NDC use, retired for another purpose
    }
    return f;
  }
  if (account_type != ledger::AccountType::kCancellation) return std::nullopt;
  const std::string_view purpose = entry.body.Find("cancellation_purpose").value_or("other");
  f.type = purpose == "voluntary" ? "Voluntary Cancellation" : "Cancellation";
  f.subtype = purpose == "omge" ? "Voluntary cancellation to deliver OMGE" : "Other cancellations";
  return f;
}

void ActionsOfBlock(const ledger::UnitBlock& block, const ledger::UnitBlock* parent,
                    const ledger::JournalEntry& entry, const AefSources& sources,
                    std::vector<AefAction>& out) {
  const std::string registry_party = HoldingParty(block);
  const auto [authorising_party, id] = SplitReference(block.article6_authorisation);
  // A block without a parent is issued here, or arrived from another registry (an external
  // acquisition, docs/exchange.md): its authorisation and any first transfer happened there and
  // are the sending Party's to report (ExternalTransferActions); this Party acquired it.
  if (parent == nullptr && entry.body.Find("type").value_or("") == "external_acquisition") {
    const std::string sender = SendingParty(entry);
    out.push_back(
        MakeAction(block, entry, registry_party,
                   {.type = "Acquisition",
                    .transferring = sender.empty() ? block.first_transferring_party : sender},
                   sources));
    return;
  }
  if (parent == nullptr && entry.body.Find("type").value_or("") != "issuance") return;
  if (parent == nullptr || parent->article6_authorisation.empty()) {
    out.push_back(MakeAction(block, entry, authorising_party, {.type = "Authorization"}, sources));
  }
  if (block.first_transferred && (parent == nullptr || !parent->first_transferred)) {
    ActionFields f{.type = "First transfer", .subtype = FirstTransferSubtype(block, sources)};
    if (registry_party != block.first_transferring_party) f.acquiring = registry_party;
    out.push_back(MakeAction(block, entry, block.first_transferring_party, f, sources));
    if (registry_party != block.first_transferring_party) {
      out.push_back(MakeAction(
          block, entry, registry_party,
          {.type = "Acquisition", .transferring = block.first_transferring_party}, sources));
    }
  }
  const auto type = sources.account_type.find(block.account);
  const bool arrived = parent == nullptr || parent->account != block.account;
  if (type != sources.account_type.end() && arrived) {
    if (auto f = UseOrCancellation(block, entry, type->second)) {
      out.push_back(MakeAction(block, entry, registry_party, *f, sources));
    }
  }
}

// The transfers to another Party's registry that an external completion records (the sending
// side; docs/exchange.md): units not yet first transferred that may count toward an NDC are
// first transferred by it (the first international transfer, docs/article6.md "First
// transfer"); other ITMOs are transferred.
void ExternalTransferActions(const std::vector<const ledger::UnitBlock*>& ended,
                             const ledger::JournalEntry& entry, const AefSources& sources,
                             std::vector<AefAction>& out) {
  const core::Result<core::AccountNumber> to =
      core::AccountNumber::Parse(entry.body.Find("to").value_or(""));
  const std::string acquiring = to.ok() ? std::string(to->registry.party()) : "";
  for (const ledger::UnitBlock* block : ended) {
    const std::string sending = HoldingParty(*block);
    ActionFields f{.type = "Transfer", .subtype = "Not yet defined", .acquiring = acquiring};
    if (!block->first_transferred && ledger::AllowsNdcUse(block->authorization)) {
      f.type = "First transfer";
      f.subtype = "First transfer to another Party";
    }
    out.push_back(MakeAction(*block, entry, sending, f, sources));
  }
}

}  // namespace

std::string HoldingParty(const ledger::UnitBlock& block) {
  const core::Result<core::AccountNumber> number = core::AccountNumber::Parse(block.account);
  return std::string(number.ok() ? number->registry.party() : block.registry.party());
}

std::vector<AefAction> DeriveAefActions(std::span<const ledger::UnitBlock> blocks,
                                        const AefSources& sources, int64_t up_to_seq) {
  std::map<int64_t, const ledger::UnitBlock*> by_id;
  std::vector<const ledger::UnitBlock*> ordered;
  for (const ledger::UnitBlock& block : blocks) {
    by_id[block.id] = &block;
    if (block.itmo_first != 0 && block.created_seq <= up_to_seq) ordered.push_back(&block);
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::pair(a->created_seq, a->id) < std::pair(b->created_seq, b->id);
  });
  std::vector<AefAction> out;
  for (const ledger::UnitBlock* block : ordered) {
    const auto entry = sources.transaction_at.find(block->created_seq);
    if (entry == sources.transaction_at.end()) continue;  // not a transaction: no action
    const auto parent = by_id.find(block->parent_id);
    ActionsOfBlock(*block, parent == by_id.end() ? nullptr : parent->second, *entry->second,
                   sources, out);
  }
  // An external completion creates no block: its actions are those of the blocks it ended.
  std::map<int64_t, std::vector<const ledger::UnitBlock*>> ended_by;
  for (const ledger::UnitBlock& block : blocks) {
    if (block.itmo_first != 0 && block.ended_seq != 0) ended_by[block.ended_seq].push_back(&block);
  }
  for (const auto& [seq, entry] : sources.transaction_at) {
    if (seq > up_to_seq || entry->body.Find("type").value_or("") != "external_completion") continue;
    const auto ended = ended_by.find(seq);
    if (ended != ended_by.end()) ExternalTransferActions(ended->second, *entry, sources, out);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const AefAction& a, const AefAction& b) { return a.seq < b.seq; });
  return out;
}

std::vector<std::vector<std::string>> DeriveAefHoldings(std::span<const ledger::UnitBlock> blocks,
                                                        const AefSources& sources,
                                                        const std::string& party, int64_t at_seq) {
  std::vector<const ledger::UnitBlock*> held;
  for (const ledger::UnitBlock& block : blocks) {
    if (block.itmo_first == 0 || !LiveAt(block, at_seq) || HoldingParty(block) != party) {
      continue;
    }
    const auto type = sources.account_type.find(block.account);
    if (type != sources.account_type.end() && ledger::IsTerminal(type->second)) continue;
    if (block.first_transferred && block.first_transferring_party == party) continue;
    held.push_back(&block);
  }
  std::sort(held.begin(), held.end(),
            [](const auto* a, const auto* b) { return a->serial_first < b->serial_first; });
  std::vector<std::vector<std::string>> rows;
  for (const ledger::UnitBlock* block : held) rows.push_back(UnitCells(*block, sources));
  return rows;
}

core::Result<std::vector<ledger::UnitBlock>> BlocksOfJournal(
    std::span<const ledger::JournalEntry> transactions) {
  std::vector<ledger::UnitBlock> blocks;
  std::map<int64_t, size_t> index_of;
  for (const ledger::JournalEntry& entry : transactions) {
    for (std::string_view ended : entry.body.FindAll("ended")) {
      const auto found = index_of.find(core::ParseInt64(ended).value_or(0));
      if (found == index_of.end()) {
        return core::DataLoss("journal entry " + std::to_string(entry.seq) +
                              " ends a block no entry created");
      }
      blocks[found->second].ended_seq = entry.seq;
    }
    for (std::string_view created : entry.body.FindAll("created")) {
      JCM_ASSIGN_OR_RETURN(ledger::UnitBlock block, ledger::DecodeBlock(created));
      block.created_seq = entry.seq;
      index_of[block.id] = blocks.size();
      blocks.push_back(std::move(block));
    }
  }
  return blocks;
}

}  // namespace jcm::service::internal
