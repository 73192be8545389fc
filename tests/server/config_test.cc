// serve's settings: config file, then environment, then flags, each overriding the last.
#include "server/config.h"

#include <gtest/gtest.h>

#include <map>

namespace serialtrack::server {
namespace {

TEST(ServeConfig, EnvironmentOverridesTheFileAndFlagsOverrideBoth) {
  ServeConfig c;
  ASSERT_TRUE(apply_config_text(c,
                                "# settings\ndb = /var/lib/st.db\nlisten = 0.0.0.0:80\n"
                                "threads = 4  # cores\ncapture_limit = 500\n",
                                "serve.conf"));
  EXPECT_EQ(c.db, "/var/lib/st.db");
  EXPECT_EQ(c.threads, 4u);
  std::map<std::string, std::string> env{{"SERIALTRACK_LISTEN", "127.0.0.1:9090"},
                                         {"SERIALTRACK_THREADS", "8"}};
  ASSERT_TRUE(apply_environment(c, [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  }));
  EXPECT_EQ(c.listen, "127.0.0.1:9090");
  EXPECT_EQ(c.threads, 8u);
  EXPECT_EQ(c.db, "/var/lib/st.db");  // not in the environment: the file's
  ASSERT_TRUE(set_config(c, "threads", "2"));
  EXPECT_EQ(c.threads, 2u);
  EXPECT_EQ(c.write_threads, 2u);  // the default
  ASSERT_TRUE(set_config(c, "write_threads", "0"));
  EXPECT_EQ(c.write_threads, 0u);
  EXPECT_EQ(c.capture_limit, 500u);
}

TEST(ServeConfig, ErrorsNameTheSourceLineAndSetting) {
  ServeConfig c;
  auto unknown = apply_config_text(c, "db = x\ncolour = blue\n", "serve.conf");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), "serve.conf:2: unknown setting 'colour'");
  auto not_number = apply_config_text(c, "threads = many", "serve.conf");
  ASSERT_FALSE(not_number);
  EXPECT_NE(not_number.error().find("threads"), std::string::npos);
  auto env = apply_environment(c, [](const char* name) -> const char* {
    return std::string(name) == "SERIALTRACK_LISTEN" ? "no-port" : nullptr;
  });
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().find("SERIALTRACK_LISTEN"), std::string::npos);
  EXPECT_FALSE(set_config(c, "log_level", "loud"));
  EXPECT_FALSE(apply_config_file(c, "/nonexistent/serve.conf"));
}

TEST(ServeConfig, TlsFilesComeFromTheFileOrTheEnvironment) {
  ServeConfig c;
  ASSERT_TRUE(apply_config_text(c, "tls_cert = /etc/st/server.crt\n", "serve.conf"));
  ASSERT_TRUE(apply_environment(c, [](const char* name) -> const char* {
    return std::string(name) == "SERIALTRACK_TLS_KEY" ? "/etc/st/server.key" : nullptr;
  }));
  EXPECT_EQ(c.tls_cert, "/etc/st/server.crt");
  EXPECT_EQ(c.tls_key, "/etc/st/server.key");
  EXPECT_FALSE(set_config(c, "tls_key", ""));
}

TEST(ServeConfig, VerificationRateAndBurstAreSettings) {
  ServeConfig c;
  ASSERT_TRUE(apply_config_text(c, "verification_rate = 2.5\nverification_burst = 40\n", "f"));
  EXPECT_EQ(c.verification_limits.rate_per_second, 2.5);
  EXPECT_EQ(c.verification_limits.burst, 40.0);
  EXPECT_FALSE(set_config(c, "verification_rate", "-1"));
  EXPECT_FALSE(set_config(c, "verification_burst", "many"));
}

TEST(ServeConfig, ListenAddressesSplitIntoHostAndPort) {
  auto v4 = parse_listen("127.0.0.1:0");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = parse_listen("[::1]:8443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8443);
  EXPECT_FALSE(parse_listen("localhost"));
  EXPECT_FALSE(parse_listen("127.0.0.1:70000"));
}

}  // namespace
}  // namespace serialtrack::server
