#include "epcis/event.h"

namespace serialtrack::epcis {

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::kObject: return "ObjectEvent";
    case EventType::kAggregation: return "AggregationEvent";
    case EventType::kTransaction: return "TransactionEvent";
    case EventType::kTransformation: return "TransformationEvent";
    case EventType::kAssociation: return "AssociationEvent";
  }
  return "";
}

std::optional<EventType> event_type_from_name(std::string_view name) {
  for (auto t : {EventType::kObject, EventType::kAggregation, EventType::kTransaction,
                 EventType::kTransformation, EventType::kAssociation})
    if (event_type_name(t) == name) return t;
  return std::nullopt;
}

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kAdd: return "ADD";
    case Action::kObserve: return "OBSERVE";
    case Action::kDelete: return "DELETE";
    case Action::kNone: return "";
  }
  return "";
}

std::optional<Action> action_from_name(std::string_view name) {
  if (name == "ADD") return Action::kAdd;
  if (name == "OBSERVE") return Action::kObserve;
  if (name == "DELETE") return Action::kDelete;
  return std::nullopt;
}

}  // namespace serialtrack::epcis
