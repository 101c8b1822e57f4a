// The simdjson parse tree behind ParseJson, for a reader that takes a known document
// apart itself instead of building a whole Json of it first (DecodeEvent reads stored
// events this way). Internal to src/core.
//
// Thread-safety: each thread parses with its own simdjson parser, so a tree is only
// usable on the thread that made it, and only until that thread parses again (ParseTree
// or ParseJson): REQUIRES no parse between ParseTree and the last use of its tree.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string_view>

#include "actlog/json.h"
#include "actlog/status.h"

namespace actlog::json_internal {

// Parses `text` with this thread's parser, exactly the first attempt of ParseJson: no
// retry for integers beyond 64 bits (simdjson answers NUMBER_ERROR for them, and
// ParseJson then reads them as doubles), no duplicate-key or depth check of its own.
// On success *root is the document's root element.
simdjson::error_code ParseTree(std::string_view text, simdjson::dom::element* root);

// The Json of `element` with ParseJson's checks: unique keys in every object and nesting
// up to options.max_depth, where `depth` is the nesting of the element's container (0 for
// the root; 1 for a member of the root object). InvalidArgument as ParseJson's.
Status TreeToJson(simdjson::dom::element element, std::size_t depth,
                  const JsonParseOptions& options, Json* out);

}  // namespace actlog::json_internal
