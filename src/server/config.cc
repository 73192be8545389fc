#include "server/config.h"

#include <charconv>
#include <fstream>
#include <iterator>

namespace serialtrack::server {
namespace {

constexpr const char* kKeys[] = {"db",
                                 "listen",
                                 "threads",
                                 "write_threads",
                                 "body_limit",
                                 "capture_limit",
                                 "capture_file_size_limit",
                                 "page_limit",
                                 "allocation_limit",
                                 "read_timeout_ms",
                                 "idle_timeout_ms",
                                 "log_level",
                                 "open",
                                 "tls_cert",
                                 "tls_key",
                                 "verification_rate",
                                 "verification_burst"};

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool parse_non_negative(std::string_view text, double& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && out >= 0;
}

template <typename T>
bool parse_unsigned(std::string_view text, T& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

ConfigResult set_config(ServeConfig& c, std::string_view key, std::string_view value) {
  auto number = [&](auto& field) -> ConfigResult {
    if (!parse_unsigned(value, field))
      return unexpected(std::string(key) + ": '" + std::string(value) +
                        "' is not a non-negative integer");
    return nullptr;
  };
  if (key == "db") {
    if (value.empty()) return unexpected(std::string("db: empty path"));
    c.db = value;
    return nullptr;
  }
  if (key == "listen") {
    if (auto l = parse_listen(value); !l) return unexpected("listen: " + l.error());
    c.listen = value;
    return nullptr;
  }
  if (key == "threads") return number(c.threads);
  if (key == "write_threads") return number(c.write_threads);
  if (key == "body_limit") return number(c.body_limit);
  if (key == "capture_limit") return number(c.capture_limit);
  if (key == "capture_file_size_limit") return number(c.capture_file_size_limit);
  if (key == "page_limit") return number(c.page_limit);
  if (key == "allocation_limit") return number(c.allocation_limit);
  if (key == "read_timeout_ms") return number(c.read_timeout_ms);
  if (key == "idle_timeout_ms") return number(c.idle_timeout_ms);
  if (key == "log_level") {
    for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"})
      if (value == level) {
        c.log_level = value;
        return nullptr;
      }
    return unexpected("log_level: '" + std::string(value) +
                      "' is not trace, debug, info, warn, error, critical or off");
  }
  if (key == "open") {
    if (value != "true" && value != "false")
      return unexpected("open: '" + std::string(value) + "' is neither true nor false");
    c.open = value == "true";
    return nullptr;
  }
  if (key == "verification_rate" || key == "verification_burst") {
    double& field = key == "verification_rate" ? c.verification_limits.rate_per_second
                                               : c.verification_limits.burst;
    if (!parse_non_negative(value, field))
      return unexpected(std::string(key) + ": '" + std::string(value) +
                        "' is not a non-negative number");
    return nullptr;
  }
  if (key == "tls_cert" || key == "tls_key") {
    if (value.empty()) return unexpected(std::string(key) + ": empty path");
    (key == "tls_cert" ? c.tls_cert : c.tls_key) = value;
    return nullptr;
  }
  return unexpected("unknown setting '" + std::string(key) + "'");
}

ConfigResult apply_config_text(ServeConfig& config, std::string_view text,
                               std::string_view source) {
  size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    size_t eq = line.find('=');
    std::string where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    if (eq == std::string_view::npos) return unexpected(where + "not 'key = value'");
    if (auto r = set_config(config, trim(line.substr(0, eq)), trim(line.substr(eq + 1))); !r)
      return unexpected(where + r.error());
  }
  return nullptr;
}

ConfigResult apply_config_file(ServeConfig& config, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return unexpected("cannot read config file " + path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  return apply_config_text(config, text, path);
}

ConfigResult apply_environment(ServeConfig& config,
                               const std::function<const char*(const char*)>& getenv) {
  for (const char* key : kKeys) {
    std::string name = "SERIALTRACK_";
    for (const char* k = key; *k; ++k) name += static_cast<char>(std::toupper(*k));
    const char* value = getenv(name.c_str());
    if (value == nullptr || *value == '\0') continue;
    if (auto r = set_config(config, key, value); !r) return unexpected(name + ": " + r.error());
  }
  return nullptr;
}

serialtrack::Result<ListenAddress, std::string> parse_listen(std::string_view listen) {
  ListenAddress out;
  size_t colon = listen.rfind(':');
  auto quoted = [](std::string_view text, const char* why) {
    std::string message(1, '\'');
    message.append(text).append("' ").append(why);
    return message;
  };
  if (colon == std::string_view::npos || colon == 0)
    return unexpected(quoted(listen, "is not host:port"));
  std::string_view host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!parse_unsigned(listen.substr(colon + 1), out.port))
    return unexpected(quoted(listen.substr(colon + 1), "is not a port (0-65535)"));
  out.host = host;
  return out;
}

}  // namespace serialtrack::server
