#include "privacy/sealing.h"

#include <algorithm>
#include <map>

#include <openssl/sha.h>
#include <sodium.h>

#include "actlog/json.h"
#include "privacy/personal_fields.h"

namespace actlog::privacy {
namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kRefB64Chars = 43;  // base64url of 32 bytes, unpadded

std::string AssociatedData(std::string_view org, std::string_view subject) {
  std::string ad = "actlog/sealed/v1";
  for (std::string_view part : {org, subject}) {
    ad.push_back('\0');
    ad.append(part);
  }
  return ad;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Status Corrupt(const std::string& what) {
  return Status(StatusCode::kDataLoss, "sealed_value_corrupt", what);
}

// A slot's value as it goes into the sealed object: a fixed field's string, or the JSON.
Json ValueOf(const PersonalSlot& slot) {
  if (slot.field != nullptr) return Json::String(**slot.field);
  return *slot.json;
}

std::optional<std::string> RefIn(const PersonalSlot& slot) {
  if (slot.field != nullptr) return ParseSealedRef(**slot.field);
  if (slot.json->is_string()) return ParseSealedRef(slot.json->as_string());
  return std::nullopt;
}

void SetRef(const PersonalSlot& slot, const std::string& ref) {
  if (slot.field != nullptr) {
    *slot.field = ref;
  } else {
    *slot.json = Json::String(ref);
  }
}

void SetErased(const PersonalSlot& slot, Event* event) {
  if (slot.field != nullptr) {
    slot.field->reset();
  } else {
    *slot.json = Json::Null();
  }
  event->erased.push_back(slot.path);
}

Status SetOpened(const PersonalSlot& slot, const Json& values) {
  const Json* value = values.Find(slot.path);
  if (value == nullptr || (slot.field != nullptr && !value->is_string())) {
    return Corrupt("sealed values lack " + slot.path);
  }
  if (slot.field != nullptr) {
    *slot.field = value->as_string();
  } else {
    *slot.json = *value;
  }
  return Status::Ok();
}

}  // namespace

namespace {

// The {path: value} object a reference of `event` names; nullopt once erased or pruned.
StatusOr<std::optional<Json>> OpenRef(const Event& event, const std::string& hash,
                                      SealedSource& source) {
  StatusOr<std::optional<StoredSealed>> stored = source.FindSealed(event, hash);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<Json>();
  const StoredSealed& blob = **stored;
  StatusOr<std::optional<std::string>> key = source.FindKey(event.org, blob.subject);
  if (!key.ok()) return key.status();
  if (!key->has_value()) return std::optional<Json>();
  StatusOr<Json> values = OpenValues(**key, event.org, blob.subject, blob.blob);
  if (!values.ok()) return values.status();
  return std::optional<Json>(std::move(values).value());
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
                     std::string_view plaintext) {
  std::string ad = AssociatedData(org, subject);
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
                               std::string_view subject, std::string_view blob) {
  if (key.size() != kSubjectKeyBytes || blob.size() < kNonceBytes + kTagBytes) {
    return Corrupt("a sealed value of " + std::string(subject) + " is damaged");
  }
  std::string ad = AssociatedData(org, subject);
  std::string plain(blob.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
          Bytes(blob) + kNonceBytes, blob.size() - kNonceBytes, Bytes(ad), ad.size(),
          Bytes(blob), Bytes(key)) != 0) {
    return Corrupt("a sealed value of " + std::string(subject) + " fails to authenticate");
  }
  plain.resize(len);
  return plain;
}

StatusOr<Json> OpenValues(std::string_view key, std::string_view org, std::string_view subject,
                          std::string_view blob) {
  StatusOr<std::string> plain = OpenBlob(key, org, subject, blob);
  if (!plain.ok()) return plain.status();
  StatusOr<Json> values = ParseJson(*plain);
  if (!values.ok() || !values->is_object()) {
    return Corrupt("a sealed value of " + std::string(subject) + " is not a JSON object");
  }
  return values;
}

std::string BlobHash(std::string_view blob) {
  std::string hash(SHA256_DIGEST_LENGTH, '\0');
  SHA256(Bytes(blob), blob.size(), reinterpret_cast<unsigned char*>(hash.data()));
  return hash;
}

StatusOr<std::vector<SealedValue>> SealEvent(Event* event, const Catalog& catalog,
                                             SubjectKeys& keys, BlobReuse* reuse) {
  std::vector<PersonalSlot> slots = PersonalSlots(event, catalog);
  std::vector<SealedValue> sealed;
  std::vector<bool> done(slots.size(), false);
  for (size_t i = 0; i < slots.size(); ++i) {
    if (done[i]) continue;
    // Every value of this slot's subject, sealed as one object.
    SealedValue v{slots[i].subject};
    Json values = Json::MakeObject();
    std::vector<size_t> members;
    for (size_t j = i; j < slots.size(); ++j) {
      if (done[j] || slots[j].subject != v.subject) continue;
      done[j] = true;
      members.push_back(j);
      v.paths.push_back(slots[j].path);
      values.Set(slots[j].path, ValueOf(slots[j]));
    }
    StatusOr<std::string> key = keys.KeyFor(event->org, v.subject);
    if (!key.ok()) return key.status();
    std::string plaintext = CanonicalJson(values);
    std::optional<std::string> existing;
    if (reuse != nullptr) {
      StatusOr<std::optional<std::string>> found =
          reuse->Reusable(event->org, v.subject, *key, plaintext);
      if (!found.ok()) return found.status();
      existing = std::move(found).value();
    }
    if (existing) {
      v.hash = std::move(*existing);
      v.reused = true;
    } else {
      v.blob = SealBlob(*key, event->org, v.subject, plaintext);
      v.hash = BlobHash(v.blob);
      if (reuse != nullptr) reuse->Sealed(event->org, v.subject, *key, plaintext, v.hash);
    }
    std::string ref = SealedRef(v.hash);
    for (size_t j : members) SetRef(slots[j], ref);
    sealed.push_back(std::move(v));
  }
  return sealed;
}

std::set<std::string> SealedHashesOf(Event* event, const Catalog& catalog) {
  std::set<std::string> hashes;
  for (const PersonalSlot& slot : PersonalSlots(event, catalog)) {
    if (std::optional<std::string> hash = RefIn(slot)) hashes.insert(std::move(*hash));
  }
  return hashes;
}

Status OpenEvent(Event* event, const Catalog& catalog, SealedSource& source,
                 OpenedBlobs* shared) {
  OpenedBlobs local;  // nullopt = erased or pruned
  OpenedBlobs& opened = shared != nullptr ? *shared : local;
  for (const PersonalSlot& slot : PersonalSlots(event, catalog)) {
    // Keyed by the reference's text: a reference the page has met before is neither
    // base64-decoded nor read again.
    const std::string* text = slot.field != nullptr ? &**slot.field
                              : slot.json->is_string() ? &slot.json->as_string()
                                                       : nullptr;
    if (text == nullptr || !text->starts_with(kSealedRefPrefix)) continue;
    std::string name = event->org + '\0' + *text;
    auto it = opened.find(name);
    if (it == opened.end()) {
      std::optional<std::string> hash = ParseSealedRef(*text);
      if (!hash) continue;  // not a well-formed reference: a plain value, left as it is
      StatusOr<std::optional<Json>> values = OpenRef(*event, *hash, source);
      if (!values.ok()) return values.status();
      it = opened.emplace(std::move(name), std::move(values).value()).first;
    }
    if (!it->second) {
      SetErased(slot, event);
    } else {
      ACTLOG_RETURN_IF_ERROR(SetOpened(slot, *it->second));
    }
  }
  std::sort(event->erased.begin(), event->erased.end());
  return Status::Ok();
}

}  // namespace actlog::privacy
