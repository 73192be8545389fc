// A capturing process killed with SIGKILL at any moment loses nothing it acknowledged,
// and leaves no part of an unacknowledged document behind (SQLite's habit: a committed
// transaction survives, an uncommitted one leaves no trace). Item state and events stay
// in step, since they are written in one transaction.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "store/store.h"
#include "trace/capture.h"

namespace serialtrack::trace {
namespace {

constexpr int kEventsPerDocument = 50;
constexpr int kEpcsPerEvent = 4;

std::string epc(int document, int event, int k) {
  return "urn:epc:id:sgtin:9520123.045678." + std::to_string(document) + "-" +
         std::to_string(event) + "-" + std::to_string(k);
}

// Document d: kEventsPerDocument commissioning events of its own EPCs.
std::vector<epcis::Event> document(int d) {
  std::vector<epcis::Event> doc(kEventsPerDocument);
  for (int i = 0; i < kEventsPerDocument; ++i) {
    auto& e = doc[i];
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = "urn:uuid:crash-" + std::to_string(d) + "-" + std::to_string(i);
    e.event_time = {(static_cast<int64_t>(d) * kEventsPerDocument + i) * 1'000'000'000, 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.disposition = "urn:epcglobal:cbv:disp:active";
    for (int k = 0; k < kEpcsPerEvent; ++k) e.epc_list.push_back(epc(d, i, k));
  }
  return doc;
}

// The child: captures documents 0, 1, 2... and writes each one's number to the pipe
// once capture has returned (its acknowledgement), until it is killed.
[[noreturn]] void capture_until_killed(const std::string& path, int ack_fd) {
  auto store = store::open_sqlite(path);
  if (!store) _exit(3);
  for (int d = 0;; ++d) {
    auto doc = document(d);
    if (!capture(**store, doc)) _exit(4);
    if (write(ack_fd, &d, sizeof d) != sizeof d) _exit(5);
  }
}

TEST(CrashRecovery, AKilledCaptureLosesNothingAcknowledgedAndLeavesNoPartialDocument) {
  std::mt19937 rng(20261202);
  for (int round = 0; round < 5; ++round) {
    auto path = (std::filesystem::path(::testing::TempDir()) /
                 ("crash_recovery_" + std::to_string(round) + ".db"))
                    .string();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    ASSERT_TRUE(store::open_sqlite(path));  // created and migrated before the child starts

    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      capture_until_killed(path, fds[1]);
    }
    close(fds[1]);
    // Wait for a few acknowledgements, then kill at a random moment in a later capture.
    int acknowledged = -1, d = 0;
    const int wait_for = 3 + static_cast<int>(rng() % 5);
    while (acknowledged < wait_for && read(fds[0], &d, sizeof d) == sizeof d) acknowledged = d;
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
    kill(pid, SIGKILL);
    while (read(fds[0], &d, sizeof d) == sizeof d) acknowledged = d;  // acks sent before death
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended by itself, status " << status;
    ASSERT_GE(acknowledged, wait_for);

    auto reopened = store::open_sqlite(path);
    ASSERT_TRUE(reopened) << reopened.error().message;
    auto& s = **reopened;
    auto count = s.event_count();
    ASSERT_TRUE(count);
    // Whole documents only: every acknowledged one, perhaps the one in flight, no part.
    ASSERT_EQ(*count % kEventsPerDocument, 0) << "a partial document survived";
    const int stored_documents = static_cast<int>(*count / kEventsPerDocument);
    EXPECT_GE(stored_documents, acknowledged + 1) << "an acknowledged document was lost";
    EXPECT_LE(stored_documents, acknowledged + 2);
    for (int doc = 0; doc < stored_documents; ++doc) {
      auto first = s.event("urn:uuid:crash-" + std::to_string(doc) + "-0");
      auto last = s.event("urn:uuid:crash-" + std::to_string(doc) + "-" +
                          std::to_string(kEventsPerDocument - 1));
      ASSERT_TRUE(first && *first && last && *last) << "document " << doc;
      // The item state written in the same transaction is there too, and nothing beyond.
      auto state = item_state(s, epc(doc, kEventsPerDocument - 1, kEpcsPerEvent - 1));
      ASSERT_TRUE(state && *state) << "document " << doc;
      EXPECT_TRUE((*state)->commissioned);
    }
    auto beyond = item_state(s, epc(stored_documents, 0, 0));
    ASSERT_TRUE(beyond);
    EXPECT_FALSE(*beyond) << "item state of a document whose events are not stored";
    // And the store goes on: the next capture is accepted.
    auto next = document(stored_documents);
    auto r = capture(s, next);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->accepted, static_cast<size_t>(kEventsPerDocument));
  }
}

}  // namespace
}  // namespace serialtrack::trace
