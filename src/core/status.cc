#include "actlog/status.h"

namespace actlog {

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = error_code_ + ": " + message_;
  for (const ErrorDetail& d : details_) {
    out += "\n  ";
    if (d.index) out += "[" + std::to_string(*d.index) + "] ";
    if (!d.field.empty()) out += d.field + ": ";
    out += d.code;
    if (!d.message.empty()) out += " (" + d.message + ")";
  }
  return out;
}

}  // namespace actlog
