// Running the built `serialtrack` program as a user does, for the CLI tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace serialtrack::testing {

struct ProgramRun {
  std::string out;  // standard output (and standard error when merged)
  int status;       // exit status, -1 when killed
};

enum class Stderr { kDiscard, kMerge };

// Runs SERIALTRACK_BINARY with args (shell-quoted by the caller), feeding stdin_text.
inline ProgramRun run_program(const std::string& args, Stderr err = Stderr::kDiscard,
                              const std::string& stdin_text = "") {
  // A file of this process's own: test executables run in parallel (ctest -j).
  static int calls = 0;
  std::string in = ::testing::TempDir() + "/program_stdin_" + std::to_string(getpid()) + "_" +
                   std::to_string(++calls) + ".txt";
  std::ofstream(in) << stdin_text;
  std::string cmd = std::string(SERIALTRACK_BINARY) + " " + args + " < " + in +
                    (err == Stderr::kMerge ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  ProgramRun r{"", -1};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::remove(in.c_str());
  return r;
}

}  // namespace serialtrack::testing
