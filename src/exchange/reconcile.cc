// A reconciliation snapshot's canonical encoding, digest and signature (reconcile.h), and the
// normal form of serial runs. The comparison is reconcile_compare.cc.
#include "exchange/reconcile.h"

#include <algorithm>
#include <charconv>
#include <tuple>
#include <utility>

#include "core/sha256.h"
#include "core/split.h"
#include "core/text.h"

namespace jcm::exchange {
namespace {

// Splits "a|b|c" into exactly `n` parts; empty when the count differs.
std::vector<std::string_view> Parts(std::string_view text, size_t n) {
  std::vector<std::string_view> parts = core::SplitFields(text);
  if (parts.size() != n) parts.clear();
  return parts;
}

core::Result<int64_t> Int(std::string_view text, std::string_view what) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return core::InvalidArgument("snapshot: " + std::string(what) + " is not an integer");
  }
  return value;
}

core::Result<core::RegistryCode> Code(std::string_view text) {
  core::Result<core::RegistryCode> code = core::RegistryCode::Parse(text);
  if (!code.ok())
    return core::InvalidArgument("snapshot: '" + std::string(text) + "' is no registry");
  return code;
}

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out += '|';
    out += part;
    first = false;
  }
  return out;
}

auto RunKey(const SerialRun& run) {
  return std::tie(run.origin, run.serial_first, run.unit_count, run.vintage, run.itmo,
                  run.account_type);
}

// The ITMO ID of a run's unit `offset` units after its first ("CA0004/JPN01:17" + 3).
std::string ItmoAfter(const std::string& itmo, int64_t offset) {
  const size_t colon = itmo.rfind(':');
  if (itmo.empty() || colon == std::string::npos) return itmo;
  const std::optional<int64_t> first = core::ParseInt64(itmo.substr(colon + 1));
  if (!first) return itmo;
  return itmo.substr(0, colon + 1) + std::to_string(*first + offset);
}

core::Status DecodeField(ReconcileSnapshot& s, std::string_view key, std::string_view value);

}  // namespace

std::vector<SerialRun> Coalesce(std::vector<SerialRun> runs) {
  std::sort(runs.begin(), runs.end(),
            [](const SerialRun& a, const SerialRun& b) { return RunKey(a) < RunKey(b); });
  std::vector<SerialRun> out;
  for (SerialRun& run : runs) {
    if (!out.empty()) {
      SerialRun& last = out.back();
      const bool continues = last.origin == run.origin &&
                             last.serial_last() + 1 == run.serial_first &&
                             last.vintage == run.vintage && last.account_type == run.account_type &&
                             ItmoAfter(last.itmo, last.unit_count) == run.itmo;
      if (continues) {
        last.unit_count += run.unit_count;
        continue;
      }
    }
    out.push_back(std::move(run));
  }
  return out;
}

void ReconcileSnapshot::DeriveTotals() {
  totals.clear();
  totals[registry];
  totals[peer];
  for (const TrailEntry& entry : trail) {
    const bool outgoing = entry.transaction.starts_with(registry.str() + ":");
    for (const SerialRun& run : entry.blocks) {
      Totals& t = totals[run.origin];
      const ReportedState state = entry.state;
      if (outgoing && state == ReportedState::kCompleted) t.sent_completed += run.unit_count;
      if (outgoing && state == ReportedState::kProposed) t.sent_in_flight += run.unit_count;
      if (!outgoing && state == ReportedState::kCompleted) t.received_completed += run.unit_count;
      if (!outgoing && state == ReportedState::kPending) t.received_pending += run.unit_count;
    }
  }
  live_units.clear();
  for (const SerialRun& run : live) live_units[{run.origin, run.account_type}] += run.unit_count;
}

core::Record ReconcileSnapshot::ToRecord() const {
  core::Record r;
  r.Add("protocol", kSnapshotProtocol);
  r.Add("registry", registry.str()).Add("peer", peer.str());
  r.AddInt("journal_seq", journal_seq).Add("taken_at", taken_at);
  for (const auto& [origin, t] : totals) {
    r.Add("total",
          Join({origin.str(), std::to_string(t.sent_completed), std::to_string(t.sent_in_flight),
                std::to_string(t.received_completed), std::to_string(t.received_pending)}));
  }
  for (const auto& [key, units] : live_units) {
    r.Add("live_units", Join({key.first.str(), std::to_string(key.second), std::to_string(units)}));
  }
  for (const TrailEntry& e : trail) {
    r.Add("trail", Join({e.transaction, ReportedStateName(e.state), std::to_string(e.quantity),
                         std::to_string(e.deadline_s)}));
    for (const SerialRun& b : e.blocks) {
      r.Add("crossed", Join({b.origin.str(), std::to_string(b.serial_first),
                             std::to_string(b.unit_count), std::to_string(b.vintage), b.itmo}));
    }
  }
  for (const SerialRun& b : live) {
    r.Add("live", Join({b.origin.str(), std::to_string(b.serial_first),
                        std::to_string(b.unit_count), std::to_string(b.account_type)}));
  }
  return r;
}

std::string ReconcileSnapshot::Digest() const { return core::Sha256Hex(ToRecord().Encode()); }

std::string ReconcileSnapshot::SignedBytes() const {
  return std::string(kSnapshotProtocol) + "\n" + Digest();
}

void ReconcileSnapshot::Sign(const core::Ed25519PrivateKey& key) {
  signature = key.Sign(SignedBytes());
}

bool ReconcileSnapshot::SignatureVerifies(std::string_view public_key) const {
  return core::Ed25519Verify(public_key, SignedBytes(), signature);
}

std::string ReconcileSnapshot::Encode() const {
  core::Record r = ToRecord();
  r.Add("signature", core::BytesToHex(signature));
  return r.Encode();
}

core::Result<ReconcileSnapshot> ReconcileSnapshot::Decode(std::string_view wire) {
  core::Result<core::Record> record = core::Record::Decode(wire);
  if (!record.ok()) return core::InvalidArgument("not a snapshot: " + record.status().message());
  ReconcileSnapshot s;
  bool signed_ = false;
  for (const auto& [key, value] : record->fields()) {
    if (signed_) return core::InvalidArgument("snapshot: a field after the signature");
    if (key == "signature") {
      core::Result<std::string> bytes = core::HexToBytes(value);
      if (!bytes.ok()) return core::InvalidArgument("snapshot: the signature is not hex");
      s.signature = *bytes;
      signed_ = true;
      continue;
    }
    JCM_RETURN_IF_ERROR(DecodeField(s, key, value));
  }
  if (!record->Find("protocol") || !record->Find("peer") || !record->Find("journal_seq")) {
    return core::InvalidArgument("snapshot: a header field is missing");
  }
  // The canonical form is what was signed: a snapshot whose fields are out of order or
  // repeated would re-encode differently, and its digest would not be the signed one.
  if (s.ToRecord().Encode() + "signature=" + core::BytesToHex(s.signature) + "\n" != wire) {
    return core::InvalidArgument("snapshot: not in its canonical form");
  }
  return s;
}

namespace {

core::Status DecodeRun(SerialRun& run, std::string_view value, bool crossed) {
  const std::vector<std::string_view> p = Parts(value, crossed ? 5 : 4);
  if (p.empty()) return core::InvalidArgument("snapshot: a serial run of the wrong form");
  JCM_ASSIGN_OR_RETURN(run.origin, Code(p[0]));
  JCM_ASSIGN_OR_RETURN(run.serial_first, Int(p[1], "a serial"));
  JCM_ASSIGN_OR_RETURN(run.unit_count, Int(p[2], "a unit count"));
  if (run.unit_count <= 0) return core::InvalidArgument("snapshot: an empty serial run");
  if (crossed) {
    JCM_ASSIGN_OR_RETURN(run.vintage, Int(p[3], "a vintage"));
    run.itmo = std::string(p[4]);
  } else {
    JCM_ASSIGN_OR_RETURN(int64_t type, Int(p[3], "an account type"));
    run.account_type = static_cast<int>(type);
  }
  return core::OkStatus();
}

core::Status DecodeTrail(ReconcileSnapshot& s, std::string_view value) {
  const std::vector<std::string_view> p = Parts(value, 4);
  if (p.empty()) return core::InvalidArgument("snapshot: a trail entry of the wrong form");
  TrailEntry entry;
  entry.transaction = std::string(p[0]);
  const std::optional<ReportedState> state = ReportedStateFromName(p[1]);
  if (!state || entry.transaction.find(':') == std::string::npos) {
    return core::InvalidArgument("snapshot: trail entry '" + std::string(value) + "'");
  }
  entry.state = *state;
  JCM_ASSIGN_OR_RETURN(entry.quantity, Int(p[2], "a quantity"));
  JCM_ASSIGN_OR_RETURN(entry.deadline_s, Int(p[3], "a deadline"));
  s.trail.push_back(std::move(entry));
  return core::OkStatus();
}

core::Status DecodeCounts(ReconcileSnapshot& s, std::string_view key, std::string_view value) {
  if (key == "total") {
    const std::vector<std::string_view> p = Parts(value, 5);
    if (p.empty()) return core::InvalidArgument("snapshot: a total of the wrong form");
    JCM_ASSIGN_OR_RETURN(core::RegistryCode origin, Code(p[0]));
    Totals& t = s.totals[origin];
    JCM_ASSIGN_OR_RETURN(t.sent_completed, Int(p[1], "a total"));
    JCM_ASSIGN_OR_RETURN(t.sent_in_flight, Int(p[2], "a total"));
    JCM_ASSIGN_OR_RETURN(t.received_completed, Int(p[3], "a total"));
    JCM_ASSIGN_OR_RETURN(t.received_pending, Int(p[4], "a total"));
    return core::OkStatus();
  }
  const std::vector<std::string_view> p = Parts(value, 3);
  if (p.empty()) return core::InvalidArgument("snapshot: live units of the wrong form");
  JCM_ASSIGN_OR_RETURN(core::RegistryCode origin, Code(p[0]));
  JCM_ASSIGN_OR_RETURN(int64_t type, Int(p[1], "an account type"));
  JCM_ASSIGN_OR_RETURN(int64_t units, Int(p[2], "units"));
  s.live_units[std::make_pair(origin, static_cast<int>(type))] = units;
  return core::OkStatus();
}

core::Status DecodeField(ReconcileSnapshot& s, std::string_view key, std::string_view value) {
  if (key == "protocol") {
    if (value != kSnapshotProtocol) return core::InvalidArgument("snapshot: another protocol");
  } else if (key == "registry") {
    JCM_ASSIGN_OR_RETURN(s.registry, Code(value));
  } else if (key == "peer") {
    JCM_ASSIGN_OR_RETURN(s.peer, Code(value));
  } else if (key == "journal_seq") {
    JCM_ASSIGN_OR_RETURN(s.journal_seq, Int(value, "journal_seq"));
  } else if (key == "taken_at") {
    s.taken_at = std::string(value);
  } else if (key == "total" || key == "live_units") {
    return DecodeCounts(s, key, value);
  } else if (key == "trail") {
    return DecodeTrail(s, value);
  } else if (key == "crossed") {
    if (s.trail.empty()) return core::InvalidArgument("snapshot: a crossed run before a trail");
    SerialRun run;
    JCM_RETURN_IF_ERROR(DecodeRun(run, value, true));
    s.trail.back().blocks.push_back(std::move(run));
  } else if (key == "live") {
    SerialRun run;
    JCM_RETURN_IF_ERROR(DecodeRun(run, value, false));
    s.live.push_back(std::move(run));
  } else {
    return core::InvalidArgument("snapshot: unknown field " + std::string(key));
  }
  return core::OkStatus();
}

}  // namespace
}  // namespace jcm::exchange
