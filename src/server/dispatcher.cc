#include "server/dispatcher.h"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include <chrono>
#include <exception>

namespace serialtrack::server {

Dispatcher::Dispatcher(const Router& router, Metrics& metrics,
                       std::shared_ptr<spdlog::logger> logger)
    : router_(router), metrics_(metrics), logger_(std::move(logger)) {}

void Dispatcher::add_response_header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
}

Response Dispatcher::handle(const Request& request, Upgrade* upgrade,
                            std::string remote_address) const {
  auto start = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  Response res;
  try {
    res = route(request, route_label, upgrade, std::move(remote_address));
  } catch (const std::exception& e) {
    res = problem_response(implementation_exception(e.what()), request.version(),
                           request.keep_alive());
  } catch (...) {
    res = problem_response(implementation_exception("unknown failure"), request.version(),
                           request.keep_alive());
  }
  for (const auto& [name, value] : headers_)
    if (res.find(name) == res.end()) res.set(name, value);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  metrics_.record_request(std::string(request.method_string()), route_label, res.result_int(),
                          micros);
  if (logger_)
    logger_->info("{} {} {} {}us", std::string(request.method_string()), route_label,
                  res.result_int(), micros.count());
  return res;
}

Response Dispatcher::route(const Request& request, std::string& route_label, Upgrade* upgrade,
                           std::string remote_address) const {
  unsigned version = request.version();
  bool keep_alive = request.keep_alive();
  auto fail = [&](const Problem& p) { return problem_response(p, version, keep_alive); };
  std::string_view target(request.target().data(), request.target().size());
  if (target.size() > kMaxTarget)
    return fail(uri_too_long_exception("the request target is longer than " +
                                       std::to_string(kMaxTarget) + " bytes"));
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return fail(bad_request("the request target is not a valid origin-form URI"));
  std::string path(url->encoded_path());
  if (path.empty()) path = "/";

  auto match = router_.match(request.method(), path);
  if (match.allowed.empty())
    return fail(no_such_resource_exception("there is no resource at " + path));
  route_label = match.template_path;
  if (request.method() == http::verb::options) {
    Response res{http::status::no_content, version};
    res.set(http::field::allow, allow_header(match.allowed));
    res.keep_alive(keep_alive);
    return res;
  }
  if (!match.route) {
    Response res = fail(method_not_allowed(std::string(request.method_string()) +
                                           " is not allowed on " + match.template_path));
    res.set(http::field::allow, allow_header(match.allowed));
    return res;
  }

  RequestContext ctx{request, *match.route, std::move(match.path_params), {},
                     path,    upgrade,      std::move(remote_address),    nullptr};
  boost::urls::encoding_opts literal_plus;  // '+' stays '+' (timestamps' offsets)
  literal_plus.space_as_plus = false;
  for (auto p : url->params(literal_plus)) ctx.query.emplace_back(p.key, p.value);
  if (guard_)
    if (auto problem = guard_(ctx)) {
      Response res = fail(*problem);
      // RFC 9110 §11.6.1: a 401 names the scheme to authenticate with (RFC 6750 §3).
      if (problem->status == http::status::unauthorized)
        res.set(http::field::www_authenticate, "Bearer");
      return res;
    }
  Response res = match.route->handler(ctx);
  res.version(version);
  if (res.find(http::field::connection) == res.end()) res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace serialtrack::server
