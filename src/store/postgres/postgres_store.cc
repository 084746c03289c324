#include "store/postgres/postgres_store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <type_traits>
#include <variant>

#include "core/sha256.h"
#include "store/document_check.h"
#include "store/postgres/internal/connection.h"
#include "store/postgres/internal/pg_credential_store.h"
#include "store/postgres/internal/pg_delta_writer.h"
#include "store/postgres/internal/pg_log_tree.h"
#include "store/postgres/internal/pg_reader.h"
#include "store/postgres/internal/pg_restore.h"
#include "store/postgres/internal/pg_state_cache.h"
#include "store/postgres/internal/schema.h"
#include "store/replay_check.h"

namespace jcm::store {
namespace {

using core::Result;
using core::Status;
using postgres::Connection;
using postgres::P;
using postgres::Rows;

struct Pending {
  const ledger::Command* command;
  Result<Outcome> result = core::Internal("not run");
  bool done = false;
};

// BEGIN, the registry's write lock, then the journal's head read under it (its own snapshot,
// taken once the lock is granted): one round trip.
const std::string& BeginBatchSql() {
  static const std::string sql = std::string("BEGIN; ") + postgres::kTakeWriteLock +
                                 "; SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
  return sql;
}

// Under the lock, for a batch decided before it: fails (and with it the transaction, whose
// COMMIT is already on its way) unless the journal's head is still $1 (seq) and $2 (hash), NULL
// for an empty journal. The text cast is how plain SQL raises an error; it depends on a row,
// so the planner never evaluates it in advance.
constexpr const char* kHeadMoved = "jcm: the journal head moved to";
const std::string& GuardHeadSql() {
  static const std::string sql =
      std::string(
          "SELECT CASE WHEN h.seq IS NOT DISTINCT FROM $1::bigint AND h.hash IS NOT "
          "DISTINCT FROM $2::text THEN 0 ELSE ('") +
      kHeadMoved +
      " ' || COALESCE(h.seq::text, 'none'))::bigint END FROM (SELECT 1) AS one LEFT JOIN "
      "(SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1) AS h ON true";
  return sql;
}

// Appends the idempotency keys `command` names (what Decide looks up first).
void AddKeys(const ledger::Command& command, std::vector<std::string>& keys) {
  std::visit(
      [&keys](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ledger::RecordDecisions>) {
          keys.push_back(c.event.idempotency_key);
        } else if constexpr (std::is_same_v<T, ledger::ExecuteDecision>) {
          keys.push_back(c.issuance.idempotency_key);
          keys.push_back(c.event.idempotency_key);
        } else if constexpr (requires { c.idempotency_key; }) {
          keys.push_back(c.idempotency_key);
        }
      },
      command);
}

// What a connection may do: write, only read (opened read-only), or read one state (a Snapshot,
// inside its REPEATABLE READ transaction).
enum class Access { kReadWrite, kReadOnly, kSnapshot };

// The last journal entry a write batch wrote: after a connection lost during COMMIT, finding it
// on the server says the batch committed.
struct BatchMark {
  int64_t seq = 0;
  std::string hash;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::unique_ptr<Connection> connection, Clock& clock, PostgresOptions options,
                Access access)
      : db_(std::move(connection)),
        access_(access),
        clock_(clock),
        options_(options),
        reader_(*db_),
        writer_(*db_),
        credentials_(*db_, db_mu_) {
    db_->SetReconnect(access == Access::kSnapshot ? 0 : options.reconnect_attempts,
                      options.reconnect_first_delay_ms);
  }

  Result<Outcome> Submit(const ledger::Command& command) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    Pending pending{&command};
    std::unique_lock lock(queue_mu_);
    queue_.push_back(&pending);
    if (filling_) fill_cv_.notify_one();
    while (!pending.done) {
      if (leader_active_) {
        queue_cv_.wait(lock);
        continue;
      }
      leader_active_ = true;  // this thread leads: it takes the queue and commits it
      WaitForLastBatchLocked(lock);
      std::vector<Pending*> batch;
      TakeQueuedLocked(batch);
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      for (Pending* p : batch) p->done = true;
      last_batch_size_ = batch.size();
      leader_active_ = false;
      queue_cv_.notify_all();
    }
    return std::move(pending.result);
  }

  Result<std::vector<std::string>> ListRegistries() override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT code FROM registries ORDER BY code"));
    std::vector<std::string> codes;
    for (int i = 0; i < rows.size(); ++i) codes.push_back(rows.Text(i, 0));
    return codes;
  }

  Result<std::optional<ledger::RegistryCounters>> FindRegistry(const std::string& code) override {
    if (!core::IsKnownRegistryCode(code)) return std::optional<ledger::RegistryCounters>();
    std::lock_guard lock(db_mu_);
    return reader_.FindRegistry(core::RegistryCode::FromTrusted(code));
  }

  Result<std::vector<ledger::Account>> ListAccounts(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS
                                              " FROM accounts WHERE $1::text IS NULL OR "
                                              "registry = $1::text ORDER BY number",
                                              {OptionalText(registry)}));
    return postgres::DecodeAll<ledger::Account>(rows, postgres::AccountFromRow);
  }

  Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
    std::lock_guard lock(db_mu_);
    return reader_.FindAccount(number);
  }

  Result<std::vector<ledger::UnitBlock>> LiveBlocks(const std::string& account) override {
    std::lock_guard lock(db_mu_);
    return reader_.LiveBlocks(account);
  }

  Result<std::vector<AccountBalance>> ListBalances(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS
                                              ", COALESCE(units, 0) FROM accounts LEFT JOIN "
                                              "balances ON account = number WHERE $1::text IS "
                                              "NULL OR registry = $1::text ORDER BY number",
                                              {OptionalText(registry)}));
    return postgres::DecodeAll<AccountBalance>(
        rows, [](const postgres::Row& row) -> Result<AccountBalance> {
          JCM_ASSIGN_OR_RETURN(ledger::Account account, postgres::AccountFromRow(row));
          return AccountBalance{std::move(account), row.Int(9)};
        });
  }

  Result<std::vector<ledger::JcDecision>> ListDecisions(
      const std::optional<std::string>& registry) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT " JCM_PG_DECISION_COLUMNS
                                              " FROM jc_decisions WHERE $1::text IS NULL OR "
                                              "registry = $1::text ORDER BY registry, id",
                                              {OptionalText(registry)}));
    return postgres::DecodeAll<ledger::JcDecision>(rows, postgres::DecisionFromRow);
  }

  Result<std::vector<ledger::JournalEntry>> ReadJournal(int64_t from_seq,
                                                        const std::string& kind_prefix) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(
        Rows rows, db_->Exec("SELECT " JCM_PG_ENTRY_COLUMNS " FROM journal WHERE seq >= $1 AND "
                             "starts_with(kind, $2) ORDER BY seq",
                             {P(from_seq), P(kind_prefix)}));
    return postgres::DecodeAll<ledger::JournalEntry>(rows, postgres::EntryFromRow);
  }

  // The live block of the registry with the highest serial_first <= last is the only one that
  // can meet the run (index live_blocks_by_serial, migration 7).
  Result<std::optional<ledger::UnitBlock>> FindLiveBlockOverlapping(const std::string& registry,
                                                                    int64_t first,
                                                                    int64_t last) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT " JCM_PG_BLOCK_COLUMNS
                                              " FROM blocks WHERE registry = $1 AND ended_seq = "
                                              "0 AND serial_first <= $2 ORDER BY serial_first "
                                              "DESC LIMIT 1",
                                              {P(registry), P(last)}));
    JCM_ASSIGN_OR_RETURN(auto found,
                         postgres::DecodeAll<ledger::UnitBlock>(rows, postgres::BlockFromRow));
    if (found.empty() || found[0].serial_last() < first) return std::optional<ledger::UnitBlock>();
    return std::optional<ledger::UnitBlock>(std::move(found[0]));
  }

  Result<std::optional<ledger::UnitBlock>> FindBlock(int64_t id) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(
        Rows rows, db_->Exec("SELECT " JCM_PG_BLOCK_COLUMNS " FROM blocks WHERE id = $1", {P(id)}));
    JCM_ASSIGN_OR_RETURN(auto found,
                         postgres::DecodeAll<ledger::UnitBlock>(rows, postgres::BlockFromRow));
    if (found.empty()) return std::optional<ledger::UnitBlock>();
    return std::optional<ledger::UnitBlock>(std::move(found[0]));
  }

  Result<std::vector<ledger::JournalEntry>> ReadJournalRange(int64_t from_seq,
                                                             int64_t entries_max) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT " JCM_PG_ENTRY_COLUMNS
                                              " FROM journal WHERE seq >= $1 ORDER BY seq "
                                              "LIMIT $2",
                                              {P(from_seq), P(entries_max)}));
    return postgres::DecodeAll<ledger::JournalEntry>(rows, postgres::EntryFromRow);
  }

  Status PutDocument(const std::string& sha256, std::string_view bytes) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    JCM_RETURN_IF_ERROR(CheckDocument(sha256, bytes));
    std::lock_guard lock(db_mu_);
    return db_
        ->Exec("INSERT INTO documents VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
               {P(sha256), postgres::Bytes(bytes), P(static_cast<int64_t>(bytes.size()))})
        .status();
  }

  Result<std::optional<std::string>> GetDocument(const std::string& sha256) override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows,
                         db_->Exec("SELECT bytes FROM documents WHERE sha256 = $1", {P(sha256)}));
    if (rows.empty()) return std::optional<std::string>();
    std::string bytes = rows.Bytes(0, 0);
    if (!CheckDocument(sha256, bytes).ok()) {
      return core::DataLoss("stored document " + sha256 + " no longer matches its hash");
    }
    return std::optional<std::string>(std::move(bytes));
  }

  Result<ledger::StoredState> ReadState() override;

  Result<std::unique_ptr<Store>> Snapshot() override {
    if (access_ == Access::kSnapshot) {
      return core::FailedPrecondition("a snapshot is already one state; read it directly");
    }
    JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(db_->uri()));
    JCM_RETURN_IF_ERROR(connection->Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    JCM_RETURN_IF_ERROR(connection->Exec("SELECT 1 FROM jcm_schema").status());  // takes it now
    return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(connection), clock_,
                                                                  options_, Access::kSnapshot));
  }

  Result<int64_t> LogTreeSize() override {
    std::lock_guard lock(db_mu_);
    return log_.Size();
  }

  Result<core::merkle::Hash> LogSubtreeHash(int level, int64_t index) override {
    std::lock_guard lock(db_mu_);
    return log_.PerfectSubtree(level, index);
  }

  Result<std::optional<LogHead>> FindLogHead(int64_t tree_size) override {
    std::lock_guard lock(db_mu_);
    return log_.FindHead(tree_size);
  }

  // Read-only and snapshot stores keep nothing: the head is returned as signed (as on SQLite).
  Result<LogHead> PutLogHead(const LogHead& head) override {
    if (!RequireWritable().ok()) return head;
    std::lock_guard lock(db_mu_);
    return log_.PutHead(head);  // autocommit: one durable statement
  }

  Result<std::vector<LogHead>> ListLogHeads() override {
    std::lock_guard lock(db_mu_);
    return log_.ListHeads();
  }

  CredentialStore& Credentials() override { return credentials_; }

  Result<std::vector<std::string>> ListDocuments() override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT sha256 FROM documents ORDER BY sha256"));
    std::vector<std::string> hashes;
    for (int i = 0; i < rows.size(); ++i) hashes.push_back(rows.Text(i, 0));
    return hashes;
  }

  // One transaction under the write lock: another writer sees the whole image or none of it.
  Status Restore(const RegistryImage& image) override {
    JCM_RETURN_IF_ERROR(RequireWritable());
    std::lock_guard lock(db_mu_);
    cache_.Forget();  // the registry is replaced: nothing kept describes it
    writer_.Discard();
    JCM_RETURN_IF_ERROR(db_->Run("BEGIN"));
    Status status = db_->Exec(postgres::kTakeWriteLock).status();
    if (status.ok()) status = postgres::RestoreImage(*db_, image);
    if (status.ok()) status = db_->Run("COMMIT");
    if (!status.ok()) (void)db_->Run("ROLLBACK");
    return status;
  }

 private:
  static postgres::Param OptionalText(const std::optional<std::string>& text) {
    return text ? P(*text) : postgres::Null();
  }

  Status RequireWritable() const {
    if (access_ == Access::kReadWrite) return core::OkStatus();
    return core::FailedPrecondition(
        "registry in PostgreSQL " + db_->Name() + " is open " +
        (access_ == Access::kSnapshot ? "as a read-only snapshot" : "read-only") +
        ": nothing can be written through it");
  }

  Status ReadTables(ledger::StoredState* state);
  // Moves queued commands into `batch`, up to batch_commands_max. REQUIRES: queue_mu_ held.
  void TakeQueuedLocked(std::vector<Pending*>& batch) {
    while (!queue_.empty() && static_cast<int64_t>(batch.size()) < options_.batch_commands_max) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
  }
  // The submitters of the last batch submit again as soon as they have their answers; a leader
  // that finds fewer queued waits a moment (at most kFillWait) for them, so that they share
  // one commit rather than split into a small batch and the rest behind it — a commit costs
  // about the same for one transfer as for thirty (docs/formats/store.md, "Group commit").
  // A lone submitter never waits (its last batch held only itself). REQUIRES: queue_mu_ held.
  void WaitForLastBatchLocked(std::unique_lock<std::mutex>& lock) {
    if (queue_.size() >= last_batch_size_) return;
    filling_ = true;
    fill_cv_.wait_for(lock, kFillWait, [this] { return queue_.size() >= last_batch_size_; });
    filling_ = false;
  }
  void TakeQueued(std::vector<Pending*>& batch) {
    std::lock_guard lock(queue_mu_);
    TakeQueuedLocked(batch);
  }
  // The batch may grow while it runs (TakeQueued); every command in it has its result after.
  void RunBatch(std::vector<Pending*>& batch);
  Status TryBatch(std::vector<Pending*>& batch, BatchMark* mark);
  Status DecideAll(std::vector<Pending*>& batch, BatchMark* mark);
  Status RunOne(Pending* pending, const std::string& now, BatchMark* mark);
  Status Commit();
  Result<bool> Committed(const BatchMark& mark);
  // BEGIN, the lock and the committed head, unless the batch's transaction holds the lock
  // already; a head other than the one an optimistic batch decided on sets head_moved_ (and
  // fails: the batch is decided again).
  Status TakeLock();
  Result<std::optional<ledger::JournalHead>> LockAndReadHead();

  std::unique_ptr<Connection> db_;
  const Access access_;
  Clock& clock_;
  PostgresOptions options_;
  std::mutex db_mu_;  // guards the connection, the reader and the writer
  postgres::PgReader reader_;
  postgres::PgDeltaWriter writer_;
  // A read the kept state cannot answer needs the lock, then the batch's kept rows written.
  postgres::PgStateCache cache_{*db_, [this] {
                                  JCM_RETURN_IF_ERROR(TakeLock());
                                  return writer_.Flush();
                                }};
  // Of the batch being decided (RunBatch, under db_mu_):
  bool locked_ = false;      // its transaction is open and holds the write lock
  bool head_moved_ = false;  // another writer appended after the head it decided on
  std::optional<ledger::JournalHead> decided_on_;  // that head, when decided before the lock
  postgres::PgLogTree log_{*db_};
  postgres::PgCredentialStore credentials_;
  std::mutex queue_mu_;  // guards queue_, leader_active_, filling_ and last_batch_size_
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  static constexpr std::chrono::microseconds kFillWait{1000};
  std::condition_variable fill_cv_;  // a submitter queued while the leader waits for more
  bool filling_ = false;             // the leader waits on fill_cv_
  size_t last_batch_size_ = 0;       // commands in the last batch committed (or failed)
};

Result<ledger::StoredState> PostgresStore::ReadState() {
  std::lock_guard lock(db_mu_);
  // One state for every table: a REPEATABLE READ transaction (a snapshot is in one already).
  if (access_ != Access::kSnapshot) {
    JCM_RETURN_IF_ERROR(db_->Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  }
  ledger::StoredState state;
  Status status = ReadTables(&state);
  if (access_ != Access::kSnapshot) {
    const Status ended = db_->Run(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = ended;
  }
  if (!status.ok()) return status;
  return state;
}

Status PostgresStore::ReadTables(ledger::StoredState* state) {
  JCM_ASSIGN_OR_RETURN(
      Rows accounts, db_->Exec("SELECT " JCM_PG_ACCOUNT_COLUMNS " FROM accounts ORDER BY number"));
  JCM_ASSIGN_OR_RETURN(state->accounts,
                       postgres::DecodeAll<ledger::Account>(accounts, postgres::AccountFromRow));
  JCM_ASSIGN_OR_RETURN(Rows blocks,
                       db_->Exec("SELECT " JCM_PG_BLOCK_COLUMNS " FROM blocks ORDER BY id"));
  JCM_ASSIGN_OR_RETURN(state->blocks,
                       postgres::DecodeAll<ledger::UnitBlock>(blocks, postgres::BlockFromRow));
  JCM_ASSIGN_OR_RETURN(Rows registries, db_->Exec("SELECT code, next_serial, "
                                                  "next_account_sequence, imported_units FROM "
                                                  "registries"));
  for (int i = 0; i < registries.size(); ++i) {
    state->registries[registries.Text(i, 0)] = {registries.Int(i, 1), registries.Int(i, 2),
                                                registries.Int(i, 3)};
  }
  JCM_ASSIGN_OR_RETURN(Rows policies, db_->Exec("SELECT registry, "
                                                "retirement_needs_ndc_authorization FROM "
                                                "registry_policies"));
  for (int i = 0; i < policies.size(); ++i) {
    state->policies[policies.Text(i, 0)] = ledger::RegistryPolicy{policies.Int(i, 1) != 0};
  }
  JCM_ASSIGN_OR_RETURN(Rows decisions,
                       db_->Exec("SELECT " JCM_PG_DECISION_COLUMNS " FROM jc_decisions"));
  JCM_ASSIGN_OR_RETURN(state->decisions, postgres::DecodeAll<ledger::JcDecision>(
                                             decisions, postgres::DecisionFromRow));
  JCM_ASSIGN_OR_RETURN(Rows balances,
                       db_->Exec("SELECT account, units FROM balances WHERE units != 0"));
  for (int i = 0; i < balances.size(); ++i) {
    state->balances[balances.Text(i, 0)] = balances.Int(i, 1);
  }
  JCM_ASSIGN_OR_RETURN(Rows keys, db_->Exec("SELECT key, digest, seq FROM idempotency"));
  for (int i = 0; i < keys.size(); ++i) {
    state->idempotency_keys[keys.Text(i, 0)] =
        ledger::IdempotencyRecord{keys.Text(i, 1), keys.Int(i, 2)};
  }
  return core::OkStatus();
}

// One write batch in one transaction; when the connection is lost, the batch is resolved (see
// the header) and, if it did not commit, run again on the new connection, a bounded number of
// times.
void PostgresStore::RunBatch(std::vector<Pending*>& batch) {
  std::lock_guard lock(db_mu_);
  Status status = core::OkStatus();
  for (int attempt = 0; attempt <= options_.reconnect_attempts; ++attempt) {
    BatchMark mark;
    status = TryBatch(batch, &mark);
    if (status.ok()) return;
    writer_.Discard();
    cache_.Forget();
    if (!db_->Lost()) {
      (void)db_->Run("ROLLBACK");
      break;
    }
    // Lost: reconnect, then ask whether the server made the batch durable before it went.
    Status reconnected =
        db_->ReconnectWithBackoff(options_.reconnect_attempts, options_.reconnect_first_delay_ms);
    Result<bool> committed = !reconnected.ok() ? Result<bool>(reconnected)
                             : mark.seq == 0   ? Result<bool>(false)
                                               : Committed(mark);
    if (!committed.ok()) {
      status = core::Unavailable(
          "lost the connection to PostgreSQL during a write and could not reconnect (" +
          committed.status().message() +
          "); whether it was committed is unknown: retry with the same idempotency key");
      break;
    }
    if (*committed) return;  // the outcomes of this attempt stand
  }
  for (Pending* p : batch) p->result = status;  // nothing of this batch was written
}

Result<bool> PostgresStore::Committed(const BatchMark& mark) {
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_->Exec("SELECT hash FROM journal WHERE seq = $1", {P(mark.seq)}));
  return !rows.empty() && rows.Text(0, 0) == mark.hash;
}

// A batch is decided on the kept state before the lock when there is one (cache_.Warm()): the
// common case, one process writing, then costs one round trip — BEGIN, the lock, the guard that
// the journal's head is still the one decided on, the rows, COMMIT — sent together. A read the
// kept state cannot answer takes the lock first (TakeLock). When another writer appended
// meanwhile nothing was written: the batch is decided again, under the lock from the start.
Status PostgresStore::TryBatch(std::vector<Pending*>& batch, BatchMark* mark) {
  for (const bool optimistic : {cache_.Warm(), false}) {
    *mark = BatchMark{};
    locked_ = false;
    head_moved_ = false;
    if (optimistic) {
      decided_on_ = cache_.head();
      cache_.BeginOptimisticBatch();
    } else {
      JCM_ASSIGN_OR_RETURN(std::optional<ledger::JournalHead> head, LockAndReadHead());
      if (!cache_.BeginBatch(head)) writer_.ForgetLog();  // another process wrote meanwhile
    }
    Status status = DecideAll(batch, mark);
    if (status.ok()) status = Commit();
    if (!head_moved_) return status;
    writer_.Discard();
    cache_.Forget();
    JCM_RETURN_IF_ERROR(db_->Run("ROLLBACK"));
  }
  return core::Internal("a batch decided under the lock found the journal's head moved");
}

Status PostgresStore::DecideAll(std::vector<Pending*>& batch, BatchMark* mark) {
  const std::string now = clock_.NowUtc();
  size_t keys_read = 0;  // the commands whose idempotency keys were read
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i == keys_read) {  // one statement for the keys of all commands not yet decided
      std::vector<std::string> keys;
      for (; keys_read < batch.size(); ++keys_read) AddKeys(*batch[keys_read]->command, keys);
      JCM_RETURN_IF_ERROR(cache_.PrefetchKeys(keys));
    }
    JCM_RETURN_IF_ERROR(RunOne(batch[i], now, mark));
    if (i + 1 == batch.size()) TakeQueued(batch);  // submitted meanwhile: they join this batch
  }
  return core::OkStatus();
}

// The batch's rows and COMMIT in one round trip, after BEGIN, the lock and the guard when it
// was decided before the lock. A guard that fails sets head_moved_.
Status PostgresStore::Commit() {
  std::vector<postgres::Statement> statements;
  size_t guard_at = SIZE_MAX, rows_at = SIZE_MAX;
  if (!locked_) {
    statements.push_back({"BEGIN", {}});
    statements.push_back({postgres::kTakeWriteLock, {}});
    guard_at = statements.size();
    statements.push_back({GuardHeadSql(),
                          {decided_on_ ? P(decided_on_->seq) : postgres::Null(),
                           decided_on_ ? P(decided_on_->hash) : postgres::Null()}});
  }
  if (std::optional<postgres::Statement> rows = writer_.TakeRows()) {
    rows_at = statements.size();
    statements.push_back(std::move(*rows));
  }
  statements.push_back({"COMMIT", {}});
  size_t failed = SIZE_MAX;
  Result<std::vector<Rows>> done = db_->Pipeline(statements, &failed);
  if (done.ok()) return core::OkStatus();
  if (failed == guard_at && !db_->Lost()) head_moved_ = true;
  if (failed == rows_at) return writer_.FailedRows(done.status());
  return done.status();
}

Result<std::optional<ledger::JournalHead>> PostgresStore::LockAndReadHead() {
  JCM_ASSIGN_OR_RETURN(Rows head, db_->RunReturningLast(BeginBatchSql()));
  locked_ = true;
  if (head.empty()) return std::optional<ledger::JournalHead>();
  return std::optional<ledger::JournalHead>(ledger::JournalHead{head.Int(0, 0), head.Text(0, 1)});
}

Status PostgresStore::TakeLock() {
  if (locked_) return core::OkStatus();
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::JournalHead> head, LockAndReadHead());
  if (postgres::SameHead(head, decided_on_)) return core::OkStatus();
  head_moved_ = true;
  return core::Unavailable("another writer appended to the journal: the batch is decided again");
}

Status PostgresStore::RunOne(Pending* pending, const std::string& now, BatchMark* mark) {
  auto decision = ledger::Decide(cache_, *pending->command, ledger::Context{now});
  Status status = decision.ok() ? core::OkStatus() : decision.status();
  Outcome outcome;
  if (status.ok()) {
    if (auto* rejection = std::get_if<ledger::Rejection>(&*decision)) {
      outcome.rejection = *rejection;
    } else if (auto* replay = std::get_if<ledger::Replay>(&*decision)) {
      auto entry = cache_.EntryAt(replay->seq);
      status = entry.ok() ? CheckReplayedEntry(cache_, *pending->command, *entry) : entry.status();
      if (status.ok()) outcome.entry = std::move(entry).value();
      outcome.replayed = true;
    } else {
      const ledger::Delta& delta = std::get<ledger::Delta>(*decision);
      // A failed write aborts the transaction: the whole batch fails (and is rolled back).
      if (postgres::PgDeltaWriter::WritesAtOnce(delta)) JCM_RETURN_IF_ERROR(TakeLock());
      JCM_RETURN_IF_ERROR(writer_.Apply(delta));
      cache_.Apply(delta);
      outcome.entry = delta.entry;
      outcome.follow_entry = delta.follow_entry;
      const ledger::JournalEntry& last = delta.follow_entry ? *delta.follow_entry : delta.entry;
      *mark = BatchMark{last.seq, last.hash};
    }
  }
  // Decide and the replay check write nothing: their operating errors (InvalidArgument for a
  // malformed event, DataLoss for a key naming a foreign entry) fail only this command; a
  // database error fails the batch.
  if (!status.ok() && status.code() != core::StatusCode::kInvalidArgument &&
      status.code() != core::StatusCode::kDataLoss) {
    return status;
  }
  pending->result = status.ok() ? Result<Outcome>(std::move(outcome)) : Result<Outcome>(status);
  return core::OkStatus();
}

}  // namespace

bool IsPostgresUri(std::string_view db) { return postgres::IsPostgresUri(db); }

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, Clock& clock,
                                                 PostgresOptions options) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  // A read-only open of an older schema upgrades it first, as the SQLite store does.
  JCM_RETURN_IF_ERROR(postgres::Migrate(*connection, options.mode == OpenMode::kCreate));
  if (options.mode == OpenMode::kReadOnly) {
    JCM_RETURN_IF_ERROR(connection->Run("SET default_transaction_read_only = on"));
  }
  const Access access =
      options.mode == OpenMode::kReadOnly ? Access::kReadOnly : Access::kReadWrite;
  return std::unique_ptr<Store>(
      std::make_unique<PostgresStore>(std::move(connection), clock, options, access));
}

Result<int64_t> PostgresWalPosition(const std::string& uri) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       connection->Exec("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint"));
  return rows.Int(0, 0);
}

Status ExecutePostgres(const std::string& uri, const std::string& sql) {
  JCM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(uri));
  return connection->Run(sql);
}

}  // namespace jcm::store
