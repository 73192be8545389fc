// Query subscriptions (EPCIS 2.0 §12.6, §8.2.5): events newly captured that match a
// named query are pushed to its subscribers, each event once, in capture order, as an
// EPCISQueryDocument (queryName, subscriptionID) —
//   - streams: a WebSocket opened by GET /queries/{name}/events?stream=true with an
//     Upgrade (RFC 6455); one text message per capture that matched;
//   - webhooks: POST /queries/{name}/subscriptions {"dest", "signatureToken"}: each
//     document is POSTed to dest (http only) with GS1-Signature: the lowercase hex
//     HMAC-SHA-256 of the body under signatureToken, retried with exponential backoff
//     (4 attempts: 0.2 s, 0.8 s, 3.2 s) until the receiver answers 2xx.
// A subscription records its subscriber's key (id, role, party): it is pushed only the
// events that party may see (EventQuery::visible_to_party = visibility_party, as its
// GET /events would be restricted), and only the subscriber's party (and admin) sees it.
// Before each push the subscriber's key is checked (key_in_force): once it is revoked, its
// stream is closed with 1008 policy violation and its webhook subscription deleted.
// A subscriber starts at the events captured after it subscribed. Matching runs the
// stored query through the store after each capture (from the subscriber's cursor),
// so a subscriber sees exactly what GET /queries/{name}/events would show it.
//
// Thread-safety: safe for concurrent use; captured() may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "server/http.h"
#include "server/router.h"
#include "store/api_keys.h"
#include "store/named_queries.h"
#include "store/store.h"

namespace serialtrack::server {

class Subscriptions {
 public:
  // events, queries and keys must outlive the Subscriptions. Loads the stored webhooks.
  Subscriptions(store::Store& events, store::NamedQueries& queries, store::ApiKeys& keys);
  ~Subscriptions();  // stops deliveries (undelivered posts are dropped) and closes streams
  Subscriptions(const Subscriptions&) = delete;
  Subscriptions& operator=(const Subscriptions&) = delete;

  // After a capture stored new events: pushes them to every subscriber they match.
  void captured();

  // The answer to GET /queries/{name}/events?stream=true for query: 101 with the
  // connection taken over (ctx.upgrade), or 400 SubscriptionControlsException when the
  // request is no WebSocket upgrade.
  Response open_stream(RequestContext& ctx, const store::NamedQuery& query);

  // Adds the webhook routes: POST/GET /queries/{queryName}/subscriptions and GET/DELETE
  // /queries/{queryName}/subscriptions/{subscriptionID}.
  void add_routes(Router& router);

  // Drops the subscribers of a deleted query.
  void query_deleted(const std::string& name);

  // On a graceful stop, while the io threads still run (Server::on_stop): sends every
  // stream a close frame (1001 going away) and waits until each client has answered it or
  // deadline has passed; connections still open then are closed. Streams opened later
  // are closed at once. Returns by deadline.
  void close_streams(std::chrono::steady_clock::time_point deadline);

  // Closes every stream (without waiting) and stops deliveries.
  void shutdown();

  struct State;  // internal

 private:
  std::shared_ptr<State> state_;
};

}  // namespace serialtrack::server
