// The SQLite store (sqlite_store.h). Beside its write connection, whose mutex the group commit's
// leader holds through each batch's COMMIT and fsync, a read-write store keeps a few read-only
// connections (sqlite::ReadPool) for the reads of one statement (accounts, blocks, the journal,
// credentials): in WAL mode they read the last committed state without waiting for the batch in
// flight nor for one another, while the checks of a command still run inside its batch, against
// the state it commits on. It is also a store::SignedSubmitter: a TOTP step claim and its
// commands in one batch, all or nothing.
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "store/document_check.h"
#include "store/signed_submit.h"
#include "store/sqlite/internal/log_tree.h"
#include "store/sqlite/internal/open.h"
#include "store/sqlite/internal/read_pool.h"
#include "store/sqlite/internal/schema.h"
#include "store/sqlite/internal/sqlite_credential_store.h"
#include "store/sqlite/internal/sqlite_reader.h"
#include "store/sqlite/internal/statement.h"
#include "store/sqlite/internal/write_batch.h"

namespace jcm::store {
namespace {

using core::Result;
using core::Status;
using sqlite::Pending;
using sqlite::Statement;

// What a connection may do: write (the store a command opened read-write), only read (opened
// read-only), or read one state (a Snapshot, inside its read transaction).
enum class Access { kReadWrite, kReadOnly, kSnapshot };

class SqliteStore final : public Store, public SignedSubmitter {
 public:
  // `readers`: connections of its own for reads of the committed state (sqlite::OpenReader),
  // owned by the store; none: they use the write connection.
  SqliteStore(sqlite::OpenedConnection connection, Clock& clock, SqliteOptions options,
              Access access, std::vector<sqlite3*> readers = {})
      : db_(connection.db),
        immutable_(connection.immutable),
        access_(access),
        clock_(clock),
        options_(options),
        batch_(db_, clock),
        reads_(std::move(readers), db_, db_mu_) {}
  // close_v2 defers the close until the members' statements are finalised (and ends a
  // snapshot's read transaction).
  ~SqliteStore() override { sqlite::Close(db_); }

  Result<Outcome> Submit(const ledger::Command& command) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    Pending pending{&command};
    Enqueue(pending);
    return std::move(pending.result);
  }

  Result<SignedOutcome> SubmitSigned(const SignedCommands& signed_commands) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    Pending pending{nullptr, nullptr, &signed_commands};
    Enqueue(pending);
    JCM_RETURN_IF_ERROR(pending.result.status());
    return std::move(pending.group_outcome);
  }

  // A credential claim committed in the next write batch (SqliteCredentialStore::InBatch).
  Result<bool> ClaimInBatch(const std::function<Result<bool>()>& claim) {
    JCM_RETURN_IF_ERROR(RequireWritable());
    Pending pending{nullptr, &claim};
    Enqueue(pending);
    JCM_RETURN_IF_ERROR(pending.result.status());
    return std::move(pending.claimed);
  }

  // Queues `pending` and returns once a batch holding it has been committed (or failed). The
  // thread at the front of the queue when no batch is running leads: it runs a batch of what is
  // queued, its own command first, and keeps leading while more is queued, up to
  // options_.leader_batches_max batches, then hands the lead to the queue's front (INV-71). Each
  // hand-over is a wake-up of another thread, which on a busy machine waits for a CPU behind the
  // submitters the batch has just woken while no batch runs (docs/api.md "Benchmark", lever 22);
  // the bound answers the leader's own caller under unbroken load. Each waiter is woken alone —
  // when its batch is done or when it is to lead — not every thread in the queue (each needless
  // wake-up was a context switch taken from the leader's two cores; lever 14).
  void Enqueue(Pending& pending) {
    std::unique_lock lock(queue_mu_);
    queue_.push_back(&pending);
    if (!leader_active_) {
      leader_active_ = true;
      pending.leads = true;
    }
    pending.wake.wait(lock, [&] { return pending.done || pending.leads; });
    if (pending.done) return;
    for (int64_t led = 1;; ++led) {
      std::vector<Pending*> batch;
      while (!queue_.empty() && static_cast<int64_t>(batch.size()) < options_.batch_commands_max) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      // Woken under the lock: a waiter that sees `done` returns and its Pending is gone.
      for (Pending* p : batch) {
        p->done = true;
        if (p != &pending) p->wake.notify_one();
      }
      if (queue_.empty()) {
        leader_active_ = false;
        return;
      }
      if (led >= options_.leader_batches_max) break;
    }
    queue_.front()->leads = true;
    queue_.front()->wake.notify_one();
  }

  Result<std::vector<std::string>> ListRegistries() override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT code FROM registries ORDER BY code");
    std::vector<std::string> codes;
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return codes;
      codes.push_back(q.Text(0));
    }
  }

  Result<std::optional<ledger::RegistryCounters>> FindRegistry(const std::string& code) override {
    if (!core::IsKnownRegistryCode(code)) return std::optional<ledger::RegistryCounters>();
    sqlite::ReadPool::Lease read(reads_);
    return read.reader().FindRegistry(core::RegistryCode::FromTrusted(code));
  }

  Result<std::vector<ledger::Account>> ListAccounts(
      const std::optional<std::string>& registry) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT " JCM_ACCOUNT_COLUMNS
                           " FROM accounts WHERE ?1 IS NULL OR registry = ?1 ORDER BY number");
    if (registry) q.Bind(1, *registry);
    return ReadAll<ledger::Account>(q, sqlite::AccountFromRow);
  }

  Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
    sqlite::ReadPool::Lease read(reads_);
    return read.reader().FindAccount(number);
  }

  Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override {
    sqlite::ReadPool::Lease read(reads_);
    return read.reader().LiveBlocks(account);
  }

  Result<std::vector<AccountBalance>> ListBalances(
      const std::optional<std::string>& registry) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(),
                "SELECT " JCM_ACCOUNT_COLUMNS
                ", COALESCE(units, 0) FROM accounts LEFT JOIN balances ON account = number "
                "WHERE ?1 IS NULL OR registry = ?1 ORDER BY number");
    if (registry) q.Bind(1, *registry);
    return ReadAll<AccountBalance>(q, [](const Statement& row) -> Result<AccountBalance> {
      JCM_ASSIGN_OR_RETURN(ledger::Account account, sqlite::AccountFromRow(row));
      return AccountBalance{std::move(account), row.Int(9)};
    });
  }

  Result<std::vector<ledger::JcDecision>> ListDecisions(
      const std::optional<std::string>& registry) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(),
                "SELECT " JCM_DECISION_COLUMNS
                " FROM jc_decisions WHERE ?1 IS NULL OR registry = ?1 ORDER BY registry, id");
    if (registry) q.Bind(1, *registry);
    return ReadAll<ledger::JcDecision>(q, sqlite::DecisionFromRow);
  }

  Result<std::vector<ledger::JournalEntry>> ReadJournal(int64_t from_seq,
                                                        const std::string& kind_prefix) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT " JCM_ENTRY_COLUMNS
                           " FROM journal WHERE seq >= ? AND "
                           "substr(kind, 1, length(?2)) = ?2 ORDER BY seq");
    q.Bind(1, from_seq).Bind(2, kind_prefix);
    return ReadAll<ledger::JournalEntry>(q, sqlite::EntryFromRow);
  }

  // Probes live_blocks_by_serial (migration 7): the live block of the registry with the highest
  // serial_first <= last is the only one that can meet the run.
  Result<std::optional<ledger::UnitBlock>> FindLiveBlockOverlapping(const std::string& registry,
                                                                    int64_t first,
                                                                    int64_t last) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(),
                "SELECT " JCM_BLOCK_COLUMNS
                " FROM blocks WHERE registry = ? AND ended_seq = 0 AND serial_first <= ? "
                "ORDER BY serial_first DESC LIMIT 1");
    q.Bind(1, registry).Bind(2, last);
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> found,
                         ReadAll<ledger::UnitBlock>(q, sqlite::BlockFromRow));
    if (found.empty() || found[0].serial_last() < first) return std::optional<ledger::UnitBlock>();
    return std::optional<ledger::UnitBlock>(std::move(found[0]));
  }

  Result<std::vector<ledger::UnitBlock>> LiveBlocksOfSerials(const std::string& registry) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(),
                "SELECT " JCM_BLOCK_COLUMNS
                " FROM blocks WHERE registry = ? AND ended_seq = 0 ORDER BY serial_first");
    q.Bind(1, registry);
    return ReadAll<ledger::UnitBlock>(q, sqlite::BlockFromRow);
  }

  Result<std::optional<ledger::UnitBlock>> FindBlock(int64_t id) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT " JCM_BLOCK_COLUMNS " FROM blocks WHERE id = ?");
    q.Bind(1, id);
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> found,
                         ReadAll<ledger::UnitBlock>(q, sqlite::BlockFromRow));
    if (found.empty()) return std::optional<ledger::UnitBlock>();
    return std::optional<ledger::UnitBlock>(std::move(found[0]));
  }

  Result<int64_t> JournalHeadSeq() override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT coalesce(max(seq), 0) FROM journal");
    JCM_ASSIGN_OR_RETURN(const bool row, q.Step());
    if (!row) return core::Internal("max(seq) gave no row");
    return q.Int(0);
  }

  Result<std::vector<ledger::JournalEntry>> ReadJournalRange(int64_t from_seq,
                                                             int64_t entries_max) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(),
                "SELECT " JCM_ENTRY_COLUMNS " FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?");
    q.Bind(1, from_seq).Bind(2, entries_max);
    return ReadAll<ledger::JournalEntry>(q, sqlite::EntryFromRow);
  }

  Result<int64_t> LogTreeSize() override {
    std::lock_guard lock(db_mu_);
    return log_.Size();
  }

  std::optional<uint64_t> LocalCommitCount() override {
    return commits_.load(std::memory_order_acquire);
  }

  Result<core::merkle::Hash> LogSubtreeHash(int level, int64_t index) override {
    std::lock_guard lock(db_mu_);
    return log_.PerfectSubtree(level, index);
  }

  Result<std::optional<LogHead>> FindLogHead(int64_t tree_size) override {
    std::lock_guard lock(db_mu_);
    return log_.FindHead(tree_size);
  }

  // Read-only and snapshot stores keep nothing: the head is returned as signed.
  Result<LogHead> PutLogHead(const LogHead& head) override {
    if (!RequireWritable().ok()) return head;
    std::lock_guard lock(db_mu_);
    return log_.PutHead(head);  // autocommit: one durable write
  }

  Result<std::vector<LogHead>> ListLogHeads() override {
    std::lock_guard lock(db_mu_);
    return log_.ListHeads();
  }

  core::Status PutDocument(const std::string& sha256, std::string_view bytes) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    JCM_RETURN_IF_ERROR(CheckDocument(sha256, bytes));
    std::lock_guard lock(db_mu_);
    Statement put(db_, "INSERT OR IGNORE INTO documents VALUES (?, ?, ?)");
    put.Bind(1, sha256).BindBlob(2, bytes).Bind(3, static_cast<int64_t>(bytes.size()));
    return put.Run();  // autocommit: one durable write batch
  }

  Result<std::optional<std::string>> GetDocument(const std::string& sha256) override {
    sqlite::ReadPool::Lease read(reads_);
    Statement get(read.db(), "SELECT bytes FROM documents WHERE sha256 = ?");
    get.Bind(1, sha256);
    JCM_ASSIGN_OR_RETURN(bool found, get.Step());
    if (!found) return std::optional<std::string>();
    std::string bytes = get.Blob(0);
    get.Reset();
    if (!CheckDocument(sha256, bytes).ok()) {
      return core::DataLoss("stored document " + sha256 + " no longer matches its hash");
    }
    return std::optional<std::string>(std::move(bytes));
  }

  Result<ledger::StoredState> ReadState() override {
    std::lock_guard lock(db_mu_);
    ledger::StoredState state;
    Statement accounts(db_, "SELECT " JCM_ACCOUNT_COLUMNS " FROM accounts ORDER BY number");
    JCM_ASSIGN_OR_RETURN(state.accounts,
                         ReadAll<ledger::Account>(accounts, sqlite::AccountFromRow));
    Statement blocks(db_, "SELECT " JCM_BLOCK_COLUMNS " FROM blocks ORDER BY id");
    JCM_ASSIGN_OR_RETURN(state.blocks, ReadAll<ledger::UnitBlock>(blocks, sqlite::BlockFromRow));
    Statement registries(
        db_, "SELECT code, next_serial, next_account_sequence, imported_units FROM registries");
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, registries.Step());
      if (!row) break;
      state.registries[registries.Text(0)] = {registries.Int(1), registries.Int(2),
                                              registries.Int(3)};
    }
    JCM_RETURN_IF_ERROR(ReadRecords(&state));
    JCM_RETURN_IF_ERROR(ReadKeys(&state));
    return state;
  }

  Result<std::unique_ptr<Store>> Snapshot() override {
    if (access_ == Access::kSnapshot) {
      return core::FailedPrecondition("a snapshot is already one state; read it directly");
    }
    JCM_ASSIGN_OR_RETURN(sqlite::OpenedConnection connection,
                         sqlite::OpenSnapshot(db_, immutable_, options_.busy_timeout_ms));
    return std::unique_ptr<Store>(
        std::make_unique<SqliteStore>(connection, clock_, options_, Access::kSnapshot));
  }

  CredentialStore& Credentials() override { return credentials_; }

  Result<std::vector<std::string>> ListDocuments() override {
    sqlite::ReadPool::Lease read(reads_);
    Statement q(read.db(), "SELECT sha256 FROM documents ORDER BY sha256");
    return ReadAll<std::string>(
        q, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
  }

 private:
  Status RequireWritable() const {
    if (access_ == Access::kReadWrite) return core::OkStatus();
    const char* file = sqlite3_db_filename(db_, "main");
    return core::FailedPrecondition(
        std::string("registry ") + (file ? file : "") + " is open " +
        (access_ == Access::kSnapshot ? "as a read-only snapshot" : "read-only") +
        ": nothing can be written through it");
  }

  // The idempotency table for ReadState (INV-13). REQUIRES: db_mu_ held.
  Status ReadKeys(ledger::StoredState* state) {
    Statement keys(db_, "SELECT key, digest, seq FROM idempotency");
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, keys.Step());
      if (!row) return core::OkStatus();
      state->idempotency_keys[keys.Text(0)] = ledger::IdempotencyRecord{keys.Text(1), keys.Int(2)};
    }
  }

  // Policies, decisions and balances for ReadState. REQUIRES: db_mu_ held.
  Status ReadRecords(ledger::StoredState* state) {
    Statement policies(db_,
                       "SELECT registry, retirement_needs_ndc_authorization "
                       "FROM registry_policies");
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, policies.Step());
      if (!row) break;
      state->policies[policies.Text(0)] = ledger::RegistryPolicy{policies.Int(1) != 0};
    }
    Statement decisions(db_, "SELECT " JCM_DECISION_COLUMNS " FROM jc_decisions");
    JCM_ASSIGN_OR_RETURN(state->decisions,
                         ReadAll<ledger::JcDecision>(decisions, sqlite::DecisionFromRow));
    Statement balances(db_, "SELECT account, units FROM balances WHERE units != 0");
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, balances.Step());
      if (!row) return core::OkStatus();
      state->balances[balances.Text(0)] = balances.Int(1);
    }
  }

  template <typename T, typename Decode>
  static Result<std::vector<T>> ReadAll(Statement& q, Decode decode) {
    std::vector<T> out;
    while (true) {
      JCM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return out;
      JCM_ASSIGN_OR_RETURN(T value, decode(q));
      out.push_back(std::move(value));
    }
  }

  // One write batch (sqlite::WriteBatch), counted when committed (LocalCommitCount).
  void RunBatch(const std::vector<Pending*>& batch) {
    std::lock_guard lock(db_mu_);
    if (batch_.Run(batch)) commits_.fetch_add(1, std::memory_order_release);
  }

  sqlite3* db_;
  const bool immutable_;
  const Access access_;
  Clock& clock_;
  SqliteOptions options_;
  std::mutex db_mu_;  // guards the connection and the statements below
  sqlite::LogTree log_{db_};
  sqlite::WriteBatch batch_;  // runs the group commit's batches on db_
  // Reads of the committed state run on connections of their own when there are some, so they
  // need not wait for a write batch, which holds db_mu_ through its COMMIT and fsync, nor for
  // one another. Reads that take several statements (ReadState) stay on db_, where no batch can
  // commit between them.
  sqlite::ReadPool reads_;
  // Its TOTP claims commit in this store's write batches (ClaimInBatch); it reads on reads_.
  sqlite::SqliteCredentialStore credentials_{
      db_, db_mu_, reads_,
      [this](const std::function<Result<bool>()>& claim) { return ClaimInBatch(claim); }};
  std::mutex queue_mu_;  // guards queue_, leader_active_ and each queued Pending's flags
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  std::atomic<uint64_t> commits_{0};  // write batches committed
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, Clock& clock,
                                               SqliteOptions options) {
  JCM_ASSIGN_OR_RETURN(sqlite::OpenedConnection connection,
                       sqlite::OpenRegistry(path, options.mode, options.busy_timeout_ms));
  const Access access =
      options.mode == OpenMode::kReadOnly ? Access::kReadOnly : Access::kReadWrite;
  // A read-only store never writes, so its reads never wait for a batch of its own.
  std::vector<sqlite3*> readers;
  for (int i = 0; access == Access::kReadWrite && i < options.read_connections; ++i) {
    auto reader = sqlite::OpenReader(connection.db, options.busy_timeout_ms);
    if (!reader.ok()) {
      for (sqlite3* opened : readers) sqlite::Close(opened);
      sqlite::Close(connection.db);
      return reader.status();
    }
    if (*reader == nullptr) break;  // a private temporary database: reads use its connection
    readers.push_back(*reader);
  }
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(connection, clock, options, access, std::move(readers)));
}

}  // namespace jcm::store
