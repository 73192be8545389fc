// GS1 element strings (GS1 GenSpecs 3 and 7.8): bracketed "(01)09520123456788(21)A",
// unbracketed with FNC1 as "^" or GS (0x1D), and their output forms: bracketed,
// unbracketed (the barcode message), and human-readable interpretation (HRI).
// Every parse validates each value against the AI table (length, character set,
// linters) and then the associations between AIs (validate_associations).
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gs1/ai_data.h"
#include "gs1/error.h"

namespace serialtrack::gs1 {

// Parses "(01)09520123456788(10)ABC". A literal "(" inside a value is written "\(".
Result<AiData> parse_bracketed(std::string_view input, const Options& options = {});

// Parses the barcode message: AIs run together, FNC1 separators after variable-
// length values written "^" or GS (0x1D). A leading "^" or GS (FNC1 in first
// position) is optional.
Result<AiData> parse_unbracketed(std::string_view input, const Options& options = {});

// The same, writing into out (cleared first) to reuse its capacity in hot loops.
// nullopt on success.
std::optional<Error> parse_bracketed_into(std::string_view input, AiData& out,
                                          const Options& options = {});
std::optional<Error> parse_unbracketed_into(std::string_view input, AiData& out,
                                            const Options& options = {});

// The checks made on a value before its components, so that a wrong length is
// reported before, say, a bad check digit (as GS1's reference parser does): length
// against the AI's minimum and maximum, and no '^' (it would pass for FNC1). ai is
// the AI as written; the value spans [position, position + span) of the input.
std::optional<Error> check_value_length(const AiEntry& entry, std::string_view ai,
                                        std::string_view value, size_t position, size_t span);

// Checks one value against its AI's entry: length, character sets, linters. position
// is the value's offset in the caller's input, added to the error's position.
std::optional<Error> check_ai_value(const AiEntry& entry, std::string_view value,
                                    size_t position = 0);

// Association rules over the whole message (syntax dictionary req=, ex=; GenSpecs
// 4.14): requisite AIs, mutually exclusive AIs, repeated AIs that must agree, and the
// digital signature (8030) needing a serialised key. nullopt when all hold.
std::optional<Error> validate_associations(const AiData& data, const Options& options = {});

// "(01)09520123456788(10)ABC", with "(" in values written "\(".
std::string to_bracketed(const AiData& data);

// The barcode message with FNC1 in first position and separators, both written as
// fnc1 ("^" in GS1's notation; pass '\x1D' for what a scanner sends after the first).
std::string to_unbracketed(const AiData& data, char fnc1 = '^');

// Human-readable interpretation, one line per AI: "(01) 09520123456788", or with
// titles "GTIN (01) 09520123456788".
std::vector<std::string> to_hri(const AiData& data, bool with_titles = false);

}  // namespace serialtrack::gs1
