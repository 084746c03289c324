// Transfers between registries over HTTP (docs/api.md, "Transfers between registries";
// docs/exchange.md): POST /api/v1/exchange/messages receives one signed envelope from a peer
// registry. No user signs in: the envelope's Ed25519 signature under the peer's configured key
// is the authentication (the service's gate, checks 800–804), and under mutual TLS the
// connection must also carry a client certificate the server's --tls-client-ca verified.
//
// The body is the envelope's wire form as text (the transport's 1 MiB body limit applies);
// 200 with what receiving it did, 422 with the exchange check when the message is refused
// (journaled by the service), 409 when this server has no exchange key.
#include <boost/json.hpp>

#include "server/api.h"
#include "server/paging.h"
#include "server/problem.h"
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

}  // namespace

void Api::ConfigureExchange(const service::ExchangeIdentity* identity,
                            service::ExchangeStateCache* cache, bool client_certificate_required) {
  exchange_identity_ = identity;
  exchange_cache_ = cache;
  exchange_client_certificate_required_ = client_certificate_required;
}

core::Result<HttpResponse> Api::ReceiveExchangeMessage(const RouteCall& call) {
  if (exchange_client_certificate_required_ && !call.context.client_certificate_verified) {
    return Problem(403, "client_certificate_required",
                   "a peer registry's messages come over mutual TLS: present a client "
                   "certificate issued by this server's client CA",
                   call.target.path, call.context.request_id);
  }
  if (exchange_identity_ == nullptr) {
    return core::FailedPrecondition(
        "this registry takes no exchange messages: it has no exchange key (`jcm exchange "
        "keygen`, then `jcm serve --exchange-key`)");
  }
  JCM_ASSIGN_OR_RETURN(auto outcome, service::ReceiveMessage(store_, *exchange_identity_,
                                                             call.request.body, exchange_cache_));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  return JsonResponse(ReceiptJson(std::get<service::ReceiveResult>(outcome)));
}

}  // namespace jcm::server
