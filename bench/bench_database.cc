#include "bench_database.h"

#include "bench_stats.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::bench {
namespace {

// "postgresql://h/db?x=1&options=-csearch_path%3Ds" → ("postgresql://h/db?x=1", "s").
std::pair<std::string, std::string> SplitSchema(const std::string& place) {
  const std::string marker = "options=-csearch_path%3D";
  const size_t at = place.rfind(marker);
  if (at == std::string::npos) return {place, "public"};
  return {place.substr(0, at - 1), place.substr(at + marker.size())};
}

}  // namespace

std::string SchemaUri(const std::string& uri, const std::string& schema) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

void RemoveBenchPlace(const std::string& place) {
  if (!store::IsPostgresUri(place)) {
    RemoveDatabase(place);
    return;
  }
  const auto [uri, schema] = SplitSchema(place);
  (void)store::ExecutePostgres(uri, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
}

core::Status ResetBenchPlace(const std::string& place) {
  RemoveBenchPlace(place);
  if (!store::IsPostgresUri(place)) return core::OkStatus();
  const auto [uri, schema] = SplitSchema(place);
  return store::ExecutePostgres(uri, "CREATE SCHEMA " + schema);
}

core::Result<std::unique_ptr<store::Store>> OpenBenchStore(const std::string& place,
                                                           store::Clock& clock) {
  if (store::IsPostgresUri(place)) return store::OpenPostgresStore(place, clock);
  return store::OpenSqliteStore(place, clock);
}

core::Status CopyFixture(const std::string& fixture, const std::string& place,
                         store::Clock& clock) {
  store::RegistryImage image;
  {
    JCM_ASSIGN_OR_RETURN(auto source, store::OpenSqliteStore(fixture, clock));
    JCM_ASSIGN_OR_RETURN(image.journal, source->ReadJournal(1));
    JCM_ASSIGN_OR_RETURN(image.state, source->ReadState());
  }
  JCM_RETURN_IF_ERROR(ResetBenchPlace(place));
  JCM_ASSIGN_OR_RETURN(auto target, OpenBenchStore(place, clock));
  return target->Restore(image);
}

}  // namespace jcm::bench
