#include "cli/terminal.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

namespace serialtrack::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), terminal_(isatty(STDERR_FILENO) != 0) {}

ProgressBar::~ProgressBar() {
  if (shown_) std::cerr << "\r\033[K" << std::flush;
}

void ProgressBar::update(size_t done, size_t total) {
  if (!terminal_ || total == 0) return;
  constexpr size_t kWidth = 30;
  size_t filled = std::min(kWidth, done * kWidth / total);
  std::cerr << "\r" << label_ << " [" << std::string(filled, '#')
            << std::string(kWidth - filled, ' ') << "] " << done << "/" << total << std::flush;
  shown_ = true;
}

std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

bool read_input(const std::string& file, std::string& text) {
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
    return true;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  text.assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

int service_failure(const trace::ServiceError& e) {
  std::cerr << "serialtrack: " << e.message << "\n";
  switch (e.kind) {
    case trace::ServiceError::Kind::kInvalidArgument:
      return 2;
    case trace::ServiceError::Kind::kNotFound:
      return 1;
    case trace::ServiceError::Kind::kStore:
      return 3;
  }
  return 3;
}

}  // namespace serialtrack::cli
