// The external-transfer protocol under faults (issue 12 §4, the property test; INV-54): two
// registries exchange signed envelopes over a network that drops, duplicates, reorders and
// corrupts messages, and loses everything in flight when a side "crashes" (recorded states are
// durable, as in the journal). Transfers run both ways. After the faults stop and the clocks
// run on, every transfer is final on both sides and agrees (the sender completed exactly when
// the receiver created the blocks), no unit is lost or exists twice, and the receiver never had
// to refuse an outcome as contradicting its state (811). The registries here are models of unit
// sets; the gate (envelope.h) and the state machines (transfer.h) are the real ones.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "exchange/envelope.h"
#include "exchange/transfer.h"

namespace jcm::exchange {
namespace {

constexpr int64_t kTimeLimitSeconds = 120;

struct Side {
  explicit Side(std::string_view registry) : code(core::RegistryCode::FromTrusted(registry)) {}
  core::RegistryCode code;
  core::Ed25519PrivateKey key = core::Ed25519PrivateKey::Generate().value();
  std::set<int> held;
  std::map<std::string, std::pair<OutgoingTransfer, std::vector<int>>> outgoing;
  std::map<std::string, std::pair<IncomingTransfer, std::vector<int>>> incoming;
  std::map<core::RegistryCode, int64_t> last_seq;  // accepted from the peer
  int64_t next_seq = 1;
  int transfers = 0;
};

std::string UnitsText(const std::vector<int>& units) {
  std::ostringstream out;
  for (int u : units) out << u << ",";
  return out.str();
}

std::vector<int> UnitsOf(const std::string& text) {
  std::vector<int> units;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) units.push_back(std::stoi(item));
  return units;
}

class Simulation {
 public:
  explicit Simulation(uint64_t seed) : random_(seed) {
    for (int u = 0; u < 40; ++u) (u < 20 ? japan_ : mongolia_).held.insert(u);
    peers_[japan_.code] = Peer{japan_.code, japan_.key.PublicKey()};
    peers_[mongolia_.code] = Peer{mongolia_.code, mongolia_.key.PublicKey()};
  }

  void RunWithFaults(int steps) {
    for (int i = 0; i < steps; ++i) {
      switch (random_() % 8) {
        case 0:
          Start(random_() % 2 ? japan_ : mongolia_);
          break;
        case 1:
        case 2:
          DeliverOne();
          break;
        case 3:
          if (!network_.empty()) network_.erase(network_.begin() + Offset(Pick()));
          break;
        case 4:
          if (!network_.empty()) network_.push_back(network_[Pick()]);
          break;
        case 5:
          Tick(static_cast<int64_t>(random_() % 30));
          break;
        case 6:  // a crash: whatever was in flight is lost
          if (random_() % 10 == 0) network_.clear();
          break;
        default:
          Corrupt();
          break;
      }
    }
  }

  // No more faults: deliver everything, let time pass, until nothing is in flight or pending.
  void Heal() {
    for (int round = 0; round < 400 && !Settled(); ++round) {
      while (!network_.empty()) DeliverOne();
      Tick(10);
    }
  }

  void ExpectConsistent() const {
    ASSERT_TRUE(Settled()) << "a transfer is still open after healing";
    std::set<int> all;
    size_t count = 0;
    for (const Side* side : {&japan_, &mongolia_}) {
      all.insert(side->held.begin(), side->held.end());
      count += side->held.size();
    }
    EXPECT_EQ(count, 40u) << "a unit was lost or exists twice";
    EXPECT_EQ(all.size(), 40u);
    for (const Side* sender : {&japan_, &mongolia_}) {
      const Side& receiver = sender == &japan_ ? mongolia_ : japan_;
      for (const auto& [id, outgoing] : sender->outgoing) {
        const auto in = receiver.incoming.find(id);
        const bool received =
            in != receiver.incoming.end() && in->second.first.state == IncomingState::kCompleted;
        EXPECT_EQ(outgoing.first.state == OutgoingState::kCompleted, received) << id;
      }
    }
    EXPECT_EQ(contradictions_, 0) << "an outcome contradicted the receiver's state (811)";
  }

  int refused(uint16_t check) const {
    auto it = refusals_.find(check);
    return it == refusals_.end() ? 0 : it->second;
  }

 private:
  size_t Pick() { return static_cast<size_t>(random_() % network_.size()); }
  static std::ptrdiff_t Offset(size_t i) { return static_cast<std::ptrdiff_t>(i); }
  Side& SideOf(const core::RegistryCode& code) { return code == japan_.code ? japan_ : mongolia_; }
  Side& PeerOf(const Side& side) { return &side == &japan_ ? mongolia_ : japan_; }

  bool Settled() const {
    for (const Side* side : {&japan_, &mongolia_}) {
      for (const auto& [id, out] : side->outgoing) {
        if (out.first.state == OutgoingState::kProposed) return false;
      }
      for (const auto& [id, in] : side->incoming) {
        if (in.first.state == IncomingState::kPending) return false;
      }
    }
    return network_.empty();
  }

  void Send(Side& from, const std::string& transaction, MessageKind kind, core::Record body) {
    Envelope e{from.code, PeerOf(from).code, from.next_seq++, transaction, kind, "t", body, ""};
    e.Sign(from.key);
    network_.push_back(std::move(e));
  }

  void Start(Side& from) {
    if (from.held.empty()) return;
    std::vector<int> units;
    for (int u : from.held) {
      if (units.size() < 1 + random_() % 3) units.push_back(u);
    }
    for (int u : units) from.held.erase(u);  // reserved
    const std::string id = from.code.str() + "-" + std::to_string(++from.transfers);
    from.outgoing[id] = {OutgoingTransfer{OutgoingState::kProposed, now_ + kTimeLimitSeconds,
                                          now_ + RetryDelaySeconds(0)},
                         units};
    SendProposal(from, id);
  }

  void SendProposal(Side& from, const std::string& id) {
    core::Record body;
    body.Add("units", UnitsText(from.outgoing[id].second));
    Send(from, id, MessageKind::kProposal, std::move(body));
  }

  void Corrupt() {
    if (network_.empty()) return;
    Envelope e = network_[Pick()];
    e.body.Add("units", "99,");  // changed after signing
    const size_t before = static_cast<size_t>(refused(802));
    Deliver(e);
    EXPECT_EQ(static_cast<size_t>(refused(802)), before + 1);
  }

  void DeliverOne() {
    if (network_.empty()) return;
    const size_t i = Pick();
    Envelope e = std::move(network_[i]);
    network_.erase(network_.begin() + Offset(i));
    Deliver(e);
  }

  void Deliver(const Envelope& e) {
    Side& to = SideOf(e.to);
    if (auto refusal = CheckEnvelope(e, to.code, peers_, to.last_seq)) {
      ++refusals_[refusal->number()];
      return;
    }
    to.last_seq[e.from] = e.seq;
    const bool mine = e.transaction.starts_with(to.code.str() + "-");
    switch (e.kind) {
      case MessageKind::kProposal:
        return OnProposalHere(to, e);
      case MessageKind::kAnswer:
        return PerformSender(to, e.transaction, [&](const OutgoingTransfer& t) {
          return OnAnswer(t, e.body.Get("answer").value() == "accepted", now_);
        });
      case MessageKind::kOutcome:
        return OnOutcomeHere(to, e.transaction, e.body.Get("outcome").value() == "completed");
      case MessageKind::kStatusRequest:
        return AnswerStatus(to, e.transaction, mine);
      case MessageKind::kStatus: {
        const ReportedState state = *ReportedStateFromName(e.body.Get("state").value());
        if (mine) {
          return PerformSender(to, e.transaction, [&](const OutgoingTransfer& t) {
            return OnReceiverStatus(t, state, now_);
          });
        }
        auto in = to.incoming.find(e.transaction);
        if (in != to.incoming.end())
          PerformReceiver(to, e.transaction, OnSenderStatus(in->second.first, state));
        return;
      }
    }
  }

  void OnProposalHere(Side& to, const Envelope& e) {
    const std::string units = e.body.Get("units").value();
    auto known = to.incoming.find(e.transaction);
    auto step = OnProposal(known == to.incoming.end() ? nullptr : &known->second.first, units);
    if (auto* refusal = std::get_if<Refusal>(&step)) {
      ++refusals_[refusal->number()];
      return;
    }
    if (std::get<ReceiverStep>(step) == ReceiverStep::kEvaluate) {
      const bool accept = random_() % 5 != 0;  // the receiver's own checks
      to.incoming[e.transaction] = {
          IncomingTransfer{accept ? IncomingState::kPending : IncomingState::kRejected, units, 0,
                           now_ + RetryDelaySeconds(0)},
          UnitsOf(units)};
    }
    const IncomingState state = to.incoming[e.transaction].first.state;
    core::Record body;
    body.Add("answer", state == IncomingState::kRejected ? "rejected" : "accepted");
    Send(to, e.transaction, MessageKind::kAnswer, std::move(body));
  }

  void OnOutcomeHere(Side& to, const std::string& id, bool completed) {
    auto known = to.incoming.find(id);
    auto step = OnOutcome(known == to.incoming.end() ? nullptr : &known->second.first, completed);
    if (auto* refusal = std::get_if<Refusal>(&step)) {
      ++refusals_[refusal->number()];
      if (refusal->check == ExchangeCheck::kTransitionRefused) ++contradictions_;
      return;
    }
    PerformReceiver(to, id, std::get<ReceiverStep>(step));
  }

  void AnswerStatus(Side& to, const std::string& id, bool mine) {
    ReportedState state = ReportedState::kUnknown;
    if (mine && to.outgoing.contains(id)) state = Reported(to.outgoing[id].first.state);
    if (!mine && to.incoming.contains(id)) state = Reported(to.incoming[id].first.state);
    core::Record body;
    body.Add("state", ReportedStateName(state));
    Send(to, id, MessageKind::kStatus, std::move(body));
  }

  template <typename Decide>
  void PerformSender(Side& side, const std::string& id, Decide decide) {
    auto found = side.outgoing.find(id);
    if (found == side.outgoing.end()) return;
    auto& [transfer, units] = found->second;
    core::Record body;
    switch (decide(transfer)) {
      case SenderStep::kComplete:  // the units leave this registry
        transfer.state = OutgoingState::kCompleted;
        body.Add("outcome", "completed");
        return Send(side, id, MessageKind::kOutcome, std::move(body));
      case SenderStep::kFail:  // the reservation is released
        transfer.state = OutgoingState::kFailed;
        side.held.insert(units.begin(), units.end());
        body.Add("outcome", "failed");
        return Send(side, id, MessageKind::kOutcome, std::move(body));
      case SenderStep::kResendProposal:
        return SendProposal(side, id);
      case SenderStep::kAskStatus:
        transfer.next_retry_s = now_ + RetryDelaySeconds(1);
        return Send(side, id, MessageKind::kStatusRequest, core::Record());
      case SenderStep::kNothing:
        return;
    }
  }

  void PerformReceiver(Side& side, const std::string& id, ReceiverStep step) {
    auto& [transfer, units] = side.incoming[id];
    switch (step) {
      case ReceiverStep::kCreateBlocks:
        transfer.state = IncomingState::kCompleted;
        side.held.insert(units.begin(), units.end());
        return;
      case ReceiverStep::kDropPending:
        transfer.state = IncomingState::kTerminated;
        return;
      case ReceiverStep::kAskStatus:
      case ReceiverStep::kEscalate:  // the model's operator keeps asking
        transfer.next_retry_s = now_ + RetryDelaySeconds(++transfer.retries);
        return Send(side, id, MessageKind::kStatusRequest, core::Record());
      default:
        return;
    }
  }

  void Tick(int64_t seconds) {
    now_ += seconds;
    for (Side* side : {&japan_, &mongolia_}) {
      std::vector<std::string> out_ids, in_ids;
      for (const auto& [id, out] : side->outgoing) out_ids.push_back(id);
      for (const auto& [id, in] : side->incoming) in_ids.push_back(id);
      for (const std::string& id : out_ids) {
        PerformSender(*side, id, [&](const OutgoingTransfer& t) { return OnSenderTick(t, now_); });
      }
      for (const std::string& id : in_ids) {
        PerformReceiver(*side, id, OnReceiverTick(side->incoming[id].first, now_));
      }
    }
  }

  std::mt19937_64 random_;
  Side japan_{"JP"};
  Side mongolia_{"MN"};
  std::map<core::RegistryCode, Peer> peers_;
  std::vector<Envelope> network_;
  std::map<uint16_t, int> refusals_;
  int contradictions_ = 0;
  int64_t now_ = 0;
};

TEST(ExchangeProtocol, PropertyNoUnitIsLostOrDoubledUnderDropsDuplicatesReorderingAndCrashes) {
  int replays = 0, forgeries = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Simulation simulation(seed);
    simulation.RunWithFaults(300);
    simulation.Heal();
    simulation.ExpectConsistent();
    if (HasFailure()) {
      ADD_FAILURE() << "seed " << seed;
      return;
    }
    replays += simulation.refused(803);
    forgeries += simulation.refused(802);
  }
  // The faults did happen: duplicates and overtaken messages were refused by the gate.
  EXPECT_GT(replays, 0);
  EXPECT_GT(forgeries, 0);
}

TEST(ExchangeProtocol, RepliesForAFinalStateChangeNothingAndTheReceiverNeverDecidesAlone) {
  OutgoingTransfer done{OutgoingState::kCompleted, 100, 5};
  EXPECT_EQ(OnAnswer(done, false, 0), SenderStep::kNothing);
  EXPECT_EQ(OnReceiverStatus(done, ReportedState::kRejected, 0), SenderStep::kNothing);
  OutgoingTransfer open{OutgoingState::kProposed, 100, 5};
  EXPECT_EQ(OnAnswer(open, true, 99), SenderStep::kComplete);
  EXPECT_EQ(OnAnswer(open, true, 100), SenderStep::kFail);  // past the time limit
  EXPECT_EQ(OnReceiverStatus(open, ReportedState::kUnknown, 50), SenderStep::kResendProposal);
  EXPECT_EQ(OnSenderTick(open, 4), SenderStep::kNothing);
  EXPECT_EQ(OnSenderTick(open, 5), SenderStep::kAskStatus);
  IncomingTransfer pending{IncomingState::kPending, "d", kRetriesBeforeEscalation, 10};
  EXPECT_EQ(OnReceiverTick(pending, 10), ReceiverStep::kEscalate);  // never drops by itself
  EXPECT_EQ(OnSenderStatus(pending, ReportedState::kProposed), ReceiverStep::kNothing);
  IncomingTransfer rejected{IncomingState::kRejected, "d", 0, 0};
  EXPECT_EQ(std::get<Refusal>(OnOutcome(&rejected, true)).number(), 811);
  EXPECT_EQ(std::get<Refusal>(OnOutcome(nullptr, true)).number(), 810);
  EXPECT_EQ(std::get<Refusal>(OnProposal(&pending, "other")).number(), 812);
  EXPECT_EQ(RetryDelaySeconds(0), 5);
  EXPECT_EQ(RetryDelaySeconds(3), 40);
  EXPECT_EQ(RetryDelaySeconds(30), kRetryMaxSeconds);
}

}  // namespace
}  // namespace jcm::exchange
