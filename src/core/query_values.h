// Value checks shared by ValidateQuery (query.cc) and the search-string parser
// (search_string.cc), so both reject the same values with the same words.
#pragma once

#include <string>
#include <string_view>

#include "actlog/query.h"

namespace actlog::query_internal {

// Longest value a filter may carry (the event string limit, DESIGN §2).
inline constexpr std::size_t kMaxFilterValueBytes = 4096;

// Why `value` cannot be used for `field` ("outcome must be success or failure"), or ""
// when it can.
std::string FilterValueProblem(QueryField field, std::string_view value);

}  // namespace actlog::query_internal
