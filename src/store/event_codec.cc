// The stored form of an event: a compact binary record (varint lengths, fields in a
// fixed order, a format version byte first), faster to write and read than JSON and
// exact for every field of epcis::Event. A new field means a new version byte, and
// decode keeps reading the old versions.
#include "store/event_codec.h"

#include <cstring>

#include "epcis/identifiers.h"
#include "gs1/digital_link.h"
#include "gs1/epc.h"

namespace serialtrack::store {
namespace {

// 1: string lists plain; 2: string lists front-coded (each element is the length it
// shares with the one before, then the rest): an event's EPCs of one product and range
// differ only in their last characters, so a list of 10,000 takes a tenth of the bytes.
// 3: an extended event type's namespace (Event::extension_type_ns) last.
constexpr uint8_t kVersion = 3;

class Writer {
 public:
  void u(uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }
  void i(int64_t v) { u((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void s(const std::string& v) {
    u(v.size());
    out.append(v);
  }
  void d(double v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out.append(b, 8);
  }
  void ts(const epcis::Timestamp& t) {
    i(t.unix_nanos);
    i(t.offset_minutes);
  }
  template <typename T>
  void opt(const std::optional<T>& v, void (Writer::*f)(const T&)) {
    u(v ? 1 : 0);
    if (v) (this->*f)(*v);
  }
  void od(const std::optional<double>& v) {
    u(v ? 1 : 0);
    if (v) d(*v);
  }
  void strs(const std::vector<std::string>& v) {
    u(v.size());
    const std::string* before = nullptr;
    for (const auto& x : v) {
      size_t shared = 0;
      if (before)
        while (shared < x.size() && shared < before->size() && x[shared] == (*before)[shared])
          ++shared;
      u(shared);
      u(x.size() - shared);
      out.append(x, shared);
      before = &x;
    }
  }
  void ext(const epcis::Extension& x) {
    s(x.ns);
    s(x.prefix);
    s(x.name);
    u(static_cast<uint64_t>(x.kind));
    s(x.value);
    exts(x.children);
    u(x.in_array);
    u(x.attributes.size());
    for (const auto& a : x.attributes) {
      s(a.ns);
      s(a.prefix);
      s(a.name);
      s(a.value);
    }
  }
  void exts(const std::vector<epcis::Extension>& v) {
    u(v.size());
    for (const auto& x : v) ext(x);
  }
  void qty(const std::vector<epcis::QuantityElement>& v) {
    u(v.size());
    for (const auto& q : v) {
      s(q.epc_class);
      od(q.quantity);
      s(q.uom);
    }
  }
  void refs(const std::vector<epcis::TypedRef>& v) {
    u(v.size());
    for (const auto& r : v) {
      s(r.type);
      s(r.value);
    }
  }
  std::string out;
};

class Reader {
 public:
  Reader(std::string_view in, bool front_coded) : in_(in), front_coded_(front_coded) {}
  bool ok() const { return ok_; }
  uint64_t u() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= in_.size()) return fail();
      auto b = static_cast<uint8_t>(in_[p_++]);
      v |= uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  int64_t i() {
    uint64_t z = u();
    return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  }
  std::string s() {
    uint64_t n = u();
    if (n > in_.size() - p_) return fail(), std::string();
    std::string v(in_.substr(p_, n));
    p_ += n;
    return v;
  }
  double d() {
    if (in_.size() - p_ < 8) return fail(), 0.0;
    double v;
    std::memcpy(&v, in_.data() + p_, 8);
    p_ += 8;
    return v;
  }
  epcis::Timestamp ts() {
    epcis::Timestamp t;
    t.unix_nanos = i();
    t.offset_minutes = static_cast<int16_t>(i());
    return t;
  }
  std::optional<epcis::Timestamp> ots() {
    if (!u()) return std::nullopt;
    return ts();
  }
  std::optional<double> od() {
    if (!u()) return std::nullopt;
    return d();
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    if (!front_coded_) {
      for (auto& x : v) x = s();
      return v;
    }
    for (size_t k = 0; k < v.size(); ++k) {
      uint64_t shared = u();
      if (shared > (k ? v[k - 1].size() : 0)) return fail(), std::vector<std::string>();
      uint64_t n = u();
      if (n > in_.size() - p_) return fail(), std::vector<std::string>();
      v[k].reserve(shared + n);
      if (shared) v[k].assign(v[k - 1], 0, shared);
      v[k].append(in_.substr(p_, n));
      p_ += n;
    }
    return v;
  }
  size_t count() {
    uint64_t n = u();
    if (n > in_.size() - p_) return fail(), 0;  // every element takes at least a byte
    return n;
  }
  epcis::Extension ext(int depth = 0) {
    epcis::Extension x;
    if (depth > 64) return fail(), x;
    x.ns = s();
    x.prefix = s();
    x.name = s();
    x.kind = static_cast<epcis::Extension::Kind>(u());
    x.value = s();
    x.children = exts(depth + 1);
    x.in_array = u() != 0;
    x.attributes.resize(count());
    for (auto& a : x.attributes) {
      a.ns = s();
      a.prefix = s();
      a.name = s();
      a.value = s();
    }
    return x;
  }
  std::vector<epcis::Extension> exts(int depth = 0) {
    std::vector<epcis::Extension> v(count());
    for (auto& x : v) x = ext(depth);
    return v;
  }
  std::vector<epcis::QuantityElement> qty() {
    std::vector<epcis::QuantityElement> v(count());
    for (auto& q : v) {
      q.epc_class = s();
      q.quantity = od();
      q.uom = s();
    }
    return v;
  }
  std::vector<epcis::TypedRef> refs() {
    std::vector<epcis::TypedRef> v(count());
    for (auto& r : v) {
      r.type = s();
      r.value = s();
    }
    return v;
  }
  bool at_end() const { return p_ == in_.size(); }

 private:
  uint64_t fail() {
    ok_ = false;
    p_ = in_.size();
    return 0;
  }
  std::string_view in_;
  bool front_coded_;
  size_t p_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_stored_event(const epcis::Event& e) {
  return encode_stored_event(e, e.record_time);
}

std::string encode_stored_event(const epcis::Event& e,
                                const std::optional<epcis::Timestamp>& record_time) {
  Writer w;
  w.u(kVersion);
  w.u(static_cast<uint64_t>(e.type));
  w.ts(e.event_time);
  w.opt(record_time, &Writer::ts);
  w.s(e.event_id);
  w.u(e.error_declaration ? 1 : 0);
  if (e.error_declaration) {
    w.ts(e.error_declaration->declaration_time);
    w.s(e.error_declaration->reason);
    w.strs(e.error_declaration->corrective_event_ids);
    w.exts(e.error_declaration->extensions);
  }
  w.s(e.parent_id);
  w.strs(e.epc_list);
  w.qty(e.quantity_list);
  w.strs(e.input_epc_list);
  w.strs(e.output_epc_list);
  w.qty(e.input_quantity_list);
  w.qty(e.output_quantity_list);
  w.s(e.transformation_id);
  w.u(static_cast<uint64_t>(e.action));
  w.s(e.biz_step);
  w.s(e.disposition);
  w.strs(e.persistent_disposition.set);
  w.strs(e.persistent_disposition.unset);
  w.s(e.read_point);
  w.exts(e.read_point_extensions);
  w.s(e.biz_location);
  w.exts(e.biz_location_extensions);
  w.refs(e.biz_transactions);
  w.refs(e.sources);
  w.refs(e.destinations);
  w.u(e.sensor_elements.size());
  for (const auto& se : e.sensor_elements) {
    w.u(se.metadata ? 1 : 0);
    if (se.metadata) {
      const auto& m = *se.metadata;
      w.opt(m.time, &Writer::ts);
      w.opt(m.start_time, &Writer::ts);
      w.opt(m.end_time, &Writer::ts);
      for (const auto* f :
           {&m.device_id, &m.device_metadata, &m.raw_data, &m.data_processing_method, &m.biz_rules})
        w.s(*f);
      w.exts(m.extensions);
    }
    w.u(se.reports.size());
    for (const auto& r : se.reports) {
      for (const auto* f : {&r.type, &r.exception, &r.device_id, &r.device_metadata, &r.raw_data,
                            &r.data_processing_method, &r.biz_rules, &r.microorganism,
                            &r.chemical_substance, &r.coordinate_reference_system, &r.component,
                            &r.string_value, &r.hex_binary_value, &r.uri_value, &r.uom})
        w.s(*f);
      w.opt(r.time, &Writer::ts);
      for (const auto* f : {&r.value, &r.min_value, &r.max_value, &r.mean_value, &r.s_dev,
                            &r.perc_rank, &r.perc_value})
        w.od(*f);
      w.u(r.boolean_value ? (*r.boolean_value ? 2 : 1) : 0);
      w.exts(r.extensions);
    }
    w.exts(se.extensions);
  }
  w.u(e.ilmd ? 1 : 0);
  if (e.ilmd) w.exts(*e.ilmd);
  w.strs(e.certification_info);
  w.exts(e.extensions);
  w.s(e.extension_type);
  w.s(e.extension_type_ns);
  return std::move(w.out);
}

std::optional<epcis::Event> decode_stored_event(std::string_view body) {
  if (body.empty()) return std::nullopt;
  const auto version = static_cast<uint8_t>(body[0]);  // below 0x80: one varint byte
  if (version < 1 || version > kVersion) return std::nullopt;
  Reader r(body.substr(1), version >= 2);
  epcis::Event e;
  auto type = r.u();
  if (type > static_cast<uint64_t>(epcis::EventType::kAssociation)) return std::nullopt;
  e.type = static_cast<epcis::EventType>(type);
  e.event_time = r.ts();
  e.record_time = r.ots();
  e.event_id = r.s();
  if (r.u()) {
    epcis::ErrorDeclaration d;
    d.declaration_time = r.ts();
    d.reason = r.s();
    d.corrective_event_ids = r.strs();
    d.extensions = r.exts();
    e.error_declaration = std::move(d);
  }
  e.parent_id = r.s();
  e.epc_list = r.strs();
  e.quantity_list = r.qty();
  e.input_epc_list = r.strs();
  e.output_epc_list = r.strs();
  e.input_quantity_list = r.qty();
  e.output_quantity_list = r.qty();
  e.transformation_id = r.s();
  auto action = r.u();
  if (action > static_cast<uint64_t>(epcis::Action::kDelete)) return std::nullopt;
  e.action = static_cast<epcis::Action>(action);
  e.biz_step = r.s();
  e.disposition = r.s();
  e.persistent_disposition.set = r.strs();
  e.persistent_disposition.unset = r.strs();
  e.read_point = r.s();
  e.read_point_extensions = r.exts();
  e.biz_location = r.s();
  e.biz_location_extensions = r.exts();
  e.biz_transactions = r.refs();
  e.sources = r.refs();
  e.destinations = r.refs();
  e.sensor_elements.resize(r.count());
  for (auto& se : e.sensor_elements) {
    if (r.u()) {
      epcis::SensorMetadata m;
      m.time = r.ots();
      m.start_time = r.ots();
      m.end_time = r.ots();
      for (auto* f :
           {&m.device_id, &m.device_metadata, &m.raw_data, &m.data_processing_method, &m.biz_rules})
        *f = r.s();
      m.extensions = r.exts();
      se.metadata = std::move(m);
    }
    se.reports.resize(r.count());
    for (auto& rep : se.reports) {
      for (auto* f :
           {&rep.type, &rep.exception, &rep.device_id, &rep.device_metadata, &rep.raw_data,
            &rep.data_processing_method, &rep.biz_rules, &rep.microorganism,
            &rep.chemical_substance, &rep.coordinate_reference_system, &rep.component,
            &rep.string_value, &rep.hex_binary_value, &rep.uri_value, &rep.uom})
        *f = r.s();
      rep.time = r.ots();
      for (auto* f : {&rep.value, &rep.min_value, &rep.max_value, &rep.mean_value, &rep.s_dev,
                      &rep.perc_rank, &rep.perc_value})
        *f = r.od();
      auto b = r.u();
      if (b) rep.boolean_value = b == 2;
      rep.extensions = r.exts();
    }
    se.extensions = r.exts();
  }
  if (r.u()) e.ilmd = r.exts();
  e.certification_info = r.strs();
  e.extensions = r.exts();
  e.extension_type = r.s();
  if (version >= 3) e.extension_type_ns = r.s();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return e;
}

namespace {

constexpr char kSgtinTag = '\x01';  // index_key of an SGTIN
constexpr char kClassTag = '\x03';  // class_key of a GTIN class

bool starts_with(const std::string& s, std::string_view p) {
  return s.compare(0, p.size(), p) == 0;
}

void append_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t digits_value(std::string_view digits) {
  uint64_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

// index_key of the commonest identifier, an SGTIN URN whose serial is letters and
// digits only, without the general parse: the GTIN-14 is the indicator digit, the
// company prefix, the rest of the item reference and the mod-10 check digit (TDS 6.3.1).
// False (key untouched) for anything else, which takes the general path.
bool sgtin_urn_key(std::string_view id, std::string& key) {
  constexpr std::string_view kPrefix = "urn:epc:id:sgtin:";
  if (!id.starts_with(kPrefix)) return false;
  id.remove_prefix(kPrefix.size());
  size_t dot1 = id.find('.');
  if (dot1 == std::string_view::npos) return false;
  size_t dot2 = id.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return false;
  std::string_view gcp = id.substr(0, dot1), ref = id.substr(dot1 + 1, dot2 - dot1 - 1),
                   serial = id.substr(dot2 + 1);
  if (gcp.size() < 6 || gcp.size() > 12 || gcp.size() + ref.size() != 13 || serial.empty() ||
      serial.size() > 20)
    return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  char body[13];
  body[0] = ref[0];
  std::copy(gcp.begin(), gcp.end(), body + 1);
  std::copy(ref.begin() + 1, ref.end(), body + 1 + gcp.size());
  uint64_t v = 0;
  int sum = 0;
  for (int i = 0; i < 13; ++i) {
    if (!digit(body[i])) return false;
    int d = body[i] - '0';
    v = v * 10 + static_cast<uint64_t>(d);
    sum += (i % 2 == 0) ? 3 * d : d;  // weights 3,1,3... from the digit next to the check
  }
  for (char c : serial)
    if (!digit(c) && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) return false;
  v = v * 10 + static_cast<uint64_t>((10 - sum % 10) % 10);
  char head[9];
  head[0] = kSgtinTag;
  for (int i = 0; i < 8; ++i) head[1 + i] = static_cast<char>(v >> (56 - 8 * i));
  key.append(head, sizeof head);
  key.append(serial);
  return true;
}

}  // namespace

void append_index_key(const std::string& id, std::string& out) {
  if (!sgtin_urn_key(id, out)) out += index_key(id);
}

std::string index_key(const std::string& id) {
  if (std::string key; sgtin_urn_key(id, key)) return key;
  // EPCIS 2.0 §8.2.7.1: an EPC matches whether written as a URN or a Digital Link URI.
  // Both reduce to their GS1 key; the common keys get a short binary form (a type
  // byte, the key's digits as a 64-bit number, the serial), which keeps the index
  // narrow. Text ids start with a letter, so they never collide with these.
  thread_local gs1::AiData ais;
  ais.clear();
  if (starts_with(id, "urn:epc:id:")) {
    auto epc = gs1::parse_epc_uri(id);
    if (!epc || gs1::to_ai_data(*epc, ais)) return id;
  } else if (starts_with(id, "http://") || starts_with(id, "https://")) {
    if (gs1::parse_digital_link_into(id, ais)) return id;
  } else {
    return id;
  }
  std::string key;
  auto gtin = ais.get("01"), serial = ais.get("21"), sscc = ais.get("00");
  if (gtin && serial && ais.size() == 2) {
    key.push_back(kSgtinTag);
    append_be64(key, digits_value(*gtin));
    key.append(*serial);
    return key;
  }
  if (sscc && ais.size() == 1) {
    key.push_back('\x02');
    append_be64(key, digits_value(*sscc));
    return key;
  }
  auto dl = gs1::to_digital_link(ais);  // any other GS1 key: its canonical Digital Link
  return dl ? *dl : id;
}

namespace {

// The GTIN (and lot, "" when none) of a GTIN-level class or pattern, in any form.
std::optional<std::pair<uint64_t, std::string>> gtin_class(const std::string& id) {
  if (!starts_with(id, "urn:epc:class:lgtin:") && !starts_with(id, "urn:epc:idpat:sgtin:") &&
      !starts_with(id, "http://") && !starts_with(id, "https://"))
    return std::nullopt;
  auto canonical = epcis::canonical_key(id);  // idpat / LGTIN URN -> Digital Link
  if (!canonical) return std::nullopt;
  thread_local gs1::AiData ais;
  ais.clear();
  if (gs1::parse_digital_link_into(*canonical, ais)) return std::nullopt;
  auto gtin = ais.get("01");
  auto lot = ais.get("10");
  if (!gtin || ais.size() != (lot ? 2u : 1u)) return std::nullopt;
  return std::make_pair(digits_value(*gtin), lot ? std::string(*lot) : std::string());
}

}  // namespace

std::string class_key(const std::string& id) {
  auto c = gtin_class(id);
  if (!c) return id;
  std::string key(1, kClassTag);
  append_be64(key, c->first);
  key.append(c->second);
  return key;
}

std::optional<KeyRange> gtin_range(const std::string& id, bool classes) {
  // A wildcard serial is the only pattern form a GTIN range answers (TDS 2.0 §8).
  bool pattern = starts_with(id, "urn:epc:idpat:sgtin:") && id.ends_with(".*");
  // A Digital Link without lot is a GTIN-level class, but no pattern of instances.
  bool dl = classes && (starts_with(id, "http://") || starts_with(id, "https://"));
  if (!pattern && !dl) return std::nullopt;
  auto c = gtin_class(id);
  if (!c || !c->second.empty()) return std::nullopt;
  KeyRange r;
  r.lo.push_back(classes ? kClassTag : kSgtinTag);
  r.hi = r.lo;
  append_be64(r.lo, c->first);
  append_be64(r.hi, c->first + 1);
  return r;
}

KeyRange sgtin_keys_of_gtin(std::string_view gtin14) {
  KeyRange r;
  r.lo.push_back(kSgtinTag);
  r.hi = r.lo;
  append_be64(r.lo, digits_value(gtin14));
  append_be64(r.hi, digits_value(gtin14) + 1);
  return r;
}

}  // namespace serialtrack::store
