#include "server/router.h"

#include <algorithm>
#include <boost/url/pct_string_view.hpp>

namespace serialtrack::server {
namespace {

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 1;  // after the leading '/'
  if (path.size() <= 1) return out;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// A percent-decoded segment; nullopt when its escapes are malformed.
std::optional<std::string> decode(const std::string& segment) {
  auto pct = boost::urls::make_pct_string_view(segment);
  if (!pct) return std::nullopt;
  return pct->decode();
}

const std::string kEmpty;

}  // namespace

const std::string& RequestContext::param(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return kEmpty;
}

std::optional<std::string> RequestContext::query_value(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::string RequestContext::header(std::string_view name) const {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  return it == request.end() ? std::string() : std::string(it->value());
}

void Router::add(http::verb method, std::string path, std::string summary, Handler handler) {
  Route r{method, path, std::move(summary), std::move(handler), split(path)};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(http::verb method, std::string_view encoded_path) const {
  Match m;
  auto segments = split(encoded_path);
  std::vector<std::optional<std::string>> decoded;
  decoded.reserve(segments.size());
  for (const auto& s : segments) decoded.push_back(decode(s));
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; ok && i < segments.size(); ++i) {
      const auto& t = route.segments[i];
      if (is_param(t)) {
        if (!decoded[i] || decoded[i]->empty())
          ok = false;
        else
          params.emplace_back(t.substr(1, t.size() - 2), *decoded[i]);
      } else {
        ok = decoded[i] && *decoded[i] == t;
      }
    }
    if (!ok) continue;
    // Literal templates win over parameters: "/queries/x" is tried in the table's order,
    // so the first template that matched is the path's (all its methods share it).
    if (m.template_path.empty()) m.template_path = route.path;
    if (route.path != m.template_path) continue;
    m.allowed.push_back(route.method);
    if (route.method == method && !m.route) {
      m.route = &route;
      m.path_params = std::move(params);
    }
  }
  return m;
}

std::string allow_header(const std::vector<http::verb>& methods) {
  std::vector<std::string> names;
  for (auto v : methods) names.emplace_back(http::to_string(v));
  names.emplace_back("OPTIONS");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace serialtrack::server
