// jcm bench api: wrk against `jcm serve` and against nginx on loopback, one after the other in
// the same run, for the same bytes: the server's answer to one public GET, which nginx then
// serves as a static file. Reports requests/s of both and their ratio, wrk's p50/p99 latencies
// and the server's peak resident set (VmHWM, read just before it is stopped).
#include "api_bench.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

#include "approval_bench.h"

extern char** environ;

namespace jcm::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string db;
  std::string path;
  int64_t seconds = 10;
  int64_t connections = 64;
  int64_t server_threads = 2;
  int64_t approvals = 1024;       // signed approvals over HTTP, one approver each
  int64_t http_transfers = 4096;  // approved-in-advance transfers over HTTP
  int64_t transfers = 8192;       // in-process transfers for transfers_per_s_32
  int64_t write_workers = 32;     // the server's --write-workers (its default)
};

// A child process; stdout captured through a pipe when asked.
struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout, or -1
};

core::Result<Child> Spawn(const std::vector<std::string>& argv, bool capture) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int pipe_fds[2] = {-1, -1};
  if (capture) {
    // Close-on-exec: no other child inherits this pipe (dup2 clears the flag on the copy).
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return core::Internal("pipe failed");
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  Child child;
  const int error = posix_spawnp(&child.pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (capture) {
    ::close(pipe_fds[1]);
    child.out = pipe_fds[0];
  }
  if (error != 0) {
    if (child.out >= 0) ::close(child.out);
    return core::FailedPrecondition("cannot run " + argv[0] + ": " + std::strerror(error) +
                                    " (scripts/bootstrap installs wrk and nginx-light)");
  }
  return child;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

std::string ReadLine(int fd) {
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

int Stop(Child& child, int signal_number) {
  if (child.pid < 0) return 0;
  ::kill(child.pid, signal_number);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  if (child.out >= 0) ::close(child.out);
  child.pid = -1;
  return status;
}

// The body of GET `path` from 127.0.0.1:`port` (HTTP/1.0: the server closes after it).
core::Result<std::string> FetchBody(uint16_t port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return core::Unavailable("cannot connect to the server on port " + std::to_string(port));
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  (void)::write(fd, request.data(), request.size());
  const std::string reply = ReadAll(fd);
  ::close(fd);
  if (reply.rfind("HTTP/1.1 200", 0) != 0 && reply.rfind("HTTP/1.0 200", 0) != 0) {
    return core::FailedPrecondition("GET " + path + " did not answer 200: " + reply.substr(0, 80));
  }
  return reply.substr(reply.find("\r\n\r\n") + 4);
}

uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

struct WrkFigures {
  double per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t non_2xx = 0;
};

// The number after the first `label` in wrk's report, and the letters right after it ("ms").
std::optional<std::pair<double, std::string>> NumberAfter(const std::string& report,
                                                          const std::string& label) {
  const size_t at = report.find(label);
  if (at == std::string::npos) return std::nullopt;
  const char* start = report.c_str() + at + label.size();
  char* end = nullptr;
  const double value = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  std::string unit;
  while (std::isalpha(static_cast<unsigned char>(*end))) unit += *end++;
  return std::pair{value, unit};
}

// A latency of wrk's distribution ("50%    1.20ms") in milliseconds; 0 when absent.
double LatencyMs(const std::string& report, const std::string& percentile) {
  const auto figure = NumberAfter(report, "\n     " + percentile);
  if (!figure) return 0;
  if (figure->second == "us") return figure->first / 1e3;
  if (figure->second == "s") return figure->first * 1e3;
  return figure->first;
}

core::Result<WrkFigures> RunWrk(const Options& options, const std::string& url) {
  JCM_ASSIGN_OR_RETURN(Child wrk,
                       Spawn({"wrk", "-t", "2", "-c", std::to_string(options.connections), "-d",
                              std::to_string(options.seconds) + "s", "--latency", url},
                             true));
  const std::string report = ReadAll(wrk.out);
  ::close(wrk.out);
  int status = 0;
  ::waitpid(wrk.pid, &status, 0);
  const auto per_s = NumberAfter(report, "Requests/sec:");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !per_s) {
    return core::Internal("wrk failed against " + url + ": " + report);
  }
  WrkFigures figures;
  figures.per_s = per_s->first;
  figures.p50_ms = LatencyMs(report, "50%");
  figures.p99_ms = LatencyMs(report, "99%");
  if (const auto non_2xx = NumberAfter(report, "Non-2xx or 3xx responses:")) {
    figures.non_2xx = static_cast<int64_t>(non_2xx->first);
  }
  return figures;
}

// CPU time (user + system) the process `pid` has used so far, in µs; -1 when unreadable.
int64_t CpuUs(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name in parentheses (which may hold spaces): state is field 3,
  // utime and stime fields 14 and 15 (proc(5)).
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
  }
  return (utime + stime) * 1'000'000 / sysconf(_SC_CLK_TCK);
}

int64_t PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// nginx in the foreground, one worker per server thread, serving `dir`/www on `port`.
core::Result<Child> StartNginx(const fs::path& dir, uint16_t port, int64_t workers) {
  std::ofstream conf(dir / "nginx.conf");
  conf << "daemon off;\nmaster_process on;\nworker_processes " << workers << ";\n"
       << "pid " << (dir / "nginx.pid").string() << ";\nerror_log "
       << (dir / "nginx-error.log").string() << ";\nevents { worker_connections 1024; }\n"
       << "http {\n  access_log off;\n  client_body_temp_path " << dir.string() << ";\n"
       << "  server {\n    listen 127.0.0.1:" << port << ";\n    root " << (dir / "www").string()
       << ";\n    default_type application/json;\n  }\n}\n";
  conf.close();
  JCM_ASSIGN_OR_RETURN(
      Child nginx,
      Spawn({"nginx", "-p", dir.string(), "-c", (dir / "nginx.conf").string()}, false));
  for (int i = 0; i < 100; ++i) {  // until it answers
    if (FetchBody(port, "/doc.json").ok()) return nginx;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop(nginx, SIGQUIT);
  return core::Unavailable("nginx did not start (see " + (dir / "nginx-error.log").string() + ")");
}

struct Figures {
  WrkFigures server;
  WrkFigures nginx;
  int64_t peak_rss_kib = 0;
  size_t document_bytes = 0;
  RunFigures http_transfers;  // approved-in-advance transfers over HTTP
  RunFigures approvals;       // signed approvals over HTTP, each executing a transfer
  RunFigures in_process_32;   // Store::Submit from 32 threads, the same run
  int64_t transfers_peak_rss_kib = 0;
  int64_t approvals_peak_rss_kib = 0;
};

// `jcm serve` over `db` on an ephemeral loopback port, with the limits out of the measured way.
core::Result<std::pair<Child, uint16_t>> StartServer(const Options& options,
                                                     const std::string& db) {
  JCM_ASSIGN_OR_RETURN(
      Child server,
      Spawn({fs::read_symlink("/proc/self/exe").string(), "serve", "--db", db, "--listen",
             "127.0.0.1:0", "--threads", std::to_string(options.server_threads), "--write-workers",
             std::to_string(options.write_workers), "--connections-max", "4096", "--access-log",
             "/dev/null",
             // The request limit stays in the measured path, too high to refuse anything.
             "--request-rate-per-s", "1000000", "--request-burst", "1000000", "--json"},
            true));
  const std::string line = ReadLine(server.out);
  boost::system::error_code error;
  const boost::json::value listening = boost::json::parse(line, error);
  if (error || !listening.is_object()) {
    Stop(server, SIGTERM);
    return core::Unavailable("jcm serve did not start: " + line);
  }
  const auto port = static_cast<uint16_t>(listening.at("listening").at("port").to_number<int>());
  return std::pair{server, port};
}

core::Status MeasurePublicGet(const Options& options, const fs::path& dir, Figures& figures) {
  JCM_ASSIGN_OR_RETURN(auto started, StartServer(options, options.db));
  auto& [server, port] = started;
  core::Result<std::string> body = FetchBody(port, options.path);
  std::optional<core::Result<WrkFigures>> served;
  if (body.ok()) {
    served = RunWrk(options, "http://127.0.0.1:" + std::to_string(port) + options.path);
  }
  figures.peak_rss_kib = PeakRssKib(server.pid);
  Stop(server, SIGTERM);
  JCM_RETURN_IF_ERROR(body.status());
  JCM_RETURN_IF_ERROR(served->status());
  figures.server = **served;
  figures.document_bytes = body->size();

  fs::create_directories(dir / "www");
  std::ofstream(dir / "www" / "doc.json", std::ios::binary) << *body;
  const uint16_t nginx_port = FreePort();
  JCM_ASSIGN_OR_RETURN(Child nginx, StartNginx(dir, nginx_port, options.server_threads));
  core::Result<WrkFigures> static_figures =
      RunWrk(options, "http://127.0.0.1:" + std::to_string(nginx_port) + "/doc.json");
  Stop(nginx, SIGQUIT);
  JCM_RETURN_IF_ERROR(static_figures.status());
  figures.nginx = *static_figures;
  return core::OkStatus();
}

// transfers_per_s_http and the signed approvals (approval_bench.h), each on a registry of its
// own, then transfers_per_s_32 in this process on another, one after the other on the same
// machine.
core::Status MeasureTransfers(const Options& options, const fs::path& dir, Figures& figures) {
  // Prepares `requests` on a registry of its own with `prepare(db, requests, accounts)` — one
  // source account per connection, as far as one issuance reaches (100 destinations) — then
  // sends them with `send(port, prepared, connections)` to `jcm serve` over it: `out` and the
  // server's peak RSS.
  const auto measure = [&](const char* name, int64_t requests, auto prepare, auto send,
                           RunFigures& out, int64_t& peak_rss_kib) -> core::Status {
    const std::string db = (dir / name).string();
    const int64_t accounts = std::min<int64_t>({options.connections, requests, 100});
    JCM_ASSIGN_OR_RETURN(const auto prepared, prepare(db, requests, accounts));
    JCM_ASSIGN_OR_RETURN(auto started, StartServer(options, db));
    auto& [server, port] = started;
    const int64_t cpu_before_us = CpuUs(server.pid);
    core::Result<RunFigures> sent = send(port, prepared, options.connections);
    const int64_t cpu_after_us = CpuUs(server.pid);
    peak_rss_kib = PeakRssKib(server.pid);
    Stop(server, SIGTERM);
    JCM_ASSIGN_OR_RETURN(out, std::move(sent));
    if (cpu_before_us >= 0 && cpu_after_us >= 0 && out.operations > 0) {
      out.cpu_us_per_op =
          static_cast<double>(cpu_after_us - cpu_before_us) / static_cast<double>(out.operations);
    }
    return core::OkStatus();
  };
  JCM_RETURN_IF_ERROR(measure("transfers-http.db", options.http_transfers, PrepareTransfers,
                              MeasureHttpTransfers, figures.http_transfers,
                              figures.transfers_peak_rss_kib));
  JCM_RETURN_IF_ERROR(measure("approvals.db", options.approvals, PrepareApprovals,
                              MeasureHttpApprovals, figures.approvals,
                              figures.approvals_peak_rss_kib));
  JCM_ASSIGN_OR_RETURN(
      figures.in_process_32,
      MeasureInProcessTransfers((dir / "transfers.db").string(), options.transfers));
  return core::OkStatus();
}

core::Status Measure(const Options& options, const fs::path& dir, Figures& figures) {
  JCM_RETURN_IF_ERROR(MeasurePublicGet(options, dir, figures));
  return MeasureTransfers(options, dir, figures);
}

boost::json::object Report(const Options& options, const Figures& f) {
  const double ratio = f.nginx.per_s > 0 ? f.server.per_s / f.nginx.per_s : 0;
  const double rss_mib = static_cast<double>(f.peak_rss_kib) / 1024.0;
  const double transfer_ratio =
      f.in_process_32.per_s > 0 ? f.http_transfers.per_s / f.in_process_32.per_s : 0;
  const double approval_ratio =
      f.in_process_32.per_s > 0 ? f.approvals.per_s / f.in_process_32.per_s : 0;
  return {
      {"benchmark", "api"},
      {"path", options.path},
      {"document_bytes", f.document_bytes},
      {"seconds", options.seconds},
      {"connections", options.connections},
      {"server_threads", options.server_threads},
      {"server_write_workers", options.write_workers},
      {"public_get_per_s", f.server.per_s},
      {"public_get",
       {{"p50_ms", f.server.p50_ms}, {"p99_ms", f.server.p99_ms}, {"non_2xx", f.server.non_2xx}}},
      {"nginx_get_per_s", f.nginx.per_s},
      {"nginx_get", {{"p50_ms", f.nginx.p50_ms}, {"p99_ms", f.nginx.p99_ms}}},
      {"public_get_ratio_to_nginx", ratio},
      {"server_peak_rss_mib", rss_mib},
      {"transfers_per_s_http", f.http_transfers.per_s},
      {"transfers_http",
       {{"transfers", f.http_transfers.operations},
        {"p50_ms", f.http_transfers.p50_us / 1e3},
        {"p99_ms", f.http_transfers.p99_us / 1e3},
        {"server_cpu_us_per_transfer", f.http_transfers.cpu_us_per_op},
        {"server_peak_rss_mib", static_cast<double>(f.transfers_peak_rss_kib) / 1024.0}}},
      {"signed_approvals_per_s_http", f.approvals.per_s},
      {"signed_approvals_http",
       {{"approvals", f.approvals.operations},
        {"p50_ms", f.approvals.p50_us / 1e3},
        {"p99_ms", f.approvals.p99_us / 1e3},
        {"server_cpu_us_per_approval", f.approvals.cpu_us_per_op},
        {"server_peak_rss_mib", static_cast<double>(f.approvals_peak_rss_kib) / 1024.0}}},
      {"signed_approvals_http_ratio_to_32", approval_ratio},
      {"transfers_per_s_32", f.in_process_32.per_s},
      {"transfers_32",
       {{"p50_ms", f.in_process_32.p50_us / 1e3},
        {"p99_ms", f.in_process_32.p99_us / 1e3},
        {"cpu_us_per_transfer", f.in_process_32.cpu_us_per_op}}},
      {"transfers_http_ratio_to_32", transfer_ratio},
      {"targets",
       {{{"ratio_name", "public_get_ratio_to_nginx"},
         {"ratio", ratio},
         {"target", ">= 0.5"},
         {"met", ratio >= 0.5}},
        {{"ratio_name", "transfers_http_ratio_to_32"},
         {"ratio", transfer_ratio},
         {"target", ">= 0.5"},
         {"met", transfer_ratio >= 0.5}},
        {{"ratio_name", "server_peak_rss_mib"},
         {"ratio", rss_mib},
         {"target", "<= 200"},
         {"met", rss_mib <= 200}}}},
  };
}

core::Result<Options> ParseOptions(const cli::Args& args) {
  Options options;
  JCM_ASSIGN_OR_RETURN(options.db, args.Require("db"));
  options.path = args.Get("path").value_or("/api/v1/projects/MN006");
  JCM_ASSIGN_OR_RETURN(options.seconds, args.RequireInt("seconds", options.seconds));
  JCM_ASSIGN_OR_RETURN(options.connections, args.RequireInt("connections", options.connections));
  JCM_ASSIGN_OR_RETURN(options.server_threads, args.RequireInt("threads", options.server_threads));
  JCM_ASSIGN_OR_RETURN(options.approvals, args.RequireInt("approvals", options.approvals));
  JCM_ASSIGN_OR_RETURN(options.http_transfers,
                       args.RequireInt("http-transfers", options.http_transfers));
  JCM_ASSIGN_OR_RETURN(options.transfers, args.RequireInt("transfers", options.transfers));
  JCM_ASSIGN_OR_RETURN(options.write_workers,
                       args.RequireInt("write-workers", options.write_workers));
  if (options.seconds < 1 || options.seconds > 600 || options.connections < 1 ||
      options.connections > 1000 || options.server_threads < 1 || options.server_threads > 64 ||
      options.path.empty() || options.path.front() != '/' || options.approvals < 1 ||
      options.approvals > 100'000 || options.http_transfers < 1 ||
      options.http_transfers > 1'000'000 || options.transfers < 1 ||
      options.transfers > 10'000'000 || options.write_workers < 0 || options.write_workers > 256) {
    return core::InvalidArgument(
        "--seconds 1..600, --connections 1..1000, --threads 1..64, --path an absolute path, "
        "--approvals 1..100000, --http-transfers 1..1000000, --transfers 1..10000000, "
        "--write-workers 0..256");
  }
  if (!fs::exists(options.db)) return core::NotFound("--db " + options.db + " does not exist");
  return options;
}

core::Status RunApiBench(cli::CommandRun& run) {
  JCM_ASSIGN_OR_RETURN(Options options, ParseOptions(run.args));
  const fs::path dir = fs::temp_directory_path() / ("jcm-bench-api-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  Figures figures;
  const core::Status status = Measure(options, dir, figures);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  JCM_RETURN_IF_ERROR(status);
  const boost::json::object report = Report(options, figures);
  if (run.print.json()) {
    run.print.Json(report);
    return core::OkStatus();
  }
  std::ostream& out = run.print.out();
  out << "api bench: GET " << options.path << " (" << figures.document_bytes << " bytes), "
      << options.connections << " connections, " << options.seconds << " s each\n"
      << "  jcm serve (" << options.server_threads << " threads): " << figures.server.per_s
      << " req/s, p50 " << figures.server.p50_ms << " ms, p99 " << figures.server.p99_ms
      << " ms, peak RSS " << report.at("server_peak_rss_mib").as_double() << " MiB\n"
      << "  nginx (" << options.server_threads << " workers): " << figures.nginx.per_s
      << " req/s, p50 " << figures.nginx.p50_ms << " ms, p99 " << figures.nginx.p99_ms << " ms\n"
      << "  public_get_ratio_to_nginx = " << report.at("public_get_ratio_to_nginx").as_double()
      << "  (target >= 0.5)\n"
      << "  transfers approved in advance over HTTP (" << figures.http_transfers.operations << ", "
      << options.connections << " connections): " << figures.http_transfers.per_s << " /s, p50 "
      << figures.http_transfers.p50_us / 1e3 << " ms, p99 " << figures.http_transfers.p99_us / 1e3
      << " ms\n"
      << "  signed approvals over HTTP (" << figures.approvals.operations
      << ", each executing its transfer): " << figures.approvals.per_s << " /s, p50 "
      << figures.approvals.p50_us / 1e3 << " ms, p99 " << figures.approvals.p99_us / 1e3 << " ms\n"
      << "  in-process transfers (32 submitters): " << figures.in_process_32.per_s << " /s\n"
      << "  transfers_http_ratio_to_32 = " << report.at("transfers_http_ratio_to_32").as_double()
      << "  (target >= 0.5); signed_approvals_http_ratio_to_32 = "
      << report.at("signed_approvals_http_ratio_to_32").as_double() << "\n";
  return core::OkStatus();
}

}  // namespace

cli::CommandSpec ApiBenchCommand() {
  return {"bench api",
          "benchmarks",
          "",
          "jcm bench api --db FILE [--path TARGET] [--seconds N] [--connections N]\n"
          "              [--threads N] [--write-workers N] [--http-transfers N]\n"
          "              [--approvals N] [--transfers N] [--json]\n"
          "  Public GET requests/s of `jcm serve` over FILE against nginx serving the same bytes\n"
          "  as a static file, both loaded by wrk on loopback in this run; p50/p99 latency and\n"
          "  the server's peak RSS. Then transfers over HTTP: --http-transfers N (4096)\n"
          "  transfers approved in advance (to trusted accounts of sources whose registry\n"
          "  administrator waived the second approval), and --approvals N (1024) TOTP-signed\n"
          "  approvals by second users of transfers proposed beforehand, each on a registry of\n"
          "  its own, against --transfers N (8192) in-process transfers from 32 threads\n"
          "  (docs/api.md, \"Benchmark\").\n",
          {"db", "path", "seconds", "connections", "threads", "write-workers", "http-transfers",
           "approvals", "transfers"},
          {},
          RunApiBench};
}

}  // namespace jcm::bench
