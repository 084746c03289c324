// Internal to the PostgreSQL adapter: the store's class, shared by postgres_store.cc (opening,
// reads) and pg_write_batch.cc (the group commit's write batches, docs/formats/store.md "Group
// commit"), so that each file stays one subject.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

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
#include "store/postgres/postgres_store.h"
#include "store/replay_check.h"

namespace jcm::store::postgres {

using core::Result;
using core::Status;

struct Pending {
  const ledger::Command* command;
  Result<Outcome> result = core::Internal("not run");
  bool done = false;
};

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

  Result<int64_t> JournalHeadSeq() override {
    std::lock_guard lock(db_mu_);
    JCM_ASSIGN_OR_RETURN(Rows rows, db_->Exec("SELECT coalesce(max(seq), 0) FROM journal", {}));
    return rows.Int(0, 0);
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

}  // namespace jcm::store::postgres
