// The PostgreSQL store's write batches (docs/formats/store.md, "Group commit"): decided on the
// kept state before the lock, then BEGIN, the lock, the head guard, the rows and COMMIT in one
// pipelined round trip; a lost connection resolved by the batch's mark.
#include <type_traits>
#include <variant>

#include "store/postgres/internal/pg_store.h"

namespace jcm::store::postgres {
namespace {

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

}  // namespace

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
  Result<Outcome> outcome = core::Internal("not decided");
  if (!decision.ok()) {
    outcome = decision.status();
  } else if (auto answered = OutcomeWithoutWrite(cache_, *pending->command, *decision);
             !answered.ok()) {
    outcome = answered.status();
  } else if (*answered) {
    outcome = std::move(**answered);
  } else {
    const ledger::Delta& delta = std::get<ledger::Delta>(*decision);
    // A failed write aborts the transaction: the whole batch fails (and is rolled back).
    if (postgres::PgDeltaWriter::WritesAtOnce(delta)) JCM_RETURN_IF_ERROR(TakeLock());
    JCM_RETURN_IF_ERROR(writer_.Apply(delta));
    cache_.Apply(delta);
    outcome = OutcomeOfWritten(delta);
    const ledger::JournalEntry& last = delta.follow_entry ? *delta.follow_entry : delta.entry;
    *mark = BatchMark{last.seq, last.hash};
  }
  if (!outcome.ok() && !FailsOnlyTheCommand(outcome.status())) return outcome.status();
  pending->result = std::move(outcome);
  return core::OkStatus();
}

}  // namespace jcm::store::postgres
