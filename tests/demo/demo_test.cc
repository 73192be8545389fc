// `make demo` as a newcomer runs it, in its check mode (`scripts/demo --check`): the
// demo starts `serialtrack serve` on a fresh database, loads a small simulated chain
// through it, recalls a lot, then runs each curl command it prints and checks the
// answer (health, a genuine pack verified, the public answer, a clone not verified, a
// recalled pack RECALLED, a pallet's events), and stops the server with SIGINT.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <regex>
#include <string>

namespace serialtrack::testing {
namespace {

const std::string kDemo = std::string(SERIALTRACK_TEST_DATA) + "/../../scripts/demo";

TEST(Demo, ServesTheSimulatedChainAnswersItsExamplesAndStopsCleanly) {
  std::string cmd = "DEMO_ITEMS=400 " + kDemo + " --check " + SERIALTRACK_BINARY + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;

  EXPECT_NE(out.find("posted to http://127.0.0.1:"), std::string::npos) << out;
  for (const char* check :
       {"check ok: Is the server up?", "check ok: A genuine pack on a shelf",
        "check ok: The same pack asked by anyone", "check ok: A clone", "check ok: A recalled pack",
        "check ok: Trace a pallet", "check ok: the server stopped cleanly"})
    EXPECT_NE(out.find(check), std::string::npos) << check << "\n" << out;
  EXPECT_EQ(out.find("FAILED"), std::string::npos) << out;
  // The curl commands are printed with the server's URL and a key, ready to paste.
  EXPECT_TRUE(std::regex_search(
      out, std::regex("curl -s -H 'Authorization: Bearer st_[^']+' "
                      "'http://127\\.0\\.0\\.1:[0-9]+/verify\\?gtin=[0-9]{14}&serial=[^']+'")))
      << out;

  // The server it started is gone, not left running.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("\\(pid ([0-9]+)\\)"))) << out;
  pid_t server = static_cast<pid_t>(std::stol(m[1]));
  EXPECT_EQ(kill(server, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace serialtrack::testing
