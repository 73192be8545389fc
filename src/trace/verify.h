// Pack verification with EU FMD semantics (Delegated Regulation (EU) 2016/161 Art. 11
// and 25): is this pack — GTIN (product code), serial, and the lot and expiry printed
// on it — one the manufacturer commissioned, and is it still ACTIVE? The answer is what
// `GET /verify` and `serialtrack verify` show; every verification is appended to the
// verification log (clone detection reads it).
//
// Alert codes are modelled on the EMVS hub's alerts (the numbers follow our issue 5;
// the hub itself numbers some differently):
//   A2   unknown serial: the product code is known, this serial was never commissioned
//   A3   unknown product: no pack of this GTIN was ever seen
//   A24  lot mismatch: the lot given differs from the lot commissioned
//   A52  expiry mismatch: the expiry given differs from the expiry commissioned
//   A68  an operation on a pack that is no longer ACTIVE (already decommissioned, or
//        expired, recalled, withdrawn): refused (pack_operations.h)
//   A7   an operation repeated: the pack is already in the requested state; nothing
//        is recorded again (pack_operations.h)
// A verification itself gives only A2, A3, A24, A52: an inactive pack is answered with
// its status (verified false), not an alert.
//
// Thread-safe as the Store and VerificationLog are.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "epcis/event.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/item_state.h"
#include "trace/pack_status.h"

namespace serialtrack::trace {

enum class AlertCode : uint8_t {
  kUnknownSerial,   // A2
  kUnknownProduct,  // A3
  kLotMismatch,     // A24
  kExpiryMismatch,  // A52
  kNotActive,       // A68
  kAlreadyInState,  // A7
};
// "A2", "A3", "A24", "A52", "A68", "A7".
std::string_view alert_code_name(AlertCode code);

struct VerifyError {
  enum class Kind : uint8_t {
    kInvalidInput,  // the identifier, lot, expiry, party or location does not parse
    kStore,         // the store or the log failed (I/O, corrupt record)
  };
  Kind kind = Kind::kInvalidInput;
  std::string field;    // for kInvalidInput: "id", "gtin", "serial", "lot", "expiry", "party"...
  std::string message;  // one sentence for a person
};
template <typename T>
using VerifyResult = serialtrack::Result<T, VerifyError>;

// Which pack: `id` in any form gs1::identify accepts (element string "(01)…(21)…",
// scan data "]d2…", a GS1 Digital Link URI, an EPC URI or tag hex), or, when id is
// empty, `gtin` and `serial`. A lot (AI 10) or expiry (AI 17, YYMMDD) inside id is
// checked too; `lot` / `expiry` given here take their place.
struct PackQuery {
  std::string id;
  std::string gtin, serial;
  std::optional<std::string> lot;
  std::optional<std::string> expiry;  // YYMMDD as printed on the pack (AI 17)
};

// Who asks, for the log and for what the answer may show.
struct Caller {
  std::string client;      // the client (API key id, "cli"...)
  std::string party;       // GLN (13 digits), PGLN URN or Digital Link (417); may be empty
  std::string location;    // GLN, SGLN URN or Digital Link (414[/254]); may be empty
  bool is_public = false;  // a public caller sees genuine or not, never custody data
};

struct VerifyRequest {
  PackQuery pack;
  Caller caller;
  int64_t now_unix_nanos = 0;  // the time of the verification (injected for tests)
};

// What is known of a pack beyond its status: for non-public callers only.
struct PackDetails {
  std::string gtin;           // the product code, 14 digits
  std::string product_name;   // from the product's master data; "" when none captured
  std::string lot;            // as commissioned (ilmd lotNumber)
  std::string expiry;         // as commissioned, YYYY-MM-DD (ilmd itemExpirationDate)
  std::string last_location;  // bizLocation of its latest event (readPoint when none)
  std::string custodian;      // its possessing party, else its owning party; "" when none
  std::optional<epcis::Timestamp> last_event_time;
};

struct VerifyAnswer {
  bool verified = false;  // known, genuine, ACTIVE, and the lot and expiry given match
  PackStatus status = PackStatus::kUnknown;
  std::optional<AlertCode> alert;
  std::string message;                 // plain words
  std::string gtin, serial;            // the pack asked about
  std::string item;                    // its canonical key (Digital Link URI)
  bool lot_matches = true;             // false only when a lot was given and differs
  bool expiry_matches = true;          // false only when an expiry was given and differs
  std::optional<PackDetails> details;  // absent for public callers and unknown packs
  // Set by detection (trace/detection.h): a rule found this scan or its pack's history
  // to be a copy (impossible travel, a scan after decommission elsewhere).
  bool suspected_clone = false;
  int64_t log_sequence = 0;  // verify_pack: the verification's sequence number in the log
};

// A pack resolved from a PackQuery (no store access).
struct PackKey {
  std::string gtin, serial;  // 14 digits; the serial as encoded (AI 21)
  std::string item;          // canonical Digital Link URI https://id.gs1.org/01/…/21/…
  std::optional<std::string> lot, expiry;  // to check, as given (expiry YYMMDD)
};

// The PackQuery of `GET /verify` query parameters (name, value, already %-decoded) or
// of a `POST /verify` JSON object's members: gtin, serial, lot, expiry (YYMMDD), and
// instead of gtin and serial one of dl (a Digital Link URI), scan (raw scan data) or id
// (any form). Unknown names are ignored. Error kInvalidInput when a name is repeated
// with another value, or when dl / scan / id is given with gtin or serial.
VerifyResult<PackQuery> pack_query_from_params(
    const std::vector<std::pair<std::string, std::string>>& params);

// The PackQuery of one `POST /verify` JSON object: the same names as above, each a
// string. Error kInvalidInput naming a member that is not a string, or as above.
VerifyResult<PackQuery> pack_query_from_json(const boost::json::object& body);

// Resolves and validates a PackQuery: a GTIN check digit, a serial of at most 20 CSET 82
// characters (GS1 GenSpecs 3.2, 7.11), a lot likewise, an expiry of six digits naming
// a day (GenSpecs 7.12). Error kInvalidInput naming the field otherwise.
VerifyResult<PackKey> resolve_pack(const PackQuery& query);

// The verification of a pack as the store knows it now, with no logging: what
// verify_pack answers, for services that verify before they act (pack operations, DSCSA).
// When state is given, it receives the pack's state as read (nullopt: none stored).
VerifyResult<VerifyAnswer> inspect_pack(store::Store& store, const PackKey& pack,
                                        int64_t now_unix_nanos,
                                        std::optional<ItemState>* state = nullptr);

// Verifies a pack and appends the verification to log (time, item, caller, status,
// alert). Returns the answer (an unknown or inactive pack is an answer, not an error);
// error kInvalidInput for a request that does not parse (nothing logged), kStore when
// the store or the log fails.
VerifyResult<VerifyAnswer> verify_pack(store::Store& store, store::VerificationLog& log,
                                       const VerifyRequest& request);

// A VerifyRequest whose pack is resolved already (resolve_pack): for callers that check
// a request before they verify it (the /verify routes), so a pack is resolved once.
struct ResolvedVerifyRequest {
  PackKey pack;
  Caller caller;
  int64_t now_unix_nanos = 0;
};

// The request with its pack resolved (resolve_pack's errors).
VerifyResult<ResolvedVerifyRequest> resolve_request(const VerifyRequest& request);

// verify_pack of a resolved pack: the same answer and log record as verify_pack of the
// PackQuery it was resolved from. Error kInvalidInput only for the caller's party or
// location; kStore as above. When state is given, it receives the pack's state as the
// answer read it (detection looks at it without reading it again).
VerifyResult<VerifyAnswer> verify_pack(store::Store& store, store::VerificationLog& log,
                                       const ResolvedVerifyRequest& request,
                                       std::optional<ItemState>* state = nullptr);

// The JSON object `GET /verify` answers and `serialtrack verify --json` prints:
//   verified (bool), status (string), alert (string, absent when none), message,
//   gtin, serial, item; and, when the answer has details: lotMatches, expiryMatches,
//   product {gtin, name?}, lot?, expiry? (YYYY-MM-DD), lastLocation?, custodian?,
//   lastEventTime? (RFC 3339) — "?" fields absent when empty; suspectedClone (true,
//   absent otherwise) when detection suspects a copy.
boost::json::object verify_answer_json(const VerifyAnswer& answer);

// A party or location given as a bare GLN (13 digits), an EPC URN (pgln / sgln) or a
// Digital Link URI (417 / 414[/254]) in its canonical Digital Link form
// (https://id.gs1.org/417/… for parties, …/414/… for locations). "" stays "".
// Error kInvalidInput naming field ("party", "location") when it does not parse.
VerifyResult<std::string> party_uri(const std::string& party);
VerifyResult<std::string> location_uri(const std::string& location);

}  // namespace serialtrack::trace
