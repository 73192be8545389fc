// Linter pieceoftotal: the "piece of total" pair of AIs 8006 and 8026.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {

// GS1 GenSpecs AIs 8006/8026: piece number then total count, two numbers of equal width;
// neither is zero and the piece does not exceed the total.
Outcome pieceoftotal(std::string_view data) {
  if (data.empty() || data.size() % 2 != 0)
    return fail(Lint::INVALID_LENGTH_FOR_PIECE_OF_TOTAL, 0, data.size());
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  size_t half = data.size() / 2;
  std::string_view piece = data.substr(0, half);
  std::string_view total = data.substr(half);
  if (piece.find_first_not_of('0') == std::string_view::npos)
    return fail(Lint::ZERO_PIECE_NUMBER, 0, half);
  if (total.find_first_not_of('0') == std::string_view::npos)
    return fail(Lint::ZERO_TOTAL_PIECES, half, half);
  // Equal-width digit strings compare as their numbers do.
  if (piece > total) return fail(Lint::PIECE_NUMBER_EXCEEDS_TOTAL, 0, data.size());
  return pass();
}

}  // namespace serialtrack::gs1::lint
