// Decide for Article 6.2 authorisations of units (docs/article6.md): the cap an authorisation
// puts on the units citing it (check 620) and the article6_authorisation transaction, which
// makes units already held cite an authorisation — split like any movement, but the units stay
// in their account (check 621 when a named unit already cites one). Historical units too: an
// imported block is authorised like any other.
#include <numeric>

#include "ledger/block_algebra.h"
#include "ledger/decide_internal.h"
#include "ledger/journal.h"
#include "ledger/transaction_table.h"

namespace jcm::ledger {
namespace {

using core::Result;

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

int64_t Units(std::span<const UnitBlock> blocks) {
  return std::accumulate(blocks.begin(), blocks.end(), int64_t{0},
                         [](int64_t s, const UnitBlock& b) { return s + b.unit_count; });
}

// Checks 17, 18 and 621: the units to authorise. Without serials the units citing no
// authorisation go, oldest first (docs/formats/serials.md); named serials must all be held and
// cite none.
std::variant<Rejection, Selection> Select(const TransactionRequest& r,
                                          std::span<const UnitBlock> blocks) {
  if (r.serials.empty()) {
    if (Units(blocks) < r.quantity) {
      return Reject(CheckCode::kUnitsInsufficient,
                    "account " + r.from + " holds " + std::to_string(Units(blocks)) +
                        " units citing no authorisation, fewer than the " +
                        std::to_string(r.quantity) + " asked");
    }
    return SelectByQuantity(blocks, r.quantity);
  }
  Selection selection = SelectByRange(blocks, *SerialRange::Parse(r.serials));
  if (selection.units_selected != r.quantity) {
    return Reject(CheckCode::kSerialsNotHeld, "account " + r.from + " holds only " +
                                                  std::to_string(selection.units_selected) +
                                                  " of the serials " + r.serials);
  }
  return selection;
}

std::optional<Rejection> CheckNotYetAuthorised(std::span<const UnitBlock> blocks,
                                               const Selection& selection) {
  for (const Piece& piece : selection.pieces) {
    const UnitBlock& block = blocks[static_cast<size_t>(piece.parent_index)];
    if (piece.moves && !block.article6_authorisation.empty()) {
      return Reject(CheckCode::kArticle6UnitsAlreadyAuthorised,
                    "serials " + std::to_string(piece.serial_first) + ".." +
                        std::to_string(piece.serial_first + piece.unit_count - 1) +
                        " already cite authorisation " + block.article6_authorisation);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::optional<Rejection>> CheckArticle6Cap(Reader& reader, const TransactionRequest& r,
                                                  int64_t quantity) {
  using Out = std::optional<Rejection>;
  if (r.article6_authorisation.empty() || r.article6_cap_tco2e <= 0) return Out();
  JCM_ASSIGN_OR_RETURN(const int64_t used,
                       reader.Article6AuthorisedUnits(r.article6_authorisation));
  if (used + quantity <= r.article6_cap_tco2e) return Out();
  return Out(Reject(CheckCode::kArticle6CapExceeded,
                    "authorisation " + r.article6_authorisation + " covers at most " +
                        std::to_string(r.article6_cap_tco2e) + " tCO2e, of which " +
                        std::to_string(used) + " are cited; " + std::to_string(quantity) +
                        " more would exceed it"));
}

Result<Verdict> DecideArticle6Authorisation(Reader& reader, const TransactionRequest& r,
                                            const Context& ctx) {
  const TransactionTypeRow& row = RowFor(r.type);
  if (auto rejection = CheckDetails(r)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(auto checked,
                       CheckAccount(reader, r.from, row.source_types, kSourceCodes, row.code));
  if (auto* rejection = std::get_if<Rejection>(&checked)) return Verdict(*rejection);
  const Account account = std::get<Account>(checked);
  JCM_ASSIGN_OR_RETURN(std::vector<UnitBlock> blocks, reader.LiveBlocks(account.number));
  if (r.serials.empty()) {
    std::erase_if(blocks, [](const UnitBlock& b) { return !b.article6_authorisation.empty(); });
  }
  auto selected = Select(r, blocks);
  if (auto* rejection = std::get_if<Rejection>(&selected)) return Verdict(*rejection);
  const Selection& selection = std::get<Selection>(selected);
  if (selection.blocks_touched > kBlocksPerTransactionMax) {
    return Verdict(Reject(CheckCode::kTooManyBlocks,
                          "the authorisation would touch " +
                              std::to_string(selection.blocks_touched) + " blocks (limit " +
                              std::to_string(kBlocksPerTransactionMax) + "); name serials"));
  }
  JCM_ASSIGN_OR_RETURN(auto over_cap, CheckArticle6Cap(reader, r, r.quantity));
  if (over_cap) return Verdict(*over_cap);
  if (auto rejection = CheckNotYetAuthorised(blocks, selection)) return Verdict(*rejection);
  JCM_ASSIGN_OR_RETURN(int64_t next_id, reader.NextBlockId());
  JCM_ASSIGN_OR_RETURN(int64_t next_itmo, reader.NextItmoId(account.registry));
  JCM_ASSIGN_OR_RETURN(auto last, reader.LastJournalHead());
  Delta delta;
  delta.blocks_created =
      MakeChildren(blocks, selection, account.number, last ? last->seq + 1 : 1, &next_id);
  core::Record body = BaseBody(r, account.registry);
  body.Add("from", account.number).Add("to", account.number).AddInt("quantity", r.quantity);
  if (!r.serials.empty()) body.Add("serials", r.serials);
  body.Add("article6_authorisation", r.article6_authorisation);
  body.Add("authorization", AuthorizationName(r.authorization));
  body.Add("cooperative_approach", r.article6_cooperative_approach);
  if (r.article6_first_transfer_now) body.Add("first_transfer", r.article6_authorisation);
  int64_t previous_parent = -1;
  int64_t units_ended = 0;
  for (const Piece& piece : selection.pieces) {
    if (piece.parent_index == previous_parent) continue;
    previous_parent = piece.parent_index;
    const UnitBlock& parent = blocks[static_cast<size_t>(piece.parent_index)];
    delta.blocks_ended.push_back(parent.id);
    delta.units_ended.emplace_back(parent.account, parent.unit_count);
    body.AddInt("ended", parent.id);
    units_ended += parent.unit_count;
  }
  for (size_t i = 0; i < delta.blocks_created.size(); ++i) {
    UnitBlock& child = delta.blocks_created[i];
    if (selection.pieces[i].moves) {
      child.article6_authorisation = r.article6_authorisation;
      child.authorization = r.authorization;
      GiveItmoIds(r, &child, &next_itmo);
    }
    body.Add("created", EncodeBlock(child));
  }
  JCM_CHECK(Units(delta.blocks_created) == units_ended,
            "INV-1: an authorisation creates as many units as it ends");
  delta.entry = NextEntry(last, ctx.time, "transaction", std::move(body));
  return Verdict(std::move(delta));
}

}  // namespace jcm::ledger
