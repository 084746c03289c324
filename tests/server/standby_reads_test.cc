// server::ReadableFromStandby (INV-36): which requests `jcm serve --read-db` answers from the
// hot standby. Only the public's GETs of public routes that write nothing; the end-to-end
// check against a real standby is failover_postgres_test (tests/postgres/failover_test.sh).
#include <gtest/gtest.h>

#include "server/api.h"

namespace jcm::server {
namespace {

HttpRequest Get(std::string target) { return {"GET", std::move(target), {}, ""}; }

RequestContext Public() { return {}; }

RequestContext SignedIn() {
  RequestContext context;
  context.principal.user = "auditor1";
  context.principal.signed_in = true;
  return context;
}

TEST(StandbyReadsTest, ThePublicsGetsOfPublicRoutesGoToTheStandby) {
  for (const char* target :
       {"/api/v1/registries", "/api/v1/registries/MN", "/api/v1/projects/MN006",
        "/api/v1/journal?since=3&limit=10", "/api/v1/units/MN-101", "/api/v1/flows",
        "/api/v1/log/proof?seq=1", "/api/v1/log/consistency?from=1&to=2", "/api/v1/openapi.json"}) {
    EXPECT_TRUE(ReadableFromStandby(Get(target), Public())) << target;
  }
}

TEST(StandbyReadsTest, SignedInReadsStayOnThePrimary) {
  EXPECT_FALSE(ReadableFromStandby(Get("/api/v1/journal?since=3"), SignedIn()));
  EXPECT_FALSE(ReadableFromStandby(Get("/api/v1/registries/MN"), SignedIn()));
}

TEST(StandbyReadsTest, WritesAndSignedInRoutesStayOnThePrimary) {
  EXPECT_FALSE(ReadableFromStandby({"POST", "/api/v1/transactions", {}, "{}"}, Public()));
  EXPECT_FALSE(ReadableFromStandby({"POST", "/api/v1/log/cosignatures", {}, "{}"}, Public()));
  EXPECT_FALSE(ReadableFromStandby({"HEAD", "/api/v1/registries", {}, ""}, Public()));
  // A signed-in route asked by the public: its 401 comes from the primary's Api.
  EXPECT_FALSE(ReadableFromStandby(Get("/api/v1/accounts/MN-1"), Public()));
}

TEST(StandbyReadsTest, TheSignedHeadAndTheHealthRoutesStayOnThePrimary) {
  // GET /api/v1/log/sth stores the head it signs; /healthz and /readyz report on the primary; a
  // peer's snapshot is signed with the primary's exchange key.
  for (const char* target :
       {"/api/v1/log/sth", "/healthz", "/readyz", "/api/v1/exchange/snapshot?peer=JP"}) {
    EXPECT_FALSE(ReadableFromStandby(Get(target), Public())) << target;
  }
}

TEST(StandbyReadsTest, WritesAndAPeersSnapshotLeaveTheIoThreads) {
  EXPECT_TRUE(LeavesIoThread("POST", "/api/v1/transactions"));
  EXPECT_TRUE(LeavesIoThread("DELETE", "/api/v1/accounts/MN-1/trusted/2"));
  EXPECT_TRUE(LeavesIoThread("GET", "/api/v1/exchange/snapshot?peer=JP"));
  EXPECT_FALSE(LeavesIoThread("GET", "/api/v1/registries"));
  EXPECT_FALSE(LeavesIoThread("HEAD", "/api/v1/exchange/snapshot?peer=JP"));
  EXPECT_FALSE(LeavesIoThread("GET", "/api/v1/exchange/snapshots"));
}

TEST(StandbyReadsTest, UnknownAndMalformedTargetsStayOnThePrimary) {
  EXPECT_FALSE(ReadableFromStandby(Get("/api/v1/nothing-here"), Public()));
  EXPECT_FALSE(ReadableFromStandby(Get("/api/v1/../etc/passwd"), Public()));
  EXPECT_FALSE(ReadableFromStandby(Get("no-slash"), Public()));
}

}  // namespace
}  // namespace jcm::server
