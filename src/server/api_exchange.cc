// Transfers between registries over HTTP (docs/api.md, "Transfers between registries";
// docs/exchange.md, "Between two servers"). No user signs in on these routes:
//
// - POST /api/v1/exchange/messages receives one signed envelope from a peer registry; the
//   envelope's Ed25519 signature under the peer's configured key is the authentication (the
//   service's gate, checks 800–804). The body is the envelope's wire form as text (the
//   transport's 1 MiB body limit applies); 200 with what receiving it did, 422 with the exchange
//   check when the message is refused (journaled by the service), 409 when this server has no
//   exchange key.
// - GET /api/v1/exchange/snapshot?peer=CODE serves this registry's reconciliation snapshot for
//   that peer (text, the snapshot's wire form), to a request signed with the peer's key
//   (Jcm-Exchange-Time, Jcm-Exchange-Signature; service::SnapshotForPeer). A refusal is 403
//   with its check (800, 802, 804, 836, 837), nothing journaled: the request is a read. The
//   transport runs it on a write worker (LeavesIoThread): building a snapshot reads for seconds.
//
// Under mutual TLS (`--tls-client-ca`) both routes want a client certificate the server
// verified (403 client_certificate_required otherwise), and hold the request to the registry
// its commonName names: a message or request claiming another registry is 403 with check 836
// (the message's refusal journaled, as every refused message is).
#include <boost/json.hpp>

#include "exchange/exchange_check.h"
#include "server/api.h"
#include "server/exchange_transport.h"
#include "server/paging.h"
#include "server/problem.h"
#include "service/exchange_reconcile.h"
#include "service/exchange_transfers.h"

namespace jcm::server {
namespace {

// {"transaction", "kind", "effect", "journal_seq"} (docs/api/openapi.json, ExchangeReceipt).
boost::json::object ReceiptJson(const service::ReceiveResult& result) {
  return boost::json::object{{"transaction", result.transaction},
                             {"kind", result.kind},
                             {"effect", result.effect},
                             {"journal_seq", result.journal_seq}};
}

// The registry the connection's certificate names, for the service's check 836; nullopt without
// mutual TLS.
std::optional<std::string> CertifiedAs(const RouteCall& call) {
  if (!call.context.client_certificate_verified) return std::nullopt;
  return call.context.client_certificate_name;
}

constexpr int kClientCertificateNotPeer =
    static_cast<int>(exchange::ExchangeCheck::kClientCertificateNotPeer);

}  // namespace

void Api::ConfigureExchange(const service::ExchangeIdentity* identity,
                            service::ExchangeStateCache* cache, bool client_certificate_required) {
  exchange_identity_ = identity;
  exchange_cache_ = cache;
  exchange_client_certificate_required_ = client_certificate_required;
}

// 403 under mutual TLS for a request without a verified certificate; 409 without a key.
core::Result<std::optional<HttpResponse>> Api::ExchangeRefusedBeforeService(
    const RouteCall& call) const {
  if (exchange_client_certificate_required_ && !call.context.client_certificate_verified) {
    return std::optional<HttpResponse>(
        Problem(403, "client_certificate_required",
                "a peer registry's requests come over mutual TLS: present a client certificate "
                "issued by this server's client CA",
                call.target.path, call.context.request_id));
  }
  if (exchange_identity_ == nullptr) {
    return core::FailedPrecondition(
        "this registry takes no exchange requests: it has no exchange key (`jcm exchange "
        "keygen`, then `jcm serve --exchange-key`)");
  }
  return std::optional<HttpResponse>();
}

core::Result<HttpResponse> Api::ReceiveExchangeMessage(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(std::optional<HttpResponse> refused, ExchangeRefusedBeforeService(call));
  if (refused) return *std::move(refused);
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service::ReceiveMessage(store_, *exchange_identity_, call.request.body,
                                               CertifiedAs(call), exchange_cache_));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    const int status = rejection->check == kClientCertificateNotPeer ? 403 : 422;
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id, status);
  }
  return JsonResponse(ReceiptJson(std::get<service::ReceiveResult>(outcome)));
}

core::Result<HttpResponse> Api::ExchangeSnapshot(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(std::optional<HttpResponse> refused, ExchangeRefusedBeforeService(call));
  if (refused) return *std::move(refused);
  const std::optional<std::string> peer = StringParam(call.target, "peer");
  if (!peer) return core::InvalidArgument("peer is the registry the snapshot is for: ?peer=CODE");
  const service::SnapshotAsk ask{*peer, HeaderValue(call.request, kExchangeTimeHeader).value_or(""),
                                 HeaderValue(call.request, kExchangeSignatureHeader).value_or(""),
                                 CertifiedAs(call)};
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service::SnapshotForPeer(store_, *exchange_identity_, ask, exchange_cache_));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id, 403);
  }
  HttpResponse response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::get<std::string>(std::move(outcome));
  return response;
}

}  // namespace jcm::server
