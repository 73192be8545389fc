// The GS1 Core Business Vocabulary (CBV 2.0) values EPCIS events use: business steps,
// dispositions, business transaction types, source/destination types, error reasons,
// sensor measurement types, sensor alert types and measurement components.
//
// One canonical internal form per kind, the one EPCIS XML writes:
//   kBizStep            urn:epcglobal:cbv:bizstep:shipping     (CBV 2.0 §7.1)
//   kDisposition        urn:epcglobal:cbv:disp:in_transit      (CBV 2.0 §7.2)
//   kBizTransactionType urn:epcglobal:cbv:btt:po               (CBV 2.0 §7.3)
//   kSourceDestType     urn:epcglobal:cbv:sdt:owning_party     (CBV 2.0 §7.4)
//   kErrorReason        urn:epcglobal:cbv:er:did_not_occur     (CBV 2.0 §7.5)
//   kMeasurementType    https://gs1.org/voc/Temperature        (CBV 2.0 §7.6, GS1 Web Voc)
//   kSensorAlertType    https://gs1.org/voc/ALARM_CONDITION    (CBV 2.0 §7.7, GS1 Web Voc)
//   kComponent          https://ref.gs1.org/cbv/Comp-x         (CBV 2.0 §7.8; no URN form)
// Accepted on input: the bare word of JSON-LD ("shipping"), the URN, the GS1 web
// vocabulary URI ("https://ref.gs1.org/cbv/BizStep-shipping"), and the CURIEs
// "cbv:BizStep-shipping" / "gs1:Temperature" with the JSON-LD context's standard
// prefixes. Anything else (a custom namespace URI) is kept as it is. Resolving a
// document's own prefixes ("example:x") is the codec's job, before calling here.
// Pure functions over static tables; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace serialtrack::epcis {

enum class CbvKind : uint8_t {
  kBizStep,
  kDisposition,
  kBizTransactionType,
  kSourceDestType,
  kErrorReason,
  kMeasurementType,
  kSensorAlertType,
  kComponent,
};

// The prefix of JSON-LD's "cbv:" CURIEs and of the CBV web vocabulary.
inline constexpr std::string_view kCbvWebPrefix = "https://ref.gs1.org/cbv/";
// The prefix of JSON-LD's "gs1:" CURIEs (GS1 Web Vocabulary).
inline constexpr std::string_view kGs1VocPrefix = "https://gs1.org/voc/";

// The canonical form of value (see above). A bare word that is a standard value of
// kind, or any standard spelling of one, gives its canonical URI; an unknown bare word
// is returned as is (the caller decides whether that is an error: see
// is_standard_cbv); any other URI is kept unchanged.
std::string expand_cbv(CbvKind kind, std::string_view value);

// The bare word JSON-LD writes for a standard value given in any accepted form
// ("urn:epcglobal:cbv:bizstep:shipping" -> "shipping"); other values unchanged, except
// that a non-standard GS1 Web Vocabulary URI becomes its "gs1:" CURIE (the EPCIS JSON
// Schema forbids "https://gs1.org/voc/..." for measurement and alert types).
std::string compact_cbv(CbvKind kind, std::string_view uri);

// True when value (bare word, URN, web URI or standard CURIE) names a standard CBV 2.0
// value of kind.
bool is_standard_cbv(CbvKind kind, std::string_view value);

// The GS1 web vocabulary URI of a standard value ("https://ref.gs1.org/cbv/BizStep-
// shipping", "https://gs1.org/voc/Temperature"), as the CBV 2.0 §8.9 event hash
// writes it; other values unchanged.
std::string cbv_web_uri(CbvKind kind, std::string_view value);

// Every standard bare word of kind, in the order of the CBV 2.0 JSON-LD context.
std::span<const std::string_view> cbv_values(CbvKind kind);

// "bizStep", "disposition", "bizTransactionType", "sourceDestType", "errorReason",
// "measurementType", "sensorAlertType", "component".
std::string_view cbv_kind_name(CbvKind kind);

}  // namespace serialtrack::epcis
