#include "http_load.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace jcm::bench {
namespace {

constexpr int kProgressTimeout_ms = 30'000;

// One keep-alive connection and the request it has in flight.
struct Flight {
  int fd = -1;
  size_t request = 0;  // index of the request in flight
  std::string out;     // the request's bytes
  size_t sent = 0;     // how many of them are written
  std::string in;      // the answer's bytes read so far
  BenchClock::time_point begin;
  bool wants_out = false;  // registered for EPOLLOUT: the socket's buffer was full
};

// Closes every connection's socket and the epoll instance when the run ends, however it ends.
struct Sockets {
  int epoll_fd = -1;
  std::vector<Flight> flights;
  ~Sockets() {
    for (const Flight& flight : flights) {
      if (flight.fd >= 0) ::close(flight.fd);
    }
    if (epoll_fd >= 0) ::close(epoll_fd);
  }
};

core::Status Connect(Flight& flight, uint16_t port, int epoll_fd, uint64_t tag) {
  flight.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (flight.fd < 0) return core::Unavailable("cannot open a socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(flight.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return core::Unavailable("cannot connect to the server on port " + std::to_string(port));
  }
  const int one = 1;
  ::setsockopt(flight.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(flight.fd, F_SETFL, ::fcntl(flight.fd, F_GETFL) | O_NONBLOCK);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = tag;
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, flight.fd, &event) != 0) {
    return core::Internal("epoll_ctl failed");
  }
  return core::OkStatus();
}

// Writes what the socket takes of the request; asks for EPOLLOUT while some is left.
core::Status Send(Flight& flight, int epoll_fd, uint64_t tag) {
  while (flight.sent < flight.out.size()) {
    const ssize_t n =
        ::write(flight.fd, flight.out.data() + flight.sent, flight.out.size() - flight.sent);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return core::Unavailable("the server closed the connection");
    flight.sent += static_cast<size_t>(n);
  }
  const bool wants_out = flight.sent < flight.out.size();
  if (wants_out != flight.wants_out) {
    epoll_event event{};
    event.events = EPOLLIN | (wants_out ? EPOLLOUT : 0u);
    event.data.u64 = tag;
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, flight.fd, &event) != 0) {
      return core::Internal("epoll_ctl failed");
    }
    flight.wants_out = wants_out;
  }
  return core::OkStatus();
}

// Reads what the socket holds. False when the server closed the connection.
bool Receive(Flight& flight) {
  char chunk[16384];
  while (true) {
    const ssize_t n = ::read(flight.fd, chunk, sizeof chunk);
    if (n > 0) {
      flight.in.append(chunk, static_cast<size_t>(n));
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

// The answer's status and body once all of it is read, and consumed from `in`.
std::optional<std::pair<int, std::string>> TakeAnswer(std::string& in) {
  const size_t header_end = in.find("\r\n\r\n");
  if (header_end == std::string::npos) return std::nullopt;
  const std::string_view header(in.data(), header_end);
  const size_t length_at = header.find("Content-Length: ");
  const size_t length = length_at == std::string_view::npos
                            ? 0
                            : std::strtoul(in.c_str() + length_at + 16, nullptr, 10);
  if (in.size() < header_end + 4 + length) return std::nullopt;
  const int status = header_end > 12 ? std::atoi(in.c_str() + 9) : 0;
  std::string body = in.substr(header_end + 4, length);
  in.erase(0, header_end + 4 + length);
  return std::pair{status, std::move(body)};
}

}  // namespace

core::Result<RunFigures> MeasureHttp(uint16_t port, size_t count, int64_t connections, int status,
                                     const std::function<std::string(size_t)>& request_of,
                                     const std::function<std::string(size_t)>& name_of) {
  Sockets sockets;
  sockets.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (sockets.epoll_fd < 0) return core::Internal("epoll_create1 failed");
  const auto in_flight = std::min(count, static_cast<size_t>(connections));
  sockets.flights.resize(in_flight);
  std::vector<double> latencies_us;
  latencies_us.reserve(count);
  const auto start = [&](size_t c, size_t i) {
    Flight& flight = sockets.flights[c];
    flight.request = i;
    flight.out = request_of(i);
    flight.sent = 0;
    flight.begin = BenchClock::now();
    return Send(flight, sockets.epoll_fd, c);
  };
  for (size_t c = 0; c < in_flight; ++c) {
    JCM_RETURN_IF_ERROR(Connect(sockets.flights[c], port, sockets.epoll_fd, c));
  }
  const auto started = BenchClock::now();
  for (size_t c = 0; c < in_flight; ++c) JCM_RETURN_IF_ERROR(start(c, c));
  size_t answered = 0;
  std::vector<epoll_event> events(in_flight);
  while (answered < count) {
    const int ready = ::epoll_wait(sockets.epoll_fd, events.data(), static_cast<int>(in_flight),
                                   kProgressTimeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return core::Unavailable("no answer from the server for 30 s");
    for (int e = 0; e < ready; ++e) {
      const auto c = static_cast<size_t>(events[static_cast<size_t>(e)].data.u64);
      Flight& flight = sockets.flights[c];
      if ((events[static_cast<size_t>(e)].events & EPOLLOUT) != 0) {
        JCM_RETURN_IF_ERROR(Send(flight, sockets.epoll_fd, c));
      }
      const bool open = Receive(flight);
      auto answer = TakeAnswer(flight.in);
      if (!answer && !open) return core::Unavailable("the server closed the connection");
      if (!answer) continue;
      latencies_us.push_back(MicrosSince(flight.begin));
      ++answered;
      if (answer->first != status ||
          answer->second.find("\"status\":\"completed\"") == std::string::npos) {
        return core::Internal(name_of(flight.request) + " answered " +
                              std::to_string(answer->first) + ": " + answer->second);
      }
      const size_t next = flight.request + static_cast<size_t>(connections);
      if (next < count && !open) return core::Unavailable("the server closed the connection");
      if (next < count) {
        JCM_RETURN_IF_ERROR(start(c, next));
      } else {  // this connection's share is done
        ::epoll_ctl(sockets.epoll_fd, EPOLL_CTL_DEL, flight.fd, nullptr);
        ::close(flight.fd);
        flight.fd = -1;
      }
    }
  }
  return Summarise(std::move(latencies_us), MicrosSince(started) / 1e6);
}

}  // namespace jcm::bench
