// Internal to `jcm bench ledger`: a large registry built directly with SQL, for measuring how a
// transfer's cost depends on the registry's size. Building 10^6 blocks through the ledger would
// take minutes (one journal entry per issuance), so the fixture writes the rows of
// docs/formats/store.md in one write batch instead:
//   - registry MN initialised through the ledger (journal entry 1, its government accounts);
//   - `holders` entity holding accounts (sequences 4, 5, …) and `blocks` live blocks of
//     `units_per_block` units, block b held by holder b % holders (so an account's blocks are
//     spread over the table, as if received over time), consecutive serials from 1;
//   - the registry's next_serial and next_account_sequence consistent with those rows.
// The rows are valid for the store's reader and the ledger transfers from them normally, but the
// journal does not record their creation, so `audit verify` would (rightly) reject the database:
// it is a measurement fixture, never a registry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace jcm::bench {

struct FixtureShape {
  int64_t blocks = 0;
  int64_t live_blocks_per_account = 0;  // holders = blocks / live_blocks_per_account
  int64_t units_per_block = 0;
};

// Creates the fixture at `path` (replacing any file there) and returns the holders' account
// numbers in sequence order. REQUIRES: blocks is a positive multiple of live_blocks_per_account.
core::Result<std::vector<std::string>> BuildRegistryFixture(const std::string& path,
                                                            const FixtureShape& shape,
                                                            store::Clock& clock);

}  // namespace jcm::bench
