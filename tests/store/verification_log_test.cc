// The verification log: appended rows read back per item, latest first, limited,
// surviving a reopen, beside the event store in the same file; group-committed with a
// bounded delay (read before the commit, on disk after flush or close), numbered
// uniquely when several logs write one file.
#include "store/verification_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <thread>

namespace serialtrack::store {
namespace {

std::string fresh_path(const std::string& name) {
  auto p = (std::filesystem::path(::testing::TempDir()) / (name + ".db")).string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);
  return p;
}

VerificationRecord record(int64_t t, const std::string& item, const std::string& alert = "") {
  return {t,
          item,
          "client",
          "https://id.gs1.org/417/9520123000011",
          "https://id.gs1.org/414/9520123000011",
          "verify",
          "ACTIVE",
          alert};
}

TEST(VerificationLog, RowsOfAnItemComeBackLatestFirstUpToTheLimit) {
  auto log = std::move(*open_sqlite_verification_log(fresh_path("vlog_order")));
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(log->append(record(i, "item-a")));
  ASSERT_TRUE(log->append(record(9, "item-b", "A2")));
  auto rows = log->of_item("item-a", 3);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], record(5, "item-a"));
  EXPECT_EQ((*rows)[2].time_unix_nanos, 3);
  EXPECT_EQ(*log->of_item("item-b"), std::vector<VerificationRecord>{record(9, "item-b", "A2")});
  EXPECT_TRUE(log->of_item("never")->empty());
}

TEST(VerificationLog, RowsSurviveReopeningAndLiveBesideTheEventStore) {
  std::string path = fresh_path("vlog_reopen");
  auto events = open_sqlite(path);
  ASSERT_TRUE(events);
  {
    auto log = std::move(*open_sqlite_verification_log(path));
    ASSERT_TRUE(log->append(record(1, "item-a")));
  }
  auto log = open_sqlite_verification_log(path);
  ASSERT_TRUE(log);
  EXPECT_EQ((*log)->of_item("item-a")->size(), 1u);
  EXPECT_EQ(*(*events)->event_count(), 0);
}

TEST(VerificationLog, ConcurrentAppendsAreAllKeptEachWithItsOwnSequence) {
  auto log = std::move(*open_sqlite_verification_log(fresh_path("vlog_threads")));
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> sequences(8);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&log, &sequences, t] {
      for (int i = 0; i < 25; ++i) {
        auto seq = log->append(record(t * 100 + i, "item-" + std::to_string(t % 2)));
        ASSERT_TRUE(seq);
        sequences[t].push_back(*seq);
      }
    });
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  for (const auto& s : sequences) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 200);
  EXPECT_EQ(log->of_item("item-0", 1000)->size() + log->of_item("item-1", 1000)->size(), 200u);
}

TEST(VerificationLog, AnAppendedRecordIsReadBeforeItsCommitAndOnDiskAfterFlush) {
  std::string path = fresh_path("vlog_flush");
  VerificationLogOptions slow;
  slow.max_commit_delay = std::chrono::hours(1);  // only flush (or closing) commits
  auto log = std::move(*open_sqlite_verification_log(path, slow));
  auto other = std::move(*open_sqlite_verification_log(path));  // another connection
  ASSERT_TRUE(log->append(record(1, "item-a")));
  EXPECT_EQ(log->of_item("item-a")->size(), 1u);   // queued, read by its own log
  EXPECT_TRUE(other->of_item("item-a")->empty());  // not committed yet
  ASSERT_TRUE(log->flush());
  EXPECT_EQ(*other->of_item("item-a"), std::vector<VerificationRecord>{record(1, "item-a")});
  ASSERT_TRUE(log->append(record(2, "item-a")));
  log.reset();  // closing commits what is queued
  EXPECT_EQ(other->of_item("item-a")->size(), 2u);
}

TEST(VerificationLog, WithoutDelayAnAppendIsCommittedWhenItReturns) {
  std::string path = fresh_path("vlog_sync");
  VerificationLogOptions now;
  now.max_commit_delay = std::chrono::milliseconds(0);
  auto log = std::move(*open_sqlite_verification_log(path, now));
  VerificationLogOptions slow;
  slow.max_commit_delay = std::chrono::hours(1);
  auto other = std::move(*open_sqlite_verification_log(path, slow));
  ASSERT_TRUE(log->append(record(1, "item-a")));
  EXPECT_EQ(other->of_item("item-a")->size(), 1u);
}

TEST(VerificationLog, TwoLogsOnOneFileNeverShareASequenceNumber) {
  std::string path = fresh_path("vlog_two");
  auto first = std::move(*open_sqlite_verification_log(path));
  auto second = std::move(*open_sqlite_verification_log(path));
  std::set<int64_t> sequences;
  for (int i = 0; i < 10; ++i) {
    sequences.insert(*first->append(record(i, "item-a")));
    sequences.insert(*second->append(record(i, "item-a")));
  }
  EXPECT_EQ(sequences.size(), 20u);
  ASSERT_TRUE(first->flush());
  ASSERT_TRUE(second->flush());  // both batches committed: no key conflicted
  EXPECT_EQ(first->of_item("item-a", 100)->size(), 20u);
}

TEST(VerificationLog, NumbersContinueAfterReopeningWithoutGaps) {
  std::string path = fresh_path("vlog_continue");
  {
    auto log = std::move(*open_sqlite_verification_log(path));
    EXPECT_EQ(*log->append(record(1, "item-a")), 1);
    EXPECT_EQ(*log->append(record(2, "item-a")), 2);
  }
  auto log = std::move(*open_sqlite_verification_log(path));
  EXPECT_EQ(*log->append(record(3, "item-a")), 3);
}

TEST(VerificationLog, AnAppendPastItsBlockOfNumbersWaitsForNoCommit) {
  // Numbers come in blocks of 65,536. The writer reserves the next block in a batch's
  // transaction, so the append that crosses into it needs no write lock: here another
  // connection holds the file's write lock the whole time (before, that append waited
  // for the lock under the log's mutex, holding every other appender).
  std::string path = fresh_path("vlog_block");
  auto log = std::move(*open_sqlite_verification_log(path));
  ASSERT_EQ(*log->append(record(1, "item-a")), 1);
  ASSERT_TRUE(log->flush());  // a batch committed: the next block is reserved with it
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::set<int64_t> sequences{1};
  constexpr int kAppends = 65536 + 104;
  for (int i = 2; i <= kAppends; ++i) {
    auto seq = log->append(record(i, "item-a"));
    ASSERT_TRUE(seq) << "append " << i << ": " << seq.error().message;
    EXPECT_GT(*seq, *sequences.rbegin());  // in append order
    sequences.insert(*seq);
  }
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(log->flush());
  EXPECT_EQ(log->of_item("item-a", 100000)->size(), static_cast<size_t>(kAppends));
  log.reset();
  auto reopened = std::move(*open_sqlite_verification_log(path));
  EXPECT_GT(*reopened->append(record(9000, "item-a")), *sequences.rbegin());
}

}  // namespace
}  // namespace serialtrack::store
