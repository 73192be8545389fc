#include "gs1/gcp_length.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace serialtrack::gs1 {

namespace {

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<GcpLengthTable> GcpLengthTable::parse(std::string_view text) {
  GcpLengthTable table;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t end = text.find('\n', line_start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(line_start, end - line_start);
    size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (!line.empty()) {
      size_t gap = line.find_first_of(" \t");
      std::string_view digits = line.substr(0, gap);
      std::string_view length =
          gap == std::string_view::npos ? std::string_view() : trim(line.substr(gap));
      auto bad = [&](const char* why) {
        return unexpected(
            make_error(ErrorCode::GCP_TABLE_INVALID_LINE, {}, line_start, end - line_start, why));
      };
      if (digits.empty() || digits.size() > 13 || !all_digits(digits)) {
        return bad("a GCP length table line must start with 1-13 digits");
      }
      if (length.empty() || length.size() > 2 || !all_digits(length)) {
        return bad("a GCP length table line must end with a length");
      }
      int n = length.size() == 1 ? length[0] - '0' : (length[0] - '0') * 10 + length[1] - '0';
      if (n != 0 && (n < 6 || n > 12)) return bad("a GS1 Company Prefix has 6-12 digits");
      Entry e{};
      std::copy(digits.begin(), digits.end(), e.digits);
      e.digit_count = static_cast<uint8_t>(digits.size());
      e.gcp_length = static_cast<uint8_t>(n);
      table.entries_.push_back(e);
      table.lengths_present_ |= static_cast<uint16_t>(1u << digits.size());
    }
    line_start = end + 1;
  }
  // Stable sort then keep the last of equal prefixes: a later line replaces an earlier.
  std::stable_sort(table.entries_.begin(), table.entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.prefix() < b.prefix(); });
  std::vector<Entry> unique;
  unique.reserve(table.entries_.size());
  for (const Entry& e : table.entries_) {
    if (!unique.empty() && unique.back().prefix() == e.prefix()) {
      unique.back() = e;
    } else {
      unique.push_back(e);
    }
  }
  table.entries_ = std::move(unique);
  return table;
}

Result<GcpLengthTable> GcpLengthTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return unexpected(make_error(ErrorCode::GCP_TABLE_UNREADABLE, {}, 0, 0,
                                 "cannot read GCP length table " + path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

std::optional<size_t> GcpLengthTable::lookup(std::string_view key) const {
  size_t longest = std::min<size_t>(key.size(), 13);
  for (size_t n = longest; n >= 1; --n) {
    if (!(lengths_present_ & (1u << n))) continue;
    std::string_view prefix = key.substr(0, n);
    auto it = std::lower_bound(entries_.begin(), entries_.end(), prefix,
                               [](const Entry& e, std::string_view p) { return e.prefix() < p; });
    if (it != entries_.end() && it->prefix() == prefix) {
      if (it->gcp_length == 0) return std::nullopt;
      return it->gcp_length;
    }
  }
  return std::nullopt;
}

}  // namespace serialtrack::gs1
