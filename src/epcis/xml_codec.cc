#include "epcis/xml_codec.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <pugixml.hpp>
#include <sstream>
#include <utility>

#include "common/utf8.h"
#include "epcis/cbv.h"
#include "epcis/identifiers.h"
#include "epcis/time.h"

namespace serialtrack::epcis {
namespace {

constexpr std::string_view kEpcis2 = "urn:epcglobal:epcis:xsd:2";
constexpr std::string_view kEpcis1 = "urn:epcglobal:epcis:xsd:1";
constexpr std::string_view kQuery2 = "urn:epcglobal:epcis-query:xsd:2";
constexpr std::string_view kQuery1 = "urn:epcglobal:epcis-query:xsd:1";
constexpr std::string_view kMasterData2 = "urn:epcglobal:epcis-masterdata:xsd:2";
constexpr std::string_view kMasterData1 = "urn:epcglobal:epcis-masterdata:xsd:1";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

// EPCIS's own namespaces (EPCIS 2.0 §9.3; 1.x for EPCIS 1.2 input): elements in them
// are standard fields, never user extensions.
bool is_epcis_namespace(std::string_view ns) {
  return ns == kEpcis2 || ns == kEpcis1 || ns == kQuery2 || ns == kQuery1 || ns == kMasterData2 ||
         ns == kMasterData1;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------------------------
// Decoding.

struct Failure {
  Error error;
};

struct QName {
  std::string prefix;
  std::string local;
  std::string ns;
};

enum class F : uint8_t {
  eventTime,
  recordTime,
  eventTimeZoneOffset,
  eventID,
  errorDeclaration,
  certificationInfo,
  baseExtension,
  epcList,
  childEPCs,
  parentID,
  action,
  bizStep,
  disposition,
  readPoint,
  bizLocation,
  bizTransactionList,
  quantityList,
  childQuantityList,
  inputEPCList,
  inputQuantityList,
  outputEPCList,
  outputQuantityList,
  transformationID,
  sourceList,
  destinationList,
  sensorElementList,
  persistentDisposition,
  ilmd,
  extension,
  kCount
};

constexpr std::array<std::string_view, static_cast<size_t>(F::kCount)> kFieldNames = {
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "errorDeclaration",
    "certificationInfo",
    "baseExtension",
    "epcList",
    "childEPCs",
    "parentID",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "quantityList",
    "childQuantityList",
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "persistentDisposition",
    "ilmd",
    "extension"};

std::optional<F> field_from_name(std::string_view name) {
  for (size_t i = 0; i < kFieldNames.size(); ++i)
    if (kFieldNames[i] == name) return static_cast<F>(i);
  return std::nullopt;
}

using FieldOrder = std::vector<F>;

// EPCIS 2.0 XSD (EPCglobal-epcis-2_0.xsd) element order of each event type: the
// EPCISEventType base, then the type's own sequence (EPCIS 2.0 §9.3).
// clang-format off
const FieldOrder& order_v2(EventType type) {
  using enum F;
  static const FieldOrder object = {
      eventTime, recordTime, eventTimeZoneOffset, eventID, errorDeclaration, certificationInfo,
      baseExtension, epcList, action, bizStep, disposition, readPoint, bizLocation,
      bizTransactionList, quantityList, sourceList, destinationList, sensorElementList,
      persistentDisposition, ilmd, extension};
  static const FieldOrder aggregation = {
      eventTime, recordTime, eventTimeZoneOffset, eventID, errorDeclaration, certificationInfo,
      baseExtension, parentID, childEPCs, action, bizStep, disposition, readPoint, bizLocation,
      bizTransactionList, childQuantityList, sourceList, destinationList, sensorElementList,
      persistentDisposition, extension};
  static const FieldOrder transaction = {
      eventTime, recordTime, eventTimeZoneOffset, eventID, errorDeclaration, certificationInfo,
      baseExtension, bizTransactionList, parentID, epcList, action, bizStep, disposition,
      readPoint, bizLocation, quantityList, sourceList, destinationList, sensorElementList,
      persistentDisposition, extension};
  static const FieldOrder transformation = {
      eventTime, recordTime, eventTimeZoneOffset, eventID, errorDeclaration, certificationInfo,
      baseExtension, inputEPCList, inputQuantityList, outputEPCList, outputQuantityList,
      transformationID, bizStep, disposition, readPoint, bizLocation, bizTransactionList,
      sourceList, destinationList, sensorElementList, persistentDisposition, ilmd, extension};
  static const FieldOrder association = {
      eventTime, recordTime, eventTimeZoneOffset, eventID, errorDeclaration, certificationInfo,
      baseExtension, parentID, childEPCs, childQuantityList, action, bizStep, disposition,
      readPoint, bizLocation, bizTransactionList, sourceList, destinationList,
      sensorElementList, persistentDisposition, extension};
  switch (type) {
    case EventType::kObject:
      return object;
    case EventType::kAggregation:
      return aggregation;
    case EventType::kTransaction:
      return transaction;
    case EventType::kTransformation:
      return transformation;
    case EventType::kAssociation:
      return association;
  }
  return object;
}

// EPCIS 1.2 XSD order (EPCglobal-epcis-1_2.xsd): eventID/errorDeclaration live in
// baseExtension, the 1.1+ fields in extension. AssociationEvent did not exist in 1.2.
const FieldOrder& order_v1(EventType type) {
  using enum F;
  static const FieldOrder object = {
      eventTime, recordTime, eventTimeZoneOffset, baseExtension, epcList, action, bizStep,
      disposition, readPoint, bizLocation, bizTransactionList, extension};
  static const FieldOrder aggregation = {
      eventTime, recordTime, eventTimeZoneOffset, baseExtension, parentID, childEPCs, action,
      bizStep, disposition, readPoint, bizLocation, bizTransactionList, extension};
  static const FieldOrder transaction = {
      eventTime, recordTime, eventTimeZoneOffset, baseExtension, bizTransactionList, parentID,
      epcList, action, bizStep, disposition, readPoint, bizLocation, extension};
  static const FieldOrder none;  // AssociationEvent sits in 1.2 extension wrappers, laxly typed
  static const FieldOrder transformation = {
      eventTime, recordTime, eventTimeZoneOffset, baseExtension, inputEPCList,
      inputQuantityList, outputEPCList, outputQuantityList, transformationID, bizStep,
      disposition, readPoint, bizLocation, bizTransactionList, sourceList, destinationList,
      ilmd, extension};
  switch (type) {
    case EventType::kObject:
      return object;
    case EventType::kAggregation:
      return aggregation;
    case EventType::kTransaction:
      return transaction;
    case EventType::kTransformation:
      return transformation;
    case EventType::kAssociation:
      return none;
  }
  return object;
}
// clang-format on

class Decoder {
 public:
  Decoder(std::string_view text, const XmlDecodeOptions& options)
      : text_(text), options_(options) {}

  Document run() {
    // XML 1.0 §4.3.3: an entity without an encoding declaration or BOM is UTF-8; this
    // decoder reads every document as UTF-8, and pugixml does not check it.
    if (size_t bad = first_invalid_utf8(text_); bad != text_.size()) {
      Error e{ErrorKind::kUnsupportedFormat,
              "not well-formed XML: the byte at offset " + std::to_string(bad) + " is not UTF-8",
              -1,
              "",
              0,
              0};
      locate(bad, e);
      throw Failure{std::move(e)};
    }
    pugi::xml_parse_result parsed =
        xml_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      Error e{ErrorKind::kUnsupportedFormat,
              std::string("not well-formed XML: ") + parsed.description(),
              -1,
              "",
              0,
              0};
      locate(static_cast<size_t>(std::max<ptrdiff_t>(parsed.offset, 0)), e);
      throw Failure{std::move(e)};
    }
    pugi::xml_node root = xml_.document_element();
    if (!root) fail_format(root, "empty document");
    QName rq = qname(root);
    collect_namespaces(root);
    // EPCIS 2.0 §9.3: the three document roots; 1.x namespaces are EPCIS 1.2 input.
    if (rq.local == "EPCISDocument" && (rq.ns == kEpcis2 || rq.ns == kEpcis1)) {
      doc_.kind = Document::Kind::kEpcisDocument;
      v1_ = rq.ns == kEpcis1;
    } else if (rq.local == "EPCISQueryDocument" && (rq.ns == kQuery2 || rq.ns == kQuery1)) {
      doc_.kind = Document::Kind::kQueryDocument;
      v1_ = rq.ns == kQuery1;
    } else if (rq.local == "EPCISMasterDataDocument" &&
               (rq.ns == kMasterData2 || rq.ns == kMasterData1)) {
      doc_.kind = Document::Kind::kMasterDataDocument;
      v1_ = rq.ns == kMasterData1;
    } else if (rq.local == "EPCISCaptureJob") {
      fail_format(root,
                  "EPCISCaptureJob is a capture job status (EPCIS 2.0 §12.2 REST binding), not "
                  "an EPCIS document");
    } else if (event_type_from_name(rq.local)) {
      fail_format(root, "a bare " + rq.local +
                            " is not an EPCIS document; wrap it in epcis:EPCISDocument/"
                            "EPCISBody/EventList (EPCIS 2.0 §9.3)");
    } else {
      fail_format(root, "root element {" + rq.ns + "}" + rq.local +
                            " is not EPCISDocument, EPCISQueryDocument or "
                            "EPCISMasterDataDocument");
    }
    decode_root_attributes(root);
    bool saw_body = false;
    if (doc_.kind == Document::Kind::kQueryDocument && !options_.strict &&
        root.child("queryName")) {
      // Loose form (not strict): QueryResults' content directly under the root.
      decode_query_results(root, /*loose=*/true);
      return std::move(doc_);
    }
    for (pugi::xml_node c : root.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) continue;  // ##other at document level: not modelled
      if (q.local == "EPCISHeader") {
        decode_header(c);
      } else if (q.local == "EPCISBody") {
        saw_body = true;
        decode_body(c);
      } else if (q.local == "extension") {
        continue;  // EPCISDocumentExtensionType: not modelled
      } else {
        fail(c, q.local, "unknown element <" + q.local + "> in " + rq.local);
      }
    }
    if (!saw_body) fail(root, "EPCISBody", "missing EPCISBody");
    return std::move(doc_);
  }

 private:
  // --- errors ---------------------------------------------------------------------
  void locate(size_t offset, Error& e) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    e.line = line;
    e.column = col;
  }
  [[noreturn]] void fail(pugi::xml_node at, std::string field, std::string message,
                         ErrorKind kind = ErrorKind::kValidation) const {
    Error e{kind, std::move(message), in_event_ ? event_index_ : -1, std::move(field), 0, 0};
    if (at) {
      ptrdiff_t off = at.offset_debug();
      // offset_debug points at the name; step back to the '<' for elements.
      if (off > 0 && at.type() == pugi::node_element) --off;
      if (off >= 0) locate(static_cast<size_t>(off), e);
    }
    if (e.event_index >= 0)
      e.message = "event " + std::to_string(e.event_index) + ": " + e.field + ": " + e.message;
    else if (!e.field.empty())
      e.message = e.field + ": " + e.message;
    throw Failure{std::move(e)};
  }
  [[noreturn]] void fail_format(pugi::xml_node at, std::string message) const {
    fail(at, "", std::move(message), ErrorKind::kUnsupportedFormat);
  }

  // --- namespaces (XML Namespaces 1.0 §6: nearest declaration in scope) -------------
  std::string resolve(pugi::xml_node node, std::string_view prefix) const {
    if (prefix == "xml") return std::string(kXmlNs);
    std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
    for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
      pugi::xml_attribute a = n.attribute(attr.c_str());
      if (a) return a.value();
    }
    if (!prefix.empty())
      fail(node, "", "namespace prefix '" + std::string(prefix) + "' is not declared");
    return {};
  }
  // Namespaces in XML 1.0 §3: an element or attribute name is an NCName, or two joined
  // by one colon (pugixml takes "a:b:c" too; JSON could not write it as a key).
  void check_name(pugi::xml_node at, std::string_view name) const {
    size_t colon = name.find(':');
    bool ok = colon == std::string_view::npos
                  ? is_ncname(name)
                  : is_ncname(name.substr(0, colon)) && is_ncname(name.substr(colon + 1));
    if (!ok)
      fail(at, std::string(name),
           "'" + std::string(name) + "' is not a name Namespaces in XML allows (prefix:local)");
  }
  QName qname(pugi::xml_node node) const {
    QName q;
    std::string_view name = node.name();
    check_name(node, name);
    size_t colon = name.find(':');
    if (colon != std::string_view::npos) {
      q.prefix = name.substr(0, colon);
      q.local = name.substr(colon + 1);
    } else {
      q.local = name;
    }
    q.ns = resolve(node, q.prefix);
    return q;
  }
  // The prefix bound to the XML Schema instance namespace where node is ("xsi" if none).
  std::string xsi_prefix(pugi::xml_node node) const {
    for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent())
      for (pugi::xml_attribute a : n.attributes()) {
        std::string_view an = a.name();
        if (an.substr(0, 6) == "xmlns:" &&
            std::string_view(a.value()) == "http://www.w3.org/2001/XMLSchema-instance")
          return std::string(an.substr(6));
      }
    return "xsi";
  }
  static bool is_standard(const QName& q) { return q.ns.empty() || is_epcis_namespace(q.ns); }

  // Every prefixed declaration anywhere in the document, first binding of a prefix wins
  // (later conflicting ones are re-declared locally on encode).
  void collect_namespaces(pugi::xml_node root) {
    std::vector<pugi::xml_node> stack{root};
    // Pre-order, document order.
    while (!stack.empty()) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      for (pugi::xml_attribute a : n.attributes()) {
        std::string_view name = a.name();
        if (name == "xmlns" && *a.value() && !is_namespace_name(a.value()))
          fail(n, "xmlns",
               "default namespace \"" + std::string(a.value()) + "\" is not an absolute URI");
        if (name.substr(0, 6) != "xmlns:" || name == "xmlns:xml") continue;
        std::string prefix(name.substr(6));
        std::string uri = a.value();
        // Both bindings keep namespaces as names JSON-LD can declare too.
        if (!is_extension_prefix(prefix) || !is_namespace_name(uri))
          fail(n, std::string(name),
               "namespace declaration " + std::string(name) + "=\"" + uri +
                   "\": the prefix must be an XML name and the namespace an absolute URI");
        if (is_epcis_namespace(uri)) continue;
        bool known = std::any_of(doc_.namespaces.begin(), doc_.namespaces.end(),
                                 [&](const auto& p) { return p.first == prefix; });
        if (!known) doc_.namespaces.emplace_back(std::move(prefix), std::move(uri));
      }
      std::vector<pugi::xml_node> kids;
      for (pugi::xml_node c : n.children())
        if (c.type() == pugi::node_element) kids.push_back(c);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
    }
  }

  // --- simple values ----------------------------------------------------------------
  static std::string text(pugi::xml_node n) { return std::string(trim(n.text().get())); }
  // The text of n, which must be a URI / an EPC, as the JSON binding checks them.
  std::string uri(pugi::xml_node n, const std::string& field) const {
    return uri(n, field, text(n));
  }
  std::string uri(pugi::xml_node at, const std::string& field, std::string v) const {
    if (!is_uri(v)) fail(at, field, field + " must be a URI: '" + v + "'");
    return v;
  }
  std::string epc(pugi::xml_node n, const std::string& field) const {
    std::string v = text(n);
    if (std::string problem = epc_problem(v); !problem.empty()) fail(n, field, field + problem);
    return v;
  }

  Timestamp timestamp(pugi::xml_node at, std::string_view value, const std::string& field) const {
    auto t = parse_timestamp(trim(value));
    // EPCIS 2.0 §7.3.2 / XSD DateTimeStamp: a dateTime with seconds and a time zone.
    if (!t) fail(at, field, "'" + std::string(value) + "' is not a dateTime with a time zone");
    return *t;
  }
  // CBV values (CBV 2.0 §7): XML carries URNs, our internal form; bare words, web URIs
  // and gs1: CURIEs normalise through cbv.h. A value that is neither a standard word nor
  // a URI (no scheme) is rejected (EPCIS 2.0 §7.3.5: standard or user vocabulary URI).
  std::string cbv(pugi::xml_node at, const std::string& field, CbvKind kind,
                  std::string_view value) const {
    if (value.empty()) return {};
    std::string v = expand_cbv(kind, value);
    if (!is_standard_cbv(kind, value) && !is_uri(value))
      fail(at, field,
           "'" + std::string(value) + "' is neither a standard CBV " +
               std::string(cbv_kind_name(kind)) + " nor a URI");
    return v;
  }
  double decimal(pugi::xml_node at, std::string_view raw, const std::string& field) const {
    std::string_view v = trim(raw);
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    double d = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    // from_chars also reads "inf" and "nan", which the model cannot hold (JSON has no
    // form for them): they are rejected as any other text that is no decimal.
    if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d))
      fail(at, field, "'" + std::string(raw) + "' is not a number");
    return d;
  }

  // --- document structure -----------------------------------------------------------
  void decode_root_attributes(pugi::xml_node root) {
    pugi::xml_attribute sv = root.attribute("schemaVersion");
    if (!sv) fail(root, "schemaVersion", "missing schemaVersion attribute");
    doc_.schema_version = std::string(trim(sv.value()));
    if (pugi::xml_attribute cd = root.attribute("creationDate"))
      doc_.creation_date = timestamp(root, cd.value(), "creationDate");
  }

  void decode_header(pugi::xml_node header) {
    for (pugi::xml_node c : header.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q) || q.local != "extension") continue;  // sbdh: not modelled
      for (pugi::xml_node m : c.children()) {
        if (m.type() != pugi::node_element) continue;
        QName mq = qname(m);
        if (!is_standard(mq) || mq.local != "EPCISMasterData") continue;
        // EPCIS 2.0 §7.5 / §9.3: master data in the header.
        for (pugi::xml_node v : m.children("VocabularyList")) decode_vocabulary_list(v);
      }
    }
  }

  void decode_body(pugi::xml_node body) {
    for (pugi::xml_node c : body.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (doc_.kind == Document::Kind::kEpcisDocument) {
        if (!is_standard(q) || q.local == "extension") continue;
        if (q.local != "EventList")
          fail(c, "EPCISBody." + q.local, "unknown element <" + q.local + "> in EPCISBody");
        decode_event_list(c, "EventList");
      } else if (doc_.kind == Document::Kind::kMasterDataDocument) {
        if (!is_standard(q) || q.local == "extension") continue;
        if (q.local != "VocabularyList")
          fail(c, "EPCISBody." + q.local, "unknown element <" + q.local + "> in EPCISBody");
        decode_vocabulary_list(c);
      } else {
        // EPCIS 2.0 §8.2 / query XSD: the body of a query document is one of the query
        // interface's messages; only QueryResults carries events (accepted qualified
        // as the XSD says, or unqualified as many producers write it).
        if (!is_standard(q)) continue;
        if (q.local != "QueryResults")
          fail(c, "EPCISBody." + q.local,
               "only QueryResults is supported in an EPCISQueryDocument body, not <" + q.local +
                   ">");
        decode_query_results(c);
      }
    }
  }

  void decode_query_results(pugi::xml_node qr, bool loose = false) {
    bool saw_name = false, saw_body = false;
    for (pugi::xml_node c : qr.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q) || q.local == "extension") continue;
      if (q.local == "queryName") {
        saw_name = true;
        doc_.query_name = text(c);
      } else if (q.local == "subscriptionID") {
        doc_.subscription_id = text(c);
      } else if (q.local == "resultsBody") {
        saw_body = true;
        for (pugi::xml_node b : c.children()) {
          if (b.type() != pugi::node_element) continue;
          QName bq = qname(b);
          if (bq.local == "EventList")
            decode_event_list(b, "EventList");
          else if (bq.local == "VocabularyList")
            decode_vocabulary_list(b);
          else
            fail(b, "QueryResults.resultsBody." + bq.local,
                 "resultsBody holds an EventList or a VocabularyList, not <" + bq.local + ">");
        }
      } else if (!loose) {
        fail(c, "QueryResults." + q.local, "unknown element <" + q.local + "> in QueryResults");
      }
    }
    if (!saw_name) fail(qr, "QueryResults.queryName", "missing queryName");
    if (!saw_body) fail(qr, "QueryResults.resultsBody", "missing resultsBody");
  }

  // EventList: the five event types; 1.2 puts TransformationEvent (and, in GS1's
  // 1.2 examples, AssociationEvent) inside <extension> wrappers (EPCIS 1.2 XSD).
  void decode_event_list(pugi::xml_node list, const std::string& path) {
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {  // the XSD's ##other: an event of a type outside the five
        ++event_index_;
        in_event_ = true;
        doc_.events.push_back(decode_extended_event(c, q));
        in_event_ = false;
        continue;
      }
      if (q.local == "extension") {
        decode_event_list(c, path + ".extension");
        continue;
      }
      ++event_index_;
      in_event_ = true;
      auto type = event_type_from_name(q.local);
      if (!type) {
        if (q.local == "QuantityEvent")
          fail(c, "eventType",
               "QuantityEvent was removed in EPCIS 2.0; use an ObjectEvent quantityList");
        fail(c, "eventType", "unknown event type <" + q.local + ">");
      }
      doc_.events.push_back(decode_event(c, *type));
      in_event_ = false;
    }
    (void)path;
  }

  // --- events -----------------------------------------------------------------------
  struct EventState {
    std::array<bool, static_cast<size_t>(F::kCount)> seen{};
  };

  Event decode_event(pugi::xml_node node, EventType type) {
    Event e;
    e.type = type;
    EventState st;
    std::optional<Timestamp> event_time;
    std::optional<int16_t> offset;
    pugi::xml_node time_node;
    decode_event_fields(node, e, st, /*top_level=*/true, event_time, offset, time_node);
    // EPCIS 2.0 §7.4.1: eventTime and eventTimeZoneOffset are mandatory for every event.
    if (!event_time) fail(node, "eventTime", "missing eventTime");
    if (!offset) fail(node, "eventTimeZoneOffset", "missing eventTimeZoneOffset");
    e.event_time = Timestamp{event_time->unix_nanos, *offset};
    // EPCIS 2.0 §7.4.2-§7.4.6: action is mandatory except in TransformationEvent.
    if (type != EventType::kTransformation && !st.seen[static_cast<size_t>(F::action)])
      fail(node, "action", "missing action");
    // EPCIS 2.0 §7.4.2: ilmd only when action is ADD (as in JSON).
    if (type == EventType::kObject && e.ilmd && e.action != Action::kAdd)
      fail(node, "ilmd", "ilmd is only allowed in an ObjectEvent with action ADD");
    // EPCIS 2.0 §7.4.4: a TransactionEvent names at least one business transaction.
    if (type == EventType::kTransaction && e.biz_transactions.empty())
      fail(node, "bizTransactionList", "a TransactionEvent needs a bizTransactionList");
    // EPCIS 2.0 §7.4.6: an AssociationEvent has a parentID.
    if (type == EventType::kAssociation && e.parent_id.empty())
      fail(node, "parentID", "an AssociationEvent needs a parentID");
    // EPCIS 2.0 §7.4.3, §7.4.7: children, unless a DELETE of everything (as in JSON).
    if ((type == EventType::kAggregation || type == EventType::kAssociation) &&
        e.epc_list.empty() && e.quantity_list.empty() && e.action != Action::kDelete)
      fail(node, "childEPCs",
           "an " + std::string(event_type_name(type)) +
               " needs childEPCs or childQuantityList unless action is DELETE");
    // EPCIS 2.0 §7.4.6: inputs and outputs, or a transformationID with either.
    if (type == EventType::kTransformation) {
      bool in = !e.input_epc_list.empty() || !e.input_quantity_list.empty();
      bool out = !e.output_epc_list.empty() || !e.output_quantity_list.empty();
      if (e.transformation_id.empty() ? !(in && out) : !(in || out))
        fail(node, "inputEPCList",
             "a TransformationEvent needs inputs and outputs, or a transformationID with either");
    }
    return e;
  }

  // An event of a type outside the five (the EventList's ##other, as the encoder writes
  // Event::extension_type): the fields every event has (EPCIS 2.0 §7.4.1), each once, and
  // user extensions; unqualified elements other than those fields are kept unqualified.
  Event decode_extended_event(pugi::xml_node node, const QName& q) {
    // The JSON Schema's Extended-Event excludes types named like documents.
    if (q.local.ends_with("Document"))
      fail(node, "eventType", "<" + q.local + "> in an EventList is no event type");
    Event e;
    e.extension_type = extension_type_name(q);
    e.extension_type_ns = q.ns;
    EventState st;
    std::optional<Timestamp> event_time;
    std::optional<int16_t> offset;
    pugi::xml_node time_node;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName cq = qname(c);
      auto f = is_standard(cq) ? field_from_name(cq.local) : std::nullopt;
      if (!f || static_cast<size_t>(*f) > static_cast<size_t>(F::certificationInfo)) {
        e.extensions.push_back(decode_extension(c, cq));
        continue;
      }
      auto& seen = st.seen[static_cast<size_t>(*f)];
      if (seen && *f != F::certificationInfo) fail(c, cq.local, "<" + cq.local + "> appears twice");
      seen = true;
      decode_field(c, *f, e, st, event_time, offset, time_node);
    }
    if (!event_time) fail(node, "eventTime", "missing eventTime");
    if (!offset) fail(node, "eventTimeZoneOffset", "missing eventTimeZoneOffset");
    e.event_time = Timestamp{event_time->unix_nanos, *offset};
    return e;
  }

  // The type of an extended event as JSON writes it: prefix:name with a prefix the
  // document declares for its namespace, else the full IRI where it splits back into
  // namespace and name, else prefix:name with a new prefix (nsN).
  std::string extension_type_name(const QName& q) {
    auto bound = [&](std::string_view prefix) {
      return std::any_of(doc_.namespaces.begin(), doc_.namespaces.end(),
                         [&](const auto& p) { return p.first == prefix && p.second == q.ns; });
    };
    if (!q.prefix.empty() && bound(q.prefix)) return q.prefix + ":" + q.local;
    for (const auto& [p, u] : doc_.namespaces)
      if (u == q.ns) return p + ":" + q.local;
    std::string iri = q.ns + q.local;
    if (auto s = split_full_iri(iri); s && s->ns == q.ns) return iri;
    for (int i = 1;; ++i) {
      std::string p = "ns" + std::to_string(i);
      if (std::none_of(doc_.namespaces.begin(), doc_.namespaces.end(),
                       [&](const auto& d) { return d.first == p; })) {
        doc_.namespaces.emplace_back(p, q.ns);
        return p + ":" + q.local;
      }
    }
  }

  bool allowed(EventType type, F f) const {
    const FieldOrder& o = order_v2(type);
    return std::find(o.begin(), o.end(), f) != o.end();
  }

  void decode_event_fields(pugi::xml_node node, Event& e, EventState& st, bool top_level,
                           std::optional<Timestamp>& event_time, std::optional<int16_t>& offset,
                           pugi::xml_node& time_node) {
    const FieldOrder& order = v1_ ? order_v1(e.type) : order_v2(e.type);
    int last = -1;
    bool saw_user_extension = false;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {
        // EPCIS 2.0 §9.3: user extensions (##other) follow the standard fields.
        saw_user_extension = true;
        e.extensions.push_back(decode_extension(c, q));
        continue;
      }
      auto f = field_from_name(q.local);
      if (!top_level && (!f || !allowed(e.type, *f))) {
        // An unknown unqualified element inside an <extension> wrapper: EPCIS 1.2's
        // ##local extension point (EPCIS 1.2 XSD *ExtensionType); kept without namespace.
        e.extensions.push_back(decode_extension(c, q));
        continue;
      }
      if (!f || !allowed(e.type, *f))
        fail(c, q.local,
             "<" + q.local + "> is not a field of " + std::string(event_type_name(e.type)));
      if (top_level && options_.strict && !order.empty()) {
        auto it = std::find(order.begin(), order.end(), *f);
        if (it == order.end())
          fail(c, q.local,
               "<" + q.local + "> is not allowed here in EPCIS " + (v1_ ? "1.2" : "2.0") +
                   " (the XSD places it in an extension wrapper)");
        int pos = static_cast<int>(it - order.begin());
        if (pos <= last || saw_user_extension)
          fail(c, q.local,
               "<" + q.local + "> is out of order (EPCIS " + (v1_ ? "1.2" : "2.0") +
                   " XSD sequence" + (saw_user_extension ? "; after a user extension" : "") + ")");
        last = pos;
      }
      auto& seen = st.seen[static_cast<size_t>(*f)];
      if (seen && *f != F::extension && *f != F::baseExtension)
        fail(c, q.local, "<" + q.local + "> appears twice");
      seen = true;
      decode_field(c, *f, e, st, event_time, offset, time_node);
    }
  }

  void decode_field(pugi::xml_node c, F f, Event& e, EventState& st,
                    std::optional<Timestamp>& event_time, std::optional<int16_t>& offset,
                    pugi::xml_node& time_node) {
    const std::string name(kFieldNames[static_cast<size_t>(f)]);
    switch (f) {
      case F::eventTime:
        event_time = timestamp(c, c.text().get(), name);
        time_node = c;
        break;
      case F::recordTime:
        e.record_time = timestamp(c, c.text().get(), name);
        break;
      case F::eventTimeZoneOffset: {
        auto o = parse_offset(trim(c.text().get()));
        // EPCIS 2.0 §7.4.1: eventTimeZoneOffset is "+hh:mm" / "-hh:mm".
        if (!o) fail(c, name, "'" + text(c) + "' is not a time zone offset (+hh:mm)");
        offset = *o;
        break;
      }
      case F::eventID:
        e.event_id = uri(c, name);
        break;
      case F::errorDeclaration:
        e.error_declaration = decode_error_declaration(c);
        break;
      case F::certificationInfo:
        e.certification_info.push_back(uri(c, name));
        break;
      case F::baseExtension:
      case F::extension:
        // 1.x wrappers (EPCIS 1.2 XSD): unqualified children are standard fields,
        // foreign ones user extensions (EPCIS 2.0 keeps <extension> for ##other).
        decode_event_fields(c, e, st, /*top_level=*/false, event_time, offset, time_node);
        break;
      case F::epcList:
      case F::childEPCs:
        e.epc_list = epc_list(c, name);
        break;
      case F::inputEPCList:
        e.input_epc_list = epc_list(c, name);
        break;
      case F::outputEPCList:
        e.output_epc_list = epc_list(c, name);
        break;
      case F::parentID:
        e.parent_id = epc(c, name);
        break;
      case F::action: {
        auto a = action_from_name(text(c));
        // EPCIS 2.0 §7.4.2 / XSD ActionType: ADD, OBSERVE or DELETE.
        if (!a) fail(c, name, "'" + text(c) + "' is not ADD, OBSERVE or DELETE");
        e.action = *a;
        break;
      }
      case F::bizStep:
        e.biz_step = cbv(c, name, CbvKind::kBizStep, text(c));
        break;
      case F::disposition:
        e.disposition = cbv(c, name, CbvKind::kDisposition, text(c));
        break;
      case F::readPoint:
        decode_location(c, name, e.read_point, e.read_point_extensions);
        break;
      case F::bizLocation:
        decode_location(c, name, e.biz_location, e.biz_location_extensions);
        break;
      case F::bizTransactionList:
        e.biz_transactions = typed_refs(c, name, "bizTransaction", CbvKind::kBizTransactionType,
                                        /*type_required=*/false);
        break;
      case F::sourceList:
        e.sources = typed_refs(c, name, "source", CbvKind::kSourceDestType, true);
        break;
      case F::destinationList:
        e.destinations = typed_refs(c, name, "destination", CbvKind::kSourceDestType, true);
        break;
      case F::quantityList:
      case F::childQuantityList:
        e.quantity_list = quantity_list(c, name);
        break;
      case F::inputQuantityList:
        e.input_quantity_list = quantity_list(c, name);
        break;
      case F::outputQuantityList:
        e.output_quantity_list = quantity_list(c, name);
        break;
      case F::transformationID:
        e.transformation_id = uri(c, name);
        break;
      case F::sensorElementList:
        e.sensor_elements = sensor_element_list(c, name);
        break;
      case F::persistentDisposition:
        e.persistent_disposition = persistent(c, name);
        break;
      case F::ilmd:
        e.ilmd = extensions_of(c, name);
        break;
      case F::kCount:
        break;
    }
    (void)st;
  }

  std::vector<std::string> epc_list(pugi::xml_node list, const std::string& path) {
    std::vector<std::string> out;
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q) || q.local != "epc")
        fail(c, path + "[" + std::to_string(out.size()) + "]",
             "expected <epc>, found <" + std::string(c.name()) + ">");
      std::string at = path + "[" + std::to_string(out.size()) + "]";
      if (text(c).empty()) fail(c, at, "empty epc");
      out.push_back(epc(c, at));
    }
    return out;
  }

  // readPoint / bizLocation: id, then extension (##local) and ##other (EPCIS 2.0 §7.3.4).
  void decode_location(pugi::xml_node node, const std::string& path, std::string& id,
                       std::vector<Extension>& exts) {
    bool saw_id = false;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {
        exts.push_back(decode_extension(c, q));
      } else if (q.local == "id") {
        saw_id = true;
        id = text(c);
        if (!id.empty()) id = uri(c, path + ".id");
      } else if (q.local == "extension") {
        for (pugi::xml_node x : c.children())
          if (x.type() == pugi::node_element) exts.push_back(decode_extension(x, qname(x)));
      } else {
        fail(c, path + "." + q.local, "unknown element <" + q.local + "> in " + path);
      }
    }
    if (!saw_id || id.empty()) fail(node, path + ".id", "missing id");
  }

  std::vector<TypedRef> typed_refs(pugi::xml_node list, const std::string& path,
                                   std::string_view child, CbvKind kind, bool type_required) {
    std::vector<TypedRef> out;
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string p = path + "[" + std::to_string(out.size()) + "]";
      QName q = qname(c);
      if (!is_standard(q) || q.local != child)
        fail(c, p, "expected <" + std::string(child) + ">, found <" + std::string(c.name()) + ">");
      TypedRef r;
      pugi::xml_attribute t = c.attribute("type");
      // EPCIS 2.0 §7.3.5.4: source/destination types are mandatory; bizTransaction's
      // type is optional (§7.3.5.3).
      if (type_required && (!t || trim(t.value()).empty())) fail(c, p + ".type", "missing type");
      if (t) r.type = cbv(c, p + ".type", kind, trim(t.value()));
      r.value = text(c);
      if (r.value.empty()) fail(c, p, "empty " + std::string(child));
      r.value = uri(c, p);
      out.push_back(std::move(r));
    }
    return out;
  }

  // EPCIS 2.0 §7.3.3.3 / XSD QuantityElementType: epcClass, then quantity? and uom?.
  std::vector<QuantityElement> quantity_list(pugi::xml_node list, const std::string& path) {
    std::vector<QuantityElement> out;
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string p = path + "[" + std::to_string(out.size()) + "]";
      QName q = qname(c);
      if (!is_standard(q) || q.local != "quantityElement")
        fail(c, p, "expected <quantityElement>, found <" + std::string(c.name()) + ">");
      QuantityElement qe;
      bool saw_class = false;
      for (pugi::xml_node f : c.children()) {
        if (f.type() != pugi::node_element) continue;
        QName fq = qname(f);
        if (fq.local == "epcClass" && is_standard(fq)) {
          saw_class = true;
          qe.epc_class = uri(f, p + ".epcClass");
        } else if (fq.local == "quantity" && is_standard(fq)) {
          // XSD: quantity is nillable; xsi:nil="true" means no quantity given.
          pugi::xml_attribute nil = f.attribute((xsi_prefix(f) + ":nil").c_str());
          if (nil && (trim(nil.value()) == "true" || trim(nil.value()) == "1")) continue;
          qe.quantity = decimal(f, f.text().get(), p + ".quantity");
        } else if (fq.local == "uom" && is_standard(fq)) {
          qe.uom = text(f);
          if (!is_rec20_code(qe.uom))
            fail(f, p + ".uom", "'" + qe.uom + "' is not a UN/CEFACT Rec 20 code");
        } else {
          fail(f, p + "." + fq.local, "unknown element <" + std::string(f.name()) + ">");
        }
      }
      if (!saw_class || qe.epc_class.empty()) fail(c, p + ".epcClass", "missing epcClass");
      // EPCIS 2.0 §7.3.3.3: a uom is only meaningful with a quantity.
      if (!qe.uom.empty() && !qe.quantity) fail(c, p + ".uom", "uom without quantity");
      out.push_back(std::move(qe));
    }
    return out;
  }

  PersistentDisposition persistent(pugi::xml_node node, const std::string& path) {
    PersistentDisposition pd;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (q.local == "set" && is_standard(q))
        pd.set.push_back(cbv(c, path + ".set", CbvKind::kDisposition, text(c)));
      else if (q.local == "unset" && is_standard(q))
        pd.unset.push_back(cbv(c, path + ".unset", CbvKind::kDisposition, text(c)));
      else
        fail(c, path + "." + q.local, "expected <set> or <unset>, found <" + q.local + ">");
    }
    return pd;
  }

  ErrorDeclaration decode_error_declaration(pugi::xml_node node) {
    ErrorDeclaration d;
    bool saw_time = false;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {
        d.extensions.push_back(decode_extension(c, q));
      } else if (q.local == "declarationTime") {
        saw_time = true;
        d.declaration_time = timestamp(c, c.text().get(), "errorDeclaration.declarationTime");
      } else if (q.local == "reason") {
        d.reason = cbv(c, "errorDeclaration.reason", CbvKind::kErrorReason, text(c));
      } else if (q.local == "correctiveEventIDs") {
        for (pugi::xml_node id : c.children()) {
          if (id.type() != pugi::node_element) continue;
          if (qname(id).local != "correctiveEventID")
            fail(id, "errorDeclaration.correctiveEventIDs",
                 "expected <correctiveEventID>, found <" + std::string(id.name()) + ">");
          d.corrective_event_ids.push_back(
              uri(id, "errorDeclaration.correctiveEventIDs[" +
                          std::to_string(d.corrective_event_ids.size()) + "]"));
        }
      } else if (q.local == "extension") {
        for (pugi::xml_node x : c.children())
          if (x.type() == pugi::node_element) d.extensions.push_back(decode_extension(x, qname(x)));
      } else {
        fail(c, "errorDeclaration." + q.local, "unknown element <" + q.local + ">");
      }
    }
    // EPCIS 2.0 §7.4.1.2: an error declaration has a declarationTime.
    if (!saw_time) fail(node, "errorDeclaration.declarationTime", "missing declarationTime");
    return d;
  }

  // ilmd (EPCIS 2.0 §7.3.6 ILMD): ##other children and a ##local extension wrapper.
  std::vector<Extension> extensions_of(pugi::xml_node node, const std::string& path) {
    std::vector<Extension> out;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {
        out.push_back(decode_extension(c, q));
      } else if (q.local == "extension") {
        for (pugi::xml_node x : c.children())
          if (x.type() == pugi::node_element) out.push_back(decode_extension(x, qname(x)));
      } else {
        fail(c, path + "." + q.local,
             "<" + q.local + "> in " + path + " must be in a user namespace (EPCIS 2.0 §9.3)");
      }
    }
    return out;
  }

  // A user extension element, kept exactly: namespace, prefix, attributes, text or
  // nested elements (EPCIS 2.0 §7.1.2, §9.2).
  Extension decode_extension(pugi::xml_node node, const QName& q) {
    Extension x;
    x.ns = q.ns;
    x.prefix = q.prefix;
    x.name = q.local;
    for (pugi::xml_attribute a : node.attributes()) {
      std::string_view an = a.name();
      if (an == "xmlns" || an.substr(0, 6) == "xmlns:") continue;
      check_name(node, an);
      Extension::Attribute attr;
      size_t colon = an.find(':');
      if (colon != std::string_view::npos) {
        attr.prefix = an.substr(0, colon);
        attr.name = an.substr(colon + 1);
        attr.ns = resolve(node, attr.prefix);
      } else {
        attr.name = an;  // unprefixed attributes have no namespace (XML Namespaces §6.3)
      }
      attr.value = a.value();
      x.attributes.push_back(std::move(attr));
    }
    bool has_elements = false;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      has_elements = true;
      x.children.push_back(decode_extension(c, qname(c)));
    }
    if (has_elements) {
      x.kind = Extension::Kind::kObject;
      return x;
    }
    x.value = node.text().get();
    // xsi:type names the value's XML Schema type; numbers and booleans keep their kind.
    for (const auto& a : x.attributes) {
      if (a.name != "type" || a.ns != "http://www.w3.org/2001/XMLSchema-instance") continue;
      std::string_view t = a.value;
      if (size_t c = t.find(':'); c != std::string_view::npos) t = t.substr(c + 1);
      if (t == "boolean") x.kind = Extension::Kind::kBoolean;
      static constexpr std::string_view kNumbers[] = {"integer",
                                                      "int",
                                                      "long",
                                                      "short",
                                                      "byte",
                                                      "decimal",
                                                      "double",
                                                      "float",
                                                      "nonNegativeInteger",
                                                      "positiveInteger",
                                                      "negativeInteger",
                                                      "nonPositiveInteger",
                                                      "unsignedLong",
                                                      "unsignedInt",
                                                      "unsignedShort",
                                                      "unsignedByte"};
      for (auto n : kNumbers)
        if (t == n) x.kind = Extension::Kind::kNumber;
    }
    return x;
  }

  // --- sensor data (EPCIS 2.0 §7.3.6, XSD SensorElementType) --------------------------
  std::vector<SensorElement> sensor_element_list(pugi::xml_node list, const std::string& path) {
    std::vector<SensorElement> out;
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (is_standard(q) && q.local == "extension") continue;  // ##local: not modelled
      std::string p = path + "[" + std::to_string(out.size()) + "]";
      if (!is_standard(q) || q.local != "sensorElement")
        fail(c, p, "expected <sensorElement>, found <" + std::string(c.name()) + ">");
      out.push_back(sensor_element(c, p));
    }
    if (out.empty()) fail(list, path, "a sensorElementList needs at least one sensorElement");
    return out;
  }

  SensorElement sensor_element(pugi::xml_node node, const std::string& path) {
    SensorElement se;
    for (pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q)) {
        se.extensions.push_back(decode_extension(c, q));
      } else if (q.local == "sensorMetadata" || (v1_ && q.local == "sensorMetaData")) {
        // "sensorMetaData": the pre-2.0 draft spelling in GS1's 1.2 AssociationEvent example.
        if (se.metadata) fail(c, path + ".sensorMetadata", "<sensorMetadata> appears twice");
        se.metadata = sensor_metadata(c, path + ".sensorMetadata");
      } else if (q.local == "sensorReport") {
        se.reports.push_back(
            sensor_report(c, path + ".sensorReport[" + std::to_string(se.reports.size()) + "]"));
      } else if (q.local == "extension") {
        for (pugi::xml_node x : c.children())
          if (x.type() == pugi::node_element)
            se.extensions.push_back(decode_extension(x, qname(x)));
      } else {
        fail(c, path + "." + q.local, "unknown element <" + q.local + "> in sensorElement");
      }
    }
    // EPCIS 2.0 §7.3.6 / XSD: at least one sensorReport.
    if (se.reports.empty()) fail(node, path + ".sensorReport", "missing sensorReport");
    return se;
  }

  // A foreign-namespace attribute on sensorMetadata/sensorReport becomes an Extension
  // (kString) so it round-trips as an attribute.
  bool foreign_attribute(pugi::xml_node node, pugi::xml_attribute a, std::vector<Extension>& exts) {
    std::string_view an = a.name();
    if (an == "xmlns" || an.substr(0, 6) == "xmlns:") return true;
    check_name(node, an);
    size_t colon = an.find(':');
    if (colon == std::string_view::npos) return false;
    Extension x;
    x.prefix = an.substr(0, colon);
    x.name = an.substr(colon + 1);
    x.ns = resolve(node, x.prefix);
    x.value = a.value();
    exts.push_back(std::move(x));
    return true;
  }

  SensorMetadata sensor_metadata(pugi::xml_node node, const std::string& path) {
    SensorMetadata m;
    for (pugi::xml_attribute a : node.attributes()) {
      if (foreign_attribute(node, a, m.extensions)) continue;
      std::string_view n = a.name();
      std::string v(trim(a.value()));
      std::string p = path + "." + std::string(n);
      if (n == "time")
        m.time = timestamp(node, v, p);
      else if (n == "startTime")
        m.start_time = timestamp(node, v, p);
      else if (n == "endTime")
        m.end_time = timestamp(node, v, p);
      else if (n == "deviceID")
        m.device_id = uri(node, p, v);
      else if (n == "deviceMetadata")
        m.device_metadata = uri(node, p, v);
      else if (n == "rawData")
        m.raw_data = uri(node, p, v);
      else if (n == "dataProcessingMethod")
        m.data_processing_method = uri(node, p, v);
      else if (n == "bizRules")
        m.biz_rules = uri(node, p, v);
      else
        fail(node, p, "unknown sensorMetadata attribute '" + std::string(n) + "'");
    }
    return m;
  }

  SensorReport sensor_report(pugi::xml_node node, const std::string& path) {
    SensorReport r;
    for (pugi::xml_attribute a : node.attributes()) {
      if (foreign_attribute(node, a, r.extensions)) continue;
      std::string_view n = a.name();
      std::string v(trim(a.value()));
      std::string p = path + "." + std::string(n);
      auto num = [&] { return decimal(node, v, p); };
      if (n == "type")
        r.type = cbv(node, p, CbvKind::kMeasurementType, v);
      else if (n == "exception")
        r.exception = cbv(node, p, CbvKind::kSensorAlertType, v);
      else if (n == "deviceID")
        r.device_id = uri(node, p, v);
      else if (n == "deviceMetadata")
        r.device_metadata = uri(node, p, v);
      else if (n == "rawData")
        r.raw_data = uri(node, p, v);
      else if (n == "dataProcessingMethod")
        r.data_processing_method = uri(node, p, v);
      else if (n == "bizRules")
        r.biz_rules = uri(node, p, v);
      else if (n == "time")
        r.time = timestamp(node, v, p);
      else if (n == "microorganism")
        r.microorganism = uri(node, p, v);
      else if (n == "chemicalSubstance")
        r.chemical_substance = uri(node, p, v);
      else if (n == "coordinateReferenceSystem")
        r.coordinate_reference_system = uri(node, p, v);
      else if (n == "value")
        r.value = num();
      else if (n == "minValue")
        r.min_value = num();
      else if (n == "maxValue")
        r.max_value = num();
      else if (n == "meanValue")
        r.mean_value = num();
      else if (n == "sDev")
        r.s_dev = num();
      else if (n == "percRank")
        r.perc_rank = num();
      else if (n == "percValue")
        r.perc_value = num();
      else if (n == "component")
        r.component = cbv(node, p, CbvKind::kComponent, v);
      else if (n == "stringValue")
        r.string_value = a.value();
      else if (n == "booleanValue") {
        // XSD boolean: true/false/1/0.
        if (v == "true" || v == "1")
          r.boolean_value = true;
        else if (v == "false" || v == "0")
          r.boolean_value = false;
        else
          fail(node, p, "'" + v + "' is not a boolean");
      } else if (n == "hexBinaryValue") {
        if (!is_hex_binary(v)) fail(node, p, "'" + v + "' is not hexBinary");
        r.hex_binary_value = v;
      } else if (n == "uriValue")
        r.uri_value = uri(node, p, v);
      else if (n == "uom")
        r.uom = v;
      else
        fail(node, p, "unknown sensorReport attribute '" + std::string(n) + "'");
    }
    // As in JSON (its Schema requires type; an exception report may go without).
    if (r.type.empty() && r.exception.empty())
      fail(node, path + ".type", "a sensorReport needs a type unless it reports an exception");
    return r;
  }

  // --- master data (EPCIS 2.0 §7.5, XSD VocabularyType) ------------------------------
  void decode_vocabulary_list(pugi::xml_node list) {
    for (pugi::xml_node v : list.children()) {
      if (v.type() != pugi::node_element) continue;
      std::string vp = "VocabularyList[" + std::to_string(doc_.master_data.size()) + "]";
      QName q = qname(v);
      if (!is_standard(q) || q.local != "Vocabulary")
        fail(v, vp, "expected <Vocabulary>, found <" + std::string(v.name()) + ">");
      Vocabulary voc;
      pugi::xml_attribute type = v.attribute("type");
      if (!type || trim(type.value()).empty()) fail(v, vp + ".type", "missing vocabulary type");
      voc.type = uri(v, vp + ".type", std::string(trim(type.value())));
      for (pugi::xml_node el_list : v.children()) {
        if (el_list.type() != pugi::node_element) continue;
        QName lq = qname(el_list);
        if (!is_standard(lq) || lq.local != "VocabularyElementList") continue;
        for (pugi::xml_node el : el_list.children()) {
          if (el.type() != pugi::node_element) continue;
          std::string ep = vp + ".VocabularyElement[" + std::to_string(voc.elements.size()) + "]";
          if (qname(el).local != "VocabularyElement")
            fail(el, ep, "expected <VocabularyElement>, found <" + std::string(el.name()) + ">");
          voc.elements.push_back(vocabulary_element(el, ep));
        }
      }
      doc_.master_data.push_back(std::move(voc));
    }
  }

  VocabularyElement vocabulary_element(pugi::xml_node el, const std::string& path) {
    VocabularyElement ve;
    pugi::xml_attribute id = el.attribute("id");
    if (!id || trim(id.value()).empty()) fail(el, path + ".id", "missing id");
    ve.id = uri(el, path + ".id", std::string(trim(id.value())));
    for (pugi::xml_node c : el.children()) {
      if (c.type() != pugi::node_element) continue;
      QName q = qname(c);
      if (!is_standard(q) || q.local == "extension") continue;  // not modelled
      if (q.local == "attribute") {
        pugi::xml_attribute aid = c.attribute("id");
        std::string ap = path + ".attribute[" + std::to_string(ve.attributes.size()) + "]";
        if (!aid || trim(aid.value()).empty()) fail(c, ap + ".id", "missing attribute id");
        ve.attributes.emplace_back(uri(c, ap + ".id", std::string(trim(aid.value()))),
                                   attribute_value(c));
      } else if (q.local == "children") {
        for (pugi::xml_node ch : c.children()) {
          if (ch.type() != pugi::node_element) continue;
          ve.children.push_back(
              uri(ch, path + ".children[" + std::to_string(ve.children.size()) + "]"));
        }
      } else {
        fail(c, path + "." + q.local, "unknown element <" + q.local + "> in VocabularyElement");
      }
    }
    return ve;
  }

  // Attribute value: its text, or for element content its XML text (pugixml raw format:
  // no indentation; prefixes declared on ancestors are kept in Document::namespaces).
  static std::string attribute_value(pugi::xml_node attr) {
    bool has_elements = false;
    for (pugi::xml_node c : attr.children())
      if (c.type() == pugi::node_element) has_elements = true;
    if (!has_elements) return std::string(trim(attr.text().get()));
    std::ostringstream os;
    for (pugi::xml_node c : attr.children())
      if (c.type() == pugi::node_element) c.print(os, "", pugi::format_raw);
    return os.str();
  }

  std::string_view text_;
  const XmlDecodeOptions& options_;
  pugi::xml_document xml_;
  Document doc_;
  long event_index_ = -1;  // index of the last event started
  bool in_event_ = false;  // errors name event_index_ only while decoding an event
  bool v1_ = false;
};

// ---------------------------------------------------------------------------------
// Encoding.

std::string format_number(double d, bool fixed) {
  char buf[400];
  auto r = fixed ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed)
                 : std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

class Encoder {
 public:
  explicit Encoder(const Document& doc) : doc_(doc) {}

  std::string run(const XmlOptions& options) {
    pugi::xml_node decl = xml_.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    std::string root_prefix, root_ns, root_name;
    switch (doc_.kind) {
      case Document::Kind::kEpcisDocument:
        root_prefix = "epcis", root_ns = kEpcis2, root_name = "EPCISDocument";
        break;
      case Document::Kind::kQueryDocument:
        root_prefix = "epcisq", root_ns = kQuery2, root_name = "EPCISQueryDocument";
        break;
      case Document::Kind::kMasterDataDocument:
        root_prefix = "epcismd", root_ns = kMasterData2, root_name = "EPCISMasterDataDocument";
        break;
    }
    pugi::xml_node root = xml_.append_child((root_prefix + ":" + root_name).c_str());
    root.append_attribute(("xmlns:" + root_prefix).c_str()) = root_ns.c_str();
    scope_.emplace_back(root_prefix, root_ns);
    for (const auto& [prefix, uri] : doc_.namespaces) {
      if (prefix.empty() || prefix == root_prefix || bound(prefix)) continue;
      root.append_attribute(("xmlns:" + prefix).c_str()) = uri.c_str();
      scope_.emplace_back(prefix, uri);
    }
    // EPCglobal Document: schemaVersion and creationDate are required attributes.
    std::string version = doc_.schema_version.substr(0, 1) == "2" ? doc_.schema_version : "2.0";
    root.append_attribute("schemaVersion") = version.c_str();
    Timestamp created;
    if (doc_.creation_date) {
      created = *doc_.creation_date;
    } else {
      auto now = std::chrono::system_clock::now().time_since_epoch();
      created.unix_nanos =
          std::chrono::duration_cast<std::chrono::milliseconds>(now).count() * 1000000;
    }
    root.append_attribute("creationDate") = format_timestamp(created).c_str();

    bool master_in_header = !doc_.master_data.empty() &&
                            doc_.kind != Document::Kind::kMasterDataDocument &&
                            !(doc_.kind == Document::Kind::kQueryDocument && doc_.events.empty());
    if (master_in_header) {
      pugi::xml_node md = root.append_child("EPCISHeader")
                              .append_child("extension")
                              .append_child("EPCISMasterData");
      vocabulary_list(md.append_child("VocabularyList"));
    }
    pugi::xml_node body = root.append_child("EPCISBody");
    switch (doc_.kind) {
      case Document::Kind::kEpcisDocument:
        event_list(body.append_child("EventList"));
        break;
      case Document::Kind::kMasterDataDocument:
        vocabulary_list(body.append_child("VocabularyList"));
        break;
      case Document::Kind::kQueryDocument: {
        // Query XSD: QueryResults is a global element of the query namespace.
        pugi::xml_node qr = body.append_child("epcisq:QueryResults");
        qr.append_child("queryName").text() = doc_.query_name.c_str();
        if (!doc_.subscription_id.empty())
          qr.append_child("subscriptionID").text() = doc_.subscription_id.c_str();
        pugi::xml_node rb = qr.append_child("resultsBody");
        if (!master_in_header && !doc_.master_data.empty())
          vocabulary_list(rb.append_child("VocabularyList"));
        else
          event_list(rb.append_child("EventList"));
        break;
      }
    }
    std::ostringstream os;
    unsigned flags = options.indent ? pugi::format_indent : pugi::format_raw;
    xml_.save(os, "  ", flags, pugi::encoding_utf8);
    return os.str();
  }

 private:
  bool bound(const std::string& prefix) const {
    return std::any_of(scope_.begin(), scope_.end(),
                       [&](const auto& p) { return p.first == prefix; });
  }
  // The URI a prefix is bound to at the root ("" = unbound).
  std::string root_binding(const std::string& prefix) const {
    for (const auto& [p, u] : scope_)
      if (p == prefix) return u;
    return {};
  }

  static void text_child(pugi::xml_node parent, const char* name, const std::string& value) {
    parent.append_child(name).text() = value.c_str();
  }

  void event_list(pugi::xml_node list) {
    for (const Event& e : doc_.events) {
      if (e.extension_type.empty())
        event(list.append_child(event_type_name(e.type).data()), e);
      else
        extended_event(list, e);
    }
  }

  // An event of a type outside the five (JSON "type": "example:CustomEvent"): an element
  // of its own namespace in the EventList, which the XSD admits (##other, lax), holding
  // the fields every event has and its extensions (decode_extended_event reads it).
  void extended_event(pugi::xml_node list, const Event& e) {
    Extension type;
    const std::string& t = e.extension_type;
    if (auto iri = split_full_iri(t)) {
      type.ns = std::string(iri->ns);
      type.name = std::string(iri->name);
      type.prefix = "ext";
      for (const auto& [p, u] : doc_.namespaces)
        if (u == type.ns) type.prefix = p;
    } else {  // a compact IRI: its prefix as the document declares it
      size_t colon = t.find(':');
      type.prefix = t.substr(0, colon);
      type.name = t.substr(colon + 1);
      type.ns = e.extension_type_ns;
      if (type.ns.empty()) {  // stored before the namespace was kept
        type.ns = type.prefix + ":";
        for (const auto& [p, u] : doc_.namespaces)
          if (p == type.prefix) type.ns = u;
      }
    }
    std::string name = type.prefix + ":" + type.name;
    pugi::xml_node n = list.append_child(name.c_str());
    if (root_binding(type.prefix) != type.ns)
      n.append_attribute(("xmlns:" + type.prefix).c_str()) = type.ns.c_str();
    common_fields(n, e);
    extensions(n, e.extensions, /*wrap_local=*/false);
  }

  // The fields every event has (EPCIS 2.0 §7.4.1), first in each type's XSD order.
  void common_fields(pugi::xml_node n, const Event& e) {
    text_child(n, "eventTime", format_timestamp(e.event_time));
    if (e.record_time) text_child(n, "recordTime", format_timestamp(*e.record_time));
    text_child(n, "eventTimeZoneOffset", format_offset(e.event_time.offset_minutes));
    if (!e.event_id.empty()) text_child(n, "eventID", e.event_id);
    if (e.error_declaration)
      error_declaration(n.append_child("errorDeclaration"), *e.error_declaration);
    // certificationInfo is one element in the XSD; more than one are written as given.
    for (const auto& c : e.certification_info) text_child(n, "certificationInfo", c);
  }

  // Fields in the EPCIS 2.0 XSD order (see order_v2).
  void event(pugi::xml_node n, const Event& e) {
    common_fields(n, e);
    auto action = [&] {
      if (e.action != Action::kNone) text_child(n, "action", std::string(action_name(e.action)));
    };
    auto what_where_why = [&](bool with_transactions) {
      if (!e.biz_step.empty()) text_child(n, "bizStep", e.biz_step);
      if (!e.disposition.empty()) text_child(n, "disposition", e.disposition);
      location(n, "readPoint", e.read_point, e.read_point_extensions);
      location(n, "bizLocation", e.biz_location, e.biz_location_extensions);
      if (with_transactions)
        typed_refs(n, "bizTransactionList", "bizTransaction", e.biz_transactions);
    };
    auto tail = [&](bool with_ilmd) {
      typed_refs(n, "sourceList", "source", e.sources);
      typed_refs(n, "destinationList", "destination", e.destinations);
      sensor_elements(n, e.sensor_elements);
      persistent(n, e.persistent_disposition);
      if (with_ilmd && e.ilmd) extensions(n.append_child("ilmd"), *e.ilmd, /*wrap_local=*/true);
      extensions(n, e.extensions, /*wrap_local=*/true);
    };
    switch (e.type) {
      case EventType::kObject:
        epcs(n, "epcList", e.epc_list, true);
        action();
        what_where_why(true);
        quantities(n, "quantityList", e.quantity_list);
        tail(true);
        break;
      case EventType::kAggregation:
        if (!e.parent_id.empty()) text_child(n, "parentID", e.parent_id);
        epcs(n, "childEPCs", e.epc_list, true);
        action();
        what_where_why(true);
        quantities(n, "childQuantityList", e.quantity_list);
        tail(false);
        break;
      case EventType::kTransaction:
        typed_refs(n, "bizTransactionList", "bizTransaction", e.biz_transactions);
        if (!e.parent_id.empty()) text_child(n, "parentID", e.parent_id);
        epcs(n, "epcList", e.epc_list, true);
        action();
        what_where_why(false);
        quantities(n, "quantityList", e.quantity_list);
        tail(false);
        break;
      case EventType::kTransformation:
        epcs(n, "inputEPCList", e.input_epc_list, false);
        quantities(n, "inputQuantityList", e.input_quantity_list);
        epcs(n, "outputEPCList", e.output_epc_list, false);
        quantities(n, "outputQuantityList", e.output_quantity_list);
        if (!e.transformation_id.empty()) text_child(n, "transformationID", e.transformation_id);
        what_where_why(true);
        tail(true);
        break;
      case EventType::kAssociation:
        if (!e.parent_id.empty()) text_child(n, "parentID", e.parent_id);
        epcs(n, "childEPCs", e.epc_list, false);
        quantities(n, "childQuantityList", e.quantity_list);
        action();
        what_where_why(true);
        tail(false);
        break;
    }
  }

  static void epcs(pugi::xml_node n, const char* name, const std::vector<std::string>& list,
                   bool always) {
    if (list.empty() && !always) return;
    pugi::xml_node l = n.append_child(name);
    for (const auto& epc : list) text_child(l, "epc", epc);
  }

  static void quantities(pugi::xml_node n, const char* name,
                         const std::vector<QuantityElement>& list) {
    if (list.empty()) return;
    pugi::xml_node l = n.append_child(name);
    for (const auto& q : list) {
      pugi::xml_node qe = l.append_child("quantityElement");
      text_child(qe, "epcClass", q.epc_class);
      // XSD decimal: no exponent.
      if (q.quantity) text_child(qe, "quantity", format_number(*q.quantity, true));
      if (!q.uom.empty()) text_child(qe, "uom", q.uom);
    }
  }

  static void typed_refs(pugi::xml_node n, const char* list_name, const char* name,
                         const std::vector<TypedRef>& refs) {
    if (refs.empty()) return;
    pugi::xml_node l = n.append_child(list_name);
    for (const auto& r : refs) {
      pugi::xml_node c = l.append_child(name);
      if (!r.type.empty()) c.append_attribute("type") = r.type.c_str();
      c.text() = r.value.c_str();
    }
  }

  void location(pugi::xml_node n, const char* name, const std::string& id,
                const std::vector<Extension>& exts) {
    if (id.empty() && exts.empty()) return;
    pugi::xml_node l = n.append_child(name);
    text_child(l, "id", id);
    extensions(l, exts, /*wrap_local=*/true);
  }

  static void persistent(pugi::xml_node n, const PersistentDisposition& pd) {
    if (pd.empty()) return;
    pugi::xml_node p = n.append_child("persistentDisposition");
    // XSD PersistentDispositionType: unset before set.
    for (const auto& u : pd.unset) text_child(p, "unset", u);
    for (const auto& s : pd.set) text_child(p, "set", s);
  }

  void error_declaration(pugi::xml_node n, const ErrorDeclaration& d) {
    text_child(n, "declarationTime", format_timestamp(d.declaration_time));
    if (!d.reason.empty()) text_child(n, "reason", d.reason);
    if (!d.corrective_event_ids.empty()) {
      pugi::xml_node ids = n.append_child("correctiveEventIDs");
      for (const auto& id : d.corrective_event_ids) text_child(ids, "correctiveEventID", id);
    }
    extensions(n, d.extensions, /*wrap_local=*/true);
  }

  void sensor_elements(pugi::xml_node n, const std::vector<SensorElement>& list) {
    if (list.empty()) return;
    pugi::xml_node l = n.append_child("sensorElementList");
    for (const auto& se : list) {
      pugi::xml_node s = l.append_child("sensorElement");
      if (se.metadata) sensor_metadata(s.append_child("sensorMetadata"), *se.metadata);
      for (const auto& r : se.reports) sensor_report(s.append_child("sensorReport"), r);
      extensions(s, se.extensions, /*wrap_local=*/true);
    }
  }

  static void attr(pugi::xml_node n, const char* name, const std::string& v) {
    if (!v.empty()) n.append_attribute(name) = v.c_str();
  }
  static void attr(pugi::xml_node n, const char* name, const std::optional<Timestamp>& t) {
    if (t) n.append_attribute(name) = format_timestamp(*t).c_str();
  }
  static void attr(pugi::xml_node n, const char* name, const std::optional<double>& d) {
    if (d) n.append_attribute(name) = format_number(*d, false).c_str();
  }

  // Foreign attributes (sensorMetadata/sensorReport are simple content: extensions can
  // only be attributes there).
  void foreign_attributes(pugi::xml_node n, const std::vector<Extension>& exts) {
    for (const auto& x : exts) {
      if (x.kind == Extension::Kind::kObject) continue;  // cannot be an attribute
      // An unprefixed attribute has no namespace (Namespaces in XML §6.3): one given as a
      // full IRI in JSON gets a prefix bound to its namespace, the document's or "nsN".
      std::string prefix = x.prefix;
      if (prefix.empty() && !x.ns.empty()) {
        for (const auto& [p, u] : scope_)
          if (u == x.ns) prefix = p;
        for (int i = 1; prefix.empty(); ++i) {
          std::string c = "ns" + std::to_string(i);
          pugi::xml_attribute local = n.attribute(("xmlns:" + c).c_str());
          if (root_binding(c).empty() && (!local || x.ns == local.value())) prefix = c;
        }
      }
      std::string name = prefix.empty() ? x.name : prefix + ":" + x.name;
      if (!prefix.empty() && root_binding(prefix) != x.ns &&
          !n.attribute(("xmlns:" + prefix).c_str()))
        n.append_attribute(("xmlns:" + prefix).c_str()) = x.ns.c_str();
      n.append_attribute(name.c_str()) = x.value.c_str();
    }
  }

  void sensor_metadata(pugi::xml_node n, const SensorMetadata& m) {
    attr(n, "time", m.time);
    attr(n, "deviceID", m.device_id);
    attr(n, "deviceMetadata", m.device_metadata);
    attr(n, "rawData", m.raw_data);
    attr(n, "startTime", m.start_time);
    attr(n, "endTime", m.end_time);
    attr(n, "bizRules", m.biz_rules);
    attr(n, "dataProcessingMethod", m.data_processing_method);
    foreign_attributes(n, m.extensions);
  }

  void sensor_report(pugi::xml_node n, const SensorReport& r) {
    attr(n, "type", r.type);
    attr(n, "value", r.value);
    attr(n, "component", r.component);
    if (!r.string_value.empty()) n.append_attribute("stringValue") = r.string_value.c_str();
    if (r.boolean_value) n.append_attribute("booleanValue") = *r.boolean_value ? "true" : "false";
    attr(n, "hexBinaryValue", r.hex_binary_value);
    attr(n, "uriValue", r.uri_value);
    attr(n, "uom", r.uom);
    attr(n, "minValue", r.min_value);
    attr(n, "maxValue", r.max_value);
    attr(n, "sDev", r.s_dev);
    attr(n, "chemicalSubstance", r.chemical_substance);
    attr(n, "microorganism", r.microorganism);
    attr(n, "deviceID", r.device_id);
    attr(n, "deviceMetadata", r.device_metadata);
    attr(n, "rawData", r.raw_data);
    attr(n, "time", r.time);
    attr(n, "meanValue", r.mean_value);
    attr(n, "percRank", r.perc_rank);
    attr(n, "percValue", r.perc_value);
    attr(n, "dataProcessingMethod", r.data_processing_method);
    attr(n, "bizRules", r.biz_rules);
    attr(n, "coordinateReferenceSystem", r.coordinate_reference_system);
    attr(n, "exception", r.exception);
    foreign_attributes(n, r.extensions);
  }

  // User extensions: foreign-namespace ones directly (##other), unqualified ones in an
  // <extension> wrapper (##local) where the XSD has one.
  void extensions(pugi::xml_node n, const std::vector<Extension>& exts, bool wrap_local) {
    if (wrap_local) {
      pugi::xml_node wrapper;
      for (const auto& x : exts) {
        if (!x.ns.empty()) continue;
        if (!wrapper) wrapper = n.append_child("extension");
        extension(wrapper, x, "");
      }
    }
    for (const auto& x : exts)
      if (!x.ns.empty() || !wrap_local) extension(n, x, "");
  }

  // One extension element; declares its namespace locally when the root does not bind
  // its prefix to the same URI. default_ns: the default namespace in scope.
  void extension(pugi::xml_node parent, const Extension& x, const std::string& default_ns) {
    std::string name = x.prefix.empty() ? x.name : x.prefix + ":" + x.name;
    pugi::xml_node n = parent.append_child(name.c_str());
    std::string inner_default = default_ns;
    if (x.prefix.empty()) {
      if (x.ns != default_ns) {
        n.append_attribute("xmlns") = x.ns.c_str();
        inner_default = x.ns;
      }
    } else if (root_binding(x.prefix) != x.ns) {
      n.append_attribute(("xmlns:" + x.prefix).c_str()) = x.ns.c_str();
    }
    for (const auto& a : x.attributes) {
      if (!a.prefix.empty() && a.prefix != x.prefix && root_binding(a.prefix) != a.ns &&
          !n.attribute(("xmlns:" + a.prefix).c_str()))
        n.append_attribute(("xmlns:" + a.prefix).c_str()) = a.ns.c_str();
      std::string an = a.prefix.empty() ? a.name : a.prefix + ":" + a.name;
      n.append_attribute(an.c_str()) = a.value.c_str();
    }
    if (x.kind == Extension::Kind::kObject) {
      for (const auto& c : x.children) extension(n, c, inner_default);
    } else if (!x.value.empty()) {
      n.text() = x.value.c_str();
    }
  }

  void vocabulary_list(pugi::xml_node list) {
    for (const Vocabulary& v : doc_.master_data) {
      pugi::xml_node vn = list.append_child("Vocabulary");
      vn.append_attribute("type") = v.type.c_str();
      if (v.elements.empty()) continue;
      pugi::xml_node el_list = vn.append_child("VocabularyElementList");
      for (const VocabularyElement& el : v.elements) {
        pugi::xml_node en = el_list.append_child("VocabularyElement");
        en.append_attribute("id") = el.id.c_str();
        for (const auto& [id, value] : el.attributes) {
          pugi::xml_node an = en.append_child("attribute");
          an.append_attribute("id") = id.c_str();
          attribute_value(an, value);
        }
        if (!el.children.empty()) {
          pugi::xml_node ch = en.append_child("children");
          for (const auto& c : el.children) text_child(ch, "id", c);
        }
      }
    }
  }

  // A value that parses as XML elements was element content (see attribute_value in
  // the decoder); anything else is text.
  static void attribute_value(pugi::xml_node an, const std::string& value) {
    if (!value.empty() && value.front() == '<') {
      pugi::xml_document frag;
      if (frag.load_buffer(value.data(), value.size(), pugi::parse_default | pugi::parse_fragment,
                           pugi::encoding_utf8)) {
        bool elements_only = true;
        for (pugi::xml_node c : frag.children())
          if (c.type() != pugi::node_element) elements_only = false;
        if (elements_only && frag.first_child()) {
          for (pugi::xml_node c : frag.children()) an.append_copy(c);
          return;
        }
      }
    }
    an.text() = value.c_str();
  }

  const Document& doc_;
  pugi::xml_document xml_;
  std::vector<std::pair<std::string, std::string>> scope_;
};

}  // namespace

Result<Document> decode_xml(std::string_view text, const XmlDecodeOptions& options) {
  try {
    Decoder d(text, options);
    return d.run();
  } catch (Failure& f) {
    return unexpected(std::move(f.error));
  } catch (const std::bad_alloc&) {
    return unexpected(
        Error{ErrorKind::kImplementation, "out of memory decoding XML", -1, "", 0, 0});
  }
}

std::string encode_xml(const Document& document, const XmlOptions& options) {
  Encoder e(document);
  return e.run(options);
}

}  // namespace serialtrack::epcis
