// Internal to `jcm bench api`: the load generator of the HTTP measurements (approval_bench.h).
//
// One thread drives every connection through one epoll loop, as wrk does, rather than a thread
// per connection blocked on each answer. On this 2-core VM every cycle the load generator spends
// slows the server's disk flushes (docs/api.md, "Where the leader waits"), so it spends as few as
// it can: 20-22 µs of CPU and 0.42 context switches per transfer, against 29-30 µs and 1.07 with a
// thread per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "bench_stats.h"
#include "core/status.h"

namespace jcm::bench {

// Sends `count` requests over `connections` keep-alive connections to 127.0.0.1:`port`:
// connection c sends requests c, c + connections, …, each once the answer to the previous one
// is read, `request_of(i)` being the whole HTTP/1.1 request i. Times each from its first byte
// sent to its answer's last byte read. Any answer but `status` with "status":"completed" in its
// body fails the run, named by `name_of(i)`; so does a connection the server closes, or no
// progress for 30 s. REQUIRES: count >= 1, connections >= 1, answers with Content-Length.
core::Result<RunFigures> MeasureHttp(uint16_t port, size_t count, int64_t connections, int status,
                                     const std::function<std::string(size_t)>& request_of,
                                     const std::function<std::string(size_t)>& name_of);

}  // namespace jcm::bench
