#include "trace/history.h"

#include <algorithm>
#include <set>

#include "gs1/digital_link.h"
#include "gs1/identify.h"
#include "trace/capture.h"

namespace serialtrack::trace {

store::Result<ItemReport> item_report(store::Store& store, const std::string& given) {
  // Any form gs1 parse accepts ((01)...(21)..., scan data, RFID hex...) names the item;
  // the store matches URN and Digital Link forms, so normalise to the latter.
  std::string id = given;
  if (auto g = gs1::identify(given); g && !g->ais.empty())
    if (auto dl = gs1::to_digital_link(g->ais)) id = *dl;
  ItemReport report;
  auto state = item_state(store, id);
  if (!state) return unexpected(std::move(state).error());
  report.state = std::move(*state);
  // The chain of containers, guarding against a cycle in bad data.
  std::set<std::string> seen{id};
  for (auto s = report.state; s && !s->parent.empty() && seen.insert(s->parent).second;) {
    report.containers.push_back(s->parent);
    auto parent = item_state(store, s->parent);
    if (!parent) return unexpected(std::move(parent).error());
    s = std::move(*parent);
  }
  std::vector<std::string> frontier{id};
  while (!frontier.empty()) {
    auto kids = store.children(frontier.back());
    frontier.pop_back();
    if (!kids) return unexpected(std::move(kids).error());
    for (auto& k : *kids)
      if (seen.insert(k).second) {
        report.contents.push_back(k);
        frontier.push_back(k);
      }
  }
  store::EventQuery q;
  q.match_any_epc = {id};
  q.match_any_epc.insert(q.match_any_epc.end(), report.containers.begin(), report.containers.end());
  for (;;) {
    auto page = store.query(q);
    if (!page) return unexpected(std::move(page).error());
    for (auto& e : page->events) report.history.push_back(std::move(e));
    if (!page->next_after) break;
    q.after_sequence = *page->next_after;
  }
  std::stable_sort(report.history.begin(), report.history.end(), [](const auto& a, const auto& b) {
    return a.event.event_time.unix_nanos < b.event.event_time.unix_nanos;
  });
  // Human-readable names of what the report mentions, from captured master data.
  std::vector<std::string> named = report.containers;
  if (report.state)
    for (const auto* f : {&report.state->read_point, &report.state->biz_location,
                          &report.state->owner, &report.state->possessor})
      if (!f->empty()) named.push_back(*f);
  for (const auto& n : named) {
    auto md = store.master_data(n);
    if (!md) return unexpected(std::move(md).error());
    if (!*md) continue;
    for (const auto& [attribute, value] : **md)
      if (attribute == "urn:epcglobal:cbv:mda#name" || attribute.ends_with(":name") ||
          attribute == "name")
        report.names[n] = value;
  }
  auto alerts = store.alerts(id);
  if (!alerts) return unexpected(std::move(alerts).error());
  report.alerts = std::move(*alerts);
  return report;
}

}  // namespace serialtrack::trace
