// Number ranges (pools) of serials kept in the store (issue 4): named serial formats,
// the AES keys' ids, and for each GTIN the counters already handed out, so that no
// serial is ever allocated twice — across threads, processes, restarts and key
// rotation — while the state kept per range is O(1) (its issued counter).
//
// A range is the counter space of one (GTIN, lot, format, scheme, key id): serial k of
// the range is generator(k) with tweak serial::serial_tweak(gtin, lot). An allocation
// is a request for `count` serials from the current range of its parameters; it records
// the counter runs it took, never the serials (except for the random scheme, which has
// no counter-to-serial function and keeps its issued serials in a table: the duplicate
// check "against the store").
//
// Keys live in a key file beside the database (`<db>.keys`, mode 0600, one line
// "key-id hex" per key, the last line current); the database records key ids only.
// Key material is never logged, printed, returned or put in an error message.
//
// Thread-safety: a SerialRanges is safe for concurrent use from many threads without
// external synchronisation; allocations are serialised by the database (BEGIN
// IMMEDIATE), so any number of objects, threads and processes may allocate from the
// same database at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "serial/format.h"
#include "serial/generator.h"

namespace serialtrack::store {

struct RangeError {
  enum class Kind : std::uint8_t {
    kIo,               // the database or key file could not be opened, read or written
    kCorrupt,          // a newer or damaged schema, or a damaged key file
    kKeyFile,          // the key file is unsafe (permissions wider than 0600) or lacks a key
    kInvalidArgument,  // a bad GTIN, format, count, scheme, serial...
    kNotFound,         // no such format or range
    kConflict,         // a name or request id already used with other parameters
    kGuessable,        // guess probability above 1/10,000 (or sequential) without override
    kExhausted,        // the range has fewer counters left than requested
    kAlreadyReturned,  // a serial returned twice, or never allocated
  };
  Kind kind = Kind::kIo;
  std::string message;  // one sentence for a person; never contains key material
};

template <typename T>
using RangeResult = serialtrack::Result<T, RangeError>;

// A named serial format as stored.
struct SerialFormatRecord {
  std::string name;
  std::string alphabet;  // the symbols, literally
  std::uint32_t free_length = 0;
  std::string prefix;
  serial::CheckCharacter check = serial::CheckCharacter::none;
  std::int64_t created = 0;  // unix seconds
};

// Out of the box: 12 upper alphanumeric characters without I, O, 0, 1 (CSET 32), FF1.
inline constexpr std::string_view kDefaultFormatName = "default";

// The EU FMD preset (Delegated Regulation (EU) 2016/161 Art. 4): at most 20 characters,
// randomised: 16 characters of CSET 32, FF1. A GTIN assigned to the "eu-fmd" market
// gets it by default and may never use guessable serials (sequential, or above 1/10,000).
inline constexpr std::string_view kEuFmdFormatName = "eu-fmd";
inline constexpr std::string_view kEuFmdMarket = "eu-fmd";

// The preset format of a market: kEuFmdFormatName for kEuFmdMarket, else
// kDefaultFormatName (what assign_format takes when the assignment names no format).
std::string_view market_format(std::string_view market);

// The format a GTIN's serials take when a request names none, and its market.
struct GtinFormat {
  std::string gtin;    // 14 digits
  std::string format;  // a stored format's name
  std::string market;  // "" or "eu-fmd"
};

struct AllocationRequest {
  std::string gtin;  // 14 digits with a valid check digit (GS1 GenSpecs 7.9.1)
  std::uint64_t count = 0;
  std::string format;  // empty: the GTIN's assigned format, else "default"
  serial::Scheme scheme = serial::Scheme::ff1;
  std::string lot;   // optional; part of the tweak
  std::string site;  // optional: site, packaging line or contract manufacturer
  std::string to;    // optional: the party the serials are handed to
  // Idempotency key: a request with a request_id seen before returns that allocation's
  // serials again. Empty: one is generated (and returned in Allocation::request_id).
  std::string request_id;
  bool allow_guessable = false;   // permit guess probability > 1/10,000 and sequential
  bool reissue_returned = false;  // take returned-unused serials of the range first
};

// What an allocation handed out.
struct Allocation {
  std::int64_t allocation_id = 0;
  std::int64_t range_id = 0;
  std::string request_id;
  std::string key_id;
  std::uint64_t first_counter = 0;  // counter of the first serial
  std::uint64_t count = 0;
  double guess_probability = 0;  // for the GTIN's serials of the format after this one
  bool replayed = false;         // true: a retried request, the same serials as before
};

// One allocation in a listing, with its range's attributes.
struct AllocationSummary {
  std::int64_t allocation_id = 0, range_id = 0;
  std::string request_id, gtin, lot, site, to, format, key_id;
  serial::Scheme scheme = serial::Scheme::ff1;
  std::uint64_t first_counter = 0;
  std::uint64_t issued = 0;        // serials handed out by this allocation
  std::uint64_t commissioned = 0;  // of them, seen commissioned (0 without a counter)
  std::uint64_t returned = 0;      // of them, returned unused
  std::int64_t created = 0;        // unix seconds
};

// Receives allocated serials in order. Called on the allocating thread.
using SerialSink = std::function<void(std::string_view serial)>;

// How many serials of a GTIN that is_member accepts were seen commissioned (EPCIS
// bizStep commissioning): the event store's side, wired by trace/ (not yet: without
// one, commissioned counts are 0). is_member decides membership of one allocation
// without an index (FF1 decrypts a serial to its counter).
using CommissionedCounter = std::function<std::uint64_t(
    std::string_view gtin, const std::function<bool(std::string_view serial)>& is_member)>;

class SerialRanges {
 public:
  virtual ~SerialRanges() = default;

  // Stores a format under name (validated by serial::Format::create). Adding the same
  // definition again is no error; another definition under a used name is kConflict.
  virtual RangeResult<SerialFormatRecord> add_format(const SerialFormatRecord& format) = 0;
  // All formats, by name. The default format is created on first use of the database.
  virtual RangeResult<std::vector<SerialFormatRecord>> formats() = 0;
  // The format called name; kNotFound when there is none.
  virtual RangeResult<SerialFormatRecord> format(const std::string& name) = 0;

  // Attaches a format (and optionally a market, "eu-fmd") to a GTIN: its default for
  // requests that name no format; an empty format is the market's preset
  // (market_format). Replaces an earlier assignment. Errors: kNotFound (format),
  // kInvalidArgument (GTIN, unknown market).
  virtual RangeResult<GtinFormat> assign_format(const GtinFormat& assignment) = 0;
  // The assignment of a GTIN; kNotFound when it has none.
  virtual RangeResult<GtinFormat> assigned_format(const std::string& gtin) = 0;

  // Allocates request.count serials and passes them, in order, to sink (which may be
  // empty). A retried request (same request_id, same parameters) passes the same
  // serials and returns replayed = true; the same request_id with other parameters is
  // kConflict. Atomic: on error nothing is allocated. Errors: kInvalidArgument (GTIN,
  // count 0, a format the scheme refuses), kNotFound (format), kGuessable, kExhausted,
  // kKeyFile, kIo. An error from generation after the allocation committed (kIo while
  // streaming) leaves the allocation in place: retry with the same request_id.
  virtual RangeResult<Allocation> allocate(const AllocationRequest& request,
                                           const SerialSink& sink) = 0;

  // The allocations of gtin (all when empty), oldest first, with issued / commissioned
  // / returned counts; commissioned from count_commissioned when given, else 0.
  virtual RangeResult<std::vector<AllocationSummary>> allocations(
      const std::string& gtin, const CommissionedCounter& count_commissioned = {}) = 0;

  // Records serials of range range_id as returned unused; they are reissued only by a
  // request with reissue_returned. All or nothing. Returns how many were recorded.
  // Errors: kNotFound (range), kInvalidArgument (not a serial of the range),
  // kAlreadyReturned (never allocated, or returned already).
  virtual RangeResult<std::uint64_t> return_unused(std::int64_t range_id,
                                                   const std::vector<std::string>& serials) = 0;

  // Adds a new random key to the key file and makes it current: later allocations go
  // to new ranges under it. Returns the new key id (never the key).
  virtual RangeResult<std::string> rotate_key() = 0;
  // The current key's id.
  virtual std::string current_key_id() const = 0;
};

// The EU FMD guess probability of a stored format (serial::guess_probability) once a
// GTIN has `issued` serials in it, and whether it is within the 1/10,000 limit.
struct GuessProbability {
  double probability = 0;
  bool within_limit = false;
};
// Errors: kNotFound (no such format), kInvalidArgument (a stored format that no longer
// validates).
RangeResult<GuessProbability> format_guess_probability(SerialRanges& ranges,
                                                       const std::string& format_name,
                                                       std::uint64_t issued);

// Where the key file of the database at db_path lives: db_path + ".keys".
std::string key_file_path(const std::string& db_path);

// Opens the range tables in the SQLite database at path (creating the file, the tables
// and, on first use, the key file and the default format). May share the file with the
// event store (its own connection; schema version in table serial_meta). The caller
// owns the result.
RangeResult<std::unique_ptr<SerialRanges>> open_sqlite_serial_ranges(const std::string& path);

}  // namespace serialtrack::store
