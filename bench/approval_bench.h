// Internal to `jcm bench api`: transfers over HTTP as issue 9 defines them, and the in-process
// figure they are compared with in the same run (docs/api.md, "Benchmark").
//
// A transfer approved in advance over HTTP (transfers_per_s_http) is POST /api/v1/transactions by
// an authorised representative over an API token, to an account on the source's trusted list,
// from a source whose registry administrator waived the second approval for transfers to its
// trusted accounts (the UK ETS registry's rule 1; INV-69): the trusted entry and the waiver
// were approved in advance, 8 days back through an injected clock (past the default 7-day
// delay), and the transfer executes with its proposal. The server runs its default policy.
//
// A signed approval over HTTP (signed_approvals_per_s_http) is the approval of a transfer
// proposed beforehand: POST
// /api/v1/transactions/{id}/approve by a second user (INV-18) over an API token (no Argon2id per
// request), signed with that user's TOTP code (INV-16: a step is accepted once per user, so each
// approver here signs one approval), to a destination on the source's trusted list past its
// 7-day delay, so the transfer executes at once. Nothing is switched off: the server runs with
// its default policy; the trusted entries were journaled through an injected clock 8 days back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "core/status.h"

namespace jcm::bench {

// One approval to send: the proposal, the approver's token and TOTP key (raw bytes).
struct PreparedApproval {
  int64_t proposal = 0;
  std::string token;
  std::string totp_key;
};

// One approved-in-advance transfer to send: the initiator's token and the request's body.
struct PreparedTransfer {
  std::string token;
  std::string body;
};

// Builds a fresh SQLite registry at `path`: `accounts` source accounts in MN each with units, an
// initiator (TOTP enrolled, a 1-hour token), a trusted destination and the registry
// administrator's waiver of the second approval (both 8 days old); and `transfers` transfer
// requests of one unit, source i mod accounts to its destination. REQUIRES: 1 <= accounts <=
// min(transfers, 100).
core::Result<std::vector<PreparedTransfer>> PrepareTransfers(const std::string& path,
                                                             int64_t transfers, int64_t accounts);

// Sends every transfer to `jcm serve` on 127.0.0.1:`port` as MeasureHttpApprovals does; any
// answer but 201 with the transfer completed fails the run.
core::Result<RunFigures> MeasureHttpTransfers(uint16_t port,
                                              const std::vector<PreparedTransfer>& transfers,
                                              int64_t connections);

// Builds a fresh SQLite registry at `path`: `accounts` source accounts in MN each with units, an
// initiator and a trusted destination (entries 8 days old); `approvals` approvers (one role on
// one source each, TOTP enrolled, a 1-hour token) and as many transfers proposed, one per
// approver, all through the service layer. REQUIRES: 1 <= accounts <= min(approvals, 100).
core::Result<std::vector<PreparedApproval>> PrepareApprovals(const std::string& path,
                                                             int64_t approvals, int64_t accounts);

// Sends every approval to `jcm serve` on 127.0.0.1:`port` over `connections` keep-alive
// connections (connection c sends approvals c, c + connections, …, each after the answer to
// the previous), timing each request. Any answer but 200 with the transfer completed fails the
// run. REQUIRES: connections >= 1.
core::Result<RunFigures> MeasureHttpApprovals(uint16_t port,
                                              const std::vector<PreparedApproval>& approvals,
                                              int64_t connections);

// transfers_per_s_32 as `jcm bench ledger` measures it (a fresh SQLite registry at `path`, 64
// holders, 32 submitters through Store::Submit), `transfers` transfers.
core::Result<RunFigures> MeasureInProcessTransfers(const std::string& path, int64_t transfers);

}  // namespace jcm::bench
