#include "store/postgres/internal/connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace jcm::store::postgres {
namespace {

void IgnoreNotice(void*, const char*) {}

// The first line of libpq's message (the rest repeats the statement or gives a hint).
std::string FirstLine(const char* message) {
  std::string text = message != nullptr ? message : "";
  const size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// Applied to every new connection: acknowledged means durable (docs/formats/store.md).
constexpr const char* kSessionSettings =
    "SET synchronous_commit = on; SET client_min_messages = warning";

}  // namespace

std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

bool IsPostgresUri(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

Rows::~Rows() { PQclear(result_); }

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int Rows::size() const { return result_ != nullptr ? PQntuples(result_) : 0; }
bool Rows::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}
int64_t Rows::Int(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  return end != text ? static_cast<int64_t>(value) : 0;
}
std::string Rows::Bytes(int row, int column) const {
  size_t length = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column)), &length);
  if (bytes == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(bytes), length);
  PQfreemem(bytes);
  return out;
}
int64_t Rows::affected() const {
  const char* text = PQcmdTuples(result_);
  return text != nullptr && *text != '\0' ? std::atoll(text) : 0;
}

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& uri) {
  pg_conn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr) return core::ResourceExhausted("cannot allocate a PostgreSQL connection");
  std::unique_ptr<Connection> connection(new Connection(uri, conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return core::Unavailable("cannot connect to PostgreSQL " + connection->Name() + ": " +
                             FirstLine(PQerrorMessage(conn)));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  JCM_RETURN_IF_ERROR(connection->RunOnce(kSessionSettings));
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

std::string Connection::Name() const {
  const char* db = PQdb(conn_);
  const char* host = PQhost(conn_);
  const char* port = PQport(conn_);
  return std::string("database ") + (db ? db : "?") + " on " + (host ? host : "?") + ":" +
         (port ? port : "?");
}

bool Connection::Lost() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }

core::Status Connection::Reconnect() {
  PQfinish(conn_);
  prepared_.clear();
  broken_ = false;
  conn_ = PQconnectdb(uri_.c_str());
  if (conn_ == nullptr) return core::ResourceExhausted("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn_) != CONNECTION_OK) {
    return core::Unavailable("cannot reconnect to PostgreSQL " + Name() + ": " +
                             FirstLine(PQerrorMessage(conn_)));
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  return RunOnce(kSessionSettings);
}

core::Status Connection::ReconnectWithBackoff(int attempts, int first_delay_ms) {
  core::Status status = core::Unavailable("no reconnection attempted");
  int delay_ms = first_delay_ms;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    status = Reconnect();
    if (status.ok()) return status;
    delay_ms = std::min(2 * delay_ms, 2000);
  }
  return status;
}

core::Status Connection::StatusOf(pg_result* result, std::string_view doing) const {
  const ExecStatusType type = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (type == PGRES_COMMAND_OK || type == PGRES_TUPLES_OK || type == PGRES_EMPTY_QUERY) {
    return core::OkStatus();
  }
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string detail = FirstLine(result != nullptr && *PQresultErrorMessage(result) != '\0'
                                           ? PQresultErrorMessage(result)
                                           : PQerrorMessage(conn_));
  const std::string where = "PostgreSQL " + Name() + " (" + std::string(doing) + "): " + detail;
  if (Lost() || sqlstate.starts_with("08") || sqlstate.starts_with("57P")) {
    return core::Unavailable("lost the connection to " + where);
  }
  if (sqlstate == "25006") return core::FailedPrecondition("registry is read-only: " + where);
  if (sqlstate.starts_with("23")) return core::AlreadyExists(where);
  if (sqlstate == "53100") return core::ResourceExhausted("disk full: " + where);
  if (sqlstate.starts_with("53")) return core::ResourceExhausted(where);
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return core::Unavailable(where + "; try again");
  }
  if (sqlstate == "XX001" || sqlstate == "XX002") return core::DataLoss(where);
  if (sqlstate.starts_with("28") || sqlstate.starts_with("42501")) {
    return core::FailedPrecondition("access denied: " + where);
  }
  return core::Internal(where);
}

core::Status Connection::ReconnectIfLost() {
  if (!Lost()) return core::OkStatus();
  return ReconnectWithBackoff(reconnect_attempts_, reconnect_first_delay_ms_);
}

core::Result<Rows> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  JCM_RETURN_IF_ERROR(ReconnectIfLost());
  const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  core::Result<Rows> rows = ExecOnce(sql, params);
  if (!rows.ok() && Lost() && idle && sql.starts_with("SELECT")) {
    JCM_RETURN_IF_ERROR(ReconnectIfLost());
    return ExecOnce(sql, params);  // a read on its own: nothing to lose by running it again
  }
  return rows;
}

namespace {

// libpq's three parallel arrays of one statement's parameters (pointing into `params`).
struct ParamArrays {
  explicit ParamArrays(const std::vector<Param>& params)
      : values(params.size()), lengths(params.size()), formats(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) {
      values[i] = params[i].is_null ? nullptr : params[i].value.data();
      lengths[i] = static_cast<int>(params[i].value.size());
      formats[i] = params[i].binary ? 1 : 0;
    }
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

}  // namespace

core::Result<const std::string*> Connection::Prepared(std::string_view sql) {
  auto [it, inserted] = prepared_.try_emplace(std::string(sql), "");
  if (inserted) {
    it->second = "jcm_" + std::to_string(prepared_.size());
    Rows prepared(PQprepare(conn_, it->second.c_str(), it->first.c_str(), 0, nullptr));
    core::Status status = StatusOf(prepared.result_, "preparing a statement");
    if (!status.ok()) {
      prepared_.erase(it);
      return status;
    }
  }
  return &it->second;
}

core::Result<Rows> Connection::ExecOnce(std::string_view sql, const std::vector<Param>& params) {
  JCM_ASSIGN_OR_RETURN(const std::string* name, Prepared(sql));
  const ParamArrays p(params);
  Rows rows(PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()), p.values.data(),
                           p.lengths.data(), p.formats.data(), 0));
  JCM_RETURN_IF_ERROR(StatusOf(rows.result_, "running a statement"));
  return rows;
}

core::Result<std::vector<Rows>> Connection::Pipeline(const std::vector<Statement>& statements,
                                                     size_t* failed) {
  JCM_RETURN_IF_ERROR(ReconnectIfLost());
  std::vector<const std::string*> names;
  for (const Statement& s : statements) {
    JCM_ASSIGN_OR_RETURN(const std::string* name, Prepared(s.sql));
    names.push_back(name);
  }
  if (PQenterPipelineMode(conn_) != 1) return StatusOf(nullptr, "entering pipeline mode");
  size_t sent = 0;
  for (; sent < statements.size(); ++sent) {
    const ParamArrays p(statements[sent].params);
    if (PQsendQueryPrepared(conn_, names[sent]->c_str(),
                            static_cast<int>(statements[sent].params.size()), p.values.data(),
                            p.lengths.data(), p.formats.data(), 0) != 1) {
      break;
    }
  }
  if (sent < statements.size() || PQpipelineSync(conn_) != 1) {
    // What the server ran of it is unknown (a COMMIT runs when it arrives): the connection is
    // treated as lost, so the caller resolves the outcome on a new one.
    broken_ = true;
    return StatusOf(nullptr, "sending statements");
  }
  return ReadPipelineResults(sent, failed);
}

// Reads `statements` results and the sync that ends them, then leaves pipeline mode.
core::Result<std::vector<Rows>> Connection::ReadPipelineResults(size_t statements, size_t* failed) {
  std::vector<Rows> out;
  core::Status first_failure = core::OkStatus();
  for (size_t i = 0; i < statements; ++i) {
    Rows rows(PQgetResult(conn_));
    if (rows.result_ == nullptr || Lost()) {
      broken_ = true;  // lost, or out of step with the server
      return StatusOf(rows.result_, "running statements");
    }
    const bool skipped = PQresultStatus(rows.result_) == PGRES_PIPELINE_ABORTED;
    const core::Status status =
        skipped ? core::OkStatus() : StatusOf(rows.result_, "running statements");
    if (!status.ok() && first_failure.ok()) {
      first_failure = status;
      if (failed != nullptr) *failed = i;
    }
    while (pg_result* end = PQgetResult(conn_)) PQclear(end);  // a statement's results end in NULL
    out.push_back(std::move(rows));
  }
  Rows sync(PQgetResult(conn_));
  if (sync.result_ == nullptr || PQresultStatus(sync.result_) != PGRES_PIPELINE_SYNC ||
      PQexitPipelineMode(conn_) != 1) {
    broken_ = true;  // out of step with the server: start afresh
    return StatusOf(sync.result_, "ending a pipeline");
  }
  if (!first_failure.ok()) return first_failure;
  return out;
}

core::Status Connection::Run(std::string_view sql) {
  JCM_RETURN_IF_ERROR(ReconnectIfLost());
  return RunOnce(sql);
}

core::Result<Rows> Connection::RunReturningLast(std::string_view sql) {
  JCM_RETURN_IF_ERROR(ReconnectIfLost());
  Rows rows(PQexec(conn_, std::string(sql).c_str()));
  JCM_RETURN_IF_ERROR(StatusOf(rows.result_, "running statements"));
  return rows;
}

core::Status Connection::RunOnce(std::string_view sql) {
  Rows rows(PQexec(conn_, std::string(sql).c_str()));
  return StatusOf(rows.result_, "running a statement");
}

}  // namespace jcm::store::postgres
