// The request path every HTTP request takes, independent of sockets: parse the target,
// find the route (404 / 405 with Allow / OPTIONS answered from the route table), run the
// guard (the one place an authorisation check is made for every route), call the
// handler (an exception becomes a 500 ImplementationException), add the headers every
// response carries, count it in Metrics and log one line (method, route, status, micros).
//
// Thread-safety: configure before serving; handle() is then safe for concurrent use.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http.h"
#include "server/metrics.h"
#include "server/problem.h"
#include "server/router.h"

namespace spdlog {
class logger;
}

namespace serialtrack::server {

class Dispatcher {
 public:
  // router and metrics must outlive the Dispatcher. logger may be null (no request log).
  Dispatcher(const Router& router, Metrics& metrics, std::shared_ptr<spdlog::logger> logger);

  // Runs before every handler of a matched route (not for OPTIONS): a Problem answers the
  // request instead of the handler (401/403 from access control).
  using Guard = std::function<std::optional<Problem>(RequestContext&)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }

  // A header set on every response (unless the handler set it).
  void add_response_header(std::string name, std::string value);

  // The answer to request. Never throws. When upgrade is given and the handler takes
  // the connection over (status 101), *upgrade is set: the caller hands the socket to it.
  // remote_address: the client's IP address (RequestContext::remote_address).
  Response handle(const Request& request, Upgrade* upgrade = nullptr,
                  std::string remote_address = {}) const;

  const Router& router() const { return router_; }

  // The longest request target accepted (414 beyond).
  static constexpr size_t kMaxTarget = 16 * 1024;

 private:
  Response route(const Request& request, std::string& route_label, Upgrade* upgrade,
                 std::string remote_address) const;

  const Router& router_;
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> logger_;
  Guard guard_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace serialtrack::server
