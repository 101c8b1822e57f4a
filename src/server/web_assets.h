// The Activity Log page's files (web/ in the source tree), built into the binary by
// cmake/embed_web.cmake so that `actlog serve` needs nothing beside it (docs/WEB.md).
//
// Thread-safe: constant data, initialised at compile time.
#pragma once

#include <span>
#include <string_view>

namespace actlog::server {

struct WebAsset {
  std::string_view path;          // URL path: "/" + the path under web/, e.g. "/js/main.js"
  std::string_view content_type;  // from the file's extension
  std::string_view etag;          // strong ETag, quoted: a hash of the bytes
  std::string_view body;          // the file's bytes
};

// Every embedded file, sorted by path.
std::span<const WebAsset> WebAssets();

}  // namespace actlog::server
