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
std::optional<epcis::Event> decode_stored_event(std::string_view body);

// The index key of an identifier: its canonical form, or the text itself when it is
// not a GS1 identifier.
std::string index_key(const std::string& id);

}  // namespace serialtrack::store
