// Identifiers inside EPCIS events (EPCs, classes, locations, parties) in the two forms
// EPCIS 2.0 allows (§8.3.2, §12.5): EPC URNs ("urn:epc:id:sgtin:0614141.107346.2017",
// "urn:epc:class:lgtin:…", "urn:epc:idpat:sgtin:…", "urn:epc:id:pgln:…") and GS1 Digital
// Link URIs ("https://id.gs1.org/01/70614141073468/21/2017"). Converts between them
// through gs1/ (identify, epc.h, digital_link.h) in the form a client asks for
// (GS1-EPC-Format header, EPCIS 2.0 §12.5), and derives the canonical key of an item.
//
// URN → Digital Link needs nothing. Digital Link → URN needs the length of the GS1
// Company Prefix, which a GS1 key does not carry (GS1 GenSpecs 1.4.4): it comes from an
// optional gs1::GcpLengthTable; when it is not known the identifier stays in its Digital
// Link form (never an error: EPCIS 2.0 §12.5 lets a server answer in either form).
//
// Canonical item key: the canonical GS1 Digital Link URI with the stem
// https://id.gs1.org (GS1 DL URI Syntax 1.x §4.4), for both input forms. DESIGN.md asks
// for "EPC URN + compact binary key", but a URN can only be derived from a DL URI with a
// GCP length table, so a key built on the URN would depend on that table's contents (and
// change when it is updated); the DL key is derivable from either form without it. Any
// other URI (a custom identifier) is its own key.
//
// Pure functions; thread-safe. A GcpLengthTable passed in must outlive the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "epcis/error.h"

namespace serialtrack::gs1 {
class GcpLengthTable;
}

namespace serialtrack::epcis {

// GS1-EPC-Format (EPCIS 2.0 §12.5): the form identifiers are written in.
enum class EpcFormat : uint8_t {
  kAlwaysDigitalLink,  // "Always_GS1_Digital_Link" (the default)
  kAlwaysEpcUrn,       // "Always_EPC_URN" (a DL URI stays DL when the GCP length is unknown)
  kNoPreference,       // "No_Preference": as captured
};

// "Always_GS1_Digital_Link", "Always_EPC_URN", "No_Preference", and back (nullopt when
// unknown).
std::string_view epc_format_name(EpcFormat format);
std::optional<EpcFormat> epc_format_from_name(std::string_view name);

// Whether s is an absolute URI as EPCIS fields need it (RFC 3986 §3.1: a scheme, ':',
// something; no whitespace, quotes, angle brackets or backslashes). Both bindings check
// their identifier fields with it, so that what one accepts the other can write.
bool is_uri(std::string_view s);

// Why id cannot be an EPC (an epcList entry, parentID...): "" when it can. Any URI can;
// an EPC pure-identity URN (urn:epc:id:) must parse (TDS §6), except in schemes gs1/
// does not know (GINC, GSIN, UPUI...), which are kept as URIs.
std::string epc_problem(std::string_view id);

// A name written as a full IRI ("https://ex.com/ns/x", "urn:ex:x"), not as a compact IRI
// ("ex:x"): its namespace runs to the last '/', '#' or ':', its local name after it.
// nullopt for any other text. Both bindings name extensions and extended event types so.
struct IriName {
  std::string_view ns, name;
};
std::optional<IriName> split_full_iri(std::string_view s);

// A namespace name as both bindings keep it: an absolute URI, or a bare scheme and ':'
// (what JSON-LD makes of a compact IRI whose prefix @context does not declare).
bool is_namespace_name(std::string_view s);

// An XML name without a colon (Namespaces in XML 1.0 §3, NCName): ASCII letters,
// digits, '_', '-', '.' and any non-ASCII byte, not starting with a digit, '-' or '.'.
// A user extension is an element in the XML binding, so its prefix and local name must
// be such names, and a prefix not "xml" or "xmlns" (is_extension_prefix).
bool is_ncname(std::string_view s);
bool is_extension_prefix(std::string_view s);

// A sensor report's hexBinaryValue as both bindings take it: pairs of hex digits, at
// least one (XSD hexBinary; the JSON Schema's pattern has no empty form).
bool is_hex_binary(std::string_view s);

// A quantity's uom as both bindings take it: a UN/CEFACT Rec 20 code, two or three
// capital letters or digits (EPCIS 2.0 §7.3.3.3; JSON Schema "^[A-Z0-9]{2,3}$").
bool is_rec20_code(std::string_view s);

// Which form an identifier URI is in.
enum class IdentifierForm : uint8_t {
  kEpcUrn,       // urn:epc:id:<scheme>:… (instances, SGLN locations, PGLN parties)
  kEpcClassUrn,  // urn:epc:class:lgtin:… (GTIN + lot)
  kEpcPattern,   // urn:epc:idpat:sgtin:<gcp>.<itemref>.* (a GTIN class)
  kDigitalLink,  // http(s)://<any domain>/<primary key AI>/<value>…
  kOther,        // any other URI: kept as it is
};

// The form of id from its text (a DL URI is recognised by parsing it).
IdentifierForm identifier_form(std::string_view id);

// id in the form format asks for. EPC URNs, LGTIN class URNs, GTIN idpat URNs and PGLN
// URNs convert to canonical DL URIs (stem https://id.gs1.org); DL URIs convert to URNs
// when gcp_table gives the company prefix length, and stay as they are otherwise (also
// under kAlwaysDigitalLink: the document's own DL stem is kept). Other URIs unchanged.
// Error (ValidationException) when id is an EPC URN or DL URI that does not parse.
Result<std::string> convert_identifier(std::string_view id, EpcFormat format,
                                       const gs1::GcpLengthTable* gcp_table = nullptr);

// The canonical key of an item, class, location or party (see the header comment): the
// canonical DL URI (https://id.gs1.org/…, primary key and key qualifiers only, in the
// order GS1 DL §4.4 fixes); other URIs as they are. Error as convert_identifier.
Result<std::string> canonical_key(std::string_view id);

}  // namespace serialtrack::epcis
