#include "epcis/json_codec.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include "epcis/cbv.h"
#include "epcis/time.h"
#include "gs1/epc.h"

namespace serialtrack::epcis {
namespace json = boost::json;
namespace {

using Namespaces = std::vector<std::pair<std::string, std::string>>;

// The prefixes the standard EPCIS 2.0 JSON-LD context declares (epcis-context.jsonld).
const Namespaces& standard_prefixes() {
  static const Namespaces kPrefixes = {
      {"epcis", "https://ref.gs1.org/epcis/"},
      {"cbv", "https://ref.gs1.org/cbv/"},
      {"cbvmda", "urn:epcglobal:cbv:mda:"},
      {"gs1", "https://gs1.org/voc/"},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"owl", "http://www.w3.org/2002/07/owl#"},
      {"xsd", "http://www.w3.org/2001/XMLSchema#"},
      {"dcterms", "http://purl.org/dc/terms/"},
  };
  return kPrefixes;
}

bool is_standard_prefix(std::string_view prefix) {
  for (const auto& [p, u] : standard_prefixes())
    if (p == prefix) return true;
  return false;
}

std::string json_type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "?";
}

// An event type outside the five is an element of its own namespace in the XML
// binding: an IRI whose last segment, or a compact IRI whose prefix and name, are names.
bool is_extension_type(std::string_view t) {
  if (auto iri = split_full_iri(t)) return is_ncname(iri->name);
  auto colon = t.find(':');
  return colon != std::string_view::npos && is_extension_prefix(t.substr(0, colon)) &&
         is_ncname(t.substr(colon + 1));
}

std::string number_text(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return number_text(v.get_double());
}

struct DecodeFailure {
  Error error;
};

// ---------------------------------------------------------------------------------
// Decoding

class Decoder {
 public:
  Document decode(const json::value& root);

 private:
  [[noreturn]] void fail(const std::string& path, std::string message) const {
    throw DecodeFailure{validation_error(std::move(message), event_, path)};
  }
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string at(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

  const json::object& object(const json::value& v, const std::string& path) const {
    if (!v.is_object()) fail(path, path + " must be an object, not " + json_type_name(v));
    return v.get_object();
  }
  const json::array& array(const json::value& v, const std::string& path) const {
    if (!v.is_array()) fail(path, path + " must be an array, not " + json_type_name(v));
    return v.get_array();
  }
  std::string string(const json::value& v, const std::string& path) const {
    if (!v.is_string()) fail(path, path + " must be a string, not " + json_type_name(v));
    return std::string(v.get_string());
  }
  std::string uri(const json::value& v, const std::string& path) const {
    std::string s = string(v, path);
    if (!is_uri(s)) fail(path, path + " must be a URI: '" + s + "'");
    return s;
  }
  // An EPC in a list or parentID: any URI; an EPC pure-identity URN must be valid (TDS §6).
  std::string epc(const json::value& v, const std::string& path) const {
    std::string s = uri(v, path);
    if (std::string problem = epc_problem(s); !problem.empty()) fail(path, path + problem);
    return s;
  }
  double number(const json::value& v, const std::string& path) const {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_double()) return finite(v, path);
    fail(path, path + " must be a number, not " + json_type_name(v));
  }
  // The parser reads a number beyond the double range (1e400) as infinity, which has no
  // JSON form to write back: such a document is rejected, not changed.
  double finite(const json::value& v, const std::string& path) const {
    double d = v.get_double();
    if (!std::isfinite(d)) fail(path, path + " is a number out of range");
    return d;
  }
  Timestamp time(const json::value& v, const std::string& path) const {
    std::string s = string(v, path);
    auto t = parse_timestamp(s);  // EPCIS 2.0 §7.3.2: dateTime with a time zone
    if (!t) fail(path, path + " is not a date-time with a time zone: '" + s + "'");
    return *t;
  }
  std::vector<std::string> uri_list(const json::value& v, const std::string& path,
                                    bool epcs) const {
    std::vector<std::string> out;
    const auto& a = array(v, path);
    out.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      out.push_back(epcs ? epc(a[i], at(path, i)) : uri(a[i], at(path, i)));
    return out;
  }
  // A CBV value: a standard bare word, or a URI (CBV 2.0 §6: custom values are URIs).
  std::string cbv(CbvKind kind, const json::value& v, const std::string& path) const {
    std::string s = string(v, path);
    if (is_standard_cbv(kind, s)) return expand_cbv(kind, s);
    if (!is_uri(s))
      fail(path, path + ": '" + s + "' is not a standard CBV " + std::string(cbv_kind_name(kind)) +
                     " nor a URI");
    return expand_cbv(kind, s);
  }

  void read_context(const json::value& v, const std::string& path);
  std::string resolve_prefix(std::string_view prefix) const;
  Extension extension(std::string_view key, const json::value& v, const std::string& path,
                      bool top_level) const;
  void add_extension(std::vector<Extension>& out, std::string_view key, const json::value& v,
                     const std::string& path) const;
  void extension_key_or_fail(std::string_view key, const std::string& path,
                             std::string_view where) const;

  std::vector<Event> event_list(const json::value& v, const std::string& path);
  Event event(const json::object& o);
  std::vector<QuantityElement> quantity_list(const json::value& v, const std::string& path) const;
  std::vector<TypedRef> typed_refs(const json::value& v, const std::string& path,
                                   std::string_view value_key, CbvKind kind,
                                   bool type_required) const;
  void location(const json::value& v, const std::string& path, std::string& id,
                std::vector<Extension>& ext) const;
  ErrorDeclaration error_declaration(const json::value& v, const std::string& path) const;
  PersistentDisposition persistent_disposition(const json::value& v, const std::string& path) const;
  SensorElement sensor_element(const json::value& v, const std::string& path) const;
  SensorMetadata sensor_metadata(const json::value& v, const std::string& path) const;
  SensorReport sensor_report(const json::value& v, const std::string& path) const;
  std::vector<Vocabulary> vocabulary_list(const json::value& v, const std::string& path) const;

  Document doc_;
  long event_ = -1;
};

void Decoder::read_context(const json::value& v, const std::string& path) {
  auto add = [&](const json::object& o, const std::string& p) {
    for (const auto& kv : o) {
      std::string prefix(kv.key());
      // Only prefix declarations ("ex": "https://..."); term definitions are JSON-LD
      // processing detail the model does not keep.
      if (!kv.value().is_string() || prefix.starts_with("@")) continue;
      // A prefix no extension can use (not an XML name) is a term definition too.
      if (!is_extension_prefix(prefix)) continue;
      std::string u = string(kv.value(), join(p, prefix));
      if (!is_namespace_name(u))
        fail(join(p, prefix), join(p, prefix) + " must be a URI: '" + u + "'");
      bool seen = false;
      for (const auto& [dp, du] : doc_.namespaces) seen = seen || dp == prefix;
      if (!seen) doc_.namespaces.emplace_back(std::move(prefix), std::move(u));
    }
  };
  if (v.is_string()) return;  // the standard context URL (EPCIS 2.0 §9.3)
  if (v.is_object()) return add(v.get_object(), path);
  const auto& a = array(v, path);
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_string()) continue;
    add(object(a[i], at(path, i)), at(path, i));
  }
}

std::string Decoder::resolve_prefix(std::string_view prefix) const {
  for (const auto& [p, u] : doc_.namespaces)
    if (p == prefix) return u;
  for (const auto& [p, u] : standard_prefixes())
    if (p == prefix) return u;
  return {};
}

// A user extension's key must be a compact IRI or an IRI (EPCIS 2.0 §9.3.1; the JSON
// Schema's propertyNames "format": "uri").
void Decoder::extension_key_or_fail(std::string_view key, const std::string& path,
                                    std::string_view where) const {
  if (!is_uri(key))
    fail(join(path, key), "unknown field '" + std::string(key) + "' in " + std::string(where) +
                              " (a user extension needs a namespace prefix)");
}

Extension Decoder::extension(std::string_view key, const json::value& v, const std::string& path,
                             bool top_level) const {
  Extension e;
  auto colon = key.find(':');
  if (auto iri = split_full_iri(key)) {
    e.ns = std::string(iri->ns);
    e.name = std::string(iri->name);
    if (!is_uri(key) || !is_namespace_name(e.ns))
      fail(join(path, key), "'" + std::string(key) + "' is no IRI");
  } else if (colon != std::string_view::npos) {
    // A compact IRI needs both a prefix and a local name (JSON-LD 1.1 §4.1.5).
    if (colon == 0 || colon + 1 == key.size())
      fail(join(path, key), "'" + std::string(key) + "' is not a compact IRI (prefix:name)");
    e.prefix = std::string(key.substr(0, colon));
    e.name = std::string(key.substr(colon + 1));
    e.ns = resolve_prefix(e.prefix);
    // A prefix @context does not declare makes the key an absolute IRI of that scheme
    // (JSON-LD 1.1 §4.1.5): "dxample:f" is f in the namespace "dxample:", which the
    // XML binding declares as such.
    if (e.ns.empty()) {
      if (!is_uri(key))
        fail(join(path, key), "'" + std::string(key) + "': prefix '" + e.prefix +
                                  "' is not declared in @context, and the key is no URI");
      e.ns = e.prefix + ":";
    }
  } else {
    if (top_level) extension_key_or_fail(key, path, "extension");
    e.name = std::string(key);
  }
  if (!is_ncname(e.name) || (!e.prefix.empty() && !is_extension_prefix(e.prefix)))
    fail(join(path, key), "'" + std::string(key) +
                              "' is no extension name: its prefix and local name must be XML "
                              "names (letters, digits, '_', '-', '.'; not starting with a digit)");
  switch (v.kind()) {
    case json::kind::null:
      e.kind = Extension::Kind::kNull;
      break;
    case json::kind::bool_:
      e.kind = Extension::Kind::kBoolean;
      e.value = v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      if (v.is_double()) finite(v, join(path, key));
      e.kind = Extension::Kind::kNumber;
      e.value = number_text(v);
      break;
    case json::kind::string:
      e.kind = Extension::Kind::kString;
      e.value = std::string(v.get_string());
      break;
    case json::kind::object:
      e.kind = Extension::Kind::kObject;
      for (const auto& kv : v.get_object()) {
        std::string p = join(path, key);
        if (kv.value().is_array()) {
          const auto& a = kv.value().get_array();
          for (size_t i = 0; i < a.size(); ++i) {
            if (a[i].is_array()) fail(at(join(p, kv.key()), i), "nested arrays are not supported");
            e.children.push_back(extension(kv.key(), a[i], at(join(p, kv.key()), i), false));
            e.children.back().in_array = true;
          }
        } else {
          e.children.push_back(extension(kv.key(), kv.value(), p, false));
        }
      }
      break;
    case json::kind::array:
      break;  // handled by add_extension
  }
  return e;
}

void Decoder::add_extension(std::vector<Extension>& out, std::string_view key, const json::value& v,
                            const std::string& path) const {
  if (!v.is_array()) {
    out.push_back(extension(key, v, path, true));
    return;
  }
  extension_key_or_fail(key, path, "extension");
  const auto& a = v.get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = at(join(path, key), i);
    if (a[i].is_array()) fail(p, "nested arrays are not supported");
    out.push_back(extension(key, a[i], path, true));
    out.back().in_array = true;
  }
}

std::vector<QuantityElement> Decoder::quantity_list(const json::value& v,
                                                    const std::string& path) const {
  std::vector<QuantityElement> out;
  const auto& a = array(v, path);
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = at(path, i);
    const auto& o = object(a[i], p);
    QuantityElement q;
    bool has_class = false;
    for (const auto& kv : o) {
      std::string k(kv.key());
      if (k == "epcClass") {
        q.epc_class = uri(kv.value(), join(p, k));
        has_class = true;
      } else if (k == "quantity") {
        q.quantity = number(kv.value(), join(p, k));
      } else if (k == "uom") {
        // UN/CEFACT Rec 20 code (EPCIS 2.0 §7.3.3.3; JSON Schema "^[A-Z0-9]{2,3}$").
        q.uom = string(kv.value(), join(p, k));
        if (!is_rec20_code(q.uom))
          fail(join(p, k), join(p, k) + " is not a UN/CEFACT Rec 20 code: '" + q.uom + "'");
      } else {
        // EPCIS 2.0 §7.3.3.3: a QuantityElement has exactly these three fields.
        fail(join(p, k), "unknown field '" + k + "' in a quantity element");
      }
    }
    if (!has_class) fail(join(p, "epcClass"), "missing required field epcClass in " + p);
    // EPCIS 2.0 §7.3.3.3: uom only together with a quantity.
    if (!q.uom.empty() && !q.quantity) fail(join(p, "uom"), "uom without quantity in " + p);
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<TypedRef> Decoder::typed_refs(const json::value& v, const std::string& path,
                                          std::string_view value_key, CbvKind kind,
                                          bool type_required) const {
  std::vector<TypedRef> out;
  const auto& a = array(v, path);
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = at(path, i);
    const auto& o = object(a[i], p);
    TypedRef r;
    bool has_value = false, has_type = false;
    for (const auto& kv : o) {
      std::string k(kv.key());
      if (k == "type") {
        r.type = cbv(kind, kv.value(), join(p, k));
        has_type = true;
      } else if (k == value_key) {
        r.value = uri(kv.value(), join(p, k));
        has_value = true;
      } else {
        fail(join(p, k), "unknown field '" + k + "' in " + path);
      }
    }
    if (!has_value)
      fail(join(p, value_key), "missing required field " + std::string(value_key) + " in " + p);
    // EPCIS 2.0 §7.3.5.4: source/destination type is required.
    if (type_required && !has_type) fail(join(p, "type"), "missing required field type in " + p);
    out.push_back(std::move(r));
  }
  return out;
}

void Decoder::location(const json::value& v, const std::string& path, std::string& id,
                       std::vector<Extension>& ext) const {
  const auto& o = object(v, path);
  bool has_id = false;
  for (const auto& kv : o) {
    if (kv.key() == "id") {
      id = uri(kv.value(), join(path, "id"));
      has_id = true;
    } else {
      add_extension(ext, kv.key(), kv.value(), path);
    }
  }
  if (!has_id) fail(join(path, "id"), "missing required field id in " + path);
}

ErrorDeclaration Decoder::error_declaration(const json::value& v, const std::string& path) const {
  const auto& o = object(v, path);
  ErrorDeclaration d;
  bool has_time = false;
  for (const auto& kv : o) {
    std::string k(kv.key());
    if (k == "declarationTime") {
      d.declaration_time = time(kv.value(), join(path, k));
      has_time = true;
    } else if (k == "reason") {
      d.reason = cbv(CbvKind::kErrorReason, kv.value(), join(path, k));
    } else if (k == "correctiveEventIDs") {
      d.corrective_event_ids = uri_list(kv.value(), join(path, k), false);
    } else {
      add_extension(d.extensions, k, kv.value(), path);
    }
  }
  // EPCIS 2.0 §7.4.1.2: declarationTime is required.
  if (!has_time) fail(join(path, "declarationTime"), "missing required field declarationTime");
  return d;
}

PersistentDisposition Decoder::persistent_disposition(const json::value& v,
                                                      const std::string& path) const {
  const auto& o = object(v, path);
  PersistentDisposition pd;
  for (const auto& kv : o) {
    std::string k(kv.key());
    std::vector<std::string>* list = k == "set" ? &pd.set : k == "unset" ? &pd.unset : nullptr;
    if (!list) fail(join(path, k), "unknown field '" + k + "' in persistentDisposition");
    const auto& a = array(kv.value(), join(path, k));
    for (size_t i = 0; i < a.size(); ++i)
      list->push_back(cbv(CbvKind::kDisposition, a[i], at(join(path, k), i)));
  }
  // EPCIS 2.0 §7.3.5.5: at least one of set / unset.
  if (pd.empty()) fail(path, "persistentDisposition needs a non-empty set or unset");
  return pd;
}

SensorMetadata Decoder::sensor_metadata(const json::value& v, const std::string& path) const {
  const auto& o = object(v, path);
  SensorMetadata m;
  for (const auto& kv : o) {
    std::string k(kv.key());
    std::string p = join(path, k);
    if (k == "time")
      m.time = time(kv.value(), p);
    else if (k == "startTime")
      m.start_time = time(kv.value(), p);
    else if (k == "endTime")
      m.end_time = time(kv.value(), p);
    else if (k == "deviceID")
      m.device_id = uri(kv.value(), p);
    else if (k == "deviceMetadata")
      m.device_metadata = uri(kv.value(), p);
    else if (k == "rawData")
      m.raw_data = uri(kv.value(), p);
    else if (k == "dataProcessingMethod")
      m.data_processing_method = uri(kv.value(), p);
    else if (k == "bizRules")
      m.biz_rules = uri(kv.value(), p);
    else
      add_extension(m.extensions, k, kv.value(), path);
  }
  return m;
}

SensorReport Decoder::sensor_report(const json::value& v, const std::string& path) const {
  const auto& o = object(v, path);
  SensorReport r;
  bool has_type = false;
  for (const auto& kv : o) {
    std::string k(kv.key());
    std::string p = join(path, k);
    const json::value& x = kv.value();
    if (k == "type") {
      r.type = cbv(CbvKind::kMeasurementType, x, p);
      has_type = true;
    } else if (k == "exception")
      r.exception = cbv(CbvKind::kSensorAlertType, x, p);
    else if (k == "deviceID")
      r.device_id = uri(x, p);
    else if (k == "deviceMetadata")
      r.device_metadata = uri(x, p);
    else if (k == "rawData")
      r.raw_data = uri(x, p);
    else if (k == "dataProcessingMethod")
      r.data_processing_method = uri(x, p);
    else if (k == "bizRules")
      r.biz_rules = uri(x, p);
    else if (k == "time")
      r.time = time(x, p);
    else if (k == "microorganism")
      r.microorganism = uri(x, p);
    else if (k == "chemicalSubstance")
      r.chemical_substance = uri(x, p);
    else if (k == "coordinateReferenceSystem")
      r.coordinate_reference_system = uri(x, p);
    else if (k == "value")
      r.value = number(x, p);
    else if (k == "minValue")
      r.min_value = number(x, p);
    else if (k == "maxValue")
      r.max_value = number(x, p);
    else if (k == "meanValue")
      r.mean_value = number(x, p);
    else if (k == "sDev")
      r.s_dev = number(x, p);
    else if (k == "percRank")
      r.perc_rank = number(x, p);
    else if (k == "percValue")
      r.perc_value = number(x, p);
    else if (k == "component")
      r.component = cbv(CbvKind::kComponent, x, p);
    else if (k == "stringValue")
      r.string_value = string(x, p);
    else if (k == "booleanValue") {
      if (!x.is_bool()) fail(p, p + " must be a boolean, not " + json_type_name(x));
      r.boolean_value = x.get_bool();
    } else if (k == "hexBinaryValue") {
      r.hex_binary_value = string(x, p);
      if (!is_hex_binary(r.hex_binary_value))
        fail(p, p + " is not hexBinary: '" + r.hex_binary_value + "'");
    } else if (k == "uriValue")
      r.uri_value = uri(x, p);
    else if (k == "uom")
      r.uom = string(x, p);
    else
      add_extension(r.extensions, k, x, path);
  }
  // EPCIS 2.0 JSON Schema sensorReport: "type" is required. The XSD has it optional,
  // and GS1's SensorDataExamples.xml reports an exception (an alarm, an error) without
  // one: such a report is kept, so that the event captured as XML is answerable as JSON.
  if (!has_type && r.exception.empty())
    fail(join(path, "type"), "missing required field type in " + path);
  return r;
}

SensorElement Decoder::sensor_element(const json::value& v, const std::string& path) const {
  const auto& o = object(v, path);
  SensorElement s;
  bool has_reports = false;
  for (const auto& kv : o) {
    std::string k(kv.key());
    if (k == "sensorMetadata") {
      s.metadata = sensor_metadata(kv.value(), join(path, k));
    } else if (k == "sensorReport") {
      const auto& a = array(kv.value(), join(path, k));
      for (size_t i = 0; i < a.size(); ++i)
        s.reports.push_back(sensor_report(a[i], at(join(path, k), i)));
      has_reports = !a.empty();
    } else {
      add_extension(s.extensions, k, kv.value(), path);
    }
  }
  // EPCIS 2.0 §7.3.6: a sensorElement has one or more sensorReports.
  if (!has_reports)
    fail(join(path, "sensorReport"), "sensorElement needs at least one sensorReport");
  return s;
}

std::vector<Vocabulary> Decoder::vocabulary_list(const json::value& v,
                                                 const std::string& path) const {
  std::vector<Vocabulary> out;
  const auto& a = array(v, path);
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = at(path, i);
    const auto& o = object(a[i], p);
    Vocabulary voc;
    auto t = o.find("type");
    if (t == o.end()) fail(join(p, "type"), "missing required field type in " + p);
    voc.type = uri(t->value(), join(p, "type"));
    if (auto el = o.find("vocabularyElementList"); el != o.end()) {
      std::string pl = join(p, "vocabularyElementList");
      const auto& els = array(el->value(), pl);
      for (size_t j = 0; j < els.size(); ++j) {
        std::string pe = at(pl, j);
        const auto& eo = object(els[j], pe);
        VocabularyElement ve;
        auto id = eo.find("id");
        if (id == eo.end()) fail(join(pe, "id"), "missing required field id in " + pe);
        ve.id = uri(id->value(), join(pe, "id"));
        if (auto attrs = eo.find("attributes"); attrs != eo.end()) {
          std::string pa = join(pe, "attributes");
          const auto& aa = array(attrs->value(), pa);
          for (size_t k = 0; k < aa.size(); ++k) {
            const auto& ao = object(aa[k], at(pa, k));
            auto aid = ao.find("id");
            if (aid == ao.end()) fail(join(at(pa, k), "id"), "missing required field id");
            std::string value;
            if (auto av = ao.find("attribute"); av != ao.end()) {
              const json::value& x = av->value();
              // EPCIS 2.0 §7.5: an attribute value is text; numbers and objects are kept
              // as their JSON text.
              if (x.is_double()) finite(x, join(at(pa, k), "attribute"));
              value = x.is_string()   ? std::string(x.get_string())
                      : x.is_number() ? number_text(x)
                                      : json::serialize(x);
            }
            ve.attributes.emplace_back(uri(aid->value(), join(at(pa, k), "id")), std::move(value));
          }
        }
        if (auto ch = eo.find("children"); ch != eo.end())
          ve.children = uri_list(ch->value(), join(pe, "children"), false);
        voc.elements.push_back(std::move(ve));
      }
    }
    out.push_back(std::move(voc));
  }
  return out;
}

// Fields each event type may carry (EPCIS 2.0 §7.4.2-§7.4.6; JSON Schema propertyNames).
bool allowed_field(EventType t, std::string_view k) {
  auto in = [&](std::initializer_list<std::string_view> l) {
    for (auto s : l)
      if (s == k) return true;
    return false;
  };
  // persistentDisposition: the JSON Schema has it only in ObjectEvent and
  // TransformationEvent (gs1/EPCIS#395), the EPCIS 2.0 XSD in every event type, and GS1's
  // XML example Example-PersistentDisposition.xml in an AggregationEvent. It is accepted
  // in all, so that an event captured as XML can be answered as JSON.
  if (in({"bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation",
          "bizTransactionList", "sourceList", "destinationList", "sensorElementList"}))
    return true;
  switch (t) {
    case EventType::kObject:
      return in({"action", "epcList", "quantityList", "ilmd"});
    case EventType::kAggregation:
    case EventType::kAssociation:
      return in({"action", "parentID", "childEPCs", "childQuantityList"});
    case EventType::kTransaction:
      return in({"action", "parentID", "epcList", "quantityList"});
    case EventType::kTransformation:
      return in({"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList",
                 "transformationID", "ilmd"});
  }
  return false;
}

Event Decoder::event(const json::object& o) {
  Event e;
  auto type_it = o.find("type");
  if (type_it == o.end()) fail("type", "missing required field type");
  std::string type_name = string(type_it->value(), "type");
  auto type = event_type_from_name(type_name);
  if (!type) {
    // The JSON Schema admits other event types only as URIs ("Extended-Event").
    if (!is_uri(type_name) || type_name.ends_with("Document") || !is_extension_type(type_name))
      fail("type", "unknown event type '" + type_name + "'");
    e.extension_type = type_name;
  } else {
    e.type = *type;
  }
  bool extended = !e.extension_type.empty();
  bool has_time = false, has_offset = false, has_action = false;
  std::optional<int16_t> offset;
  std::string offset_text;
  bool has_epcs = false, has_quantities = false;
  for (const auto& kv : o) {
    std::string k(kv.key());
    const json::value& v = kv.value();
    if (k == "type") continue;
    if (k == "@context") {
      read_context(v, k);
    } else if (k == "eventTime") {
      e.event_time = time(v, k);
      has_time = true;
    } else if (k == "eventTimeZoneOffset") {
      offset_text = string(v, k);
      offset = parse_offset(offset_text);  // EPCIS 2.0 §7.4.1: "+hh:mm" / "-hh:mm"
      if (!offset) fail(k, "eventTimeZoneOffset is not +hh:mm or -hh:mm: '" + offset_text + "'");
      has_offset = true;
    } else if (k == "recordTime") {
      e.record_time = time(v, k);
    } else if (k == "eventID") {
      e.event_id = uri(v, k);
    } else if (k == "certificationInfo") {
      // EPCIS 2.0 §7.4.1: one URI or a list of URIs.
      if (v.is_array())
        e.certification_info = uri_list(v, k, false);
      else
        e.certification_info.push_back(uri(v, k));
    } else if (k == "errorDeclaration") {
      e.error_declaration = error_declaration(v, k);
    } else if (extended || !allowed_field(e.type, k)) {
      if (!extended && !is_uri(k)) {
        bool elsewhere = false;
        for (auto t : {EventType::kObject, EventType::kAggregation, EventType::kTransaction,
                       EventType::kTransformation, EventType::kAssociation})
          elsewhere = elsewhere || allowed_field(t, k);
        if (k == "action" && e.type == EventType::kTransformation)
          fail(k, "a TransformationEvent has no action (EPCIS 2.0 §7.4.6)");
        if (elsewhere)
          fail(k, "field " + k + " is not allowed in " + type_name + " (EPCIS 2.0 §7.4)");
      }
      add_extension(e.extensions, k, v, "");
    } else if (k == "action") {
      std::string a = string(v, k);
      auto act = action_from_name(a);
      if (!act) fail(k, "action must be ADD, OBSERVE or DELETE, not '" + a + "'");
      e.action = *act;
      has_action = true;
    } else if (k == "epcList" || k == "childEPCs") {
      e.epc_list = uri_list(v, k, true);
      has_epcs = !e.epc_list.empty() || k == "epcList";
    } else if (k == "quantityList" || k == "childQuantityList") {
      e.quantity_list = quantity_list(v, k);
      has_quantities = !e.quantity_list.empty();
    } else if (k == "parentID") {
      e.parent_id = epc(v, k);
    } else if (k == "inputEPCList") {
      e.input_epc_list = uri_list(v, k, true);
    } else if (k == "outputEPCList") {
      e.output_epc_list = uri_list(v, k, true);
    } else if (k == "inputQuantityList") {
      e.input_quantity_list = quantity_list(v, k);
    } else if (k == "outputQuantityList") {
      e.output_quantity_list = quantity_list(v, k);
    } else if (k == "transformationID") {
      e.transformation_id = uri(v, k);
    } else if (k == "bizStep") {
      e.biz_step = cbv(CbvKind::kBizStep, v, k);
    } else if (k == "disposition") {
      e.disposition = cbv(CbvKind::kDisposition, v, k);
    } else if (k == "persistentDisposition") {
      e.persistent_disposition = persistent_disposition(v, k);
    } else if (k == "readPoint") {
      location(v, k, e.read_point, e.read_point_extensions);
    } else if (k == "bizLocation") {
      location(v, k, e.biz_location, e.biz_location_extensions);
    } else if (k == "bizTransactionList") {
      e.biz_transactions = typed_refs(v, k, "bizTransaction", CbvKind::kBizTransactionType, false);
    } else if (k == "sourceList") {
      e.sources = typed_refs(v, k, "source", CbvKind::kSourceDestType, true);
    } else if (k == "destinationList") {
      e.destinations = typed_refs(v, k, "destination", CbvKind::kSourceDestType, true);
    } else if (k == "sensorElementList") {
      const auto& a = array(v, k);
      for (size_t i = 0; i < a.size(); ++i)
        e.sensor_elements.push_back(sensor_element(a[i], at(k, i)));
    } else if (k == "ilmd") {
      std::vector<Extension> ilmd;
      for (const auto& f : object(v, k)) add_extension(ilmd, f.key(), f.value(), k);
      e.ilmd = std::move(ilmd);
    }
  }
  // EPCIS 2.0 §7.4.1: eventTime and eventTimeZoneOffset are required of every event.
  if (!has_time) fail("eventTime", "missing required field eventTime");
  if (!has_offset) fail("eventTimeZoneOffset", "missing required field eventTimeZoneOffset");
  e.event_time.offset_minutes = *offset;  // eventTime is held in the event's own offset
  if (extended) {
    if (auto iri = split_full_iri(e.extension_type)) {
      e.extension_type_ns = std::string(iri->ns);
    } else {  // a compact IRI; an undeclared prefix is a scheme, as for extensions
      std::string prefix = e.extension_type.substr(0, e.extension_type.find(':'));
      e.extension_type_ns = resolve_prefix(prefix);
      if (e.extension_type_ns.empty()) e.extension_type_ns = prefix + ":";
    }
    return e;
  }

  const std::string& tn = type_name;
  // EPCIS 2.0 §7.4.2-§7.4.5: action is required, except on a TransformationEvent.
  if (e.type != EventType::kTransformation && !has_action)
    fail("action", "missing required field action in " + tn);
  switch (e.type) {
    case EventType::kObject: {
      // EPCIS 2.0 §7.4.2: epcList or quantityList, or sensor data observed at a readPoint.
      bool sensor_only = !e.sensor_elements.empty() && !e.read_point.empty();
      if (!has_epcs && !has_quantities && !sensor_only)
        fail("epcList",
             "an ObjectEvent needs epcList, quantityList, or sensorElementList with readPoint");
      // EPCIS 2.0 §7.4.2: ilmd only when action is ADD.
      if (e.ilmd && e.action != Action::kAdd)
        fail("ilmd", "ilmd is only allowed in an ObjectEvent with action ADD");
      break;
    }
    case EventType::kAggregation:
    case EventType::kAssociation:
      // EPCIS 2.0 §7.4.3, §7.4.7: children, unless a DELETE of everything.
      if (e.epc_list.empty() && e.quantity_list.empty() && e.action != Action::kDelete)
        fail("childEPCs",
             "an " + tn + " needs childEPCs or childQuantityList unless action is DELETE");
      if (e.type == EventType::kAssociation && e.parent_id.empty())
        fail("parentID", "missing required field parentID in AssociationEvent");
      break;
    case EventType::kTransaction:
      // EPCIS 2.0 §7.4.5: bizTransactionList is required.
      if (e.biz_transactions.empty())
        fail("bizTransactionList", "missing required field bizTransactionList in TransactionEvent");
      if (!has_epcs && !has_quantities && e.action != Action::kDelete)
        fail("epcList", "a TransactionEvent needs epcList or quantityList unless action is DELETE");
      break;
    case EventType::kTransformation: {
      // EPCIS 2.0 §7.4.6: inputs and outputs, or a transformationID.
      bool in = !e.input_epc_list.empty() || !e.input_quantity_list.empty();
      bool out = !e.output_epc_list.empty() || !e.output_quantity_list.empty();
      if (e.transformation_id.empty() ? !(in && out) : !(in || out))
        fail("inputEPCList",
             "a TransformationEvent needs inputs and outputs, or a transformationID with either");
      break;
    }
  }
  return e;
}

std::vector<Event> Decoder::event_list(const json::value& v, const std::string& path) {
  const auto& a = array(v, path);
  std::vector<Event> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    event_ = static_cast<long>(i);
    out.push_back(event(object(a[i], at(path, i))));
  }
  event_ = -1;
  return out;
}

Document Decoder::decode(const json::value& root) {
  const auto& o = object(root, "document");
  auto type_it = o.find("type");
  if (type_it == o.end())
    fail("type",
         "missing required field type (EPCISDocument, EPCISQueryDocument or an event type)");
  std::string type = string(type_it->value(), "type");
  // EPCIS 2.0 §9.3: JSON-LD documents and events carry an @context.
  auto ctx = o.find("@context");
  if (ctx == o.end()) fail("@context", "missing required field @context");
  read_context(ctx->value(), "@context");

  if (type != "EPCISDocument" && type != "EPCISQueryDocument") {
    // One bare event (EPCIS 2.0 §12.2 capture of a single event).
    event_ = 0;
    doc_.events.push_back(event(o));
    return std::move(doc_);
  }
  bool query = type == "EPCISQueryDocument";
  doc_.kind = query ? Document::Kind::kQueryDocument : Document::Kind::kEpcisDocument;
  bool has_version = false, has_body = false;
  for (const auto& kv : o) {
    std::string k(kv.key());
    const json::value& v = kv.value();
    if (k == "@context" || k == "type") continue;
    if (k == "schemaVersion") {
      doc_.schema_version = string(v, k);
      has_version = true;
    } else if (k == "creationDate") {
      doc_.creation_date = time(v, k);
    } else if (k == "id") {
      uri(v, k);
    } else if (!query && (k == "instanceIdentifier" || k == "sender" || k == "receiver")) {
      string(v, k);
    } else if (!query && k == "epcisHeader") {
      const auto& h = object(v, k);
      if (auto md = h.find("epcisMasterData"); md != h.end()) {
        const auto& mo = object(md->value(), "epcisHeader.epcisMasterData");
        if (auto vl = mo.find("vocabularyList"); vl != mo.end())
          doc_.master_data =
              vocabulary_list(vl->value(), "epcisHeader.epcisMasterData.vocabularyList");
      }
    } else if (k == "epcisBody") {
      has_body = true;
      const auto& b = object(v, k);
      if (!query) {
        auto el = b.find("eventList");
        if (el == b.end())
          fail("epcisBody.eventList", "missing required field epcisBody.eventList");
        doc_.events = event_list(el->value(), "epcisBody.eventList");
        continue;
      }
      auto qr = b.find("queryResults");
      if (qr == b.end())
        fail("epcisBody.queryResults", "missing required field epcisBody.queryResults");
      const auto& q = object(qr->value(), "epcisBody.queryResults");
      auto qn = q.find("queryName");
      if (qn == q.end())
        fail("epcisBody.queryResults.queryName", "missing required field queryName");
      doc_.query_name = string(qn->value(), "epcisBody.queryResults.queryName");
      if (auto s = q.find("subscriptionID"); s != q.end())
        doc_.subscription_id = string(s->value(), "epcisBody.queryResults.subscriptionID");
      auto rb = q.find("resultsBody");
      if (rb == q.end())
        fail("epcisBody.queryResults.resultsBody", "missing required field resultsBody");
      const auto& r = object(rb->value(), "epcisBody.queryResults.resultsBody");
      auto el = r.find("eventList");
      if (el == r.end())
        fail("epcisBody.queryResults.resultsBody.eventList", "missing required field eventList");
      doc_.events = event_list(el->value(), "epcisBody.queryResults.resultsBody.eventList");
      if (auto vl = r.find("vocabularyList"); vl != r.end())
        doc_.master_data =
            vocabulary_list(vl->value(), "epcisBody.queryResults.resultsBody.vocabularyList");
    } else {
      extension_key_or_fail(k, "", type);  // document-level extensions are not kept
    }
  }
  if (!has_body) fail("epcisBody", "missing required field epcisBody");
  // EPCIS 2.0 JSON Schema: an EPCISDocument has schemaVersion and creationDate.
  if (!query && !has_version) fail("schemaVersion", "missing required field schemaVersion");
  if (!query && !doc_.creation_date) fail("creationDate", "missing required field creationDate");
  return std::move(doc_);
}

// ---------------------------------------------------------------------------------
// Encoding: a small writer so that numbers are written as we choose and output can be
// indented.

class Writer {
 public:
  explicit Writer(bool pretty) : pretty_(pretty) {}
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view k) {
    separator();
    quote(k);
    out_ += pretty_ ? ": " : ":";
    after_key_ = true;
  }
  void string(std::string_view s) {
    value_start();
    quote(s);
  }
  void raw(std::string_view s) {
    value_start();
    out_ += s;
  }
  void number(double d) {
    if (!std::isfinite(d)) return raw("null");  // JSON has no NaN/Infinity
    raw(number_text(d));
  }
  void boolean(bool b) { raw(b ? "true" : "false"); }
  void member(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  std::string take() { return std::move(out_); }

 private:
  void newline() {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(depth_ * 2, ' ');
  }
  void separator() {
    if (!first_) out_ += ',';
    first_ = false;
    newline();
  }
  void value_start() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0) separator();
  }
  void open(char c) {
    value_start();
    out_ += c;
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_) newline();
    out_ += c;
    first_ = false;
  }
  void quote(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out_ += buf;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  bool pretty_;
  std::string out_;
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

class Encoder {
 public:
  Encoder(const JsonOptions& options, const Namespaces& namespaces)
      : options_(options), ns_(namespaces), w_(options.pretty) {}

  std::string document(const Document& doc);
  std::string bare_event(const Event& e);

 private:
  void context(const std::vector<const Event*>& events, const std::vector<Vocabulary>& md);
  void collect_prefix(const std::string& prefix, const std::string& ns, Namespaces& extra) const;
  void collect_prefixes(const std::vector<Extension>& exts, Namespaces& extra) const;
  void event(const Event& e);
  void event_members(const Event& e);
  std::string id(std::string_view s) const {
    auto r = convert_identifier(s, options_.epc_format, options_.gcp_table);
    return r ? std::move(*r) : std::string(s);
  }
  void id_list(std::string_view key, const std::vector<std::string>& ids) {
    w_.key(key);
    w_.begin_array();
    for (const auto& s : ids) w_.string(id(s));
    w_.end_array();
  }
  void quantity_list(std::string_view key, const std::vector<QuantityElement>& list);
  void typed_refs(std::string_view key, std::string_view value_key, CbvKind kind,
                  const std::vector<TypedRef>& refs);
  void time(std::string_view key, const Timestamp& t) { w_.member(key, format_timestamp(t)); }
  void extensions(const std::vector<Extension>& exts, bool nested = false);
  void extension_value(const Extension& e);
  std::string extension_key(const Extension& e) const;
  void vocabulary_list(const std::vector<Vocabulary>& md);

  const JsonOptions& options_;
  Namespaces ns_;
  Writer w_;
};

void Encoder::collect_prefix(const std::string& prefix, const std::string& ns,
                             Namespaces& extra) const {
  if (prefix.empty() || ns.empty() || is_standard_prefix(prefix)) return;
  bool seen = false;
  for (const auto& [p, u] : ns_) seen = seen || p == prefix;
  for (const auto& [p, u] : extra) seen = seen || p == prefix;
  if (!seen) extra.emplace_back(prefix, ns);
}

void Encoder::collect_prefixes(const std::vector<Extension>& exts, Namespaces& extra) const {
  for (const auto& e : exts) {
    collect_prefix(e.prefix, e.ns, extra);
    collect_prefixes(e.children, extra);
  }
}

void Encoder::context(const std::vector<const Event*>& events, const std::vector<Vocabulary>&) {
  // Prefixes the extensions use but the document did not declare (e.g. from XML).
  Namespaces extra;
  for (const Event* e : events) {
    // An extended event type's prefix, where it is a compact IRI.
    if (!split_full_iri(e->extension_type))
      collect_prefix(e->extension_type.substr(0, e->extension_type.find(':')), e->extension_type_ns,
                     extra);
    collect_prefixes(e->extensions, extra);
    collect_prefixes(e->read_point_extensions, extra);
    collect_prefixes(e->biz_location_extensions, extra);
    if (e->ilmd) collect_prefixes(*e->ilmd, extra);
    if (e->error_declaration) collect_prefixes(e->error_declaration->extensions, extra);
    for (const auto& s : e->sensor_elements) {
      collect_prefixes(s.extensions, extra);
      if (s.metadata) collect_prefixes(s.metadata->extensions, extra);
      for (const auto& r : s.reports) collect_prefixes(r.extensions, extra);
    }
  }
  for (auto& x : extra) ns_.push_back(std::move(x));
  w_.key("@context");
  if (ns_.empty()) return w_.string(kEpcisContextUrl);
  w_.begin_array();
  w_.string(kEpcisContextUrl);
  for (const auto& [p, u] : ns_) {
    w_.begin_object();
    w_.member(p, u);
    w_.end_object();
  }
  w_.end_array();
}

std::string Encoder::extension_key(const Extension& e) const {
  if (!e.prefix.empty()) return e.prefix + ":" + e.name;
  if (e.ns.empty()) return e.name;
  for (const auto& [p, u] : ns_)
    if (u == e.ns) return p + ":" + e.name;
  for (const auto& [p, u] : standard_prefixes())
    if (u == e.ns) return p + ":" + e.name;
  return e.ns + e.name;
}

void Encoder::extension_value(const Extension& e) {
  switch (e.kind) {
    case Extension::Kind::kString:
      return w_.string(e.value);
    case Extension::Kind::kBoolean:
      return w_.boolean(e.value == "true" || e.value == "1");
    case Extension::Kind::kNull:
      return w_.raw("null");
    case Extension::Kind::kNumber: {
      // Written as parsed; text that is no JSON number stays a string, as does one
      // beyond the double range (XML's 1e400 would be written "inf", which is no JSON).
      json::error_code ec;
      json::value v = json::parse(e.value, ec);
      if (ec || !v.is_number() || (v.is_double() && !std::isfinite(v.get_double())))
        return w_.string(e.value);
      return w_.raw(number_text(v));
    }
    case Extension::Kind::kObject:
      // XML attributes have no JSON-LD form and are not written.
      w_.begin_object();
      extensions(e.children, /*nested=*/true);
      w_.end_object();
      return;
  }
}

void Encoder::extensions(const std::vector<Extension>& exts, bool nested) {
  for (size_t i = 0; i < exts.size();) {
    const Extension& e = exts[i];
    // An unqualified element that EPCIS 1.2 XML put in an <extension> wrapper (##local)
    // has no JSON-LD form: a bare key is no user extension (EPCIS 2.0 §9.3) and would
    // not decode again. It is not written; inside a namespaced extension it is.
    if (!nested && e.ns.empty() && e.prefix.empty()) {
      ++i;
      continue;
    }
    w_.key(extension_key(e));
    if (!e.in_array) {
      extension_value(e);
      ++i;
      continue;
    }
    // Consecutive fields of one name that came from an array go back into one.
    w_.begin_array();
    size_t j = i;
    while (j < exts.size() && exts[j].in_array && exts[j].name == e.name && exts[j].ns == e.ns &&
           exts[j].prefix == e.prefix)
      extension_value(exts[j++]);
    w_.end_array();
    i = j;
  }
}

void Encoder::quantity_list(std::string_view key, const std::vector<QuantityElement>& list) {
  w_.key(key);
  w_.begin_array();
  for (const auto& q : list) {
    w_.begin_object();
    w_.member("epcClass", id(q.epc_class));
    if (q.quantity) {
      w_.key("quantity");
      w_.number(*q.quantity);
    }
    if (!q.uom.empty()) w_.member("uom", q.uom);
    w_.end_object();
  }
  w_.end_array();
}

void Encoder::typed_refs(std::string_view key, std::string_view value_key, CbvKind kind,
                         const std::vector<TypedRef>& refs) {
  w_.key(key);
  w_.begin_array();
  for (const auto& r : refs) {
    w_.begin_object();
    if (!r.type.empty()) w_.member("type", compact_cbv(kind, r.type));
    // Business transaction ids are not EPCs; sources/destinations are locations/parties.
    w_.member(value_key, kind == CbvKind::kBizTransactionType ? r.value : id(r.value));
    w_.end_object();
  }
  w_.end_array();
}

void Encoder::event_members(const Event& e) {
  if (!e.extension_type.empty())
    w_.member("type", e.extension_type);
  else
    w_.member("type", event_type_name(e.type));
  time("eventTime", e.event_time);
  if (e.record_time) time("recordTime", *e.record_time);
  w_.member("eventTimeZoneOffset", format_offset(e.event_time.offset_minutes));
  if (!e.event_id.empty()) w_.member("eventID", e.event_id);
  if (e.certification_info.size() == 1) {
    w_.member("certificationInfo", e.certification_info[0]);
  } else if (!e.certification_info.empty()) {
    w_.key("certificationInfo");
    w_.begin_array();
    for (const auto& c : e.certification_info) w_.string(c);
    w_.end_array();
  }
  if (e.error_declaration) {
    const auto& d = *e.error_declaration;
    w_.key("errorDeclaration");
    w_.begin_object();
    time("declarationTime", d.declaration_time);
    if (!d.reason.empty()) w_.member("reason", compact_cbv(CbvKind::kErrorReason, d.reason));
    if (!d.corrective_event_ids.empty()) {
      w_.key("correctiveEventIDs");
      w_.begin_array();
      for (const auto& c : d.corrective_event_ids) w_.string(c);
      w_.end_array();
    }
    extensions(d.extensions);
    w_.end_object();
  }
  if (!e.extension_type.empty()) return extensions(e.extensions);

  bool children = e.type == EventType::kAggregation || e.type == EventType::kAssociation;
  if (!e.parent_id.empty()) w_.member("parentID", id(e.parent_id));
  if (children) {
    if (!e.epc_list.empty()) id_list("childEPCs", e.epc_list);
    if (!e.quantity_list.empty()) quantity_list("childQuantityList", e.quantity_list);
  } else if (e.type != EventType::kTransformation) {
    // EPCIS JSON Schema: an epcList (possibly empty) is always a valid way to say "none".
    if (!e.epc_list.empty() || e.quantity_list.empty()) id_list("epcList", e.epc_list);
    if (!e.quantity_list.empty()) quantity_list("quantityList", e.quantity_list);
  } else {
    if (!e.input_epc_list.empty()) id_list("inputEPCList", e.input_epc_list);
    if (!e.input_quantity_list.empty()) quantity_list("inputQuantityList", e.input_quantity_list);
    if (!e.output_epc_list.empty()) id_list("outputEPCList", e.output_epc_list);
    if (!e.output_quantity_list.empty())
      quantity_list("outputQuantityList", e.output_quantity_list);
    if (!e.transformation_id.empty()) w_.member("transformationID", e.transformation_id);
  }
  if (e.type != EventType::kTransformation && e.action != Action::kNone)
    w_.member("action", action_name(e.action));
  if (!e.biz_step.empty()) w_.member("bizStep", compact_cbv(CbvKind::kBizStep, e.biz_step));
  if (!e.disposition.empty())
    w_.member("disposition", compact_cbv(CbvKind::kDisposition, e.disposition));
  if (!e.persistent_disposition.empty()) {
    w_.key("persistentDisposition");
    w_.begin_object();
    for (auto [name, list] : {std::pair{"set", &e.persistent_disposition.set},
                              std::pair{"unset", &e.persistent_disposition.unset}}) {
      if (list->empty()) continue;
      w_.key(name);
      w_.begin_array();
      for (const auto& d : *list) w_.string(compact_cbv(CbvKind::kDisposition, d));
      w_.end_array();
    }
    w_.end_object();
  }
  if (!e.read_point.empty()) {
    w_.key("readPoint");
    w_.begin_object();
    w_.member("id", id(e.read_point));
    extensions(e.read_point_extensions);
    w_.end_object();
  }
  if (!e.biz_location.empty()) {
    w_.key("bizLocation");
    w_.begin_object();
    w_.member("id", id(e.biz_location));
    extensions(e.biz_location_extensions);
    w_.end_object();
  }
  if (!e.biz_transactions.empty())
    typed_refs("bizTransactionList", "bizTransaction", CbvKind::kBizTransactionType,
               e.biz_transactions);
  if (!e.sources.empty()) typed_refs("sourceList", "source", CbvKind::kSourceDestType, e.sources);
  if (!e.destinations.empty())
    typed_refs("destinationList", "destination", CbvKind::kSourceDestType, e.destinations);
  if (!e.sensor_elements.empty()) {
    w_.key("sensorElementList");
    w_.begin_array();
    for (const auto& s : e.sensor_elements) {
      w_.begin_object();
      if (s.metadata) {
        const auto& m = *s.metadata;
        w_.key("sensorMetadata");
        w_.begin_object();
        if (m.time) time("time", *m.time);
        if (m.start_time) time("startTime", *m.start_time);
        if (m.end_time) time("endTime", *m.end_time);
        if (!m.device_id.empty()) w_.member("deviceID", id(m.device_id));
        if (!m.device_metadata.empty()) w_.member("deviceMetadata", m.device_metadata);
        if (!m.raw_data.empty()) w_.member("rawData", m.raw_data);
        if (!m.data_processing_method.empty())
          w_.member("dataProcessingMethod", m.data_processing_method);
        if (!m.biz_rules.empty()) w_.member("bizRules", m.biz_rules);
        extensions(m.extensions);
        w_.end_object();
      }
      w_.key("sensorReport");
      w_.begin_array();
      for (const auto& r : s.reports) {
        w_.begin_object();
        if (!r.type.empty()) w_.member("type", compact_cbv(CbvKind::kMeasurementType, r.type));
        if (!r.exception.empty())
          w_.member("exception", compact_cbv(CbvKind::kSensorAlertType, r.exception));
        if (!r.device_id.empty()) w_.member("deviceID", id(r.device_id));
        if (!r.device_metadata.empty()) w_.member("deviceMetadata", r.device_metadata);
        if (!r.raw_data.empty()) w_.member("rawData", r.raw_data);
        if (!r.data_processing_method.empty())
          w_.member("dataProcessingMethod", r.data_processing_method);
        if (!r.biz_rules.empty()) w_.member("bizRules", r.biz_rules);
        if (r.time) time("time", *r.time);
        if (!r.microorganism.empty()) w_.member("microorganism", r.microorganism);
        if (!r.chemical_substance.empty()) w_.member("chemicalSubstance", r.chemical_substance);
        if (!r.coordinate_reference_system.empty())
          w_.member("coordinateReferenceSystem", r.coordinate_reference_system);
        for (auto [name, v] :
             {std::pair{"value", &r.value}, std::pair{"minValue", &r.min_value},
              std::pair{"maxValue", &r.max_value}, std::pair{"meanValue", &r.mean_value},
              std::pair{"sDev", &r.s_dev}, std::pair{"percRank", &r.perc_rank},
              std::pair{"percValue", &r.perc_value}}) {
          if (!*v) continue;
          w_.key(name);
          w_.number(**v);
        }
        if (!r.component.empty())
          w_.member("component", compact_cbv(CbvKind::kComponent, r.component));
        if (!r.string_value.empty()) w_.member("stringValue", r.string_value);
        if (r.boolean_value) {
          w_.key("booleanValue");
          w_.boolean(*r.boolean_value);
        }
        if (!r.hex_binary_value.empty()) w_.member("hexBinaryValue", r.hex_binary_value);
        if (!r.uri_value.empty()) w_.member("uriValue", r.uri_value);
        if (!r.uom.empty()) w_.member("uom", r.uom);
        extensions(r.extensions);
        w_.end_object();
      }
      w_.end_array();
      extensions(s.extensions);
      w_.end_object();
    }
    w_.end_array();
  }
  if (e.ilmd) {
    w_.key("ilmd");
    w_.begin_object();
    extensions(*e.ilmd);
    w_.end_object();
  }
  extensions(e.extensions);
}

void Encoder::event(const Event& e) {
  w_.begin_object();
  event_members(e);
  w_.end_object();
}

void Encoder::vocabulary_list(const std::vector<Vocabulary>& md) {
  w_.key("vocabularyList");
  w_.begin_array();
  for (const auto& v : md) {
    w_.begin_object();
    w_.member("type", v.type);
    w_.key("vocabularyElementList");
    w_.begin_array();
    for (const auto& el : v.elements) {
      w_.begin_object();
      w_.member("id", id(el.id));
      if (!el.attributes.empty()) {
        w_.key("attributes");
        w_.begin_array();
        for (const auto& [aid, value] : el.attributes) {
          w_.begin_object();
          w_.member("id", aid);
          w_.key("attribute");
          // An attribute decoded from a JSON object is kept as its JSON text.
          json::error_code ec;
          json::value parsed = value.starts_with("{") ? json::parse(value, ec) : json::value();
          if (!ec && parsed.is_object())
            w_.raw(json::serialize(parsed));
          else
            w_.string(value);
          w_.end_object();
        }
        w_.end_array();
      }
      if (!el.children.empty()) id_list("children", el.children);
      w_.end_object();
    }
    w_.end_array();
    w_.end_object();
  }
  w_.end_array();
}

std::string Encoder::document(const Document& doc) {
  bool query = doc.kind == Document::Kind::kQueryDocument;
  std::vector<const Event*> events;
  for (const auto& e : doc.events) events.push_back(&e);
  w_.begin_object();
  context(events, doc.master_data);
  w_.member("type", query ? "EPCISQueryDocument" : "EPCISDocument");
  w_.member("schemaVersion", doc.schema_version.empty() ? "2.0" : doc.schema_version);
  if (doc.creation_date) {
    time("creationDate", *doc.creation_date);
  } else if (!query) {
    // The JSON Schema requires creationDate of an EPCISDocument: now, in UTC.
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    time("creationDate", Timestamp{now * 1000000, 0});
  }
  if (!query && !doc.master_data.empty()) {
    w_.key("epcisHeader");
    w_.begin_object();
    w_.key("epcisMasterData");
    w_.begin_object();
    vocabulary_list(doc.master_data);
    w_.end_object();
    w_.end_object();
  }
  w_.key("epcisBody");
  w_.begin_object();
  if (query) {
    w_.key("queryResults");
    w_.begin_object();
    w_.member("queryName", doc.query_name);
    if (!doc.subscription_id.empty()) w_.member("subscriptionID", doc.subscription_id);
    w_.key("resultsBody");
    w_.begin_object();
  }
  w_.key("eventList");
  w_.begin_array();
  for (const auto& e : doc.events) event(e);
  w_.end_array();
  if (query) {
    if (!doc.master_data.empty()) vocabulary_list(doc.master_data);
    w_.end_object();
    w_.end_object();
  }
  w_.end_object();
  w_.end_object();
  return w_.take();
}

std::string Encoder::bare_event(const Event& e) {
  w_.begin_object();
  context({&e}, {});
  event_members(e);
  w_.end_object();
  return w_.take();
}

std::pair<size_t, size_t> line_column(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

}  // namespace

Result<Document> decode_json(std::string_view text) {
  json::stream_parser parser;
  json::error_code ec;
  size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_column(text, used);
    Error e{ErrorKind::kUnsupportedFormat, "not valid JSON: " + ec.message(), -1, {}, line, col};
    return unexpected(std::move(e));
  }
  json::value root = parser.release();
  try {
    Decoder d;
    return d.decode(root);
  } catch (DecodeFailure& f) {
    return unexpected(std::move(f.error));
  }
}

std::string encode_json(const Document& doc, const JsonOptions& options) {
  Encoder enc(options, doc.namespaces);
  return enc.document(doc);
}

std::string encode_event_json(const Event& event, const JsonOptions& options,
                              const std::vector<std::pair<std::string, std::string>>& namespaces) {
  Encoder enc(options, namespaces);
  return enc.bare_event(event);
}

}  // namespace serialtrack::epcis
