// A temporary directory for tests, unit and black-box alike: created fresh under the
// system temp dir, removed with everything in it when the object goes away. Declare it
// before the objects that keep files open in it (a store), so that they close first.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace actlog::testing {

class TempDir {
 public:
  // `prefix` names the directory after the test that made it (actlog-ckpt-XXXXXX).
  explicit TempDir(std::string_view prefix = "actlog") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    // A fixture cannot go on without its directory; gtest reports the exception as the
    // test's failure.
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace actlog::testing
