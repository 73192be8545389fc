// Number ranges kept in the store: idempotent requests, no serial allocated twice
// (ranges, restarts, threads and processes, key rotation), guessable refusal, returns
// and reissue, the random scheme's duplicate check against the store, the key file.
#include "store/serial_ranges.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace serialtrack;
using store::AllocationRequest;
using Kind = store::RangeError::Kind;

constexpr const char* kGtin = "09520123456788";

class SerialRanges : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("serial_ranges_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
  }
  std::unique_ptr<store::SerialRanges> open() {
    auto r = store::open_sqlite_serial_ranges(path_);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? std::move(*r) : nullptr;
  }
  static std::vector<std::string> allocate(store::SerialRanges& ranges,
                                           const AllocationRequest& req,
                                           store::Allocation* out = nullptr) {
    std::vector<std::string> serials;
    auto r = ranges.allocate(req, [&](std::string_view s) { serials.emplace_back(s); });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (r && out) *out = *r;
    return serials;
  }
  static AllocationRequest request(std::uint64_t count, std::string request_id = {}) {
    AllocationRequest req;
    req.gtin = kGtin;
    req.count = count;
    req.request_id = std::move(request_id);
    return req;
  }
  std::filesystem::path dir_;
  std::string path_;
};

void expect_distinct(const std::vector<std::string>& serials) {
  std::set<std::string> unique(serials.begin(), serials.end());
  EXPECT_EQ(unique.size(), serials.size());
}

TEST_F(SerialRanges, DefaultFormatIsTwelveUnambiguousCharactersFf1) {
  auto ranges = open();
  auto f = ranges->format("default");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->alphabet, serial::kUpperAlphanumericUnambiguous);
  EXPECT_EQ(f->free_length, 12u);
  store::Allocation a;
  auto serials = allocate(*ranges, request(1000), &a);
  ASSERT_EQ(serials.size(), 1000u);
  expect_distinct(serials);
  for (const auto& s : serials) {
    ASSERT_EQ(s.size(), 12u);
    EXPECT_EQ(s.find_first_not_of(serial::kUpperAlphanumericUnambiguous), std::string::npos) << s;
  }
  // They are FF1(counter) under the GTIN's tweak: not in counter order.
  EXPECT_NE(serials[0], std::string(12, '2'));
  EXPECT_FALSE(a.replayed);
  EXPECT_EQ(a.key_id, ranges->current_key_id());
  EXPECT_LE(a.guess_probability, 1e-4);
}

TEST_F(SerialRanges, AGtinsAssignedFormatIsItsDefault) {
  auto ranges = open();
  store::SerialFormatRecord numeric{"numeric10", std::string(serial::kNumeric), 10, "", {}, 0};
  ASSERT_TRUE(ranges->add_format(numeric));
  EXPECT_FALSE(ranges->assigned_format(kGtin));  // none yet
  ASSERT_TRUE(ranges->assign_format({kGtin, "numeric10", ""}));
  auto serials = allocate(*ranges, request(50));
  for (const auto& s : serials) EXPECT_EQ(s.size(), 10u) << s;
  EXPECT_FALSE(ranges->assign_format({kGtin, "no-such-format", ""}));
  EXPECT_FALSE(ranges->assign_format({kGtin, "numeric10", "mars"}));
}

TEST_F(SerialRanges, EuFmdGtinsGetRandomisedSerialsOnly) {
  auto ranges = open();
  ASSERT_TRUE(ranges->assign_format({kGtin, std::string(store::kEuFmdFormatName),
                                     std::string(store::kEuFmdMarket)}));
  auto serials = allocate(*ranges, request(100));
  ASSERT_EQ(serials.size(), 100u);
  EXPECT_EQ(serials[0].size(), 16u);  // the EU FMD preset: 16 of CSET 32, at most 20
  auto seq = request(10);
  seq.scheme = serial::Scheme::sequential;
  seq.allow_guessable = true;
  auto refused = ranges->allocate(seq, [](std::string_view) {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, store::RangeError::Kind::kGuessable);
}

TEST_F(SerialRanges, RetriedRequestReturnsTheSameSerials) {
  auto ranges = open();
  store::Allocation first, again;
  auto a = allocate(*ranges, request(500, "order-17"), &first);
  auto b = allocate(*ranges, request(500, "order-17"), &again);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(first.allocation_id, again.allocation_id);
  // Another process (a new connection) retrying gets the same serials too.
  auto other = open();
  EXPECT_EQ(allocate(*other, request(500, "order-17")), a);
  // The same id for a different request is refused, not answered with other serials.
  auto conflict = ranges->allocate(request(501, "order-17"), {});
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().kind, Kind::kConflict);
  // Only one allocation was recorded.
  auto list = ranges->allocations(kGtin);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(SerialRanges, RangesNeverOverlap) {
  auto ranges = open();
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) {
    auto s = allocate(*ranges, request(2000));
    all.insert(all.end(), s.begin(), s.end());
  }
  // Another lot: another tweak, same GTIN; the SGTIN must still be unique.
  auto lot = request(2000);
  lot.lot = "LOT-7";
  auto s = allocate(*ranges, lot);
  all.insert(all.end(), s.begin(), s.end());
  ASSERT_EQ(all.size(), 12000u);
  expect_distinct(all);
}

TEST_F(SerialRanges, SchemesOfOneGtinSkipEachOthersSerials) {
  auto ranges = open();
  store::SerialFormatRecord numeric{"num6", std::string(serial::kNumeric), 6,
                                    "",     serial::CheckCharacter::none,  0};
  ASSERT_TRUE(ranges->add_format(numeric));
  auto seq = request(300);
  seq.format = "num6";
  seq.scheme = serial::Scheme::sequential;
  seq.allow_guessable = true;
  auto a = allocate(*ranges, seq);
  EXPECT_EQ(a.front(), "000000");
  auto ff1 = request(5000);
  ff1.format = "num6";
  ff1.allow_guessable = true;
  auto b = allocate(*ranges, ff1);
  ASSERT_EQ(b.size(), 5000u);
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  expect_distinct(all);
  // The FF1 allocation skipped counters whose serial the sequential range holds; a retry
  // replays exactly the serials handed out.
  ff1.request_id = "fixed";
  auto c = allocate(*ranges, ff1);
  EXPECT_EQ(allocate(*ranges, ff1), c);
}

TEST_F(SerialRanges, RestartContinuesWithoutReuse) {
  std::vector<std::string> before;
  store::Allocation first;
  {
    auto ranges = open();
    before = allocate(*ranges, request(1000), &first);
  }
  auto ranges = open();
  store::Allocation second;
  auto after = allocate(*ranges, request(1000), &second);
  EXPECT_EQ(second.range_id, first.range_id);
  EXPECT_EQ(second.first_counter, first.first_counter + 1000);
  before.insert(before.end(), after.begin(), after.end());
  expect_distinct(before);
}

TEST_F(SerialRanges, ThreadsAndProcessesNeverShareASerial) {
  { open(); }  // schema and key file exist before the race (each open would also cope)
  constexpr int kProcesses = 2, kThreads = 8, kRequests = 15, kCount = 50;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::vector<std::vector<std::string>> got(kThreads);
      std::vector<std::thread> threads;
      bool failed = false;
      for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
          auto r = store::open_sqlite_serial_ranges(path_);
          if (!r) {
            failed = true;
            return;
          }
          for (int i = 0; i < kRequests; ++i) {
            AllocationRequest req = request(kCount);
            req.lot = i % 2 ? "L1" : "";
            auto a = (*r)->allocate(req, [&](std::string_view s) { got[t].emplace_back(s); });
            if (!a) failed = true;
          }
        });
      for (auto& th : threads) th.join();
      std::ofstream out(dir_ / ("serials." + std::to_string(p)));
      for (const auto& v : got)
        for (const auto& s : v) out << s << "\n";
      out.close();
      _exit(failed ? 1 : 0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> all;
  for (int p = 0; p < kProcesses; ++p) {
    std::ifstream in(dir_ / ("serials." + std::to_string(p)));
    for (std::string s; std::getline(in, s);) all.push_back(s);
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kProcesses * kThreads * kRequests * kCount));
  expect_distinct(all);
}

TEST_F(SerialRanges, GuessableRangesNeedAnOverride) {
  auto ranges = open();
  store::SerialFormatRecord small{"num6", std::string(serial::kNumeric), 6,
                                  "",     serial::CheckCharacter::none,  0};
  ASSERT_TRUE(ranges->add_format(small));
  auto req = request(100);  // 100 / 10^6 = 1/10,000 exactly: allowed
  req.format = "num6";
  EXPECT_EQ(allocate(*ranges, req).size(), 100u);
  auto r = ranges->allocate(req, {});  // 200 issued for the GTIN: too many
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Kind::kGuessable);
  req.allow_guessable = true;
  EXPECT_EQ(allocate(*ranges, req).size(), 100u);
  // Sequential serials are guessable whatever the count.
  auto seq = request(1);
  seq.scheme = serial::Scheme::sequential;
  auto s = ranges->allocate(seq, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, Kind::kGuessable);
}

TEST_F(SerialRanges, ReturnedSerialsAreReissuedOnlyWhenAsked) {
  auto ranges = open();
  store::Allocation a;
  auto serials = allocate(*ranges, request(10), &a);
  std::vector<std::string> back = {serials[3], serials[4], serials[7]};
  auto r = ranges->return_unused(a.range_id, back);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 3u);
  auto again = ranges->return_unused(a.range_id, {serials[3]});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, Kind::kAlreadyReturned);
  auto foreign = ranges->return_unused(a.range_id, {"ABCDEFGHJKLM"});
  ASSERT_FALSE(foreign);
  auto list = ranges->allocations(kGtin);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().issued, 10u);
  EXPECT_EQ(list->front().returned, 3u);

  auto fresh = allocate(*ranges, request(5));  // not asked: new serials
  for (const auto& s : back) EXPECT_EQ(std::count(fresh.begin(), fresh.end(), s), 0);
  auto reissue = request(5);
  reissue.reissue_returned = true;
  auto got = allocate(*ranges, reissue);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 3), back);
  std::vector<std::string> all = serials;
  all.insert(all.end(), fresh.begin(), fresh.end());
  all.insert(all.end(), got.begin() + 3, got.end());
  expect_distinct(all);
  auto nothing_left = allocate(*ranges, reissue);  // no returns left: all new
  for (const auto& s : back) EXPECT_EQ(std::count(nothing_left.begin(), nothing_left.end(), s), 0);
  // A reissued serial can be returned again, from its new allocation.
  EXPECT_TRUE(ranges->return_unused(a.range_id, {back[0]}));
}

TEST_F(SerialRanges, RandomSchemeChecksDuplicatesAgainstTheStore) {
  std::vector<std::string> all;
  store::SerialFormatRecord tiny{"num3", std::string(serial::kNumeric), 3,
                                 "",     serial::CheckCharacter::none,  0};
  auto req = request(600);  // then 300: 900 of the 1000 serials
  req.format = "num3";
  req.scheme = serial::Scheme::random;
  req.allow_guessable = true;
  {
    auto ranges = open();
    ASSERT_TRUE(ranges->add_format(tiny));
    all = allocate(*ranges, req);
  }
  auto ranges = open();  // the check is the store's, not this object's memory
  req.count = 300;       // most draws now collide with issued serials
  req.request_id = "random-retry";
  auto rest = allocate(*ranges, req);
  EXPECT_EQ(allocate(*ranges, req), rest);  // a retry replays them from the store
  all.insert(all.end(), rest.begin(), rest.end());
  ASSERT_EQ(all.size(), 900u);
  expect_distinct(all);
  req.request_id.clear();
  req.count = 101;
  auto full = ranges->allocate(req, {});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, Kind::kExhausted);
}

TEST_F(SerialRanges, KeyFileIsPrivateAndRecordedPerRange) {
  auto ranges = open();
  std::string keys = store::key_file_path(path_);
  struct stat st {};
  ASSERT_EQ(stat(keys.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  store::Allocation a, b;
  auto first = allocate(*ranges, request(100), &a);
  auto rotated = ranges->rotate_key();
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_NE(*rotated, a.key_id);
  auto second = allocate(*ranges, request(100), &b);
  EXPECT_EQ(b.key_id, *rotated);
  EXPECT_NE(b.range_id, a.range_id);
  first.insert(first.end(), second.begin(), second.end());
  expect_distinct(first);
  auto list = ranges->allocations("");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].key_id, a.key_id);
  EXPECT_EQ((*list)[1].key_id, b.key_id);
  // The key file: one "id hex" line per key, newest last.
  std::ifstream in(keys);
  std::string line, last;
  int lines = 0;
  while (std::getline(in, line)) ++lines, last = line;
  EXPECT_EQ(lines, 2);
  EXPECT_EQ(last.substr(0, last.find(' ')), *rotated);
  ranges.reset();

  ASSERT_EQ(chmod(keys.c_str(), 0644), 0);
  auto refused = store::open_sqlite_serial_ranges(path_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, Kind::kKeyFile);
  EXPECT_NE(refused.error().message.find("0644"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find(last.substr(last.find(' ') + 1)), std::string::npos);
}

TEST_F(SerialRanges, CommissionedCountsComeFromTheCallback) {
  auto ranges = open();
  auto mine = allocate(*ranges, request(20));
  auto other = allocate(*ranges, request(20));
  // Stand-in for the event store: serials seen commissioned for the GTIN.
  std::vector<std::string> commissioned = {mine[0], mine[5], other[1], "NOTASERIAL12"};
  auto list = ranges->allocations(kGtin, [&](std::string_view gtin, const auto& is_member) {
    EXPECT_EQ(gtin, kGtin);
    std::uint64_t n = 0;
    for (const auto& s : commissioned) n += is_member(s);
    return n;
  });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].commissioned, 2u);
  EXPECT_EQ((*list)[1].commissioned, 1u);
  auto without = ranges->allocations(kGtin);
  EXPECT_EQ((*without)[0].commissioned, 0u);  // no event store wired: 0
}

TEST_F(SerialRanges, BadRequestsAreRefused) {
  auto ranges = open();
  auto bad_gtin = request(1);
  bad_gtin.gtin = "09520123456789";
  EXPECT_EQ(ranges->allocate(bad_gtin, {}).error().kind, Kind::kInvalidArgument);
  EXPECT_EQ(ranges->allocate(request(0), {}).error().kind, Kind::kInvalidArgument);
  auto no_format = request(1);
  no_format.format = "nope";
  EXPECT_EQ(ranges->allocate(no_format, {}).error().kind, Kind::kNotFound);
  store::SerialFormatRecord f{"x", "AB", 0, "", serial::CheckCharacter::none, 0};
  EXPECT_FALSE(ranges->add_format(f));
  f.free_length = 20;
  ASSERT_TRUE(ranges->add_format(f));
  EXPECT_TRUE(ranges->add_format(f));  // same definition again: fine
  f.free_length = 19;
  EXPECT_EQ(ranges->add_format(f).error().kind, Kind::kConflict);
}

}  // namespace
