// Decide for registry set-up, accounts and foreign events; transactions are in
// decide_transaction.cc. See decide.h for the contract.
#include "ledger/decide.h"

#include "core/account_number.h"
#include "core/sha256.h"
#include "core/text.h"
#include "ledger/decide_internal.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"

namespace jcm::ledger {

std::optional<Rejection> CheckTextFields(std::initializer_list<TextField> fields) {
  for (const TextField& field : fields) {
    if (auto problem =
            core::TextProblem(field.text, field.what, kTextFieldBytesMax, field.single_line)) {
      return Rejection{CheckCode::kDetailsInvalid, std::move(*problem)};
    }
  }
  return std::nullopt;
}

namespace {

using core::Result;

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

std::string MakeAccountNumber(const core::RegistryCode& registry, AccountType type,
                              int64_t sequence) {
  return core::AccountNumber{registry, static_cast<int>(type), sequence}.ToString();
}

core::Record AccountBody(const Account& a) {
  core::Record body;
  body.Add("account", a.number).Add("registry", a.registry.str());
  body.Add("account_type", AccountTypeName(a.type)).Add("state", AccountStateName(a.state));
  body.Add("holder_name", a.holder.name).Add("holder_name_ja", a.holder.name_ja);
  body.Add("representative", a.holder.representative).Add("address", a.holder.address);
  body.Add("contact", a.holder.contact);
  return body;
}

// Idempotency for the non-transaction commands: Replay, a rejection, or nothing to say.
Result<std::optional<Verdict>> CheckKey(Reader& reader, const std::string& key,
                                        const std::string& digest) {
  if (key.empty()) return std::optional<Verdict>();
  JCM_ASSIGN_OR_RETURN(auto seen, reader.FindIdempotencyKey(key));
  if (!seen) return std::optional<Verdict>();
  if (seen->digest == digest) return std::optional<Verdict>(Replay{seen->seq});
  return std::optional<Verdict>(
      Reject(CheckCode::kIdempotencyKeyReused, "idempotency key '" + key +
                                                   "' was already used for a "
                                                   "different request (entry " +
                                                   std::to_string(seen->seq) + ")"));
}

Result<Verdict> DecideInit(Reader& reader, const InitRegistry& command, const Context& ctx) {
  auto registry = core::RegistryCode::Parse(command.registry);
  if (!registry.ok())
    return Verdict(Reject(CheckCode::kRegistryUnknown, registry.status().message()));
  JCM_ASSIGN_OR_RETURN(auto existing, reader.FindRegistry(*registry));
  if (existing) {
    return Verdict(Reject(CheckCode::kRegistryExists,
                          "registry " + command.registry + " is already initialised"));
  }
  Delta delta;
  core::Record body;
  body.Add("registry", registry->str());
  int64_t sequence = 1;
  for (AccountType type :
       {AccountType::kGovernmentHolding, AccountType::kRetirement, AccountType::kCancellation}) {
    Account account{MakeAccountNumber(*registry, type, sequence++), *registry, type,
                    AccountState::kOpen,
                    Holder{"Government of " + registry->str(), "", "Registry manager", "", ""}};
    body.Add("account", account.number);
    delta.accounts.push_back(std::move(account));
  }
  delta.registries.push_back({*registry, RegistryCounters{1, sequence, 0}});
  delta.policies.push_back({*registry, DefaultPolicy(*registry)});
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  delta.entry = NextEntry(last, ctx.time, "registry.init", std::move(body));
  return Verdict(std::move(delta));
}

Result<Verdict> DecidePolicy(Reader& reader, const SetRegistryPolicy& command, const Context& ctx) {
  core::Record body;
  body.Add("registry", command.registry);
  body.Add("retirement_needs_ndc_authorization",
           command.policy.retirement_needs_ndc_authorization ? "1" : "0");
  const std::string digest = core::Sha256Hex(body.Encode());
  JCM_ASSIGN_OR_RETURN(auto keyed, CheckKey(reader, command.idempotency_key, digest));
  if (keyed) return std::move(*keyed);
  auto registry = core::RegistryCode::Parse(command.registry);
  if (!registry.ok())
    return Verdict(Reject(CheckCode::kRegistryUnknown, registry.status().message()));
  if (auto bad = CheckTextFields({{command.idempotency_key, "--key"}})) return Verdict(*bad);
  JCM_ASSIGN_OR_RETURN(auto existing, reader.FindRegistryPolicy(*registry));
  if (!existing) {
    return Verdict(Reject(CheckCode::kRegistryUnknown,
                          "registry " + command.registry + " is not initialised here (jcm init)"));
  }
  if (!command.idempotency_key.empty()) body.Add("key", command.idempotency_key);
  Delta delta;
  delta.policies.push_back({*registry, command.policy});
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  delta.entry = NextEntry(last, ctx.time, "registry.policy", std::move(body));
  delta.idempotency_key = command.idempotency_key;
  delta.idempotency_digest = digest;
  return Verdict(std::move(delta));
}

Result<Verdict> DecideOpen(Reader& reader, const OpenAccount& command, const Context& ctx) {
  core::Record content;
  content.Add("registry", command.registry).Add("type", AccountTypeName(command.type));
  content.Add("holder", command.holder.name).Add("holder_ja", command.holder.name_ja);
  content.Add("representative", command.holder.representative);
  content.Add("address", command.holder.address).Add("contact", command.holder.contact);
  const std::string digest = core::Sha256Hex(content.Encode());
  JCM_ASSIGN_OR_RETURN(auto keyed, CheckKey(reader, command.idempotency_key, digest));
  if (keyed) return std::move(*keyed);
  auto registry = core::RegistryCode::Parse(command.registry);
  if (!registry.ok())
    return Verdict(Reject(CheckCode::kRegistryUnknown, registry.status().message()));
  JCM_ASSIGN_OR_RETURN(auto counters, reader.FindRegistry(*registry));
  if (!counters) {
    return Verdict(Reject(CheckCode::kRegistryUnknown,
                          "registry " + command.registry + " is not initialised here (jcm init)"));
  }
  const Holder& h = command.holder;
  if (command.type != AccountType::kEntityHolding &&
      command.type != AccountType::kGovernmentHolding) {
    return Verdict(Reject(CheckCode::kDetailsInvalid,
                          "only holding accounts are opened; each registry has exactly one "
                          "retirement and one cancellation account"));
  }
  if (h.name.empty()) {
    return Verdict(Reject(CheckCode::kDetailsInvalid,
                          "an account needs the holder's name in English (--holder-name)"));
  }
  // Names are printed one per row (jcm account list): a control character could forge a row.
  if (auto bad = CheckTextFields({{h.name, "the holder name (--holder-name)"},
                                  {h.name_ja, "the holder name in Japanese (--holder-name-ja)"},
                                  {h.representative, "the representative (--representative)"},
                                  {h.address, "the address (--address)", false},
                                  {h.contact, "the contact (--contact)"},
                                  {command.idempotency_key, "--key"}})) {
    return Verdict(*bad);
  }
  Delta delta;
  Account account{MakeAccountNumber(*registry, command.type, counters->next_account_sequence),
                  *registry, command.type, AccountState::kOpen, h};
  delta.registries.push_back(
      {*registry, RegistryCounters{counters->next_serial, counters->next_account_sequence + 1,
                                   counters->imported_units}});
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  core::Record body = AccountBody(account);
  if (!command.idempotency_key.empty()) body.Add("key", command.idempotency_key);
  delta.entry = NextEntry(last, ctx.time, "account.open", std::move(body));
  delta.accounts.push_back(std::move(account));
  delta.idempotency_key = command.idempotency_key;
  delta.idempotency_digest = digest;
  return Verdict(std::move(delta));
}

bool TransitionAllowed(const Account& account, AccountState to, int64_t units_held) {
  if (account.state == AccountState::kClosed || account.state == to) return false;
  if (account.type != AccountType::kEntityHolding) return false;  // government accounts stay
  return to != AccountState::kClosed || units_held == 0;
}

Result<Verdict> DecideState(Reader& reader, const ChangeAccountState& command, const Context& ctx) {
  core::Record content;
  content.Add("account", command.account).Add("state", AccountStateName(command.state));
  content.Add("reason", command.reason);
  const std::string digest = core::Sha256Hex(content.Encode());
  JCM_ASSIGN_OR_RETURN(auto keyed, CheckKey(reader, command.idempotency_key, digest));
  if (keyed) return std::move(*keyed);
  auto parsed = core::AccountNumber::Parse(command.account);
  if (!parsed.ok()) {
    return Verdict(Reject(CheckCode::kSourceAccountNumberInvalid, parsed.status().message()));
  }
  JCM_ASSIGN_OR_RETURN(auto account, reader.FindAccount(command.account));
  if (!account) {
    return Verdict(
        Reject(CheckCode::kSourceAccountUnknown, "account " + command.account + " does not exist"));
  }
  if (auto bad = CheckTextFields(
          {{command.reason, "--reason", false}, {command.idempotency_key, "--key"}})) {
    return Verdict(*bad);
  }
  JCM_ASSIGN_OR_RETURN(auto live, reader.LiveBlocks(command.account));
  int64_t held = 0;
  for (const UnitBlock& b : live) held += b.unit_count;
  if (!TransitionAllowed(*account, command.state, held)) {
    return Verdict(Reject(
        CheckCode::kAccountStateChangeInvalid,
        "account " + command.account + " (" + std::string(AccountTypeName(account->type)) + ", " +
            std::string(AccountStateName(account->state)) + ", " + std::to_string(held) +
            " units) cannot become " + std::string(AccountStateName(command.state))));
  }
  account->state = command.state;
  Delta delta;
  core::Record body = AccountBody(*account);
  body.Add("reason", command.reason);
  if (!command.idempotency_key.empty()) body.Add("key", command.idempotency_key);
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  delta.entry = NextEntry(last, ctx.time, "account.state", std::move(body));
  delta.accounts.push_back(std::move(*account));
  delta.idempotency_key = command.idempotency_key;
  delta.idempotency_digest = digest;
  return Verdict(std::move(delta));
}

// The family of a foreign event's kind: its prefix up to and including the first '.'.
std::string EventFamily(const std::string& kind) { return kind.substr(0, kind.find('.') + 1); }

// Whether `entry` concerns what a scoped decision read (AppendEvent::lock_fields, lock_kinds).
bool Concerns(const JournalEntry& entry, const AppendEvent& command) {
  for (const std::string& kind : command.lock_kinds) {
    if (entry.kind.starts_with(kind)) return true;
  }
  for (const auto& [name, value] : command.lock_fields) {
    for (const std::string_view found : entry.body.FindAll(name)) {
      if (found == value) return true;
    }
  }
  return false;
}

Rejection Moved(const AppendEvent& command, int64_t entry_seq) {
  return Reject(CheckCode::kEventFamilyMoved,
                "another " + EventFamily(command.kind) + "* event (entry " +
                    std::to_string(entry_seq) +
                    ") was journaled after the state this command was decided on (entry " +
                    std::to_string(command.expected_last_event_seq) + "); run the command again");
}

// What an entry that Concerns `command` holds as text: a lock kind at the start of its kind, or
// a lock field's line, as Record::Encode writes it, in its encoded body.
EntryNeedles NeedlesOf(const AppendEvent& command) {
  EntryNeedles needles{command.lock_kinds, {}};
  for (const auto& [name, value] : command.lock_fields) {
    needles.body_lines.push_back(core::Record::EncodeField(name, value));
  }
  return needles;
}

// Check 23: the caller decided on the state after the last event of the family — or, scoped,
// after the last one concerning what it read (INV-60).
Result<std::optional<Rejection>> CheckEventFamily(Reader& reader, const AppendEvent& command) {
  if (command.expected_last_event_seq >= 0 &&
      (!command.lock_fields.empty() || !command.lock_kinds.empty())) {
    JCM_ASSIGN_OR_RETURN(
        std::vector<JournalEntry> since,
        reader.EntriesOfKindAfter(EventFamily(command.kind), command.expected_last_event_seq,
                                  NeedlesOf(command)));
    for (const JournalEntry& entry : since) {
      if (Concerns(entry, command)) return std::optional<Rejection>(Moved(command, entry.seq));
    }
    return std::optional<Rejection>();
  }
  if (command.expected_last_event_seq >= 0) {
    JCM_ASSIGN_OR_RETURN(int64_t last_event, reader.LastSeqOfKind(EventFamily(command.kind)));
    if (last_event != command.expected_last_event_seq) {
      return std::optional<Rejection>(Moved(command, last_event));
    }
  }
  return std::optional<Rejection>();
}

core::Status CheckEventKind(const AppendEvent& command) {
  for (const std::string_view family : {"cycle.", "identity.", "approval.", "document.", "log.",
                                        "programme.", "application.", "article6.", "exchange."}) {
    if (command.kind.starts_with(family)) return core::OkStatus();
  }
  return core::InvalidArgument(
      "foreign journal events are of kind cycle.*, identity.*, approval.*, document.*, log.*, "
      "programme.*, application.*, article6.* or exchange.*, got '" +
      command.kind + "'");
}

Result<Verdict> DecideEvent(Reader& reader, const AppendEvent& command,
                            const std::vector<JcDecision>& decisions, const Context& ctx) {
  JCM_RETURN_IF_ERROR(CheckEventKind(command));
  core::Record body = command.body;
  for (const JcDecision& d : decisions) body.Add(kDecisionField, EncodeJcDecision(d));
  const std::string digest = core::Sha256Hex(command.kind + "\n" + body.Encode());
  JCM_ASSIGN_OR_RETURN(auto keyed, CheckKey(reader, command.idempotency_key, digest));
  if (keyed) return std::move(*keyed);
  if (auto bad = CheckTextFields({{command.idempotency_key, "--key"}})) return Verdict(*bad);
  JCM_ASSIGN_OR_RETURN(auto moved, CheckEventFamily(reader, command));
  if (moved) return Verdict(std::move(*moved));
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  Delta delta;
  delta.entry = NextEntry(last, ctx.time, command.kind, std::move(body));
  for (JcDecision d : decisions) {
    JCM_ASSIGN_OR_RETURN(auto invalid, CheckDecisionRecord(reader, d));
    if (invalid) return Verdict(std::move(*invalid));
    d.executed_tco2e = 0;
    d.recorded_seq = delta.entry.seq;
    delta.decisions.push_back(std::move(d));
  }
  delta.idempotency_key = command.idempotency_key;
  delta.idempotency_digest = digest;
  return Verdict(std::move(delta));
}

// `body` with the first `field` set to `value` (appended when absent).
core::Record WithField(const core::Record& body, const std::string& field,
                       const std::string& value) {
  core::Record out;
  bool set = false;
  for (const auto& [key, old] : body.fields()) {
    const bool replace = !set && key == field;
    out.Add(key, replace ? value : old);
    set = set || replace;
  }
  if (!set) out.Add(field, value);
  return out;
}

// The issuance first, then the event chained to it: one Delta, so one write (decide.h).
Result<Verdict> DecideExecution(Reader& reader, const ExecuteDecision& command,
                                const Context& ctx) {
  JCM_RETURN_IF_ERROR(CheckEventKind(command.event));
  const TransactionType type = command.issuance.type;
  const std::string_view family = IsExternal(type)                     ? "exchange."
                                  : type == TransactionType::kIssuance ? "cycle."
                                                                       : "approval.";
  if (!command.event.kind.starts_with(family) || command.transaction_field.empty()) {
    return core::InvalidArgument(
        "ExecuteDecision: an issuance with a cycle.* event, an external transfer's transaction "
        "with an exchange.* event or another transaction with an approval.* event, and the field "
        "naming its entry");
  }
  JCM_ASSIGN_OR_RETURN(Verdict verdict, DecideTransaction(reader, command.issuance, ctx));
  auto* delta = std::get_if<Delta>(&verdict);
  if (delta == nullptr) return verdict;  // rejected, or a retry of an execution already made
  JCM_ASSIGN_OR_RETURN(auto moved, CheckEventFamily(reader, command.event));
  if (moved) return Verdict(std::move(*moved));
  const JournalHead issuance_head{delta->entry.seq, delta->entry.hash};
  delta->follow_entry = NextEntry(
      issuance_head, ctx.time, command.event.kind,
      WithField(command.event.body, command.transaction_field, std::to_string(delta->entry.seq)));
  return verdict;
}

}  // namespace

Result<Verdict> Decide(Reader& reader, const Command& command, const Context& context) {
  return std::visit(
      [&](const auto& c) -> Result<Verdict> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, TransactionRequest>) {
          return DecideTransaction(reader, c, context);
        } else if constexpr (std::is_same_v<T, InitRegistry>) {
          return DecideInit(reader, c, context);
        } else if constexpr (std::is_same_v<T, OpenAccount>) {
          return DecideOpen(reader, c, context);
        } else if constexpr (std::is_same_v<T, ChangeAccountState>) {
          return DecideState(reader, c, context);
        } else if constexpr (std::is_same_v<T, SetRegistryPolicy>) {
          return DecidePolicy(reader, c, context);
        } else if constexpr (std::is_same_v<T, ExecuteDecision>) {
          return DecideExecution(reader, c, context);
        } else if constexpr (std::is_same_v<T, RecordDecisions>) {
          return DecideEvent(reader, c.event, c.decisions, context);
        } else {
          static_assert(std::is_same_v<T, AppendEvent>, "every command has its Decide");
          return DecideEvent(reader, c, {}, context);
        }
      },
      command);
}

Result<std::vector<UnitBlock>> CreatedBlocks(const JournalEntry& entry) {
  std::vector<UnitBlock> blocks;
  for (std::string_view text : entry.body.FindAll("created")) {
    JCM_ASSIGN_OR_RETURN(UnitBlock block, DecodeBlock(text));
    block.created_seq = entry.seq;
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace jcm::ledger
