// Output for people: a progress bar drawn small over stderr (only when stderr is a
// terminal), and text tables with columns padded to their widest cell; and reading a
// command's input file, "-" being standard input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "trace/service_error.h"

namespace serialtrack::cli {

// Draws "label [#####     ] done/total" over itself on stderr; erased when destroyed.
// Does nothing when stderr is not a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void update(size_t done, size_t total);

 private:
  std::string label_;
  bool shown_ = false;
  bool terminal_;
};

// Prints a service's error on stderr and gives the exit status: 2 bad argument, 1 not
// found, 3 store failure (the same for every command).
int service_failure(const trace::ServiceError& e);

// The rows (the first is the header) as text: columns two spaces apart, padded.
std::string text_table(const std::vector<std::vector<std::string>>& rows);

// Reads the whole of file ("-": standard input) into text; false when it cannot be read.
bool read_input(const std::string& file, std::string& text);

}  // namespace serialtrack::cli
