// The rows of the registry's tables decoded into the ledger's types, one code for every SQL
// store: `Row` is any type with `std::string Text(int column)` and `int64_t Int(int column)` (the
// SQLite statement, a PostgreSQL result row), its columns in the order of the stores' SELECTs
// (JCM_BLOCK_COLUMNS, JCM_ACCOUNT_COLUMNS, … in each adapter). A value no table may hold is
// DataLoss naming the row: the audit's tamper tests rely on it.
#pragma once

#include <string>
#include <utility>

#include "core/record.h"
#include "core/registry_code.h"
#include "core/status.h"
#include "ledger/reader.h"
#include "ledger/types.h"

namespace jcm::store {

template <typename Row>
core::Result<ledger::UnitBlock> DecodeBlock(const Row& row) {
  ledger::UnitBlock b;
  const std::string registry = row.Text(1);
  auto period = core::Period::Parse(row.Text(6));
  auto authorization = ledger::AuthorizationFromName(row.Text(8));
  b.id = row.Int(0);
  b.serial_first = row.Int(2);
  b.unit_count = row.Int(3);
  if (!core::IsKnownRegistryCode(registry) || !period.ok() || !authorization ||
      b.serial_first < 1 || b.unit_count < 1) {
    return core::DataLoss("blocks row " + std::to_string(b.id) + " is corrupt");
  }
  b.registry = core::RegistryCode::FromTrusted(registry);
  b.account = row.Text(4);
  b.project = row.Text(5);
  b.monitoring_period = *period;
  b.issuance_number = row.Int(7);
  b.authorization = *authorization;
  b.first_transferred = row.Int(9) != 0;
  b.parent_id = row.Int(10);
  b.created_seq = row.Int(11);
  b.ended_seq = row.Int(12);
  b.imported = row.Int(13) != 0;
  b.article6_authorisation = row.Text(14);
  b.cooperative_approach = row.Text(15);
  b.itmo_registry = row.Text(16);
  b.itmo_first = row.Int(17);
  b.first_transferring_party = row.Text(18);
  b.vintage = row.Int(19);
  if (b.itmo_first < 0 || (b.itmo_first == 0) != b.itmo_registry.empty()) {
    return core::DataLoss("blocks row " + std::to_string(b.id) + " is corrupt");
  }
  return b;
}

template <typename Row>
core::Result<ledger::Account> DecodeAccount(const Row& row) {
  ledger::Account a;
  a.number = row.Text(0);
  const std::string registry = row.Text(1);
  auto type = ledger::AccountTypeFromCode(static_cast<int>(row.Int(2)));
  auto state = ledger::AccountStateFromName(row.Text(3));
  if (!core::IsKnownRegistryCode(registry) || !type || !state) {
    return core::DataLoss("accounts row " + a.number + " is corrupt");
  }
  a.registry = core::RegistryCode::FromTrusted(registry);
  a.type = *type;
  a.state = *state;
  a.holder = {row.Text(4), row.Text(5), row.Text(6), row.Text(7), row.Text(8)};
  return a;
}

template <typename Row>
core::Result<ledger::JournalEntry> DecodeEntry(const Row& row) {
  ledger::JournalEntry e;
  e.seq = row.Int(0);
  e.time = row.Text(1);
  e.kind = row.Text(2);
  auto body = core::Record::Decode(row.Text(3));
  if (!body.ok()) {
    return core::DataLoss("journal entry " + std::to_string(e.seq) + ": " +
                          body.status().message());
  }
  e.body = std::move(body).value();
  e.prev_hash = row.Text(4);
  e.hash = row.Text(5);
  return e;
}

template <typename Row>
core::Result<ledger::JcDecision> DecodeDecision(const Row& row) {
  ledger::JcDecision d;
  d.id = row.Text(0);
  const std::string registry = row.Text(1);
  auto period = core::Period::Parse(row.Text(3));
  if (!core::IsKnownRegistryCode(registry) || !period.ok()) {
    return core::DataLoss("jc_decisions row " + d.id + " is corrupt");
  }
  d.registry = core::RegistryCode::FromTrusted(registry);
  d.project = row.Text(2);
  d.period = *period;
  d.notified_tco2e = row.Int(4);
  d.executed_tco2e = row.Int(5);
  d.recorded_seq = row.Int(6);
  return d;
}

}  // namespace jcm::store
