// Decide for registry transactions (issuance, transfer, retirement, cancellation): the numbered
// checks in precedence order, then the Delta. See decide.h for the contract.
#include <numeric>

#include "core/account_number.h"
#include "core/sha256.h"
#include "ledger/block_algebra.h"
#include "ledger/decide.h"
#include "ledger/decide_internal.h"
#include "ledger/jc_decision.h"
#include "ledger/journal.h"
#include "ledger/transaction_table.h"

namespace jcm::ledger {
namespace {

using core::Result;

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

int64_t TotalQuantity(const TransactionRequest& r) {
  if (r.type != TransactionType::kIssuance) return r.quantity;
  int64_t total = 0;
  for (const IssuanceTarget& t : r.targets) {
    if (t.quantity <= 0 || t.quantity > kUnitsPerTransactionMax) return t.quantity;
    total += t.quantity;
  }
  return total;
}

std::optional<Rejection> CheckQuantities(const TransactionRequest& r) {
  if (r.type == TransactionType::kIssuance && r.targets.empty()) {
    return Reject(CheckCode::kQuantityNotPositive,
                  "an issuance needs at least one --to ACCOUNT:QTY");
  }
  if (r.type == TransactionType::kIssuance &&
      r.targets.size() > static_cast<size_t>(kIssuanceTargetsMax)) {
    return Reject(
        CheckCode::kQuantityAboveLimit,
        "an issuance has at most " + std::to_string(kIssuanceTargetsMax) + " destination accounts");
  }
  const int64_t total = TotalQuantity(r);
  if (total <= 0) {
    return Reject(
        CheckCode::kQuantityNotPositive,
        "quantity must be a positive whole number of tCO2e, got " + std::to_string(total));
  }
  if (total > kUnitsPerTransactionMax) {
    return Reject(CheckCode::kQuantityAboveLimit,
                  "quantity " + std::to_string(total) + " is above the limit of " +
                      std::to_string(kUnitsPerTransactionMax) + " units per transaction");
  }
  if (!r.serials.empty()) {
    auto range = SerialRange::Parse(r.serials);
    if (!range.ok()) return Reject(CheckCode::kSerialRangeInvalid, range.status().message());
    if (range->count() != r.quantity) {
      return Reject(CheckCode::kSerialRangeInvalid,
                    "serials " + r.serials + " name " + std::to_string(range->count()) +
                        " units but the quantity is " + std::to_string(r.quantity));
    }
  }
  return std::nullopt;
}

// An issuance executes a decision (project and period then come from it and, when given, must
// match it), or imports a historical record with its evidence — citing the decision when the
// record has one (the import of an executed decision of the public record).
std::optional<Rejection> CheckIssuanceOrigin(const TransactionRequest& r) {
  const bool imported = !r.import_source.empty() || r.import_line != 0;
  if (imported && (r.import_source.empty() || r.import_line < 1)) {
    return Reject(CheckCode::kDetailsInvalid,
                  "an imported issuance names its evidence: source file and line (>= 1)");
  }
  if ((imported || !r.project.empty()) && !IsProjectReference(r.project)) {  // imports name both
    return Reject(CheckCode::kDetailsInvalid,
                  "project reference '" + r.project + "' is not of the form CC999 (e.g. MN003)");
  }
  if (imported || !r.period.empty()) {
    auto period = core::Period::Parse(r.period);
    if (!period.ok()) return Reject(CheckCode::kDetailsInvalid, period.status().message());
  }
  return std::nullopt;
}

}  // namespace

std::optional<Rejection> CheckDetails(const TransactionRequest& r) {
  if (auto bad = CheckTextFields({{r.project, "--project"},
                                  {r.period, "--period"},
                                  {r.decision, "--decision"},
                                  {r.beneficiary, "--beneficiary"},
                                  {r.reason, "--reason", false},
                                  {r.import_source, "--import-source"},
                                  {r.article6_authorisation, "--authorisation"},
                                  {r.idempotency_key, "--key"}})) {
    return bad;
  }
  if (r.type == TransactionType::kArticle6Authorisation && r.article6_authorisation.empty()) {
    return Reject(CheckCode::kDetailsInvalid, "an Article 6 authorisation cites one (PARTY/ID)");
  }
  if (r.type == TransactionType::kIssuance) {
    if (auto rejection = CheckIssuanceOrigin(r)) return rejection;
  }
  if (RowFor(r.type).needs_reason && r.reason.empty()) {
    return Reject(CheckCode::kDetailsInvalid, "a cancellation needs a --reason");
  }
  return std::nullopt;
}

Result<std::variant<Rejection, Account>> CheckAccount(
    Reader& reader, const std::string& number, std::initializer_list<AccountType> allowed_types,
    const AccountCheckCodes& codes, std::string_view type_code) {
  using Out = std::variant<Rejection, Account>;
  auto parsed = core::AccountNumber::Parse(number);
  if (!parsed.ok()) return Out(Reject(codes.invalid, parsed.status().message()));
  JCM_ASSIGN_OR_RETURN(std::optional<Account> account, reader.FindAccount(number));
  if (!account) {
    return Out(
        Reject(codes.unknown, std::string(codes.role) + " account " + number + " does not exist"));
  }
  if (account->state != AccountState::kOpen) {
    return Out(Reject(codes.not_open, std::string(codes.role) + " account " + number + " is " +
                                          std::string(AccountStateName(account->state))));
  }
  if (!Contains(allowed_types, account->type) && account->type == AccountType::kExchangeTransit &&
      codes.role == std::string_view("source")) {
    // Check 830 in check 10's place: the units there are reserved by external transfers.
    return Out(Reject(CheckCode::kUnitsReserved,
                      "account " + number +
                          " holds units reserved by external transfers; only their outcome "
                          "moves them"));
  }
  if (!Contains(allowed_types, account->type)) {
    return Out(Reject(codes.wrong_type,
                      std::string(codes.role) + " account " + number + " is a " +
                          std::string(AccountTypeName(account->type)) + " account, which may not " +
                          (codes.role == std::string_view("source") ? "send" : "receive") + " a " +
                          std::string(type_code)));
  }
  return Out(std::move(*account));
}

core::Record BaseBody(const TransactionRequest& r, const core::RegistryCode& registry) {
  core::Record body;
  body.Add("type", RowFor(r.type).code).Add("registry", registry.str());
  if (!r.idempotency_key.empty()) body.Add("key", r.idempotency_key);
  return body;
}

namespace {

// Checks 24-26: the decision the issuance executes. On success, `decision` is the recorded
// decision with its executed total raised by `quantity`.
Result<std::optional<Rejection>> CheckDecision(Reader& reader, const TransactionRequest& r,
                                               const core::RegistryCode& registry, int64_t quantity,
                                               JcDecision* decision) {
  using Out = std::optional<Rejection>;
  if (r.decision.empty()) {
    return Out(Reject(CheckCode::kDecisionUnknown,
                      "an issuance executes a Joint Committee decision recorded for registry " +
                          registry.str() + " (--decision ID); none was cited"));
  }
  JCM_ASSIGN_OR_RETURN(std::optional<JcDecision> found,
                       reader.FindJcDecision(r.decision, registry));
  if (!found) {
    return Out(Reject(CheckCode::kDecisionUnknown, "no Joint Committee decision '" + r.decision +
                                                       "' is recorded for registry " +
                                                       registry.str()));
  }
  if ((!r.project.empty() && r.project != found->project) ||
      (!r.period.empty() && r.period != found->period.ToString())) {
    return Out(Reject(CheckCode::kDecisionMismatch,
                      "decision " + r.decision + " is for " + found->project + " " +
                          found->period.ToString() + ", not " + r.project + " " + r.period));
  }
  if (found->executed_tco2e + quantity > found->notified_tco2e) {
    return Out(Reject(CheckCode::kDecisionExceeded,
                      "decision " + r.decision + " notified " +
                          std::to_string(found->notified_tco2e) + " tCO2e to " + registry.str() +
                          ", of which " + std::to_string(found->executed_tco2e) + " are issued; " +
                          std::to_string(quantity) + " more would exceed it"));
  }
  found->executed_tco2e += quantity;
  *decision = std::move(*found);
  return Out();
}

Result<std::optional<Rejection>> CheckTargets(Reader& reader, const TransactionRequest& r,
                                              const core::RegistryCode& registry) {
  const TransactionTypeRow& row = RowFor(r.type);
  for (const IssuanceTarget& target : r.targets) {
    JCM_ASSIGN_OR_RETURN(auto checked, CheckAccount(reader, target.account, row.destination_types,
                                                    kDestinationCodes, row.code));
    if (auto* rejection = std::get_if<Rejection>(&checked)) return std::optional(*rejection);
    if (std::get<Account>(checked).registry != registry) {
      return std::optional(
          Reject(CheckCode::kDifferentRegistries, "account " + target.account +
                                                      " is not in registry " + registry.str() +
                                                      ": each side issues only into its own "
                                                      "registry"));
    }
  }
  return std::optional<Rejection>();
}

Result<Verdict> DecideIssuance(Reader& reader, TransactionRequest r, const Context& ctx) {
  auto registry = core::RegistryCode::Parse(r.registry);
  if (!registry.ok())
    return Verdict(Reject(CheckCode::kRegistryUnknown, registry.status().message()));
  JCM_ASSIGN_OR_RETURN(std::optional<RegistryCounters> counters, reader.FindRegistry(*registry));
  if (!counters) {
    return Verdict(Reject(CheckCode::kRegistryUnknown,
                          "registry " + r.registry + " is not initialised here (jcm init)"));
  }
  if (auto rejection = CheckDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto target_rejection, CheckTargets(reader, r, *registry));
  if (target_rejection) return Verdict(*target_rejection);
  const int64_t quantity = TotalQuantity(r);
  Delta delta;
  if (r.import_source.empty() || !r.decision.empty()) {
    JcDecision decision;
    JCM_ASSIGN_OR_RETURN(auto rejection, CheckDecision(reader, r, *registry, quantity, &decision));
    if (rejection) return Verdict(*rejection);
    r.project = decision.project;
    r.period = decision.period.ToString();
    delta.decisions.push_back(std::move(decision));
  }
  if (quantity > kSerialMax - counters->next_serial + 1) {
    return Verdict(Reject(CheckCode::kSerialsExhausted,
                          "registry " + r.registry + " numbers serials up to " +
                              std::to_string(kSerialMax) + "; " + std::to_string(quantity) +
                              " units from serial " + std::to_string(counters->next_serial) +
                              " would exceed it"));
  }
  JCM_ASSIGN_OR_RETURN(auto over_cap, CheckArticle6Cap(reader, r, quantity));
  if (over_cap) return Verdict(*over_cap);
  auto planned = PlanIssuedBlocks(r, *registry, delta.decisions, quantity);
  if (auto* rejection = std::get_if<Rejection>(&planned)) return Verdict(*rejection);
  IssuedBlocksPlan plan = std::move(std::get<IssuedBlocksPlan>(planned));
  JCM_ASSIGN_OR_RETURN(int64_t next_itmo, reader.NextItmoId(*registry));
  JCM_ASSIGN_OR_RETURN(int64_t issued_before, reader.CountIssuances(*registry, r.project));
  JCM_ASSIGN_OR_RETURN(int64_t next_id, reader.NextBlockId());
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  plan.issuance_number = issued_before + 1;
  plan.first_serial = counters->next_serial;
  plan.seq = last ? last->seq + 1 : 1;
  core::Record body = BaseBody(r, *registry);
  body.Add("project", r.project).Add("period", r.period).Add("decision", r.decision);
  body.Add("authorization", AuthorizationName(r.authorization));
  if (!r.article6_authorisation.empty())
    body.Add("article6_authorisation", r.article6_authorisation);
  if (!r.import_source.empty()) {
    body.Add("import_source", r.import_source).AddInt("import_line", r.import_line);
  }
  delta.blocks_created = IssuedBlocks(r, plan, &next_id, &next_itmo);
  int64_t units_created = 0;
  for (const UnitBlock& block : delta.blocks_created) {
    body.Add("created", EncodeBlock(block));
    units_created += block.unit_count;
  }
  JCM_CHECK(units_created == quantity, "INV-1: an issuance creates exactly its quantity");
  for (const JcDecision& d : delta.decisions) {
    JCM_CHECK(d.executed_tco2e <= d.notified_tco2e, "INV-11: within the notified amount");
  }
  body.AddInt("quantity", quantity);
  const int64_t imported = r.import_source.empty() ? 0 : quantity;
  delta.registries.push_back({*registry, RegistryCounters{counters->next_serial + quantity,
                                                          counters->next_account_sequence,
                                                          counters->imported_units + imported}});
  delta.entry = NextEntry(last, ctx.time, "transaction", std::move(body));
  return Verdict(std::move(delta));
}

Result<Verdict> DecideMovement(Reader& reader, const TransactionRequest& r, const Context& ctx);

}  // namespace

Result<Verdict> DecideTransaction(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  const std::string digest = core::Sha256Hex(r.ToRecord().Encode());
  if (!r.idempotency_key.empty()) {
    JCM_ASSIGN_OR_RETURN(auto seen, reader.FindIdempotencyKey(r.idempotency_key));
    if (seen && seen->digest == digest) return Verdict(Replay{seen->seq});
    if (seen) {
      return Verdict(Reject(CheckCode::kIdempotencyKeyReused,
                            "idempotency key '" + r.idempotency_key +
                                "' was already used for a different request (entry " +
                                std::to_string(seen->seq) + ")"));
    }
  }
  if (auto rejection = CheckQuantities(r)) return Verdict(*rejection);
  core::Result<Verdict> decided = r.type == TransactionType::kIssuance
                                      ? DecideIssuance(reader, r, ctx)
                                  : r.type == TransactionType::kArticle6Authorisation
                                      ? DecideArticle6Authorisation(reader, r, ctx)
                                  : IsExternal(r.type) ? DecideExternal(reader, r, ctx)
                                                       : DecideMovement(reader, r, ctx);
  if (!decided.ok()) return decided;
  Delta* delta = std::get_if<Delta>(&decided.value());
  if (delta == nullptr || r.idempotency_key.empty()) return decided;
  delta->idempotency_key = r.idempotency_key;
  delta->idempotency_digest = digest;
  return decided;
}

namespace {

// Transfer, retirement, cancellation: units move from a holding account.
Result<Verdict> DecideMovement(Reader& reader, const TransactionRequest& r, const Context& ctx) {
  const TransactionTypeRow& row = RowFor(r.type);
  if (auto rejection = CheckDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto source_checked,
                       CheckAccount(reader, r.from, row.source_types, kSourceCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&source_checked)) return Verdict(*rejection);
  const Account source = std::get<Account>(source_checked);
  std::string destination_number = r.to;
  if (row.destination != Destination::kExplicit) {
    const AccountType type = row.destination == Destination::kRegistryRetirement
                                 ? AccountType::kRetirement
                                 : AccountType::kCancellation;
    JCM_ASSIGN_OR_RETURN(auto government, reader.FindGovernmentAccount(source.registry, type));
    if (!government)
      return core::DataLoss("registry " + source.registry.str() + " lacks its " +
                            std::string(AccountTypeName(type)) + " account");
    destination_number = government->number;
  }
  JCM_ASSIGN_OR_RETURN(
      auto destination_checked,
      CheckAccount(reader, destination_number, row.destination_types, kDestinationCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&destination_checked)) return Verdict(*rejection);
  const Account destination = std::get<Account>(destination_checked);
  if (destination.number == source.number) {
    return Verdict(Reject(CheckCode::kSameAccount, "source and destination are the same account"));
  }
  if (destination.registry != source.registry) {
    return Verdict(Reject(CheckCode::kDifferentRegistries,
                          "transfers stay inside one registry: " + source.number + " is in " +
                              source.registry.str() + ", " + destination.number + " in " +
                              destination.registry.str()));
  }
  return DecideSelection(reader, r, source, destination, ctx);
}

// Check 19: a retirement in a registry whose policy requires it takes only units authorised
// for NDC use.
Result<std::optional<Rejection>> CheckNdcAuthorisation(Reader& reader, const TransactionRequest& r,
                                                       const Account& source,
                                                       const std::vector<UnitBlock>& live,
                                                       const Selection& selection) {
  if (!RowFor(r.type).needs_ndc_authorization) return std::optional<Rejection>();
  JCM_ASSIGN_OR_RETURN(std::optional<RegistryPolicy> policy,
                       reader.FindRegistryPolicy(source.registry));
  if (!policy || !policy->retirement_needs_ndc_authorization) return std::optional<Rejection>();
  for (const Piece& piece : selection.pieces) {
    const UnitBlock& block = live[static_cast<size_t>(piece.parent_index)];
    if (piece.moves && !AllowsNdcUse(block.authorization)) {
      return std::optional(Reject(
          CheckCode::kUnitsNotAuthorised,
          "serials " + std::to_string(piece.serial_first) + ".." +
              std::to_string(piece.serial_first + piece.unit_count - 1) + " are authorised '" +
              std::string(AuthorizationName(block.authorization)) + "'; registry " +
              source.registry.str() + " retires only units authorised for NDC use"));
    }
  }
  return std::optional<Rejection>();
}

}  // namespace

Result<Verdict> DecideSelection(Reader& reader, const TransactionRequest& r, const Account& source,
                                const Account& destination, const Context& ctx) {
  JCM_ASSIGN_OR_RETURN(std::vector<UnitBlock> live, reader.LiveBlocks(source.number));
  const int64_t held =
      std::accumulate(live.begin(), live.end(), int64_t{0},
                      [](int64_t s, const UnitBlock& b) { return s + b.unit_count; });
  if (held < r.quantity) {
    return Verdict(Reject(CheckCode::kUnitsInsufficient,
                          "account " + source.number + " holds " + std::to_string(held) +
                              " units, fewer than the " + std::to_string(r.quantity) + " asked"));
  }
  Selection selection;
  if (r.serials.empty()) {
    selection = SelectByQuantity(live, r.quantity);
  } else {
    selection = SelectByRange(live, *SerialRange::Parse(r.serials));
    if (selection.units_selected != r.quantity) {
      return Verdict(
          Reject(CheckCode::kSerialsNotHeld, "account " + source.number + " holds only " +
                                                 std::to_string(selection.units_selected) +
                                                 " of the serials " + r.serials));
    }
  }
  JCM_ASSIGN_OR_RETURN(auto unauthorised,
                       CheckNdcAuthorisation(reader, r, source, live, selection));
  if (unauthorised) return Verdict(*unauthorised);
  auto use = CheckUse(r, live, selection, ctx.time);
  if (auto* rejection = std::get_if<Rejection>(&use)) return Verdict(*rejection);
  if (selection.blocks_touched > kBlocksPerTransactionMax) {
    return Verdict(Reject(CheckCode::kTooManyBlocks, "the transaction would touch " +
                                                         std::to_string(selection.blocks_touched) +
                                                         " blocks (limit " +
                                                         std::to_string(kBlocksPerTransactionMax) +
                                                         "); name serials or split it"));
  }
  JCM_ASSIGN_OR_RETURN(int64_t next_id, reader.NextBlockId());
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  const int64_t seq = last ? last->seq + 1 : 1;
  Delta delta;
  delta.blocks_created = MakeChildren(live, selection, destination.number, seq, &next_id);
  core::Record body = BaseBody(r, source.registry);
  int64_t units_ended = 0;
  int64_t units_created = 0;
  body.Add("from", source.number).Add("to", destination.number).AddInt("quantity", r.quantity);
  if (!r.serials.empty()) body.Add("serials", r.serials);
  if (!r.beneficiary.empty()) body.Add("beneficiary", r.beneficiary);
  if (!r.reason.empty()) body.Add("reason", r.reason);
  JCM_RETURN_IF_ERROR(AddReservationFields(reader, r, destination, &body));
  RecordUse(r, std::get<UseRecord>(use), destination.number, delta.blocks_created, &body);
  int64_t previous_parent = -1;
  for (const Piece& piece : selection.pieces) {
    if (piece.parent_index == previous_parent) continue;
    previous_parent = piece.parent_index;
    const UnitBlock& parent = live[static_cast<size_t>(piece.parent_index)];
    delta.blocks_ended.push_back(parent.id);
    delta.units_ended.emplace_back(parent.account, parent.unit_count);
    body.AddInt("ended", parent.id);
    units_ended += parent.unit_count;
  }
  for (const UnitBlock& child : delta.blocks_created) {
    body.Add("created", EncodeBlock(child));
    units_created += child.unit_count;
  }
  // Paired with the audit's replay of the same rule: a movement conserves units.
  JCM_CHECK(units_created == units_ended, "INV-1: a movement creates as many units as it ends");
  delta.entry = NextEntry(last, ctx.time, "transaction", std::move(body));
  return Verdict(std::move(delta));
}

}  // namespace jcm::ledger
