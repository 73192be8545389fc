// Association rules between the AIs of one message (GS1 GenSpecs 4.14 "Mandatory
// association" and "Invalid pairs"; syntax dictionary req= and ex= attributes), run
// in the order GS1's reference parser runs them so the first error reported agrees.
// The rules are compiled once from the AI table into integer patterns, so checking
// a message costs a few integer comparisons per AI and allocates nothing.
#include <type_traits>
#include <vector>

#include "gs1/element_string.h"

namespace serialtrack::gs1 {

extern const AiEntry kAiTable[];
extern const size_t kAiTableSize;

namespace {

constexpr uint16_t kPow10[] = {1, 10, 100, 1000, 10000};

// An AI as a number and a length: "01" is {1, 2}, "3103" is {3103, 4}. order sorts
// as the AI's text does (AIs are prefix-free, so padding to four digits suffices).
struct AiCode {
  uint16_t number = 0;
  uint8_t length = 0;
  uint16_t order = 0;
  bool operator==(const AiCode& o) const { return number == o.number && length == o.length; }
};

AiCode code_of(std::string_view ai) {
  AiCode c;
  for (char ch : ai) c.number = static_cast<uint16_t>(c.number * 10 + (ch - '0'));
  c.length = static_cast<uint8_t>(ai.size());
  c.order = ai.size() <= 4 ? static_cast<uint16_t>(c.number * kPow10[4 - ai.size()]) : 0;
  return c;
}

// "310n": AIs of length 4 whose first 3 digits are 310 ('n' is any digit at the end).
struct Pattern {
  uint16_t prefix;
  uint8_t length;
  uint8_t fixed;
  bool matches(AiCode c) const {
    return c.length == length && c.number / kPow10[length - fixed] == prefix;
  }
};

Pattern compile_pattern(std::string_view p) {
  Pattern out{0, static_cast<uint8_t>(p.size()), 0};
  for (char ch : p) {
    if (ch == 'n') break;
    out.prefix = static_cast<uint16_t>(out.prefix * 10 + (ch - '0'));
    ++out.fixed;
  }
  return out;
}

template <typename F>
void for_each_token(std::string_view list, char sep, F&& f) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(sep, start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start) f(list.substr(start, end - start));
    start = end + 1;
  }
}

// req=01+21,02: a group is satisfied by any alternative, an alternative needing all
// of its patterns.
using Alternative = std::vector<Pattern>;
struct ReqGroup {
  std::string_view text;  // for the error message
  std::vector<Alternative> alternatives;
};
struct Rules {
  std::vector<Pattern> ex;
  std::vector<ReqGroup> req;
};

std::vector<Rules> compile_rules() {
  std::vector<Rules> v(kAiTableSize);
  {
    for (size_t i = 0; i < kAiTableSize; ++i) {
      for_each_token(kAiTable[i].ex, ',',
                     [&](std::string_view p) { v[i].ex.push_back(compile_pattern(p)); });
      for_each_token(kAiTable[i].req, ' ', [&](std::string_view group) {
        ReqGroup g{group, {}};
        for_each_token(group, ',', [&](std::string_view alt) {
          Alternative a;
          for_each_token(alt, '+', [&](std::string_view p) { a.push_back(compile_pattern(p)); });
          g.alternatives.push_back(std::move(a));
        });
        v[i].req.push_back(std::move(g));
      });
    }
  }
  return v;
}

// Compiled at start-up (kAiTable is constant-initialised, so it is ready by then).
const std::vector<Rules> kRules = compile_rules();

const Rules* rules_of(const AiEntry* entry) {
  if (entry == nullptr || entry < kAiTable || entry >= kAiTable + kAiTableSize) return nullptr;
  return &kRules[static_cast<size_t>(entry - kAiTable)];
}

struct Element {
  AiCode code;
  AiElement el;
};

// The elements of a message sorted by AI (then value), as the rules read them. Up to
// kInline elements live on the stack: validation allocates nothing for real labels.
class SortedAis {
 public:
  explicit SortedAis(const AiData& data) : n_(data.size()) {
    if (n_ > kInline) {
      heap_.resize(n_);
      els_ = heap_.data();
    }
    for (size_t i = 0; i < n_; ++i) {
      Element e{code_of(data[i].ai), data[i]};
      size_t j = i;  // insertion sort: messages hold a handful of AIs
      while (j > 0 && less(e, els_[j - 1])) {
        els_[j] = els_[j - 1];
        --j;
      }
      els_[j] = e;
    }
  }
  size_t size() const { return n_; }
  const Element& operator[](size_t i) const { return els_[i]; }

  // Index of an element matching p whose AI is not self's, or -1.
  int find_match(Pattern p, AiCode self) const {
    for (size_t i = 0; i < n_; ++i)
      if (!(els_[i].code == self) && p.matches(els_[i].code)) return static_cast<int>(i);
    return -1;
  }

 private:
  static bool less(const Element& x, const Element& y) {
    if (!(x.code == y.code)) return x.code.order < y.code.order;
    return x.el.value < y.el.value;
  }
  static constexpr size_t kInline = 32;
  static_assert(std::is_trivially_copyable_v<Element>);
  // Left uninitialised: only the first n_ slots are ever written and read.
  alignas(Element) unsigned char inline_[kInline * sizeof(Element)];
  std::vector<Element> heap_;
  Element* els_ = reinterpret_cast<Element*>(inline_);
  size_t n_;
};

std::string str(std::string_view s) { return std::string(s); }

// ex=: no listed AI (or pattern) may appear with this one.
std::optional<Error> check_exclusions(const SortedAis& data) {
  for (size_t i = 0; i < data.size(); ++i) {
    const Element& e = data[i];
    const Rules* rules = rules_of(e.el.entry);
    if (rules == nullptr) continue;
    for (Pattern p : rules->ex) {
      int m = data.find_match(p, e.code);
      if (m >= 0)
        return make_error(ErrorCode::INVALID_AI_PAIRS, e.el.ai, data[m].el.position, 0,
                          "AI (" + str(e.el.ai) + ") may not be used with AI (" +
                              str(data[m].el.ai) + ")");
    }
  }
  return std::nullopt;
}

// req=: each group needs one of its alternatives present.
std::optional<Error> check_requisites(const SortedAis& data) {
  for (size_t i = 0; i < data.size(); ++i) {
    const Element& e = data[i];
    const Rules* rules = rules_of(e.el.entry);
    if (rules == nullptr) continue;
    for (const ReqGroup& group : rules->req) {
      bool satisfied = false;
      for (const Alternative& alt : group.alternatives) {
        satisfied = true;
        for (Pattern p : alt)
          if (data.find_match(p, e.code) < 0) {
            satisfied = false;
            break;
          }
        if (satisfied) break;
      }
      if (!satisfied)
        return make_error(ErrorCode::REQUIRED_AIS_NOT_SATISFIED, e.el.ai, e.el.position, 0,
                          "AI (" + str(e.el.ai) + ") requires one of: " + str(group.text));
    }
  }
  return std::nullopt;
}

// The same AI more than once must carry the same value (several carriers of one item).
std::optional<Error> check_repeats(const SortedAis& data) {
  for (size_t k = 0; k + 1 < data.size(); ++k) {
    const Element &a = data[k], &b = data[k + 1];
    if (a.code == b.code && a.el.value != b.el.value)
      return make_error(ErrorCode::INSTANCES_OF_AI_HAVE_DIFFERENT_VALUES, a.el.ai,
                        b.el.position, 0);
  }
  return std::nullopt;
}

// AI 8030 (GenSpecs 3.8.x, digital signature): it needs a serialised key, so GDTI
// (253), GCN (255) and GRAI (8003) must carry their optional serial component.
std::optional<Error> check_digital_signature_key(const SortedAis& data) {
  if (data.find_match(compile_pattern("8030"), {}) < 0) return std::nullopt;
  for (std::string_view key : {"253", "255", "8003"}) {
    int m = data.find_match(compile_pattern(key), {});
    if (m < 0) continue;
    const AiElement& el = data[m].el;
    if (el.entry != nullptr && el.value.size() == el.entry->min_length())
      return make_error(ErrorCode::SERIAL_NOT_PRESENT, el.ai, el.position, 0,
                        "AI (" + str(el.ai) +
                            ") needs its serial component when a digital signature (8030) is "
                            "present");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate_associations(const AiData& data, const Options& options) {
  SortedAis sorted(data);
  if (auto e = check_exclusions(sorted)) return e;
  if (options.check_requisites)
    if (auto e = check_requisites(sorted)) return e;
  if (auto e = check_repeats(sorted)) return e;
  return check_digital_signature_key(sorted);
}

}  // namespace serialtrack::gs1
