// CSV (RFC 4180) fields for the services' exports: a field is quoted when it holds a
// comma, a quote or a line break, with quotes doubled. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace serialtrack::trace {

// Appends one field (without separator) to out.
inline void append_csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// Appends the fields as one line (comma-separated, CRLF-free "\n" ending).
template <typename Fields>
void append_csv_row(std::string& out, const Fields& fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out.push_back(',');
    first = false;
    append_csv_field(out, f);
  }
  out.push_back('\n');
}

}  // namespace serialtrack::trace
