// What a retirement or cancellation records under Article 6.2 (docs/article6.md, "Use and
// cancellation"): the year toward whose NDC retired units are used (checks 624, 625), the
// purpose of a cancellation (626), and the first transfer of units whose authorisation defines
// it as their use or cancellation (OIMP).
#include <algorithm>
#include <array>

#include "ledger/decide_internal.h"

namespace jcm::ledger {
namespace {

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

constexpr std::array<std::string_view, 3> kCancellationPurposes = {"omge", "voluntary", "other"};

std::string Serials(const Piece& piece) {
  return std::to_string(piece.serial_first) + ".." +
         std::to_string(piece.serial_first + piece.unit_count - 1);
}

// The year of an ISO 8601 time ("2026-11-30T…"); 0 when it has none.
int64_t YearOf(const std::string& time) {
  return core::ParseInt64(std::string_view(time).substr(0, 4)).value_or(0);
}

}  // namespace

std::variant<Rejection, UseRecord> CheckUse(const TransactionRequest& r,
                                            std::span<const UnitBlock> live,
                                            const Selection& selection, const std::string& time) {
  UseRecord use;
  const bool retiring = r.type == TransactionType::kRetirement;
  const bool cancelling = r.type == TransactionType::kCancellation;
  if (!r.cancellation_purpose.empty() || cancelling) {
    use.cancellation_purpose = r.cancellation_purpose.empty() ? "other" : r.cancellation_purpose;
    if (!cancelling || std::find(kCancellationPurposes.begin(), kCancellationPurposes.end(),
                                 use.cancellation_purpose) == kCancellationPurposes.end()) {
      return Reject(CheckCode::kCancellationPurposeInvalid,
                    "a cancellation's purpose is omge, voluntary or other (with its --reason), "
                    "not '" +
                        r.cancellation_purpose + "'" +
                        (cancelling ? "" : "; only a cancellation has one"));
    }
  }
  int64_t latest_vintage = 0;
  bool ndc_units = false;
  for (const Piece& piece : selection.pieces) {
    const UnitBlock& block = live[static_cast<size_t>(piece.parent_index)];
    if (!piece.moves) continue;
    if (r.use_year != 0 && (!retiring || !AllowsNdcUse(block.authorization))) {
      return Reject(CheckCode::kUseYearNotNdc,
                    "serials " + Serials(piece) + " are authorised '" +
                        std::string(AuthorizationName(block.authorization)) +
                        "': a year of NDC use is given only for a retirement of units "
                        "authorised for NDC use");
    }
    ndc_units = ndc_units || AllowsNdcUse(block.authorization);
    latest_vintage = std::max(latest_vintage, block.vintage);
  }
  if (retiring && ndc_units) {
    use.use_year = r.use_year != 0 ? r.use_year : YearOf(time);
    if (use.use_year < latest_vintage || use.use_year > kUseYearMax) {
      return Reject(CheckCode::kUseYearInvalid,
                    "units of vintage " + std::to_string(latest_vintage) +
                        " cannot be used toward the NDC of " + std::to_string(use.use_year) +
                        " (a year from the latest vintage used to " + std::to_string(kUseYearMax) +
                        ")");
    }
  }
  return use;
}

void RecordUse(const TransactionRequest& r, const UseRecord& use, const std::string& destination,
               std::span<UnitBlock> children, core::Record* body) {
  if (use.use_year != 0) body->AddInt("use_year", use.use_year);
  if (!use.cancellation_purpose.empty())
    body->Add("cancellation_purpose", use.cancellation_purpose);
  if (r.type != TransactionType::kRetirement && r.type != TransactionType::kCancellation) return;
  std::vector<std::string> first_transferred;
  for (UnitBlock& child : children) {
    const bool at_use = std::find(r.first_transfer_at_use.begin(), r.first_transfer_at_use.end(),
                                  child.article6_authorisation) != r.first_transfer_at_use.end();
    // Children left in the source account are not used: only those in the destination (the
    // registry's retirement or cancellation account) are.
    if (!at_use || child.first_transferred || child.account != destination) continue;
    MarkFirstTransferred(&child);
    if (std::find(first_transferred.begin(), first_transferred.end(),
                  child.article6_authorisation) == first_transferred.end()) {
      first_transferred.push_back(child.article6_authorisation);
    }
  }
  for (const std::string& reference : first_transferred) body->Add("first_transfer", reference);
}

void MarkFirstTransferred(UnitBlock* block) {
  block->first_transferred = true;
  block->first_transferring_party =
      block->article6_authorisation.substr(0, block->article6_authorisation.find('/'));
}

}  // namespace jcm::ledger
