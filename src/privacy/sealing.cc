#include "privacy/sealing.h"

#include <algorithm>

#include <openssl/sha.h>
#include <sodium.h>

#include "actlog/json.h"
#include "privacy/personal_fields.h"

namespace actlog::privacy {
namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kRefB64Chars = 43;  // base64url of 32 bytes, unpadded

std::string AssociatedData(std::string_view org, std::string_view subject,
                           std::string_view path) {
  std::string ad = "actlog/sealed/v1";
  for (std::string_view part : {org, subject, path}) {
    ad.push_back('\0');
    ad.append(part);
  }
  return ad;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The plaintext of a slot: a fixed field's text, or a JSON value's canonical form.
std::string PlaintextOf(const PersonalSlot& slot) {
  if (slot.field != nullptr) return **slot.field;
  return CanonicalJson(*slot.json);
}

std::optional<std::string> RefIn(const PersonalSlot& slot) {
  if (slot.field != nullptr) return ParseSealedRef(**slot.field);
  if (slot.json->is_string()) return ParseSealedRef(slot.json->as_string());
  return std::nullopt;
}

void SetRef(const PersonalSlot& slot, std::string ref) {
  if (slot.field != nullptr) {
    *slot.field = std::move(ref);
  } else {
    *slot.json = Json::String(std::move(ref));
  }
}

Status SetPlain(const PersonalSlot& slot, std::string plaintext) {
  if (slot.field != nullptr) {
    *slot.field = std::move(plaintext);
    return Status::Ok();
  }
  StatusOr<Json> value = ParseJson(plaintext);
  if (!value.ok()) {
    return Status(StatusCode::kDataLoss, "sealed_value_corrupt",
                  "sealed value of " + slot.path + " is not JSON");
  }
  *slot.json = std::move(value).value();
  return Status::Ok();
}

}  // namespace

std::string NewSubjectKey() {
  std::string key(kSubjectKeyBytes, '\0');
  crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
  return key;
}

std::string SealedRef(std::string_view hash) {
  char b64[kRefB64Chars + 1];
  sodium_bin2base64(b64, sizeof(b64), Bytes(hash), hash.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(kSealedRefPrefix) + b64;
}

std::optional<std::string> ParseSealedRef(std::string_view text) {
  if (!text.starts_with(kSealedRefPrefix)) return std::nullopt;
  std::string_view b64 = text.substr(kSealedRefPrefix.size());
  if (b64.size() != kRefB64Chars) return std::nullopt;
  std::string hash(kSealedHashBytes, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(hash.data()), hash.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != kSealedHashBytes) {
    return std::nullopt;
  }
  return hash;
}

std::string SealBlob(std::string_view key, std::string_view org, std::string_view subject,
                     std::string_view path, std::string_view plaintext) {
  std::string ad = AssociatedData(org, subject, path);
  std::string blob(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  randombytes_buf(out, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceBytes, &written, Bytes(plaintext),
                                             plaintext.size(), Bytes(ad), ad.size(), nullptr,
                                             out, Bytes(key));
  blob.resize(kNonceBytes + written);
  return blob;
}

StatusOr<std::string> OpenBlob(std::string_view key, std::string_view org,
                               std::string_view subject, std::string_view path,
                               std::string_view blob) {
  if (key.size() != kSubjectKeyBytes || blob.size() < kNonceBytes + kTagBytes) {
    return Status(StatusCode::kDataLoss, "sealed_value_corrupt",
                  "sealed value of " + std::string(path) + " is damaged");
  }
  std::string ad = AssociatedData(org, subject, path);
  std::string plain(blob.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
          Bytes(blob) + kNonceBytes, blob.size() - kNonceBytes, Bytes(ad), ad.size(),
          Bytes(blob), Bytes(key)) != 0) {
    return Status(StatusCode::kDataLoss, "sealed_value_corrupt",
                  "sealed value of " + std::string(path) + " fails to authenticate");
  }
  plain.resize(len);
  return plain;
}

std::string BlobHash(std::string_view blob) {
  std::string hash(SHA256_DIGEST_LENGTH, '\0');
  SHA256(Bytes(blob), blob.size(), reinterpret_cast<unsigned char*>(hash.data()));
  return hash;
}

StatusOr<std::vector<SealedValue>> SealEvent(Event* event, const Catalog& catalog,
                                             SubjectKeys& keys) {
  std::vector<SealedValue> sealed;
  for (const PersonalSlot& slot : PersonalSlots(event, catalog)) {
    StatusOr<std::string> key = keys.KeyFor(event->org, slot.subject);
    if (!key.ok()) return key.status();
    SealedValue v{slot.path, slot.subject};
    v.blob = SealBlob(*key, event->org, slot.subject, slot.path, PlaintextOf(slot));
    v.hash = BlobHash(v.blob);
    SetRef(slot, SealedRef(v.hash));
    sealed.push_back(std::move(v));
  }
  return sealed;
}

Status OpenEvent(Event* event, const Catalog& catalog, SealedSource& source) {
  for (const PersonalSlot& slot : PersonalSlots(event, catalog)) {
    std::optional<std::string> hash = RefIn(slot);
    if (!hash) continue;
    StatusOr<std::optional<StoredSealed>> stored = source.FindSealed(event->org, *hash);
    if (!stored.ok()) return stored.status();
    std::optional<std::string> key;
    if (stored->has_value()) {
      StatusOr<std::optional<std::string>> found = source.FindKey(event->org, (*stored)->subject);
      if (!found.ok()) return found.status();
      key = std::move(found).value();
    }
    if (!key) {
      if (slot.field != nullptr) {
        slot.field->reset();
      } else {
        *slot.json = Json::Null();
      }
      event->erased.push_back(slot.path);
      continue;
    }
    StatusOr<std::string> plain =
        OpenBlob(*key, event->org, (*stored)->subject, slot.path, (*stored)->blob);
    if (!plain.ok()) return plain.status();
    ACTLOG_RETURN_IF_ERROR(SetPlain(slot, std::move(plain).value()));
  }
  std::sort(event->erased.begin(), event->erased.end());
  return Status::Ok();
}

}  // namespace actlog::privacy
