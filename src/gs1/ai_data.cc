#include "gs1/ai_data.h"

namespace serialtrack::gs1 {

void AiData::add(std::string_view ai, std::string_view value, const AiEntry* entry,
                 size_t position) {
  Slot s;
  s.entry = entry;
  s.ai_offset = static_cast<uint32_t>(storage_.size());
  s.ai_length = static_cast<uint8_t>(ai.size());
  storage_.append(ai);
  s.value_offset = static_cast<uint32_t>(storage_.size());
  s.value_length = static_cast<uint32_t>(value.size());
  storage_.append(value);
  s.position = static_cast<uint32_t>(position);
  elements_.push_back(s);
}

std::optional<std::string_view> AiData::get(std::string_view ai) const {
  for (size_t i = 0; i < elements_.size(); ++i) {
    const Slot& s = elements_[i];
    if (std::string_view(storage_).substr(s.ai_offset, s.ai_length) == ai)
      return std::string_view(storage_).substr(s.value_offset, s.value_length);
  }
  return std::nullopt;
}

}  // namespace serialtrack::gs1
