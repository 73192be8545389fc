// Association rules between the AIs of one message (GS1 GenSpecs 4.14 "Mandatory
// association" and "Invalid pairs"; syntax dictionary req= and ex= attributes), run
// in the order GS1's reference parser runs them so the first error reported agrees.
#include <algorithm>
#include <array>

#include "gs1/element_string.h"

namespace serialtrack::gs1 {
namespace {

// "01", "310n", "31nn": an AI pattern; 'n' stands for any digit at the end.
bool matches(std::string_view pattern, std::string_view ai) {
  if (pattern.size() != ai.size()) return false;
  for (size_t i = 0; i < ai.size(); ++i)
    if (pattern[i] != 'n' && pattern[i] != ai[i]) return false;
  return true;
}

// Index of an AI in data matching pattern, other than `self`, or -1.
int find_match(const AiData& data, std::string_view pattern, std::string_view self) {
  for (size_t i = 0; i < data.size(); ++i) {
    AiElement el = data[i];
    if (el.ai != self && matches(pattern, el.ai)) return static_cast<int>(i);
  }
  return -1;
}

template <typename F>
void for_each_token(std::string_view list, char sep, F&& f) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(sep, start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start && !f(list.substr(start, end - start))) return;
    start = end + 1;
  }
}

// ex=: no listed AI (or pattern) may appear with this one.
std::optional<Error> check_exclusions(const AiData& data, const std::vector<size_t>& order) {
  for (size_t i : order) {
    AiElement el = data[i];
    if (el.entry == nullptr || el.entry->ex.empty()) continue;
    std::optional<Error> err;
    for_each_token(el.entry->ex, ',', [&](std::string_view pattern) {
      int m = find_match(data, pattern, el.ai);
      if (m < 0) return true;
      err = make_error(ErrorCode::INVALID_AI_PAIRS, el.ai, data[m].position, 0,
                       "AI (" + std::string(el.ai) + ") may not be used with AI (" +
                           std::string(data[m].ai) + ")");
      return false;
    });
    if (err) return err;
  }
  return std::nullopt;
}

// req=: each req group needs one of its alternatives, an alternative being AIs
// joined by '+' that must all be present.
std::optional<Error> check_requisites(const AiData& data, const std::vector<size_t>& order) {
  for (size_t i : order) {
    AiElement el = data[i];
    if (el.entry == nullptr || el.entry->req.empty()) continue;
    std::optional<Error> err;
    for_each_token(el.entry->req, ' ', [&](std::string_view group) {
      bool satisfied = false;
      for_each_token(group, ',', [&](std::string_view alternative) {
        bool all = true;
        for_each_token(alternative, '+', [&](std::string_view pattern) {
          if (find_match(data, pattern, el.ai) < 0) all = false;
          return all;
        });
        satisfied = all;
        return !satisfied;
      });
      if (satisfied) return true;
      err = make_error(ErrorCode::REQUIRED_AIS_NOT_SATISFIED, el.ai, el.position, 0,
                       "AI (" + std::string(el.ai) + ") requires one of: " + std::string(group));
      return false;
    });
    if (err) return err;
  }
  return std::nullopt;
}

// The same AI more than once must carry the same value (several carriers of one item).
std::optional<Error> check_repeats(const AiData& data, const std::vector<size_t>& order) {
  for (size_t k = 0; k + 1 < order.size(); ++k) {
    AiElement a = data[order[k]], b = data[order[k + 1]];
    if (a.ai == b.ai && a.value != b.value)
      return make_error(ErrorCode::INSTANCES_OF_AI_HAVE_DIFFERENT_VALUES, a.ai, b.position, 0);
  }
  return std::nullopt;
}

// GenSpecs 3.9.x (AI 8030): a digital signature needs a serialised key, so GDTI (253),
// GCN (255) and GRAI (8003) must carry their optional serial component.
std::optional<Error> check_digital_signature_key(const AiData& data) {
  if (!data.has("8030")) return std::nullopt;
  for (std::string_view key : {"253", "255", "8003"}) {
    for (AiElement el : data) {
      if (el.ai != key) continue;
      if (el.entry != nullptr && el.value.size() == el.entry->min_length())
        return make_error(ErrorCode::SERIAL_NOT_PRESENT, el.ai, el.position, 0,
                          "AI (" + std::string(el.ai) +
                              ") needs its serial component when a digital signature (8030) is present");
      break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate_associations(const AiData& data, const Options& options) {
  std::vector<size_t> order(data.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    AiElement x = data[a], y = data[b];
    return x.ai != y.ai ? x.ai < y.ai : x.value < y.value;
  });
  if (auto e = check_exclusions(data, order)) return e;
  if (options.check_requisites)
    if (auto e = check_requisites(data, order)) return e;
  if (auto e = check_repeats(data, order)) return e;
  return check_digital_signature_key(data);
}

}  // namespace serialtrack::gs1
