// The journal replay of the ledger's audit (audit_replayer.h).
#include "ledger/audit_replayer.h"

#include <algorithm>

#include "core/account_number.h"
#include "ledger/decide.h"

namespace jcm::ledger::internal {

void Replayer::Add(std::string invariant, int64_t seq, std::string message) {
  violations.push_back({std::move(invariant), seq, std::move(message)});
}

void Replayer::Replay(const JournalEntry& e) {
  for (std::string_view text : e.body.FindAll(kDecisionField)) RecordDecision(e, text);
  if (e.kind == "registry.policy") return ReplayPolicy(e);
  if (e.kind == "registry.init") return ReplayInit(e);
  if (e.kind == "account.open" || e.kind == "account.state") return ReplayAccount(e);
  if (e.kind == "transaction") return ReplayTransaction(e);
}

void Replayer::ReplayInit(const JournalEntry& e) {
  const std::string registry(e.body.Find("registry").value_or(""));
  int64_t sequence = 1;
  for (std::string_view number : e.body.FindAll("account")) {
    auto parsed = core::AccountNumber::Parse(number);
    auto type = parsed.ok() ? AccountTypeFromCode(parsed->type_code) : std::nullopt;
    if (!type)
      return Add("INV-9", e.seq, "registry.init names a bad account " + std::string(number));
    accounts[std::string(number)] =
        Account{std::string(number), parsed->registry, *type, AccountState::kOpen,
                Holder{"Government of " + registry, "", "Registry manager", "", ""}};
    account_created_seq[std::string(number)] = e.seq;
    ++sequence;
  }
  registries[registry] = RegistryCounters{1, sequence, 0};
  registry_created_seq[registry] = e.seq;
  policy_seq[registry] = e.seq;
  if (core::IsKnownRegistryCode(registry)) {
    policies[registry] = DefaultPolicy(core::RegistryCode::FromTrusted(registry));
  }
}

void Replayer::ReplayPolicy(const JournalEntry& e) {
  const std::string registry(e.body.Find("registry").value_or(""));
  const auto needs = e.body.Find("retirement_needs_ndc_authorization");
  if (!policies.count(registry) || !needs || (*needs != "0" && *needs != "1")) {
    return Add("INV-8", e.seq, "unreadable policy entry for registry '" + registry + "'");
  }
  policies[registry].retirement_needs_ndc_authorization = *needs == "1";
  policy_seq[registry] = e.seq;
}

void Replayer::RecordDecision(const JournalEntry& e, std::string_view text) {
  auto decision = DecodeJcDecision(text);
  if (!decision.ok()) return Add("INV-11", e.seq, decision.status().message());
  decision->recorded_seq = e.seq;
  auto key = std::make_pair(decision->id, decision->registry.str());
  if (decisions.count(key)) {
    return Add("INV-11", e.seq, "decision " + decision->id + " recorded twice");
  }
  decisions[key] = std::move(decision).value();
}

void Replayer::CheckIssuanceOrigin(const JournalEntry& e, const std::vector<UnitBlock>& created) {
  const std::string registry(e.body.Find("registry").value_or(""));
  const bool imported = e.body.Find("import_source").has_value();
  int64_t quantity = 0;
  for (const UnitBlock& b : created) {
    quantity += b.unit_count;
    if (imported) registries[b.registry.str()].imported_units += b.unit_count;
    if (b.imported != imported) {
      Add("INV-11", e.seq,
          "block " + std::to_string(b.id) + " says imported=" + (b.imported ? "1" : "0") +
              " against its issuance entry");
    }
  }
  const std::string id(e.body.Find("decision").value_or(""));
  if (imported && id.empty()) return;  // an import without a decision: its evidence suffices
  auto it = decisions.find({id, registry});
  if (it == decisions.end()) {
    return Add("INV-11", e.seq,
               "issuance in " + registry + " cites no recorded JC decision ('" + id + "')");
  }
  JcDecision& d = it->second;
  if (e.body.Find("project").value_or("") != d.project ||
      e.body.Find("period").value_or("") != d.period.ToString()) {
    Add("INV-11", e.seq, "issuance differs from decision " + id + " in project or period");
  }
  d.executed_tco2e += quantity;
  if (d.executed_tco2e > d.notified_tco2e) {
    Add("INV-11", e.seq,
        "registry " + registry + " issued " + std::to_string(d.executed_tco2e) +
            " under decision " + id + ", which notified " + std::to_string(d.notified_tco2e));
  }
}

void Replayer::ReplayAccount(const JournalEntry& e) {
  auto number = e.body.Get("account");
  auto parsed = number.ok() ? core::AccountNumber::Parse(*number)
                            : core::Result<core::AccountNumber>(number.status());
  auto type = AccountTypeFromName(e.body.Find("account_type").value_or(""));
  auto state = AccountStateFromName(e.body.Find("state").value_or(""));
  if (!parsed.ok() || !type || !state) return Add("INV-9", e.seq, "unreadable account entry");
  Holder holder{std::string(e.body.Find("holder_name").value_or("")),
                std::string(e.body.Find("holder_name_ja").value_or("")),
                std::string(e.body.Find("representative").value_or("")),
                std::string(e.body.Find("address").value_or("")),
                std::string(e.body.Find("contact").value_or(""))};
  accounts[*number] = Account{*number, parsed->registry, *type, *state, holder};
  if (e.kind == "account.open") {
    registries[parsed->registry.str()].next_account_sequence += 1;
    account_created_seq[*number] = e.seq;
  }
}

void Replayer::ReplayTransaction(const JournalEntry& e) {
  auto created = CreatedBlocks(e);
  if (!created.ok()) return Add("INV-4", e.seq, created.status().message());
  const std::string type(e.body.Find("type").value_or(""));
  const std::string from(e.body.Find("from").value_or(""));
  if (type == "issuance") CheckIssuanceOrigin(e, *created);
  if (auto transit = e.body.Find("transit_opened")) ReplayTransitOpened(e, *transit);
  if (type == "external_release" || type == "external_completion") CheckOutcome(e, type);
  int64_t units_ended = 0;
  std::map<int64_t, std::vector<const UnitBlock*>> children;
  for (const UnitBlock& child : *created) children[child.parent_id].push_back(&child);
  for (std::string_view id_text : e.body.FindAll("ended")) {
    const int64_t id = core::ParseInt64(id_text).value_or(0);
    auto it = blocks.find(id);
    if (it == blocks.end() || !it->second.live()) {
      Add("INV-4", e.seq, "ends block " + std::string(id_text) + ", which was not live");
      continue;
    }
    UnitBlock& parent = it->second;
    if (type != "external_completion") {
      CheckEndedBlock(e, parent, from, children[id], type == "article6_authorisation");
    } else if (parent.account != from) {
      Add("INV-55", e.seq, "a completion ends block " + std::to_string(id) + " outside " + from);
    }
    units_ended += parent.unit_count;
    parent.ended_seq = e.seq;
  }
  int64_t units_created = 0;
  int64_t previous_vintage = 0;
  for (const UnitBlock& child : *created) {
    units_created += child.unit_count;
    CheckCreatedBlock(e, type, child);
    if (type == "issuance") {
      CheckItmoIds(e, nullptr, child);
      CheckVintage(e, child, &previous_vintage);
    }
    blocks[child.id] = child;
  }
  if (type == "external_transfer") {
    Reservation& reservation = open_reservations[e.seq];
    reservation.source = from;
    for (const UnitBlock& child : *created) {
      auto account = accounts.find(child.account);
      if (account != accounts.end() && account->second.type == AccountType::kExchangeTransit) {
        reservation.blocks.push_back(child.id);
      }
    }
  }
  if (type == "external_completion" || type == "external_acquisition") {
    // INV-56: the units leave or enter the registry whole: a completion ends the reserved
    // blocks and creates none, an acquisition creates the transferred ones and ends none.
    CountTransferred(e, type, units_ended, *created);
    return;
  }
  if (type != "issuance" && units_created != units_ended) {
    Add("INV-1", e.seq,
        "a " + type + " created " + std::to_string(units_created) + " units from " +
            std::to_string(units_ended));
  }
}

void Replayer::ReplayTransitOpened(const JournalEntry& e, std::string_view number) {
  auto parsed = core::AccountNumber::Parse(number);
  if (!parsed.ok() || parsed->type_code != static_cast<int>(AccountType::kExchangeTransit) ||
      accounts.count(std::string(number)) != 0) {
    return Add("INV-9", e.seq, "transit account " + std::string(number) + " opened twice");
  }
  const std::string registry = parsed->registry.str();
  accounts[std::string(number)] = Account{
      std::string(number), parsed->registry, AccountType::kExchangeTransit, AccountState::kOpen,
      Holder{"Government of " + registry, "", "Registry manager", "", ""}};
  account_created_seq[std::string(number)] = e.seq;
  registries[registry].next_account_sequence += 1;
}

void Replayer::CheckOutcome(const JournalEntry& e, const std::string& type) {
  const int64_t cited =
      core::ParseInt64(e.body.Find("external_reservation").value_or("")).value_or(0);
  auto it = open_reservations.find(cited);
  if (it == open_reservations.end()) {
    return Add(
        "INV-55", e.seq,
        "a " + type + " cites entry " + std::to_string(cited) + ", which is no open reservation");
  }
  std::vector<int64_t> ended;
  for (std::string_view id : e.body.FindAll("ended")) {
    ended.push_back(core::ParseInt64(id).value_or(0));
  }
  std::vector<int64_t> reserved = it->second.blocks;
  std::sort(ended.begin(), ended.end());
  std::sort(reserved.begin(), reserved.end());
  if (ended != reserved) {
    Add("INV-55", e.seq,
        "a " + type + " ends other blocks than reservation " + std::to_string(cited) + " made");
  }
  if (type == "external_release" && e.body.Find("to").value_or("") != it->second.source) {
    Add("INV-55", e.seq,
        "a release returns the units of reservation " + std::to_string(cited) +
            " elsewhere than to its source " + it->second.source);
  }
  open_reservations.erase(it);
}

void Replayer::CountTransferred(const JournalEntry& e, const std::string& type, int64_t units_ended,
                                const std::vector<UnitBlock>& created) {
  const bool completion = type == "external_completion";
  if (completion ? !created.empty() : units_ended != 0) {
    Add("INV-56", e.seq, "a " + type + (completion ? " created" : " ended") + " blocks");
  }
  for (std::string_view id_text : e.body.FindAll("ended")) {
    const UnitBlock& gone = blocks[core::ParseInt64(id_text).value_or(0)];
    issued_by_registry[gone.registry.str()] -= gone.unit_count;
    issued_by_project_period[{gone.registry.str(), gone.project,
                              gone.monitoring_period.ToString()}] -= gone.unit_count;
  }
  for (const UnitBlock& came : created) {
    issued_by_registry[came.registry.str()] += came.unit_count;
    issued_by_project_period[{came.registry.str(), came.project,
                              came.monitoring_period.ToString()}] += came.unit_count;
  }
}

void Replayer::CheckEndedBlock(const JournalEntry& e, const UnitBlock& parent,
                               const std::string& from, const std::vector<const UnitBlock*>& kids,
                               bool authorising) {
  UnitBlock cited = parent;
  if (authorising) {
    cited.article6_authorisation = e.body.Find("article6_authorisation").value_or("");
    cited.authorization = AuthorizationFromName(e.body.Find("authorization").value_or(""))
                              .value_or(Authorization::kNone);
    // Entries before ITMO identifiers (migration 13) gave the cited units none.
    if (auto approach = e.body.Find("cooperative_approach")) {
      cited.cooperative_approach = std::string(*approach);
      cited.itmo_registry = ItmoRegistryId(parent.registry);
      cited.itmo_first = 1;  // some: which ones is CheckItmoIds's
    }
  }
  // INV-44: units are first transferred only by the entry the rule names — citing an
  // authorisation whose first transfer is then, or used or cancelled under one whose first
  // transfer is their use — and by the Party of the authorisation they cite.
  const auto listed = e.body.FindAll("first_transfer");
  const bool first_transfer =
      !parent.first_transferred && !cited.article6_authorisation.empty() &&
      std::find(listed.begin(), listed.end(), cited.article6_authorisation) != listed.end();
  UnitBlock first_transferred = cited;
  if (first_transfer) MarkFirstTransferredAs(&first_transferred);
  auto account = accounts.find(parent.account);
  if (account != accounts.end() && IsTerminal(account->second.type)) {
    Add("INV-6", e.seq,
        "units left " + std::string(AccountTypeName(account->second.type)) + " account " +
            parent.account + " (block " + std::to_string(parent.id) + ")");
  }
  if (parent.account != from) {
    Add("INV-4", e.seq,
        "block " + std::to_string(parent.id) + " was held by " + parent.account +
            ", not by the source " + from);
  }
  int64_t next_serial = parent.serial_first;
  for (const UnitBlock* kid : kids) {
    const bool inherits =
        kid->SameAttributes(parent) ||
        (authorising && parent.article6_authorisation.empty() && kid->SameAttributes(cited)) ||
        (first_transfer &&
         (authorising ? parent.article6_authorisation.empty() : kid->account != from) &&
         kid->SameAttributes(first_transferred));
    if (kid->serial_first != next_serial || !inherits) {
      Add("INV-5", e.seq,
          "children of block " + std::to_string(parent.id) +
              " do not partition it with its attributes");
      return;
    }
    CheckItmoIds(e, &parent, *kid);
    next_serial += kid->unit_count;
  }
  if (next_serial != parent.serial_first + parent.unit_count) {
    Add("INV-5", e.seq, "children of block " + std::to_string(parent.id) + " do not cover it");
  }
}

void Replayer::CheckItmoIds(const JournalEntry& e, const UnitBlock* parent,
                            const UnitBlock& block) {
  if (parent != nullptr && parent->itmo_first != 0) {
    if (block.itmo_first != parent->itmo_first + (block.serial_first - parent->serial_first)) {
      Add("INV-42", e.seq,
          "block " + std::to_string(block.id) + " has ITMO IDs from " +
              std::to_string(block.itmo_first) + ", not those parallel to its serials in block " +
              std::to_string(parent->id));
    }
    return;
  }
  if (block.itmo_first == 0) return;
  int64_t& highest = highest_itmo_id[block.registry.str()];
  if (block.itmo_first != highest + 1) {
    Add("INV-42", e.seq,
        "block " + std::to_string(block.id) + " has ITMO IDs from " +
            std::to_string(block.itmo_first) + ", expected the registry's next, " +
            std::to_string(highest + 1));
  }
  highest = std::max(highest, block.itmo_last());
}

void Replayer::CheckVintage(const JournalEntry& e, const UnitBlock& block, int64_t* previous) {
  if (block.vintage == 0) return;
  if (block.vintage < block.monitoring_period.start.year() ||
      block.vintage > block.monitoring_period.end.year() || block.vintage < *previous) {
    Add("INV-43", e.seq,
        "issued block " + std::to_string(block.id) + " has vintage " +
            std::to_string(block.vintage) + ", not a year of " +
            block.monitoring_period.ToString() + " in serial order");
  }
  *previous = block.vintage;
}

void Replayer::MarkFirstTransferredAs(UnitBlock* block) {
  block->first_transferred = true;
  block->first_transferring_party =
      block->article6_authorisation.substr(0, block->article6_authorisation.find('/'));
}

void Replayer::CheckCreatedBlock(const JournalEntry& e, const std::string& type,
                                 const UnitBlock& child) {
  const std::string citing_party =
      child.article6_authorisation.substr(0, child.article6_authorisation.find('/'));
  if (!child.first_transferring_party.empty() &&
      (!child.first_transferred || child.first_transferring_party != citing_party)) {
    Add("INV-44", e.seq,
        "block " + std::to_string(child.id) + " names first-transferring Party " +
            child.first_transferring_party + " for units citing '" + child.article6_authorisation +
            "'");
  }
  if (blocks.count(child.id) != 0) {
    Add("INV-4", e.seq, "block id " + std::to_string(child.id) + " created twice");
  }
  if (type == "retirement" && accounts.count(child.account) &&
      accounts[child.account].type == AccountType::kRetirement &&
      policies[child.registry.str()].retirement_needs_ndc_authorization &&
      !AllowsNdcUse(child.authorization)) {
    Add("INV-8", e.seq,
        "block " + std::to_string(child.id) + " retired in " + child.registry.str() +
            " without the NDC authorisation its policy requires");
  }
  if (type != "issuance") return;
  RegistryCounters& counters = registries[child.registry.str()];
  if (child.serial_first != counters.next_serial) {
    Add("INV-3", e.seq,
        "issuance starts at serial " + std::to_string(child.serial_first) + ", expected " +
            std::to_string(counters.next_serial));
  }
  counters.next_serial = child.serial_first + child.unit_count;
  issued_by_registry[child.registry.str()] += child.unit_count;
  const auto key =
      std::make_tuple(child.registry.str(), child.project, child.monitoring_period.ToString());
  issued_by_project_period[key] += child.unit_count;
  last_issuance_seq[key] = e.seq;
}

}  // namespace jcm::ledger::internal
