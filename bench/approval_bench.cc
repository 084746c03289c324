#include "approval_bench.h"

#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <memory>

#include "bench_database.h"
#include "http_load.h"
#include "identity/totp.h"
#include "service/approval_service.h"
#include "service/identity_service.h"
#include "transfer_load.h"

namespace jcm::bench {
namespace {

constexpr int64_t kDay_s = 86'400;
constexpr int64_t kUnitsPerSource = 1'000'000;
constexpr int64_t kTokenLifetime_s = 3600;

// The system's time moved by `offset_s` (the trusted entries are journaled 8 days back).
class ShiftedClock : public store::Clock {
 public:
  int64_t offset_s = 0;
  std::string NowUtc() override {
    const std::time_t now = std::time(nullptr) + offset_s;
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
  }
};

template <typename T>
core::Result<T> Accepted(core::Result<service::OrRejection<T>> outcome, const std::string& what) {
  JCM_RETURN_IF_ERROR(outcome.status());
  if (const auto* rejection = std::get_if<service::Rejection>(&*outcome)) {
    return core::Internal("bench setup, " + what + ": " + rejection->message);
  }
  return std::get<T>(std::move(*outcome));
}

// A user with `role`, and, when asked, TOTP and a token.
struct BenchUser {
  identity::Principal principal;
  std::string totp_key;
  std::string token;
};

core::Result<BenchUser> MakeUser(service::IdentityService& identity, const std::string& name,
                                 const std::string& role, bool signs) {
  JCM_RETURN_IF_ERROR(Accepted(identity.CreateUser(name, "bench"), name).status());
  JCM_RETURN_IF_ERROR(Accepted(identity.GrantRole(name, role, "bench"), name).status());
  BenchUser user;
  if (signs) {
    JCM_ASSIGN_OR_RETURN(auto totp, Accepted(identity.EnrollTotp(name, "bench"), name));
    JCM_ASSIGN_OR_RETURN(user.totp_key, identity::Base32Decode(totp.secret_base32));
    JCM_ASSIGN_OR_RETURN(auto token, Accepted(identity.IssueToken(name, {}, kTokenLifetime_s,
                                                                  std::time(nullptr), "bench"),
                                              name));
    user.token = token.token;
  }
  JCM_ASSIGN_OR_RETURN(user.principal, Accepted(identity.PrincipalOf(name), name));
  return user;
}

std::string ApprovalRequest(const PreparedApproval& approval) {
  const std::string code =
      identity::TotpAt(approval.totp_key, std::time(nullptr), identity::kTotpAlgorithm);
  const std::string body = "{\"totp\":\"" + code + "\"}";
  return "POST /api/v1/transactions/" + std::to_string(approval.proposal) +
         "/approve HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + approval.token +
         "\r\nIdempotency-Key: bench-" + std::to_string(approval.proposal) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// The registry both HTTP measurements start from: sources 0..accounts-1 with units, then their
// destinations (holders[accounts + a] for source a), each source with an initiator and its
// destination on its trusted list, entered 8 days back (past the default 7-day delay); with
// `waive`, the registry administrator's waiver of the second approval too, as old.
struct BenchRegistry {
  std::unique_ptr<ShiftedClock> clock = std::make_unique<ShiftedClock>();
  std::unique_ptr<store::Store> store;
  std::vector<std::string> holders;
  std::vector<BenchUser> initiators;
};

core::Result<BenchRegistry> OpenBenchRegistry(const std::string& path, int64_t accounts,
                                              bool waive) {
  BenchRegistry r;
  RemoveDatabase(path);
  JCM_ASSIGN_OR_RETURN(r.store, OpenBenchStore(path, *r.clock));
  JCM_RETURN_IF_ERROR(r.store->Submit(ledger::InitRegistry{"MN"}).status());
  JCM_ASSIGN_OR_RETURN(r.holders, SeedHolders(*r.store, accounts, kUnitsPerSource));
  for (int64_t a = 0; a < accounts; ++a) {
    ledger::OpenAccount open{"MN", ledger::AccountType::kEntityHolding,
                             ledger::Holder{"Bench buyer " + std::to_string(a), "", "", "", ""},
                             ""};
    JCM_ASSIGN_OR_RETURN(store::Outcome opened, r.store->Submit(open));
    if (opened.rejection) return core::Internal("bench account: " + opened.rejection->message);
    r.holders.emplace_back(opened.entry.body.Find("account").value_or(""));
  }
  service::IdentityService identity(*r.store);
  BenchUser admin;
  if (waive) {
    JCM_ASSIGN_OR_RETURN(admin,
                         MakeUser(identity, "registry-admin", "registry_administrator:MN", false));
  }
  r.clock->offset_s = -8 * kDay_s;
  service::ApprovalService early(*r.store, *r.clock);
  for (int64_t a = 0; a < accounts; ++a) {
    const std::string& source = r.holders[static_cast<size_t>(a)];
    // An initiator who sends its own transfers signs in with TOTP and holds a token.
    JCM_ASSIGN_OR_RETURN(BenchUser initiator,
                         MakeUser(identity, "initiator-" + std::to_string(a),
                                  "authorised_representative:" + source + ":initiate", waive));
    JCM_RETURN_IF_ERROR(Accepted(early.AddTrusted(initiator.principal, source,
                                                  r.holders[static_cast<size_t>(accounts + a)], ""),
                                 "trusted entry")
                            .status());
    if (waive) {
      JCM_RETURN_IF_ERROR(
          Accepted(early.SetRules(admin.principal, source, false, ""), "waiver").status());
    }
    r.initiators.push_back(std::move(initiator));
  }
  r.clock->offset_s = 0;
  return r;
}

}  // namespace

core::Result<std::vector<PreparedApproval>> PrepareApprovals(const std::string& path,
                                                             int64_t approvals, int64_t accounts) {
  JCM_ASSIGN_OR_RETURN(BenchRegistry r, OpenBenchRegistry(path, accounts, false));
  service::IdentityService identity(*r.store);
  service::ApprovalService now(*r.store, *r.clock);
  std::vector<PreparedApproval> prepared;
  for (int64_t i = 0; i < approvals; ++i) {
    const auto a = static_cast<size_t>(i % accounts);
    JCM_ASSIGN_OR_RETURN(BenchUser approver,
                         MakeUser(identity, "approver-" + std::to_string(i),
                                  "authorised_representative:" + r.holders[a] + ":approve", true));
    const approval::ProposedTransaction transfer{ledger::TransactionType::kInternalTransfer,
                                                 r.holders[a],
                                                 r.holders[static_cast<size_t>(accounts) + a],
                                                 1,
                                                 "",
                                                 "",
                                                 "",
                                                 0,
                                                 ""};
    JCM_ASSIGN_OR_RETURN(
        auto proposed, Accepted(now.Propose(r.initiators[a].principal, transfer, ""), "proposal"));
    prepared.push_back({proposed.proposal.id, approver.token, approver.totp_key});
  }
  return prepared;
}

core::Result<std::vector<PreparedTransfer>> PrepareTransfers(const std::string& path,
                                                             int64_t transfers, int64_t accounts) {
  JCM_ASSIGN_OR_RETURN(BenchRegistry r, OpenBenchRegistry(path, accounts, true));
  std::vector<PreparedTransfer> prepared;
  for (int64_t i = 0; i < transfers; ++i) {
    const auto a = static_cast<size_t>(i % accounts);
    prepared.push_back({r.initiators[a].token,
                        "{\"type\":\"transfer\",\"from\":\"" + r.holders[a] + "\",\"to\":\"" +
                            r.holders[static_cast<size_t>(accounts) + a] + "\",\"quantity\":1}"});
  }
  return prepared;
}

core::Result<RunFigures> MeasureHttpApprovals(uint16_t port,
                                              const std::vector<PreparedApproval>& approvals,
                                              int64_t connections) {
  return MeasureHttp(
      port, approvals.size(), connections, 200,
      [&](size_t i) { return ApprovalRequest(approvals[i]); },
      [&](size_t i) { return "approval of proposal " + std::to_string(approvals[i].proposal); });
}

core::Result<RunFigures> MeasureHttpTransfers(uint16_t port,
                                              const std::vector<PreparedTransfer>& transfers,
                                              int64_t connections) {
  return MeasureHttp(
      port, transfers.size(), connections, 201,
      [&](size_t i) {
        const PreparedTransfer& t = transfers[i];
        return "POST /api/v1/transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
               t.token + "\r\nIdempotency-Key: bench-transfer-" + std::to_string(i) +
               "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(t.body.size()) + "\r\n\r\n" + t.body;
      },
      [](size_t i) { return "transfer " + std::to_string(i); });
}

core::Result<RunFigures> MeasureInProcessTransfers(const std::string& path, int64_t transfers) {
  constexpr int64_t kHolders = 64;
  constexpr int64_t kSubmitters = 32;
  constexpr int64_t kQuantity = 10;
  ShiftedClock clock;
  RemoveDatabase(path);
  JCM_ASSIGN_OR_RETURN(auto store, OpenBenchStore(path, clock));
  JCM_RETURN_IF_ERROR(store->Submit(ledger::InitRegistry{"MN"}).status());
  JCM_ASSIGN_OR_RETURN(auto holders, SeedHolders(*store, kHolders, 10'000'000));
  // As `jcm bench ledger`: holder i mod n to another, the offset cycling through 1..n-1.
  const TransferPlan plan = [&holders](int64_t i) {
    const auto n = static_cast<int64_t>(holders.size());
    const int64_t to = (i + 1 + (i / n) % (n - 1)) % n;
    return std::pair(holders[static_cast<size_t>(i % n)], holders[static_cast<size_t>(to)]);
  };
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  JCM_ASSIGN_OR_RETURN(RunFigures figures,
                       MeasureTransfers(*store, plan, transfers, kSubmitters, kQuantity));
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const auto us = [](const rusage& r) {
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
  };
  if (figures.operations > 0) {
    figures.cpu_us_per_op = (us(after) - us(before)) / static_cast<double>(figures.operations);
  }
  return figures;
}

}  // namespace jcm::bench
