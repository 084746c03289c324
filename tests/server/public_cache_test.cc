// The public answers kept per journal size (src/server/public_cache.h, INV-34): which requests
// are kept, that an answer is served only for the journal size it was computed at, only 200s,
// bounded; and over a real SQLite registry in front of the Api as `jcm serve` puts it, that a
// kept answer is served again byte for byte, never outlives a change committed through the
// server's own store, and outlives one journaled through another connection to the same file —
// as another process would make it — by at most the cache's bound.
#include "server/public_cache.h"

#include <gtest/gtest.h>

#include "cycle_api_test.h"
#include "server/prebuilt_response.h"
#include "store/testing/forwarding_store.h"

namespace jcm::server {
namespace {

HttpResponse Answer(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(KeptByJournalTest, OnlyGetsOfAProjectACommitteeOrARegistryWithoutAQuery) {
  EXPECT_TRUE(KeptByJournal("GET", "/api/v1/projects/MN006"));
  EXPECT_TRUE(KeptByJournal("GET", "/api/v1/joint-committees/MN"));
  EXPECT_TRUE(KeptByJournal("GET", "/api/v1/registries/MN"));
  EXPECT_FALSE(KeptByJournal("POST", "/api/v1/projects/MN006"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/projects/MN006?x=1"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/projects/"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/projects"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/accounts/MN-1"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/registries/MN/x"));
  // A public report is kept with its query (format, registry, year) as part of its target.
  EXPECT_TRUE(KeptByJournal("GET", "/api/v1/reports/annual-summary"));
  EXPECT_TRUE(KeptByJournal("GET", "/api/v1/reports/retirements?format=csv&year=2026"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/reports/"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/reports/accounts/x?format=csv"));
  EXPECT_FALSE(KeptByJournal("GET", "/api/v1/methodologies/MN_AM001"));  // reads files too
}

class PublicCacheTest : public CycleApiFixture {
 protected:
  // What the cache answers, resolved (a kept answer is prebuilt: prebuilt_response.h).
  HttpResponse Get(PublicCache& cache, Api& api, const std::string& target) {
    return Resolved(Handled(cache, api, target));
  }
  HttpResponse Handled(PublicCache& cache, Api& api, const std::string& target) {
    const HttpRequest request{"GET", target, {}, ""};
    return cache.Handle(request, [&] {
      ++api_calls_;
      return api.Handle(request, As(""));
    });
  }
  // A jc-form step journaled through a second connection to the same file, as another process.
  void StepThroughAnotherProcess(const char* form) {
    auto other_store = store::OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(other_store.ok()) << other_store.status().ToString();
    Api other(**other_store, R"({"openapi":"3.1.0"})", &clock_);
    const HttpResponse step = other.Handle(
        HttpRequest{"POST",
                    "/api/v1/cycle/steps/jc-form",
                    {{"Idempotency-Key", std::string("form-") + form}},
                    std::string(R"({"partner":"MN","form":")") + form + R"(","version":"06.0"})"},
        Secretariat());
    ASSERT_EQ(step.status, 201) << step.body;
  }
  int api_calls_ = 0;
};

TEST_F(PublicCacheTest, AnAnswerIsServedOnlyForTheJournalSizeItWasComputedAt) {
  PublicCache cache(*store_);
  cache.Put("/api/v1/projects/P", 7, Answer(200, "seven"));
  ASSERT_TRUE(cache.Find("/api/v1/projects/P", 7).has_value());
  EXPECT_EQ(Resolved(*cache.Find("/api/v1/projects/P", 7)).body, "seven");
  EXPECT_FALSE(cache.Find("/api/v1/projects/P", 8).has_value());  // the journal grew
  EXPECT_FALSE(cache.Find("/api/v1/projects/Q", 7).has_value());
  cache.Put("/api/v1/projects/P", 8, Answer(200, "eight"));
  EXPECT_EQ(Resolved(*cache.Find("/api/v1/projects/P", 8)).body, "eight");
  EXPECT_FALSE(cache.Find("/api/v1/projects/P", 7).has_value());
}

TEST_F(PublicCacheTest, OnlySuccessesAreKeptAndTheNumberOfAnswersIsBounded) {
  PublicCache cache(*store_);
  cache.Put("/api/v1/projects/missing", 1, Answer(404, "{}"));
  EXPECT_EQ(cache.size(), 0u);
  for (size_t i = 0; i < PublicCache::kEntriesMax; ++i) {
    cache.Put("/t/" + std::to_string(i), 1, Answer(200, "x"));
  }
  EXPECT_EQ(cache.size(), PublicCache::kEntriesMax);
  cache.Put("/t/one-more", 1, Answer(200, "x"));  // full: forgets the others
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.Find("/t/one-more", 1).has_value());
}

TEST_F(PublicCacheTest, AnAnswerIsKeptAndServedAgainByteForByte) {
  EstablishMongolia();
  PublicCache cache(*store_);
  const HttpResponse first = Get(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpResponse again = Get(cache, *api_, "/api/v1/joint-committees/MN");
  EXPECT_EQ(api_calls_, 1);  // the second answer is the kept one
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.content_type, first.content_type);
  // A refusal is the Api's every time.
  EXPECT_EQ(Get(cache, *api_, "/api/v1/joint-committees/XX").status, 404);
  EXPECT_EQ(Get(cache, *api_, "/api/v1/joint-committees/XX").status, 404);
  EXPECT_EQ(api_calls_, 3);
  EXPECT_EQ(cache.size(), 1u);
}

// The kept answer is served prebuilt: the bytes of the whole response, shared, which say what
// the transport would have formatted — the status line, the content type, the security headers
// (HSTS only under TLS), Content-Length, then the request id's place, then the body.
TEST_F(PublicCacheTest, AKeptAnswerIsServedAsItsPrebuiltBytes) {
  EstablishMongolia();
  PublicCache cache(*store_);
  const HttpResponse first = Handled(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpResponse kept = Handled(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_NE(kept.prebuilt, nullptr);
  EXPECT_TRUE(kept.body.empty());  // nothing copied per request
  EXPECT_EQ(kept.status, 200);
  // The same shared bytes for every request.
  EXPECT_EQ(Handled(cache, *api_, "/api/v1/joint-committees/MN").prebuilt, kept.prebuilt);
  const std::string expected_head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
      "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
      "Cache-Control: no-store\r\nContent-Length: " +
      std::to_string(first.body.size()) + "\r\nX-Request-Id: ";
  EXPECT_EQ(kept.prebuilt->plain.head(), expected_head);
  EXPECT_EQ(kept.prebuilt->plain.tail(), "\r\n\r\n" + first.body);
  EXPECT_NE(kept.prebuilt->tls.head().find("\r\nStrict-Transport-Security: max-age=31536000"),
            std::string_view::npos);
  EXPECT_EQ(kept.prebuilt->plain.head().find("Strict-Transport-Security"), std::string_view::npos);
  EXPECT_EQ(kept.prebuilt->tls.tail(), kept.prebuilt->plain.tail());
}

// The monotonic clock of a cache, moved by the test.
struct FakeSteadyClock {
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
  PublicCache::SteadyNow Fn() {
    return [this] { return now; };
  }
};

// INV-34: a change journaled by another process is served once the bound has passed.
TEST_F(PublicCacheTest, AChangeJournaledByAnotherProcessIsServedWithinTheBound) {
  EstablishMongolia();
  FakeSteadyClock steady;
  PublicCache cache(*store_, std::chrono::milliseconds(100), steady.Fn());
  const HttpResponse before = Get(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_EQ(before.body.find("JCM_MN_F_PIN"), std::string::npos);
  StepThroughAnotherProcess("JCM_MN_F_PIN");
  steady.now += std::chrono::milliseconds(100);
  const HttpResponse after = Get(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("JCM_MN_F_PIN"), std::string::npos) << after.body;
  EXPECT_EQ(api_calls_, 2);
}

// INV-34: a change committed through the server's own store is served to the next request,
// however little time has passed; nothing else makes the cache read the journal's size again.
TEST_F(PublicCacheTest, AChangeCommittedThroughThisStoreIsServedAtOnce) {
  EstablishMongolia();
  FakeSteadyClock steady;  // never moves
  PublicCache cache(*store_, std::chrono::milliseconds(100), steady.Fn());
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  EXPECT_EQ(api_calls_, 1);
  const uint64_t commits = store_->LocalCommitCount().value();
  const HttpResponse step =
      api_->Handle(HttpRequest{"POST",
                               "/api/v1/cycle/steps/jc-form",
                               {{"Idempotency-Key", "form-here"}},
                               R"({"partner":"MN","form":"JCM_MN_F_PDD","version":"06.0"})"},
                   Secretariat());
  ASSERT_EQ(step.status, 201) << step.body;
  EXPECT_GT(store_->LocalCommitCount().value(), commits);
  const HttpResponse after = Get(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("JCM_MN_F_PDD"), std::string::npos) << after.body;
  EXPECT_EQ(api_calls_, 2);
}

// What the bound buys: while nothing was committed through the store and the last read is
// younger than the bound, requests do not read the journal's size at all.
class SizeCountingStore : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  core::Result<int64_t> LogTreeSize() override {
    ++size_reads;
    return ForwardingStore::LogTreeSize();
  }
  int size_reads = 0;
};

TEST_F(PublicCacheTest, TheJournalSizeIsReadAgainOnlyAfterACommitOrTheBound) {
  EstablishMongolia();
  SizeCountingStore counting(*store_);
  FakeSteadyClock steady;
  PublicCache cache(counting, std::chrono::milliseconds(100), steady.Fn());
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  }
  EXPECT_EQ(counting.size_reads, 1);
  steady.now += std::chrono::milliseconds(99);
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  EXPECT_EQ(counting.size_reads, 1);
  steady.now += std::chrono::milliseconds(1);  // the bound
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  EXPECT_EQ(counting.size_reads, 2);
  MustStep("jc-form", {{"partner", "MN"}, {"form", "JCM_MN_F_PDD"}, {"version", "06.0"}});
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  EXPECT_EQ(counting.size_reads, 3);
  EXPECT_EQ(api_calls_, 2);
}

// A store that does not count its commits has the journal's size read for every request, so
// even another process's change is served at once.
class UncountedStore : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  std::optional<uint64_t> LocalCommitCount() override { return std::nullopt; }
};

TEST_F(PublicCacheTest, WithoutACommitCountAnotherProcesssChangeIsServedAtOnce) {
  EstablishMongolia();
  UncountedStore uncounted(*store_);
  FakeSteadyClock steady;  // never moves
  PublicCache cache(uncounted, std::chrono::milliseconds(100), steady.Fn());
  ASSERT_EQ(Get(cache, *api_, "/api/v1/joint-committees/MN").status, 200);
  StepThroughAnotherProcess("JCM_MN_F_PIN");
  const HttpResponse after = Get(cache, *api_, "/api/v1/joint-committees/MN");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("JCM_MN_F_PIN"), std::string::npos) << after.body;
  EXPECT_EQ(api_calls_, 2);
}

}  // namespace
}  // namespace jcm::server
