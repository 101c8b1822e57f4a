#include "store/rocksdb/file_scan.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>

namespace actlog::store {
namespace {

std::optional<std::string> ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Every entry of one SST file, decoded: key ‖ value for each.
std::optional<std::string> DecodeSst(const std::string& path) {
  rocksdb::Options options;
  rocksdb::SstFileReader reader(options);
  if (!reader.Open(path).ok()) return std::nullopt;
  rocksdb::ReadOptions read;
  read.verify_checksums = false;
  std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(read));
  std::string out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.append(it->key().data(), it->key().size());
    out.append(it->value().data(), it->value().size());
  }
  return out;
}

}  // namespace

StatusOr<size_t> ScanDataDir(
    const std::string& dir,
    const std::function<void(const std::string& file, std::string_view bytes)>& fn) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, ec);
  if (ec) return NotFound("cannot read " + dir + ": " + ec.message());
  size_t files = 0;
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Internal("scanning " + dir + ": " + ec.message());
    if (!it->is_regular_file()) continue;
    std::string name = it->path().filename().string();
    std::optional<std::string> bytes = ReadAll(it->path());
    if (!bytes) continue;
    ++files;
    fn(name, *bytes);
    if (it->path().extension() == ".sst") {
      if (std::optional<std::string> decoded = DecodeSst(it->path().string())) {
        fn(name + " (decoded)", *decoded);
      }
    }
  }
  return files;
}

}  // namespace actlog::store
