// actlog_physical_limits: what this machine can do at best, measured in the same run as
// the benchmarks (scripts/bench.sh), so each figure can be read as a fraction of it.
//
//   actlog_physical_limits --dir DIR [--write-mib 1024] [--seconds 3] [--leaf-bytes 600]
//
//   sha256      OpenSSL SHA-256 over 1 MiB buffers, MB/s (one core)
//   leaf hash   SHA-256(0x00 ‖ leaf) of --leaf-bytes leaves, hashes/s — the bound on
//               `actlog verify` leaves/s (one core)
//   fsync       4 KiB appended then fdatasync(), in a loop: durable commits/s for one
//               writer that does nothing else — the bound on sequential group commits
//   seq write   --write-mib MiB in 1 MiB write()s, then one fdatasync(): MB/s
//
// DIR should be on the disk the data directories use. The test file is removed.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "load_common.h"

namespace actlog::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void Sha256(const unsigned char* data, size_t size, unsigned char* out) {
  unsigned int len = 0;
  EVP_Digest(data, size, out, &len, EVP_sha256(), nullptr);
}

double Sha256MBs(double seconds) {
  std::vector<unsigned char> buf(1 << 20, 0x5a);
  unsigned char out[32];
  long bytes = 0;
  auto t0 = Clock::now();
  while (Since(t0) < seconds) {
    Sha256(buf.data(), buf.size(), out);
    bytes += static_cast<long>(buf.size());
    buf[0] = out[0];
  }
  return bytes / Since(t0) / 1e6;
}

double LeafHashesPerSecond(double seconds, size_t leaf_bytes) {
  std::vector<unsigned char> leaf(leaf_bytes + 1, 'x');
  leaf[0] = 0x00;
  unsigned char out[32];
  long n = 0;
  auto t0 = Clock::now();
  while (Since(t0) < seconds) {
    for (int i = 0; i < 1000; ++i, ++n) {
      Sha256(leaf.data(), leaf.size(), out);
      leaf[1] = out[0];
    }
  }
  return n / Since(t0);
}

double FsyncsPerSecond(const std::string& path, double seconds, std::vector<double>* lat_ms) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
  if (fd < 0) return 0;
  std::string block(4096, 'f');
  long n = 0;
  auto t0 = Clock::now();
  while (Since(t0) < seconds) {
    auto s = Clock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
        ::fdatasync(fd) != 0) {
      ::close(fd);
      return 0;
    }
    lat_ms->push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
    ++n;
  }
  double rate = n / Since(t0);
  ::close(fd);
  ::unlink(path.c_str());
  return rate;
}

double SequentialWriteMBs(const std::string& path, long mib) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 0;
  std::string chunk(1 << 20, 'w');
  auto t0 = Clock::now();
  for (long i = 0; i < mib; ++i) {
    if (::write(fd, chunk.data(), chunk.size()) != static_cast<ssize_t>(chunk.size())) {
      ::close(fd);
      return 0;
    }
  }
  bool ok = ::fdatasync(fd) == 0;
  double seconds = Since(t0);
  ::close(fd);
  ::unlink(path.c_str());
  return ok ? mib * double(1 << 20) / seconds / 1e6 : 0;
}

int Main(int argc, char** argv) {
  std::string dir;
  long write_mib = 1024;
  double seconds = 3;
  size_t leaf_bytes = 600;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir")
      dir = value;
    else if (flag == "--write-mib")
      write_mib = std::atol(value.c_str());
    else if (flag == "--seconds")
      seconds = std::atof(value.c_str());
    else if (flag == "--leaf-bytes")
      leaf_bytes = std::strtoul(value.c_str(), nullptr, 10);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (dir.empty() || write_mib <= 0 || seconds <= 0) {
    std::fprintf(stderr,
                 "usage: actlog_physical_limits --dir DIR [--write-mib 1024] "
                 "[--seconds 3] [--leaf-bytes 600]\n");
    return 2;
  }
  double sha = Sha256MBs(seconds);
  double leaves = LeafHashesPerSecond(seconds, leaf_bytes);
  std::vector<double> lat;
  double fsyncs = FsyncsPerSecond(dir + "/fsync.test", seconds, &lat);
  std::sort(lat.begin(), lat.end());
  double write = SequentialWriteMBs(dir + "/write.test", write_mib);
  if (fsyncs <= 0 || write <= 0) {
    std::fprintf(stderr, "cannot write test files in %s\n", dir.c_str());
    return 1;
  }
  std::printf("physical limits (one core where CPU-bound):\n");
  std::printf("  SHA-256 %.0f MB/s; %zu-byte leaf hashes %.0f/s\n", sha, leaf_bytes, leaves);
  std::printf("  4 KiB write + fdatasync: %.0f/s (p50 %.2f ms, p99 %.2f ms)\n", fsyncs,
              Quantile(lat, 0.5), Quantile(lat, 0.99));
  std::printf("  sequential write of %ld MiB + fdatasync: %.0f MB/s\n", write_mib, write);
  Result("sha256_mb_per_s", sha);
  Result("leaf_hashes_per_s", leaves);
  Result("fsyncs_per_s", fsyncs);
  Result("seq_write_mb_per_s", write);
  return 0;
}

}  // namespace
}  // namespace actlog::bench

int main(int argc, char** argv) { return actlog::bench::Main(argc, argv); }
