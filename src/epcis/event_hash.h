// The EPCIS Event Hash ID (CBV 2.0 §8.9): a name for an event derived from its content,
// "ni:///sha-256;<64 lowercase hex digits>?ver=CBV2.0" (RFC 6920 named information), so
// that two systems holding the same event give it the same ID whatever syntax (XML or
// JSON-LD), identifier form (EPC URN or GS1 Digital Link), time zone, number spelling or
// list order it was written in. Events captured without an eventID get it as their ID.
//
// The pre-hash string concatenates, without separators, "eventType=<type>" and then
// the event's fields in the order CBV 2.0 §8.9 fixes (eventTime, eventTimeZoneOffset,
// certificationInfo, parentID, epcList, inputEPCList, childEPCs, quantityList,
// childQuantityList, inputQuantityList, outputEPCList, outputQuantityList, action,
// transformationID, bizStep, disposition, persistentDisposition, readPoint,
// bizLocation, sensorElementList), then everything else (bizTransactionList,
// sourceList, destinationList, ilmd, user extensions) sorted as text. Left out:
// eventID, recordTime and errorDeclaration (a later correction must not rename the
// event). Values are normalised: times to UTC with milliseconds ("...T10:00:30.000Z"),
// numbers to their shortest form ("12.10" -> "12.1", "600.0" -> "600"), GS1
// identifiers to canonical Digital Link URIs on https://id.gs1.org at their finest
// level (serial, else lot, else GTIN), CBV values to their web URIs
// ("https://ref.gs1.org/cbv/BizStep-shipping"); repeated values are sorted.
//
// Matches GS1's reference implementation (RalphTro/epcis-event-hash-generator) on its
// published vectors, including its choices where the standard is silent: user
// extensions nested in readPoint, bizLocation and sensor elements follow the standard
// fields of their element only when their namespace URI ends in '/', otherwise they
// join the sorted remainder under their element's path; a sensorReport's bizRules
// (not in the reference's field order) joins the remainder the same way; JSON booleans
// and null in user extensions read "True", "False", "None". Unlike the reference,
// xsi:type attributes on XML extension elements are left out: they type the XML, not
// the event, and GS1's identical-hash-ID examples expect the same ID with and without.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "epcis/event.h"

namespace serialtrack::epcis {

// What the hash needs to know beyond the event itself.
struct HashContext {
  // The syntax the event was decoded from, which decides how CURIE values
  // ("prefix:local") are read: XML expands only the standard "gs1:" and "cbv:" prefixes
  // and keeps other CURIEs as written; JSON-LD expands every prefix its @context
  // declares (namespaces below) and no other.
  enum class Syntax : uint8_t { kXml, kJsonLd };
  Syntax syntax = Syntax::kXml;
  // JSON-LD only: the document's @context prefixes (Document::namespaces), in order.
  std::vector<std::pair<std::string, std::string>> namespaces;
  // Event-level user extensions left out of the hash, as (namespace URI, local name):
  // fields a repository adds at capture (the "ignoreFields" repository extension of
  // the reference implementation's vectors).
  std::vector<std::pair<std::string, std::string>> ignored_fields;
};

// The canonical pre-hash string of event (CBV 2.0 §8.9 steps 1-3): the UTF-8 text whose
// SHA-256 is the hash. Never fails: a value that is no GS1 identifier, CBV value,
// number or time is used as written.
std::string event_prehash(const Event& event, const HashContext& context = {});

// "ni:///sha-256;<lowercase hex of SHA-256(event_prehash)>?ver=CBV2.0" (CBV 2.0 §8.9
// step 4).
std::string event_hash_id(const Event& event, const HashContext& context = {});

// The hash ID of an already computed pre-hash string.
std::string hash_id_of_prehash(std::string_view prehash);

}  // namespace serialtrack::epcis
