#include "server/client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <optional>
#include <thread>

namespace serialtrack::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

struct Client::Connection {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool open = false;
  bool used = false;  // a request was answered on it: the server may have closed it since

  // Runs the asynchronous operation start begins (given its completion handler) to its
  // end and returns its error: tcp_stream's expiry (the request timeout) applies only to
  // asynchronous operations.
  template <typename Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    open = used = false;
  }
};

namespace {

std::string text(beast::string_view s) {
  return std::string(s.data(), s.size());
}

std::optional<int64_t> integer(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}

// A capture job's JSON (server/epcis_routes.cc job_json) read back; nullopt when it is not one.
std::optional<CaptureJobResult> job_from_json(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  const json::value* id = o.if_contains("captureID");
  const json::value* running = o.if_contains("running");
  const json::value* success = o.if_contains("success");
  if (id == nullptr || !id->is_string() || running == nullptr || !running->is_bool() ||
      success == nullptr || !success->is_bool())
    return std::nullopt;
  CaptureJobResult job;
  job.id = std::string(id->as_string());
  job.running = running->as_bool();
  job.success = success->as_bool();
  job.events = integer(o, "eventCount").value_or(0);
  job.accepted = integer(o, "accepted").value_or(0);
  job.duplicates = integer(o, "duplicates").value_or(0);
  if (const json::value* errors = o.if_contains("errors"); errors && errors->is_array())
    for (const json::value& e : errors->as_array()) {
      if (!e.is_object()) continue;
      CaptureJobResult::EventError error;
      error.index = integer(e.as_object(), "eventIndex").value_or(-1);
      if (const json::value* id = e.as_object().if_contains("eventID"); id && id->is_string())
        error.event_id = std::string(id->as_string());
      if (const json::value* m = e.as_object().if_contains("message"); m && m->is_string())
        error.message = std::string(m->as_string());
      job.errors.push_back(std::move(error));
    }
  return job;
}

// Characters a capture ID may hold in a path segment as it is (the server makes them).
bool plain_segment(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

}  // namespace

std::string describe_answer(const std::string& method, const std::string& target,
                            const ClientAnswer& answer) {
  std::string out = method + " " + target + " answered " + std::to_string(answer.status);
  boost::system::error_code ec;
  json::value v = json::parse(answer.body, ec);
  if (!ec && v.is_object()) {  // RFC 9457 problem+json
    const json::object& o = v.as_object();
    if (const json::value* type = o.if_contains("type"); type && type->is_string())
      out += " (" + std::string(type->as_string()) + ")";
    if (const json::value* detail = o.if_contains("detail"); detail && detail->is_string())
      return out + ": " + std::string(detail->as_string());
  }
  if (answer.body.empty()) return out;
  return out + ": " + answer.body.substr(0, 300);
}

ClientResult<std::unique_ptr<Client>> Client::open(const std::string& base_url,
                                                   ClientOptions options) {
  auto url = boost::urls::parse_uri(base_url);
  if (!url || url->scheme() != "http" || url->host().empty())
    return unexpected(ClientError{"'" + base_url + "' is not an http://host:port URL"});
  if (url->has_query() || url->has_fragment())
    return unexpected(ClientError{"'" + base_url +
                                  "' has a query or fragment: give the server's "
                                  "base URL, e.g. http://127.0.0.1:8080"});
  std::unique_ptr<Client> c(new Client());
  c->options_ = std::move(options);
  c->base_url_ = base_url;
  c->host_ = std::string(url->host());
  c->port_ = url->has_port() ? std::string(url->port()) : "80";
  c->path_prefix_ = std::string(url->encoded_path());
  while (!c->path_prefix_.empty() && c->path_prefix_.back() == '/') c->path_prefix_.pop_back();
  c->connection_ = std::make_unique<Connection>();
  return c;
}

Client::~Client() {
  if (connection_ && connection_->open) connection_->close();
}

const std::string& Client::base_url() const {
  return base_url_;
}

ClientResult<ClientAnswer> Client::request(const std::string& method, const std::string& target,
                                           const std::string& content_type,
                                           const std::string& body) {
  http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown)
    return unexpected(ClientError{"'" + method + "' is not an HTTP method"});
  http::request<http::string_body> req{verb, path_prefix_ + target, 11};
  req.set(http::field::host, host_ + ":" + port_);
  req.set(http::field::user_agent, "serialtrack");
  if (!options_.key.empty()) req.set(http::field::authorization, "Bearer " + options_.key);
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  if (!body.empty() || verb == http::verb::post) {
    req.body() = body;
    req.prepare_payload();
  }
  Connection& c = *connection_;
  for (int attempt = 0;; ++attempt) {
    bool reused = c.used;
    beast::error_code ec;
    if (!c.open) {
      tcp::resolver resolver(c.ioc);
      auto endpoints = resolver.resolve(host_, port_, ec);
      if (ec) return unexpected(ClientError{"cannot resolve " + host_ + ": " + ec.message()});
      c.stream.expires_after(options_.timeout);
      ec = c.run([&](auto done) { c.stream.async_connect(endpoints, done); });
      if (ec)
        return unexpected(ClientError{"cannot connect to " + base_url_ + ": " + ec.message()});
      c.open = true;
      reused = false;
    }
    c.stream.expires_after(options_.timeout);
    ec = c.run([&](auto done) { http::async_write(c.stream, req, done); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    if (!ec) ec = c.run([&](auto done) { http::async_read(c.stream, c.buffer, parser, done); });
    if (ec) {
      c.close();
      // A kept-alive connection the server closed while idle: once more on a new one
      // (the routes a client sends are idempotent: captures by eventID, verifications).
      if (reused && attempt == 0 && ec != beast::error::timeout) continue;
      return unexpected(
          ClientError{method + " " + target + " to " + base_url_ + ": " +
                      (ec == beast::error::timeout ? "no answer in time" : ec.message())});
    }
    auto res = parser.release();
    ClientAnswer a;
    a.status = res.result_int();
    a.content_type = text(res[http::field::content_type]);
    a.location = text(res[http::field::location]);
    a.retry_after = text(res[http::field::retry_after]);
    a.body = std::move(res.body());
    if (res.keep_alive())
      c.used = true;
    else
      c.close();
    return a;
  }
}

ClientResult<CaptureJobResult> Client::capture_job(const std::string& capture_id) {
  if (!plain_segment(capture_id))
    return unexpected(ClientError{"'" + capture_id + "' is not a capture ID"});
  const std::string target = "/capture/" + capture_id;
  auto answer = request("GET", target);
  if (!answer) return unexpected(answer.error());
  if (answer->status != 200)
    return unexpected(ClientError{describe_answer("GET", target, *answer)});
  auto job = job_from_json(answer->body);
  if (!job)
    return unexpected(ClientError{"GET " + target + " answered a body that is not a capture job"});
  return *job;
}

ClientResult<CaptureJobResult> Client::capture(const std::string& document_json) {
  auto answer = request("POST", "/capture", "application/ld+json", document_json);
  if (!answer) return unexpected(answer.error());
  if (answer->status != 202)
    return unexpected(ClientError{describe_answer("POST", "/capture", *answer)});
  auto job = job_from_json(answer->body);
  if (!job) {
    // EPCIS 2.0 §12.4 promises only the Location of the job; read the job there.
    const std::string prefix = path_prefix_ + "/capture/";
    std::string location = answer->location;
    size_t at = location.find(prefix);
    if (at == std::string::npos)
      return unexpected(
          ClientError{"POST /capture answered 202 without a capture job or Location"});
    job.emplace();
    job->id = location.substr(at + prefix.size());
    job->running = true;
  }
  // Poll a job still running, backing off from 20 ms to 1 s between looks.
  for (auto pause = std::chrono::milliseconds(20); job->running;
       pause = std::min(pause * 2, std::chrono::milliseconds(1000))) {
    std::this_thread::sleep_for(pause);
    auto next = capture_job(job->id);
    if (!next) return unexpected(next.error());
    job = std::move(*next);
  }
  return *job;
}

ClientResult<json::array> Client::verify(const json::array& batch) {
  const std::string body = json::serialize(batch);
  for (int waited = 0;; ++waited) {
    auto answer = request("POST", "/verify", "application/json", body);
    if (!answer) return unexpected(answer.error());
    if (answer->status == 429 && waited < options_.max_retries_after_429) {
      int seconds = 1;  // RFC 9110 §10.2.3: delay-seconds (an HTTP-date is taken as 1 s)
      const std::string& after = answer->retry_after;
      std::from_chars(after.data(), after.data() + after.size(), seconds);
      std::this_thread::sleep_for(std::chrono::seconds(std::clamp(seconds, 1, 60)));
      if (batch.size() == 1) continue;
      // Retry-After says when one more is allowed, not n: send halves, each waited out.
      json::array first(batch.begin(),
                        batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2));
      json::array second(batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2),
                         batch.end());
      auto answers = verify(first);
      if (!answers) return answers;
      auto rest = verify(second);
      if (!rest) return rest;
      for (auto& a : *rest) answers->push_back(std::move(a));
      return answers;
    }
    if (answer->status != 200)
      return unexpected(ClientError{describe_answer("POST", "/verify", *answer)});
    boost::system::error_code ec;
    json::value v = json::parse(answer->body, ec);
    if (ec || !v.is_array() || v.as_array().size() != batch.size())
      return unexpected(ClientError{"POST /verify answered " + std::to_string(answer->status) +
                                    " with a body that is not an array of " +
                                    std::to_string(batch.size()) + " answers"});
    return std::move(v.as_array());
  }
}

}  // namespace serialtrack::server
