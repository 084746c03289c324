// Internal to the PostgreSQL adapter: one libpq connection (PGconn) and its results (PGresult)
// behind RAII types, so no libpq type leaves src/store/postgres. Statements are prepared once
// per connection and cached by their text; parameters travel as text (bytes as binary), results
// come back as text. Errors become Statuses that name the database and the cause, never SQL
// (docs/formats/store.md "PostgreSQL"): a lost connection or a server shutting down →
// kUnavailable (and Lost() is true), a read-only transaction → kFailedPrecondition, a unique key
// → kAlreadyExists, disk full → kResourceExhausted, corruption → kDataLoss.
//
// Not thread-safe: the owning store serialises its use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace jcm::store::postgres {

// One statement parameter.
struct Param {
  std::string value;
  bool is_null = false;
  bool binary = false;  // bytea sent as raw bytes
};
inline Param P(int64_t v) { return Param{std::to_string(v)}; }
inline Param P(std::string_view v) { return Param{std::string(v)}; }
inline Param P(const char* v) { return Param{std::string(v)}; }
inline Param Bytes(std::string_view v) { return Param{std::string(v), false, true}; }
inline Param Null() { return Param{"", true}; }

// One statement of a pipeline: SQL text with parameters $1….
struct Statement {
  std::string_view sql;
  std::vector<Param> params;
};

// The rows of one statement's result (text format).
class Rows {
 public:
  explicit Rows(pg_result* result) : result_(result) {}
  ~Rows();
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  // A column that is not a number (only from a corrupt database) reads as 0.
  int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const { return Text(row, column) == "t"; }
  std::string Bytes(int row, int column) const;  // a bytea column, unescaped
  int64_t affected() const;                      // rows an INSERT/UPDATE/DELETE changed

 private:
  friend class Connection;
  pg_result* result_;
};

// A row of Rows, for decoders shared by every query with the same columns.
struct Row {
  const Rows& rows;
  int row;
  std::string Text(int c) const { return rows.Text(row, c); }
  int64_t Int(int c) const { return rows.Int(row, c); }
  bool IsNull(int c) const { return rows.IsNull(row, c); }
};

class Connection {
 public:
  // Connects to `uri` (a libpq connection URI or key=value string), with synchronous_commit on
  // and notices silenced. kUnavailable when the server cannot be reached.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A connection found lost when a statement starts is re-established first (bounded: these
  // attempts, back-off from this delay); a lost SELECT outside a transaction is run once more.
  void SetReconnect(int attempts, int first_delay_ms) {
    reconnect_attempts_ = attempts;
    reconnect_first_delay_ms_ = first_delay_ms;
  }

  // Runs one statement with parameters $1…, prepared on first use.
  core::Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs SQL text without parameters (several statements allowed: migrations, BEGIN, COMMIT).
  core::Status Run(std::string_view sql);
  // Runs SQL text of several statements in one round trip and returns the last one's rows. In a
  // READ COMMITTED transaction each statement reads with its own snapshot, taken when it starts,
  // so a statement after a lock sees what was committed before the lock was granted.
  core::Result<Rows> RunReturningLast(std::string_view sql);

  // Sends `statements` in one round trip (libpq's pipeline mode; each prepared on first use, a
  // round trip of its own once per connection) and returns their rows in order. The server runs
  // them in order and skips every statement after one that fails: the first failure is returned,
  // and its index (0-based) is put in `*failed` when given. A transaction the statements began
  // is still open after a failure (in its failed state), for the caller to ROLLBACK.
  core::Result<std::vector<Rows>> Pipeline(const std::vector<Statement>& statements,
                                           size_t* failed = nullptr);

  // The connection is gone (the server closed it, crashed or was stopped), or a pipeline left it
  // out of step with the server.
  bool Lost() const;
  // Drops the connection and connects again to the same URI, forgetting prepared statements.
  core::Status Reconnect();
  // Reconnect() up to `attempts` times, sleeping first_delay_ms, then twice as long each time
  // (at most 2 s between attempts).
  core::Status ReconnectWithBackoff(int attempts, int first_delay_ms);

  const std::string& uri() const { return uri_; }
  // "database DB on HOST:PORT", for messages.
  std::string Name() const;

 private:
  Connection(std::string uri, pg_conn* conn) : uri_(std::move(uri)), conn_(conn) {}
  core::Status StatusOf(pg_result* result, std::string_view doing) const;
  core::Result<Rows> ExecOnce(std::string_view sql, const std::vector<Param>& params);
  // The name `sql` is prepared under on this connection (prepared now if it was not).
  core::Result<const std::string*> Prepared(std::string_view sql);
  core::Result<std::vector<Rows>> ReadPipelineResults(size_t statements, size_t* failed);
  core::Status ReconnectIfLost();
  core::Status RunOnce(std::string_view sql);

  std::string uri_;
  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  bool broken_ = false;  // a pipeline could not be completed: Lost() until Reconnect()
  int reconnect_attempts_ = 6;
  int reconnect_first_delay_ms_ = 100;
};

// A PostgreSQL array literal of `values` ({"a","b"}, each quoted, " and \ escaped): one
// parameter for `= ANY($1::bigint[])` or `unnest($1::text[])`.
std::string ArrayLiteral(const std::vector<std::string>& values);

// Is `text` a PostgreSQL connection URI (postgresql://… or postgres://…)?
bool IsPostgresUri(std::string_view text);

}  // namespace jcm::store::postgres
