// How the store writes an event into a row and reads it back, and the key under which
// an identifier is indexed (so that an EPC URN and its GS1 Digital Link URI find the
// same events). Internal to store/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "epcis/event.h"

namespace serialtrack::store {

// The stored form of an event (its EPCIS 2.0 JSON); decode gives back an equal Event.
std::string encode_stored_event(const epcis::Event& event);
// As above with this recordTime in place of the event's (a capture stamps it so, without
// copying the event).
std::string encode_stored_event(const epcis::Event& event,
                                const std::optional<epcis::Timestamp>& record_time);
std::optional<epcis::Event> decode_stored_event(std::string_view body);

// The index key of an identifier: its canonical form, or the text itself when it is
// not a GS1 identifier.
std::string index_key(const std::string& id);
// index_key(id) appended to out (no string of its own for the common SGTIN URN).
void append_index_key(const std::string& id, std::string& out);

// The index key of an EPC class (a quantity element's epcClass, EPCIS 2.0 §7.3.3.3):
// for a GTIN class (LGTIN URN, GTIN idpat, Digital Link with AI 01 and optional lot)
// a type byte, the GTIN as a 64-bit number, then the lot; the text itself otherwise.
std::string class_key(const std::string& id);

// Keys [lo, hi) of everything under one GTIN: for a GTIN-level pattern
// ("urn:epc:idpat:sgtin:CP.IR.*") the range of the instance keys (index_key of its
// SGTINs); with classes (also for a Digital Link with AI 01 alone) of its class keys.
// nullopt when id is not a GTIN-level pattern.
struct KeyRange {
  std::string lo, hi;
};
std::optional<KeyRange> gtin_range(const std::string& id, bool classes);

// The range of the compact keys of every SGTIN of a GTIN (14 digits); the serial is
// the key from byte kSgtinSerialOffset on.
KeyRange sgtin_keys_of_gtin(std::string_view gtin14);
inline constexpr size_t kSgtinSerialOffset = 9;

}  // namespace serialtrack::store
