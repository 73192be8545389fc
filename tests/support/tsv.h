// Reading the reference vector files of ../shared/testdata: TSV with one header line,
// fields escaped as in PostgreSQL COPY text format (\\ \t \n \r \xHH).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace serialtrack::testing {

// Root of the shared reference data (CI has it beside the repository).
inline std::filesystem::path shared_testdata() { return SERIALTRACK_SHARED_TESTDATA; }

// A whole file's bytes ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string unescape_copy_field(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '\\': out += '\\'; break;
      case 'x':
        if (i + 2 < s.size()) {
          out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
          i += 2;
        }
        break;
      default: out += '\\'; out += c; break;
    }
  }
  return out;
}

// One row: field by column name, unescaped.
struct TsvRow {
  size_t line = 0;
  std::map<std::string, std::string> fields;
  const std::string& operator[](const std::string& column) const {
    static const std::string empty;
    auto it = fields.find(column);
    return it == fields.end() ? empty : it->second;
  }
  // "file:line" for failure messages.
  std::string where;
};

// Reads a TSV file of the shared test data. Returns false (and the caller should
// GTEST_SKIP) when the file is absent.
inline bool read_tsv(const std::string& relative, std::vector<TsvRow>& rows) {
  auto path = shared_testdata() / relative;
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::vector<std::string> header;
  size_t n = 0;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    size_t start = 0;
    for (;;) {
      size_t tab = l.find('\t', start);
      f.push_back(l.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    return f;
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      header = split(line);
      continue;
    }
    auto f = split(line);
    TsvRow row;
    row.line = n;
    row.where = relative + ":" + std::to_string(n);
    for (size_t i = 0; i < header.size(); ++i)
      row.fields[header[i]] = i < f.size() ? unescape_copy_field(f[i]) : std::string();
    rows.push_back(std::move(row));
  }
  return true;
}

}  // namespace serialtrack::testing

// Loads rows from a shared test data file or skips the test, saying so.
#define SERIALTRACK_LOAD_TSV(relative, rows)                                        \
  do {                                                                              \
    if (!::serialtrack::testing::read_tsv(relative, rows))                          \
      GTEST_SKIP() << "skipped: " << relative << " not found under "                \
                   << ::serialtrack::testing::shared_testdata();                    \
  } while (0)
