// The status of a medicine pack in EU FMD terms (Delegated Regulation (EU) 2016/161,
// "the Delegated Regulation": Art. 25 supply to the public, Art. 22 decommissioning for
// export, destruction and samples; the other states as the EMVS uses them), read from
// the item state captured EPCIS events left, and the event vocabulary (CBV 2.0 bizSteps
// and dispositions, ours where CBV names no value) with which pack operations record a
// change of status.
//
// Pure functions over static tables; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trace/item_state.h"

namespace serialtrack::trace {

enum class PackStatus : uint8_t {
  kUnknown,     // no commissioned pack with this GTIN and serial
  kActive,      // commissioned, in the supply chain, may be supplied
  kSupplied,    // supplied (dispensed) to the public (Art. 25)
  kDestroyed,   // destroyed, disposed of, or otherwise decommissioned for good
  kStolen,      // reported stolen
  kSample,      // taken as a sample (e.g. by a competent authority, Art. 22(d))
  kFreeSample,  // given away as a free sample
  kExported,    // exported out of the EU (Art. 22(a))
  kLocked,      // locked (by the manufacturer or an authority): neither supplied nor moved
  kCheckedOut,  // checked out (e.g. to a hospital ward or a clinical trial)
  kExpired,     // its expiry date has passed
  kRecalled,    // recalled (disposition or persistent disposition `recalled`)
  kWithdrawn,   // withdrawn from the market
};

// "UNKNOWN", "ACTIVE", "SUPPLIED", "DESTROYED", "STOLEN", "SAMPLE", "FREE_SAMPLE",
// "EXPORTED", "LOCKED", "CHECKED_OUT", "EXPIRED", "RECALLED", "WITHDRAWN"; and back
// (nullopt for any other text).
std::string_view pack_status_name(PackStatus status);
std::optional<PackStatus> pack_status_from_name(std::string_view name);
// The status in plain words for messages: "active", "supplied (dispensed)", "reported
// stolen", "given as a free sample"...
std::string pack_status_words(PackStatus status);

// Our namespace for the dispositions and business steps CBV 2.0 does not name
// (src/trace/README.md lists them): kPackDispositionNs + "sample", "free_sample",
// "exported", "locked", "checked_out", "withdrawn"; kPackBizStepNs + "reporting_stolen",
// "free_sampling", "locking", "checking_out", "reactivating".
inline constexpr std::string_view kPackDispositionNs = "https://serialtrack.dev/disposition/";
inline constexpr std::string_view kPackBizStepNs = "https://serialtrack.dev/bizstep/";

// The business step that undoes a pack operation (brings the pack back to ACTIVE,
// Art. 13 of the Delegated Regulation), with disposition CBV `active`.
std::string reactivating_biz_step();

// The status an item state gives a pack on the calendar day of now_unix_nanos (UTC).
// In order: never commissioned → UNKNOWN; disposition or a persistent disposition
// `recalled` → RECALLED; `withdrawn` (ours) → WITHDRAWN; a decommissioning disposition
// (CBV 2.0 §7.2 dispensed/retail_sold → SUPPLIED, destroyed/disposed → DESTROYED,
// stolen → STOLEN, expired → EXPIRED; ours for SAMPLE... CHECKED_OUT) → that status;
// a life ended otherwise (decommissioning, ObjectEvent DELETE, or any event after the
// end of its life but the undo of a supply) → DESTROYED; an expiry date before today →
// EXPIRED; else ACTIVE.
PackStatus pack_status(const ItemState& state, int64_t now_unix_nanos);

// The disposition URI that puts a pack in status (CBV 2.0 §7.2 where CBV names one,
// ours otherwise); "" for UNKNOWN and EXPIRED (a date, not an event, makes those).
std::string disposition_of(PackStatus status);

// An expiry date as ISO 8601 "YYYY-MM-DD", from a pack's AI (17) "YYMMDD" (GS1 GenSpecs
// 7.12: the century is the one that puts the year within -49..+50 of the year of
// now_unix_nanos; day 00 is the last day of the month) or from an ilmd
// itemExpirationDate already in that form (CBV 2.0 §9.2, xsd:date). nullopt when text
// is neither or names no calendar day.
std::optional<std::string> expiry_date(std::string_view text, int64_t now_unix_nanos);

// The UTC calendar day of an instant, "YYYY-MM-DD".
std::string utc_date(int64_t unix_nanos);

}  // namespace serialtrack::trace
