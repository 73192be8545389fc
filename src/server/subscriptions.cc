#include "server/subscriptions.h"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/hmac.h"
#include "epcis/json_codec.h"
#include "epcis/time.h"
#include "server/connection.h"
#include "server/access.h"
#include "server/auth.h"
#include "server/epcis_http.h"
#include "trace/query.h"

namespace serialtrack::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

// One WebSocket subscriber, whatever the connection under it.
class Stream {
 public:
  virtual ~Stream() = default;
  // Queues text as one message; sent in order once the handshake is done.
  virtual void send(std::string text) = 0;
  // Sends a close frame with code (RFC 6455 §7.4.1: 1001 going away, 1008 policy
  // violation) after what is being written, and sends nothing more; done (may be empty)
  // runs once the closing handshake has ended, or failed, or the stream was closed already.
  virtual void close(websocket::close_code code, std::function<void()> done) = 0;
  // Closes the connection now (a client that does not answer the close frame).
  virtual void abort() = 0;
  bool closed() const { return closed_; }

 protected:
  std::atomic<bool> closed_ = false;
};

// A subscriber over Next (PlainStream or TlsStream): writes queued documents in order on
// its strand.
template <class Next>
class WebSocketStream : public Stream, public std::enable_shared_from_this<WebSocketStream<Next>> {
 public:
  explicit WebSocketStream(Next next) : ws_(std::move(next)) {}

  void start(Request request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(request, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) {
        self->closed_ = true;
        return self->closing_done();
      }
      self->open_ = true;
      if (self->close_code_) return self->send_close();  // closed during the handshake
      self->read();
      self->write_next();
    });
  }

  void send(std::string text) override {
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this(), text = std::move(text)]() mutable {
                 self->queue_.push_back(std::move(text));
                 if (self->open_ && self->queue_.size() == 1) self->write_next();
               });
  }

  void close(websocket::close_code code, std::function<void()> done) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), code,
                                    done = std::move(done)]() mutable {
      if (self->close_code_ || self->closed_) {  // closing or closed already
        if (done) done();
        return;
      }
      self->closed_ = true;  // nothing more is pushed to it
      self->close_code_ = code;
      self->on_closed_ = std::move(done);
      if (self->open_) self->send_close();  // else once the handshake is done
    });
  }

  void abort() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

 private:
  void send_close() {
    ws_.async_close(*close_code_,
                    [self = this->shared_from_this()](beast::error_code) { self->closing_done(); });
  }

  void closing_done() {
    if (auto done = std::exchange(on_closed_, nullptr)) done();
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->closed_ = true, void();
      self->buffer_.consume(self->buffer_.size());  // clients have nothing to say
      self->read();
    });
  }

  void write_next() {
    if (queue_.empty() || closed_) return;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) return self->closed_ = true, void();
                      self->queue_.pop_front();
                      self->write_next();
                    });
  }

  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool open_ = false;
  std::optional<websocket::close_code> close_code_;  // set when closing began
  std::function<void()> on_closed_;
};

// Starts the WebSocket handshake of request on connection.
std::shared_ptr<Stream> open_websocket(Connection connection, Request request) {
  return std::visit(
      [&](auto& next) -> std::shared_ptr<Stream> {
        using Next = std::decay_t<decltype(next)>;
        auto stream = std::make_shared<WebSocketStream<Next>>(std::move(next));
        stream->start(std::move(request));
        return stream;
      },
      connection.stream);
}

struct Webhook {
  std::string dest, token;
};

struct Subscriber {
  std::string query_name, subscription_id;
  std::string key_id;  // the subscriber's API key ("" for none): checked before each push
  store::EventQuery query;
  int64_t after = 0;  // the sequence of the last event pushed (or seen at subscription)
  std::shared_ptr<Stream> stream;
  std::optional<Webhook> webhook;
};

struct Delivery {
  Webhook hook;
  std::string body;
  std::string key_id;  // the subscriber's: checked again before each attempt
};

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Who makes a subscription: the request's key (no guard ran: the operator).
store::Subscriber subscriber_of(const RequestContext& ctx) {
  if (!ctx.principal) return store::Subscriber{"", std::string(role_name(Role::kAdmin)), ""};
  return store::Subscriber{ctx.principal->key_id, std::string(role_name(ctx.principal->role)),
                           ctx.principal->party};
}

// The party a subscriber's pushes are restricted to (visibility_party: "" sees all);
// nullopt when its role is unknown to this program (nothing is pushed to it).
std::optional<std::string> push_visibility(const store::Subscriber& who) {
  auto role = role_from_name(who.role);
  if (!role) return std::nullopt;
  return visibility_party(Principal{who.key_id, *role, who.party, ""});
}

// Whether dest is a URL we can post to: http://host[:port]/path.
bool postable(const std::string& dest) {
  auto url = boost::urls::parse_uri(dest);
  return url && url->scheme() == "http" && !url->host().empty();
}

// One POST of body to hook.dest; true on a 2xx answer.
bool post_once(const Delivery& d) {
  auto url = boost::urls::parse_uri(d.hook.dest);
  if (!url) return false;
  try {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(5));
    std::string port = url->has_port() ? std::string(url->port()) : "80";
    stream.connect(resolver.resolve(std::string(url->host()), port));
    std::string target(url->encoded_target());
    http::request<http::string_body> req{http::verb::post, target.empty() ? "/" : target, 11};
    req.set(http::field::host, std::string(url->host()));
    req.set(http::field::content_type, "application/ld+json");
    req.set("GS1-EPCIS-Version", kEpcisVersion);
    req.set("GS1-Signature", crypto::to_hex(crypto::hmac_sha256(d.hook.token, d.body)));
    req.body() = d.body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return res.result_int() / 100 == 2;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

struct Subscriptions::State {
  store::Store& events;
  store::NamedQueries& queries;
  store::ApiKeys& keys;
  std::mutex mu;  // subscribers and their cursors
  std::vector<Subscriber> subscribers;
  bool streams_closed = false;  // under mu: the server is stopping; a new stream is closed

  std::mutex delivery_mu;
  std::condition_variable delivery_cv;
  std::deque<Delivery> deliveries;
  bool stopping = false;
  std::thread worker;

  State(store::Store& e, store::NamedQueries& q, store::ApiKeys& k)
      : events(e), queries(q), keys(k) {}

  // The sequence of the newest event stored (0 when none).
  int64_t latest_sequence() {
    store::EventQuery q;
    q.order_by = store::EventQuery::OrderBy::kRecordTime;
    q.descending = true;
    q.limit = 1;
    auto page = events.query(q);
    return page && !page->events.empty() ? page->events[0].sequence : 0;
  }

  // A subscriber to named as who; nullopt when the query no longer parses or who's role
  // is unknown.
  std::optional<Subscriber> subscriber(const store::NamedQuery& named, std::string id,
                                       const store::Subscriber& who) {
    auto q = trace::parse_query(named.parameters);
    auto visibility = push_visibility(who);
    if (!q || !visibility) return std::nullopt;
    Subscriber s;
    s.query_name = named.name;
    s.subscription_id = std::move(id);
    s.key_id = who.key_id;
    s.query = std::move(*q);
    s.query.visible_to_party = std::move(*visibility);         // the subscriber's events only
    s.query.order_by = store::EventQuery::OrderBy::kSequence;  // a stream is capture order
    s.query.descending = false;
    s.query.max_event_count.reset();
    s.query.limit = 1000;
    s.after = latest_sequence();
    return s;
  }

  void deliver_loop() {
    using namespace std::chrono_literals;
    while (true) {
      Delivery d;
      {
        std::unique_lock lock(delivery_mu);
        delivery_cv.wait(lock, [&] { return stopping || !deliveries.empty(); });
        if (stopping) return;
        d = std::move(deliveries.front());
        deliveries.pop_front();
      }
      auto backoff = 200ms;
      for (int attempt = 0; attempt < 4; ++attempt) {
        auto in_force = key_in_force(keys, d.key_id);
        if (!in_force || !*in_force) break;  // revoked since (or unknown now): not posted
        if (post_once(d)) break;
        std::unique_lock lock(delivery_mu);
        if (delivery_cv.wait_for(lock, backoff, [&] { return stopping; })) return;
        backoff *= 4;
      }
    }
  }
};

Subscriptions::Subscriptions(store::Store& events, store::NamedQueries& queries,
                             store::ApiKeys& keys)
    : state_(std::make_shared<State>(events, queries, keys)) {
  auto stored = queries.subscriptions("");
  if (stored)
    for (const auto& sub : *stored) {
      auto named = queries.query(sub.query_name);
      if (!named || !*named) continue;
      if (auto s = state_->subscriber(**named, sub.id, sub.subscriber)) {
        s->webhook = Webhook{sub.dest, sub.signature_token};
        state_->subscribers.push_back(std::move(*s));
      }
    }
  state_->worker = std::thread([state = state_] { state->deliver_loop(); });
}

Subscriptions::~Subscriptions() {
  shutdown();
}

void Subscriptions::shutdown() {
  {
    std::lock_guard lock(state_->delivery_mu);
    state_->stopping = true;
    state_->delivery_cv.notify_all();
  }
  if (state_->worker.joinable()) state_->worker.join();
  std::lock_guard lock(state_->mu);
  state_->streams_closed = true;
  for (auto& s : state_->subscribers)
    if (s.stream) s.stream->close(websocket::close_code::going_away, nullptr);
  state_->subscribers.clear();
}

namespace {

// Counts the streams whose closing handshake is still on.
struct ClosingStreams {
  std::mutex mu;
  std::condition_variable cv;
  size_t open = 0;
};

}  // namespace

void Subscriptions::close_streams(std::chrono::steady_clock::time_point deadline) {
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::lock_guard lock(state_->mu);
    state_->streams_closed = true;
    std::erase_if(state_->subscribers, [&](const Subscriber& s) {
      if (s.stream) streams.push_back(s.stream);
      return s.stream != nullptr;
    });
  }
  auto closing = std::make_shared<ClosingStreams>();
  closing->open = streams.size();
  for (auto& stream : streams)
    stream->close(websocket::close_code::going_away, [closing] {
      std::lock_guard lock(closing->mu);
      if (--closing->open == 0) closing->cv.notify_all();
    });
  {
    std::unique_lock lock(closing->mu);
    closing->cv.wait_until(lock, deadline, [&] { return closing->open == 0; });
  }
  // A client that has not answered its close frame by now is not waited for.
  for (auto& stream : streams) stream->abort();
}

void Subscriptions::captured() {
  auto& st = *state_;
  // Key id -> in force, read once per capture (one key may hold many subscriptions).
  std::unordered_map<std::string, bool> in_force;
  std::lock_guard lock(st.mu);
  for (auto it = st.subscribers.begin(); it != st.subscribers.end();) {
    if (it->stream && it->stream->closed()) {
      it = st.subscribers.erase(it);
      continue;
    }
    auto known = in_force.find(it->key_id);
    if (known == in_force.end()) {
      auto checked = key_in_force(st.keys, it->key_id);
      if (!checked) {  // the key store failed: pushed from the same cursor next time
        ++it;
        continue;
      }
      known = in_force.emplace(it->key_id, *checked).first;
    }
    if (!known->second) {  // revoked: this subscriber gets nothing more
      if (it->stream)
        it->stream->close(websocket::close_code::policy_error, nullptr);
      else
        st.queries.unsubscribe(it->query_name, it->subscription_id);
      it = st.subscribers.erase(it);
      continue;
    }
    std::vector<epcis::Event> fresh;
    while (true) {
      it->query.after_sequence = it->after;
      auto page = st.events.query(it->query);
      if (!page) break;
      for (auto& e : page->events) {
        it->after = e.sequence;
        fresh.push_back(std::move(e.event));
      }
      if (!page->next_after) break;
    }
    if (!fresh.empty()) {
      epcis::Document doc;
      doc.kind = epcis::Document::Kind::kQueryDocument;
      doc.query_name = it->query_name;
      doc.subscription_id = it->subscription_id;
      doc.events = std::move(fresh);
      std::string body =
          epcis::encode_json(doc, {.epc_format = epcis::EpcFormat::kAlwaysDigitalLink});
      if (it->stream) {
        it->stream->send(std::move(body));
      } else if (it->webhook) {
        std::lock_guard dl(st.delivery_mu);
        st.deliveries.push_back({*it->webhook, std::move(body), it->key_id});
        st.delivery_cv.notify_one();
      }
    }
    ++it;
  }
}

Response Subscriptions::open_stream(RequestContext& ctx, const store::NamedQuery& query) {
  if (!websocket::is_upgrade(ctx.request) || ctx.upgrade == nullptr)
    return problem(
        ctx, subscription_controls_exception("stream=true opens a WebSocket: send the request with "
                                             "Connection: Upgrade and Upgrade: websocket"));
  auto id = new_resource_id();
  if (!id) return problem(ctx, implementation_exception("the random generator failed"));
  auto sub = state_->subscriber(query, *id, subscriber_of(ctx));
  if (!sub) return problem(ctx, implementation_exception("the stored query no longer parses"));
  std::weak_ptr<State> weak = state_;
  *ctx.upgrade = [weak, sub = std::move(*sub)](Connection connection, Request request) mutable {
    auto state = weak.lock();
    if (!state) return;
    // Registered as its handshake starts (under mu): a stop's close_streams cannot miss it.
    std::lock_guard lock(state->mu);
    sub.stream = open_websocket(std::move(connection), std::move(request));
    if (state->streams_closed)  // opened while the server stops
      return sub.stream->close(websocket::close_code::going_away, nullptr);
    state->subscribers.push_back(std::move(sub));
  };
  Response res{http::status::switching_protocols, ctx.request.version()};
  return res;
}

void Subscriptions::query_deleted(const std::string& name) {
  std::lock_guard lock(state_->mu);
  auto& subs = state_->subscribers;
  for (auto it = subs.begin(); it != subs.end();) {
    if (it->query_name != name) {
      ++it;
      continue;
    }
    if (it->stream) it->stream->close(websocket::close_code::going_away, nullptr);
    it = subs.erase(it);
  }
}

void Subscriptions::add_routes(Router& router) {
  auto state = state_;
  auto sub_json = [](const store::QuerySubscription& s) {
    // AbstractQuerySubscription: the secret is never shown again.
    return json::object{{"subscriptionID", s.id},
                        {"queryName", s.query_name},
                        {"dest", s.dest},
                        {"stream", true},
                        {"createdAt", epcis::format_timestamp_utc({s.created * 1'000'000, 0})}};
  };
  // The caller's subscription {subscriptionID} to the query of the path; another party's
  // is answered as absent.
  auto find_subscription =
      [state](RequestContext& ctx) -> serialtrack::Result<store::QuerySubscription, Problem> {
    auto named = find_owned_query(state->queries, ctx);
    if (!named) return unexpected(std::move(named).error());
    auto subs = state->queries.subscriptions(named->name);
    if (!subs) return unexpected(store_problem(subs.error()));
    for (auto& s : *subs)
      if (s.id == ctx.param("subscriptionID") && caller_owns(ctx, s.subscriber.party))
        return std::move(s);
    return unexpected(no_such_resource_exception("no subscription " + ctx.param("subscriptionID")));
  };
  router.add(
      http::verb::post, "/queries/{queryName}/subscriptions",
      "Subscribe a webhook {dest, signatureToken} to a named query's new events (those the "
      "subscriber's key may see)",
      [state, sub_json](RequestContext& ctx) {
        auto named = find_owned_query(state->queries, ctx);
        if (!named) return problem(ctx, named.error());
        boost::system::error_code ec;
        json::value body = json::parse(ctx.request.body(), ec);
        if (ec || !body.is_object())
          return problem(ctx, subscription_controls_exception("the body is not a JSON object"));
        auto* dest = body.as_object().if_contains("dest");
        auto* token = body.as_object().if_contains("signatureToken");
        if (!dest || !dest->is_string() || !postable(std::string(dest->as_string())))
          return problem(ctx, subscription_controls_exception(
                                  "dest: an http:// URL is required (https is not offered)"));
        if (!token || !token->is_string() || token->as_string().empty())
          return problem(ctx, subscription_controls_exception("signatureToken: required"));
        auto id = new_resource_id();
        if (!id) return problem(ctx, implementation_exception("the random generator failed"));
        store::QuerySubscription sub{*id,
                                     named->name,
                                     std::string(dest->as_string()),
                                     std::string(token->as_string()),
                                     now_millis(),
                                     subscriber_of(ctx)};
        auto subscriber = state->subscriber(*named, sub.id, sub.subscriber);
        if (!subscriber)
          return problem(ctx, implementation_exception("the stored query no longer parses"));
        auto stored = state->queries.subscribe(sub);
        if (!stored) return problem(ctx, store_problem(stored.error()));
        if (!*stored)
          return problem(ctx, no_such_resource_exception("no query named " + named->name));
        subscriber->webhook = Webhook{sub.dest, sub.signature_token};
        {
          std::lock_guard lock(state->mu);
          state->subscribers.push_back(std::move(*subscriber));
        }
        Response res = json_response(ctx, http::status::created, sub_json(sub), "application/json");
        res.set(http::field::location, "/queries/" + named->name + "/subscriptions/" + sub.id);
        return res;
      });
  router.add(http::verb::get, "/queries/{queryName}/subscriptions",
             "The caller's webhook subscriptions to a named query (admin: all)",
             [state, sub_json](RequestContext& ctx) {
               auto named = find_owned_query(state->queries, ctx);
               if (!named) return problem(ctx, named.error());
               auto subs = state->queries.subscriptions(named->name);
               if (!subs) return problem(ctx, store_problem(subs.error()));
               json::array out;
               for (const auto& s : *subs)
                 if (caller_owns(ctx, s.subscriber.party)) out.push_back(sub_json(s));
               return json_response(ctx, http::status::ok, out, "application/json");
             });
  router.add(http::verb::get, "/queries/{queryName}/subscriptions/{subscriptionID}",
             "One webhook subscription", [find_subscription, sub_json](RequestContext& ctx) {
               auto sub = find_subscription(ctx);
               if (!sub) return problem(ctx, sub.error());
               return json_response(ctx, http::status::ok, sub_json(*sub), "application/json");
             });
  router.add(http::verb::delete_, "/queries/{queryName}/subscriptions/{subscriptionID}",
             "Unsubscribe a webhook", [state, find_subscription](RequestContext& ctx) {
               auto sub = find_subscription(ctx);
               if (!sub) return problem(ctx, sub.error());
               auto removed = state->queries.unsubscribe(sub->query_name, sub->id);
               if (!removed) return problem(ctx, store_problem(removed.error()));
               if (!*removed)
                 return problem(ctx, no_such_resource_exception("no subscription " + sub->id));
               std::lock_guard lock(state->mu);
               std::erase_if(state->subscribers,
                             [&](const Subscriber& s) { return s.subscription_id == sub->id; });
               return epcis_response(ctx, http::status::no_content, "", "");
             });
}

}  // namespace serialtrack::server
