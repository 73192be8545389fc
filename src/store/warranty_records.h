// Warranty records kept in the store (issue 6): terms per product or product family,
// registrations of items to their owners, ownership transfers, and claims. Personal
// data stays minimal: an owner is an opaque customer reference chosen by the caller
// (never a name or address), and it is never written into an EPCIS event.
//
// What the records mean (coverage, fraud checks) is decided in trace/warranty.h; this
// is only where they live: own tables prefixed `warranty_`, on a connection of their
// own to the event store's database file, each write one durable transaction.
//
// Thread-safety: a WarrantyRecords is safe for concurrent use from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace serialtrack::store {

struct WarrantyError {
  enum class Kind : std::uint8_t {
    kIo,        // the database could not be opened, read or written
    kNotFound,  // no such claim / registration
    kConflict,  // a registration that exists already (another owner), a claim's state
  };
  Kind kind = Kind::kIo;
  std::string message;
};

template <typename T>
using WarrantyResult = serialtrack::Result<T, WarrantyError>;

// When coverage starts.
enum class WarrantyStart : std::uint8_t {
  kSale,          // the item's retail_selling or dispensing event
  kRegistration,  // the end customer's registration
  kManufacture,   // the item's commissioning
};

// An extended plan: a name and the days it adds to the base duration.
struct WarrantyPlan {
  std::string name;
  std::int64_t extra_days = 0;
  bool operator==(const WarrantyPlan&) const = default;
};

// Terms for a product (a GTIN-14) or a product family (a leading digit string of
// GTIN-14s, e.g. company prefix + item-reference prefix): the longest matching key wins.
struct WarrantyTerms {
  std::string product;  // GTIN-14, or a family prefix of one
  std::int64_t duration_days = 365;
  WarrantyStart start = WarrantyStart::kSale;
  bool requires_sale = true;      // registration needs a selling/dispensing event first
  std::string coverage;           // text shown to the customer
  std::uint32_t claim_limit = 3;  // claims on one item beyond this are flagged for review
  std::vector<WarrantyPlan> plans;
  bool operator==(const WarrantyTerms&) const = default;
};

enum class RegistrationState : std::uint8_t {
  kActive,    // covers the item
  kReplaced,  // the item was replaced under a claim: coverage moved to `moved_to`
};

struct Registration {
  std::string item;                 // canonical key of the item (trace/ decides the form)
  std::string owner;                // opaque customer reference
  std::string plan;                 // "" or an extended plan's name
  std::int64_t registered_at = 0;   // unix seconds
  std::int64_t start = 0, end = 0;  // coverage [start, end), unix seconds
  RegistrationState state = RegistrationState::kActive;
  std::string moved_to;  // kReplaced: the replacement item
  std::string replaces;  // the item this one replaced, when it came from a claim
  bool operator==(const Registration&) const = default;
};

enum class ClaimState : std::uint8_t { kOpen, kApproved, kRejected, kClosed };

struct Claim {
  std::int64_t id = 0;  // assigned by the store
  std::string item;
  std::string owner;
  std::int64_t opened_at = 0;
  std::string description;
  ClaimState state = ClaimState::kOpen;
  std::vector<std::string> flags;  // fraud-check findings (trace/warranty.h names them)
  std::string resolution;          // why approved / rejected / closed
  std::string replacement;         // the replacement item, when one was given
  std::int64_t updated_at = 0;
  bool operator==(const Claim&) const = default;
};

class WarrantyRecords {
 public:
  virtual ~WarrantyRecords() = default;

  // Stores terms, replacing those with the same product key.
  virtual WarrantyResult<void*> put_terms(const WarrantyTerms& terms) = 0;
  // The terms whose product key is the longest prefix of gtin14; nullopt when none.
  virtual WarrantyResult<std::optional<WarrantyTerms>> terms_for(const std::string& gtin14) = 0;
  // Every stored terms record, by product key.
  virtual WarrantyResult<std::vector<WarrantyTerms>> all_terms() = 0;

  // The registration of an item; nullopt when it was never registered.
  virtual WarrantyResult<std::optional<Registration>> registration(const std::string& item) = 0;
  // Stores a new registration; kConflict when the item has one already.
  virtual WarrantyResult<void*> add_registration(const Registration& r) = 0;
  // Gives a registered item a new owner (and records the transfer); kNotFound when the
  // item has no registration.
  virtual WarrantyResult<void*> transfer(const std::string& item, const std::string& new_owner,
                                         std::int64_t at) = 0;

  // Opens a claim (its id assigned) and returns it.
  virtual WarrantyResult<Claim> add_claim(Claim claim) = 0;
  // A claim by id; nullopt when there is none.
  virtual WarrantyResult<std::optional<Claim>> claim(std::int64_t id) = 0;
  // The claims on an item, oldest first.
  virtual WarrantyResult<std::vector<Claim>> claims_of(const std::string& item) = 0;
  // Writes a claim's state, resolution and replacement. With a replacement newly set, in the same
  // transaction: the faulty item's registration becomes kReplaced (moved_to set) and the
  // replacement item gets a registration for the rest of the coverage (`replaces` set).
  // kNotFound for an unknown claim; kConflict when the replacement is registered already.
  virtual WarrantyResult<Claim> update_claim(const Claim& claim) = 0;
};

// Opens (creating its tables when absent) the warranty records in the database at path.
WarrantyResult<std::unique_ptr<WarrantyRecords>> open_sqlite_warranty(const std::string& path);

}  // namespace serialtrack::store
