// Recalls: a lot recalled from a supply chain of real captured events — found inside a
// shipped pallet, marked RECALLED in item state, progress moving as returns come in —
// and the other ways of defining a recall.
#include "trace/recall.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "epcis/json_codec.h"
#include "store/warranty_records.h"
#include "trace/capture.h"
#include "trace/warranty.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

constexpr int64_t kSecond = 1'000'000'000;
const std::string kGtin = "09520123456788";
const std::string kRecalled = "urn:epcglobal:cbv:disp:recalled";
const std::string kMaker = "urn:epc:id:pgln:9520123.00001";
const std::string kDistributor = "urn:epc:id:pgln:9520123.00002";
const std::string kPharmacy = "urn:epc:id:pgln:9520123.00003";
const std::string kFactory = "urn:epc:id:sgln:9520123.00001.0";
const std::string kWarehouse = "urn:epc:id:sgln:9520123.00002.0";
const std::string kShop = "urn:epc:id:sgln:9520123.00003.0";
const std::string kCase = "urn:epc:id:sscc:9520123.0000000011";
const std::string kPallet = "urn:epc:id:sscc:9520123.0000000099";

std::string unit(int serial) {
  return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial);
}
// The canonical form recalls report items in.
std::string dl(int serial) {
  return "https://id.gs1.org/01/" + kGtin + "/21/" + std::to_string(serial);
}
const std::string kCaseDl = "https://id.gs1.org/00/095201230000000110";
const std::string kPalletDl = "https://id.gs1.org/00/095201230000000998";

struct Db {
  explicit Db(const std::string& name) {
    auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
    store = std::move(*store::open_sqlite(p.string(), {.durable = false}));
    recalls = std::move(*store::open_sqlite_recalls(p.string()));
  }
  void capture_events(std::vector<Event> events) {
    auto r = capture(*store, events);
    ASSERT_TRUE(r) << r.error().message;
  }
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Recalls> recalls;
};

Event event(EventType type, Action action, int64_t second, const std::string& id) {
  Event e;
  e.type = type;
  e.action = action;
  e.event_time = {second * kSecond, 0};
  e.event_id = id;
  return e;
}

Event commission(int64_t second, const std::string& id, std::vector<std::string> epcs,
                 const std::string& lot, const std::string& expiry) {
  Event e = event(EventType::kObject, Action::kAdd, second, id);
  e.epc_list = std::move(epcs);
  e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
  e.disposition = "urn:epcglobal:cbv:disp:active";
  e.biz_location = kFactory;
  e.destinations = {{"urn:epcglobal:cbv:sdt:owning_party", kMaker}};
  e.ilmd = std::vector<epcis::Extension>{
      {"urn:epcglobal:cbv:mda", "cbvmda", "lotNumber", {}, lot, {}, false, {}},
      {"urn:epcglobal:cbv:mda", "cbvmda", "itemExpirationDate", {}, expiry, {}, false, {}}};
  return e;
}

Event pack(int64_t second, const std::string& id, const std::string& parent,
           std::vector<std::string> children) {
  Event e = event(EventType::kAggregation, Action::kAdd, second, id);
  e.parent_id = parent;
  e.epc_list = std::move(children);
  e.biz_step = "urn:epcglobal:cbv:bizstep:packing";
  return e;
}

Event move(int64_t second, const std::string& id, const std::string& what,
           const std::string& biz_step, const std::string& disposition, const std::string& location,
           const std::string& possessor) {
  Event e = event(EventType::kObject, Action::kObserve, second, id);
  e.epc_list = {what};
  e.biz_step = "urn:epcglobal:cbv:bizstep:" + biz_step;
  e.disposition = "urn:epcglobal:cbv:disp:" + disposition;
  e.biz_location = location;
  if (!possessor.empty()) e.destinations = {{"urn:epcglobal:cbv:sdt:possessing_party", possessor}};
  return e;
}

// Units 1-4 are lot L1, 5-6 lot L2. Case holds 1 and 5; the pallet holds the case and
// unit 6, and is shipped to and received by the distributor. Unit 2 goes to the
// pharmacy; 3 stays at the factory; 4 is made into unit 7 (another product's SGTIN).
void supply_chain(Db& db) {
  db.capture_events({commission(1, "c1", {unit(1), unit(2), unit(3), unit(4)}, "L1", "2027-01-31"),
                     commission(2, "c2", {unit(5), unit(6)}, "L2", "2027-06-30"),
                     [] {
                       Event e = event(EventType::kObject, Action::kAdd, 3, "c3");
                       e.epc_list = {kCase, kPallet};
                       e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
                       e.biz_location = kFactory;
                       return e;
                     }(),
                     pack(4, "p1", kCase, {unit(1), unit(5)}),
                     pack(5, "p2", kPallet, {kCase, unit(6)}),
                     move(6, "s1", kPallet, "shipping", "in_transit", kFactory, kDistributor),
                     move(7, "r1", kPallet, "receiving", "in_progress", kWarehouse, kDistributor),
                     move(8, "s2", unit(2), "shipping", "in_transit", kShop, kPharmacy),
                     [] {
                       Event e = event(EventType::kTransformation, Action::kNone, 9, "t1");
                       e.input_epc_list = {unit(4)};
                       e.output_epc_list = {"urn:epc:id:sgtin:9520123.045679.7"};
                       e.biz_location = kFactory;
                       return e;
                     }()});
}

const AffectedItem* find(const RecallReport& r, const std::string& id) {
  for (const auto& i : r.items)
    if (i.id == id) return &i;
  return nullptr;
}

TEST(Recall, ALotIsFoundInsideAShippedPalletMarkedRecalledAndTrackedAsReturnsComeIn) {
  Db db("recall_lot");
  supply_chain(db);
  RecallDefinition d;
  d.gtin = kGtin;
  d.lots = {"L1"};
  d.reason = "particles in solution";
  d.severity = RecallSeverity::kClassI;
  auto created = create_recall(*db.store, *db.recalls, d);
  ASSERT_TRUE(created) << created.error().message;
  const RecallRun& run = created->second;
  EXPECT_EQ(run.members, 5u);       // units 1-4 and unit 7 made from 4
  EXPECT_EQ(run.newly_marked, 4u);  // 4 was consumed by the transformation: nothing to mark
  EXPECT_EQ(run.not_marked, 1u);

  auto report = recall_report(*db.store, *db.recalls, created->first.id);
  ASSERT_TRUE(report) << report.error().message;
  const AffectedItem* u1 = find(*report, dl(1));
  ASSERT_NE(u1, nullptr);
  EXPECT_EQ(u1->role, "matched");
  EXPECT_EQ(u1->containers, (std::vector<std::string>{kCaseDl, kPalletDl}));
  EXPECT_EQ(u1->custodian, kDistributor);
  EXPECT_EQ(u1->state->biz_location, kWarehouse);
  const AffectedItem* pallet = find(*report, kPalletDl);
  ASSERT_NE(pallet, nullptr) << recall_report_json(*report);
  EXPECT_EQ(pallet->role, "container");
  EXPECT_EQ(pallet->custodian, kDistributor);
  const AffectedItem* case_item = find(*report, kCaseDl);
  ASSERT_NE(case_item, nullptr);
  EXPECT_EQ(case_item->containers, std::vector<std::string>{kPalletDl});
  const AffectedItem* u7 = find(*report, "https://id.gs1.org/01/09520123456795/21/7");
  ASSERT_NE(u7, nullptr);
  EXPECT_EQ(u7->role, "derived");
  EXPECT_EQ(u7->via, dl(4));
  EXPECT_EQ(find(*report, dl(5)), nullptr);  // lot L2, though in the same case

  // Verification-relevant state: recalled, persistently; the L2 unit beside it is not.
  for (int serial : {1, 2, 3}) {
    auto s = item_state(*db.store, unit(serial));
    ASSERT_TRUE(s && *s);
    EXPECT_EQ((*s)->disposition, kRecalled);
    EXPECT_EQ((*s)->persistent_dispositions, std::vector<std::string>{kRecalled});
  }
  EXPECT_TRUE((*item_state(*db.store, unit(5)))->persistent_dispositions.empty());
  EXPECT_TRUE((*item_state(*db.store, kPallet))->persistent_dispositions.empty());

  EXPECT_EQ(report->totals, (RecallCounts{"", 5, 0, 0, 1, 4}));
  ASSERT_EQ(report->per_custodian.size(), 4u);
  EXPECT_EQ(report->per_custodian[0], (RecallCounts{"", 1, 0, 0, 0, 1}));      // 7: no party yet
  EXPECT_EQ(report->per_custodian[1], (RecallCounts{kMaker, 2, 0, 0, 1, 1}));  // 3, 4
  EXPECT_EQ(report->per_custodian[2], (RecallCounts{kDistributor, 1, 0, 0, 0, 1}));  // 1
  EXPECT_EQ(report->per_custodian[3], (RecallCounts{kPharmacy, 1, 0, 0, 0, 1}));     // 2

  // The distributor sends the pallet back; the pharmacy's unit is seen at the shop.
  int64_t later = report->recall.created / kSecond + 10;
  db.capture_events({move(later, "back", kPallet, "receiving", "returned", kFactory, kMaker),
                     move(later + 1, "seen", unit(2), "inspecting", "recalled", kShop, "")});
  auto after = recall_report(*db.store, *db.recalls, created->first.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->totals, (RecallCounts{"", 5, 1, 1, 1, 2}));
  EXPECT_EQ(find(*after, dl(1))->status, RecallStatus::kReturned);
  EXPECT_EQ(find(*after, dl(2))->status, RecallStatus::kLocated);
  // Recalled for good: the return's disposition does not unset the persistent one.
  EXPECT_EQ((*item_state(*db.store, unit(1)))->persistent_dispositions,
            std::vector<std::string>{kRecalled});

  // Running it again marks nothing twice.
  auto again = run_recall(*db.store, *db.recalls, created->first.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->newly_marked, 0u);
  EXPECT_EQ(again->already_marked, 4u);

  // The recall's events as an EPCIS document, readable by the codec.
  auto doc = recall_document(*db.store, *db.recalls, created->first.id);
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->events.size(), 1u);
  auto decoded = epcis::decode_json(epcis::encode_json(*doc));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->events[0].persistent_disposition.set, std::vector<std::string>{kRecalled});
  EXPECT_EQ(decoded->events[0].epc_list.size(), 4u);

  std::string csv = recall_report_csv(*after);
  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "id,role,via,containers,custodian,location,disposition,status,lot,expiry,last_event_time,"
      "customer_reference");
  EXPECT_NE(csv.find(dl(1) + ",matched,," + kCaseDl + ";" + kPalletDl + "," + kMaker),
            std::string::npos)
      << csv;
}

// Recalls lot L1 of the product; fails the test when refused.
std::pair<Recall, RecallRun> recall_lot_l1(Db& db) {
  RecallDefinition d;
  d.gtin = kGtin;
  d.lots = {"L1"};
  d.reason = "particles in solution";
  auto created = create_recall(*db.store, *db.recalls, d);
  EXPECT_TRUE(created) << created.error().message;
  return created ? *created : std::pair<Recall, RecallRun>{};
}

TEST(Recall, TheReportNamesTheCustomerReferenceOfEachRegisteredAffectedItem) {
  Db db("recall_warranty");
  supply_chain(db);
  auto path = (std::filesystem::path(::testing::TempDir()) / "recall_warranty.db").string();
  auto records = store::open_sqlite_warranty(path);
  ASSERT_TRUE(records) << records.error().message;
  store::WarrantyTerms terms;
  terms.product = kGtin;
  terms.requires_sale = false;
  terms.start = store::WarrantyStart::kRegistration;
  ASSERT_TRUE(set_warranty_terms(**records, terms));
  auto registered = register_warranty(*db.store, **records, {unit(3), "customer-0042", "", 100});
  ASSERT_TRUE(registered) << registered.error().message;
  auto created = recall_lot_l1(db);
  auto report = recall_report(*db.store, *db.recalls, **records, created.first.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(find(*report, dl(3))->customer_reference, "customer-0042");
  EXPECT_EQ(find(*report, dl(1))->customer_reference, "");  // never registered
  std::string json = recall_report_json(*report);
  EXPECT_NE(json.find(R"("customerReference":"customer-0042")"), std::string::npos) << json;
  std::string csv = recall_report_csv(*report);
  EXPECT_NE(csv.find(",customer-0042\n"), std::string::npos) << csv;
  // Without warranty records the report has no customer data.
  auto plain = recall_report(*db.store, *db.recalls, created.first.id);
  ASSERT_TRUE(plain);
  EXPECT_EQ(find(*plain, dl(3))->customer_reference, "");
}

TEST(Recall, ACustodiansViewHoldsItsOwnItemsAndProgressOnly) {
  Db db("recall_custodian");
  supply_chain(db);
  auto report = recall_report(*db.store, *db.recalls, recall_lot_l1(db).first.id);
  ASSERT_TRUE(report);
  auto gln = store::party_gln(kDistributor);
  ASSERT_TRUE(gln);
  RecallReport view = custodian_view(*report, *gln);
  ASSERT_FALSE(view.items.empty());
  for (const auto& i : view.items) EXPECT_EQ(i.custodian, kDistributor) << i.id;
  EXPECT_NE(find(view, dl(1)), nullptr);
  EXPECT_NE(find(view, kPalletDl), nullptr);  // the pallet it travels in, held by the same party
  EXPECT_EQ(find(view, dl(2)), nullptr);      // the pharmacy's
  EXPECT_EQ(view.totals, (RecallCounts{"", 1, 0, 0, 0, 1}));
  ASSERT_EQ(view.per_custodian.size(), 1u);
  EXPECT_EQ(view.per_custodian[0].custodian, kDistributor);
  EXPECT_TRUE(custodian_view(*report, "4012345000009").items.empty());  // a stranger
}

TEST(Recall, SerialsRangesAndExpiryWindowsNarrowTheItems) {
  Db db("recall_narrow");
  supply_chain(db);
  RecallDefinition by_list;
  by_list.serials = {"(01)09520123456788(21)3", "https://id.gs1.org/01/09520123456788/21/999"};
  by_list.reason = "complaint";
  auto a = create_recall(*db.store, *db.recalls, by_list);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->second.members, 1u);
  EXPECT_EQ(a->second.not_found,
            std::vector<std::string>{"https://id.gs1.org/01/09520123456788/21/999"});

  RecallDefinition by_range;
  by_range.gtin = kGtin;
  by_range.serial_ranges = {{"5", "6"}};
  by_range.reason = "line 2";
  auto b = create_recall(*db.store, *db.recalls, by_range);
  ASSERT_TRUE(b);
  auto members = db.recalls->members(b->first.id);
  EXPECT_EQ(*members,
            (std::vector<store::RecallMember>{{dl(5), "matched", ""}, {dl(6), "matched", ""}}));

  RecallDefinition by_expiry;
  by_expiry.gtin = kGtin;
  by_expiry.expiry_from = "2027-06-01";
  by_expiry.expiry_to = "2027-06-30";
  by_expiry.reason = "stability";
  EXPECT_EQ(create_recall(*db.store, *db.recalls, by_expiry)->second.members, 2u);  // lot L2

  RecallDefinition by_query;
  by_query.query = {{"EQ_bizStep", "shipping"}, {"MATCH_epc", unit(2)}};
  by_query.reason = "lost shipment";
  EXPECT_EQ(create_recall(*db.store, *db.recalls, by_query)->second.members, 1u);

  auto listed = list_recalls(*db.recalls);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[1].definition, by_range);
}

TEST(Recall, ABadDefinitionIsRefusedAndStoresNothing) {
  Db db("recall_bad");
  RecallDefinition d;
  d.gtin = kGtin;
  auto no_reason = create_recall(*db.store, *db.recalls, d);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().kind, ServiceError::Kind::kInvalidArgument);
  d.reason = "r";
  d.gtin = "0952012345678";
  EXPECT_FALSE(create_recall(*db.store, *db.recalls, d));
  d.gtin = kGtin;
  d.expiry_to = "31.12.2027";
  EXPECT_FALSE(create_recall(*db.store, *db.recalls, d));
  d.expiry_to.clear();
  d.query = {{"EQ_nonsense", "x"}};
  EXPECT_FALSE(create_recall(*db.store, *db.recalls, d));
  EXPECT_TRUE(list_recalls(*db.recalls)->empty());
  auto missing = recall_report(*db.store, *db.recalls, 42);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ServiceError::Kind::kNotFound);
}

TEST(Recall, SeverityNamesReadBack) {
  for (auto s : {RecallSeverity::kClassI, RecallSeverity::kClassII, RecallSeverity::kClassIII})
    EXPECT_EQ(recall_severity_from_name(recall_severity_name(s)), s);
  EXPECT_EQ(recall_severity_from_name("Class I"), RecallSeverity::kClassI);
  EXPECT_EQ(recall_severity_from_name("3"), RecallSeverity::kClassIII);
  EXPECT_FALSE(recall_severity_from_name("IV"));
}

}  // namespace
}  // namespace serialtrack::trace
