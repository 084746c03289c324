// The text form of a serial range, carrying the parts of an Article 6 unique identifier
// (docs/formats/serials.md):
//
//   JCM-JPMN.MN.MN.MN003.2018.000000000001-000000000500
//   │        │  │  │     │    └ first and last serial, 12 digits, inclusive
//   │        │  │  │     └ vintage: year in which the monitoring period ends
//   │        │  │  └ project reference
//   │        │  └ first-transferring party: the host (partner) country of the project
//   │        └ originating registry: the registry that issued the units
//   └ cooperative approach: the JCM between Japan and the partner
//
// Serials are zero-padded to 12 digits and a registry never numbers one above kSerialMax
// (999,999,999,999; check 28), so the identifiers of one project and vintage in a registry sort
// in serial order as text.
#pragma once

#include <string>

#include "ledger/types.h"

namespace jcm::ledger {

// REQUIRES: block.project starts with the host country's two-letter code.
std::string SerialIdentifier(const UnitBlock& block);

}  // namespace jcm::ledger
