// Access administration in the embedded store: org settings, API key records and named
// server secrets, all in the meta column family next to the org registry:
//
//   orgset/<org>   canonical JSON {"name"?:string,"retention_days"?:int}
//   apikey/<id>    canonical JSON {"created_at":us,"hash":hex,"id","kind","name"?,
//                                  "org"?,"revoked_at"?:us}
//   secret/<name>  32 random bytes
//
// These records change rarely (admin actions), so they are written directly with a
// synced write instead of joining the append group; admin_mu_ serialises each
// read-modify-write so concurrent admin calls never lose an update.
#include <sodium.h>

#include <span>

#include "actlog/json.h"
#include "store/rocksdb/rocks_status.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::store {
namespace {

constexpr std::string_view kOrgSettingsPrefix = "orgset/";
constexpr std::string_view kApiKeyPrefix = "apikey/";
constexpr std::string_view kSecretPrefix = "secret/";
constexpr size_t kNamedSecretBytes = 32;

std::string Key(std::string_view prefix, std::string_view name) {
  std::string key(prefix);
  key.append(name);
  return key;
}

std::string ToHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

std::optional<std::string> FromHex(std::string_view hex) {
  std::string bin(hex.size() / 2, '\0');
  size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != bin.size()) {
    return std::nullopt;
  }
  return bin;
}

std::string EncodeSettings(const OrgSettings& settings) {
  Json j = Json::MakeObject();
  if (settings.name) j.Set("name", Json::String(*settings.name));
  if (settings.retention_days) {
    j.Set("retention_days", Json::Number(static_cast<double>(*settings.retention_days)));
  }
  return CanonicalJson(j);
}

StatusOr<OrgSettings> DecodeSettings(std::string_view text, std::string_view org) {
  StatusOr<Json> j = ParseJson(text);
  if (!j.ok() || !j->is_object()) return DataLoss("damaged settings of org " + std::string(org));
  OrgSettings settings;
  if (const Json* name = j->Find("name"); name && name->is_string()) {
    settings.name = name->as_string();
  }
  if (const Json* days = j->Find("retention_days"); days && days->is_number()) {
    settings.retention_days = static_cast<int64_t>(days->as_number());
  }
  return settings;
}

std::string EncodeKey(const ApiKeyRecord& r) {
  Json j = Json::MakeObject();
  j.Set("id", Json::String(r.id));
  j.Set("kind", Json::String(r.kind));
  if (r.org) j.Set("org", Json::String(*r.org));
  j.Set("hash", Json::String(ToHex(r.hash)));
  j.Set("created_at", Json::Number(static_cast<double>(r.created_at_us)));
  if (r.revoked_at_us) j.Set("revoked_at", Json::Number(static_cast<double>(*r.revoked_at_us)));
  if (r.name) j.Set("name", Json::String(*r.name));
  return CanonicalJson(j);
}

StatusOr<ApiKeyRecord> DecodeKey(std::string_view text) {
  Status damaged = DataLoss("damaged api key record");
  StatusOr<Json> j = ParseJson(text);
  if (!j.ok() || !j->is_object()) return damaged;
  const Json* id = j->Find("id");
  const Json* kind = j->Find("kind");
  const Json* hash = j->Find("hash");
  const Json* created = j->Find("created_at");
  if (!id || !id->is_string() || !kind || !kind->is_string() || !hash || !hash->is_string() ||
      !created || !created->is_number()) {
    return damaged;
  }
  ApiKeyRecord r;
  r.id = id->as_string();
  r.kind = kind->as_string();
  std::optional<std::string> raw = FromHex(hash->as_string());
  if (!raw || raw->size() != crypto_hash_sha256_BYTES) return damaged;
  r.hash = std::move(*raw);
  r.created_at_us = static_cast<int64_t>(created->as_number());
  if (const Json* org = j->Find("org"); org && org->is_string()) r.org = org->as_string();
  if (const Json* at = j->Find("revoked_at"); at && at->is_number()) {
    r.revoked_at_us = static_cast<int64_t>(at->as_number());
  }
  if (const Json* name = j->Find("name"); name && name->is_string()) r.name = name->as_string();
  return r;
}

}  // namespace

Status RocksStore::PutMetaSynced(std::string_view key, std::string_view value) {
  rocksdb::WriteOptions write;
  write.sync = true;
  return FromRocks(db_->Put(write, meta_cf_, key, value), "writing admin record");
}

Status RocksStore::FillSettings(std::span<OrgInfo> orgs) {
  for (OrgInfo& info : orgs) {
    std::string value;
    rocksdb::Status s = db_->Get({}, meta_cf_, Key(kOrgSettingsPrefix, info.org), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return FromRocks(s, "reading org settings");
    StatusOr<OrgSettings> settings = DecodeSettings(value, info.org);
    if (!settings.ok()) return settings.status();
    info.settings = std::move(settings).value();
  }
  return Status::Ok();
}

StatusOr<OrgInfo> RocksStore::UpdateOrgSettings(std::string_view org,
                                                const std::function<Status(OrgSettings*)>& update) {
  std::lock_guard<std::mutex> lock(admin_mu_);
  StatusOr<OrgInfo> info = GetOrg(org);
  if (!info.ok()) return info.status();
  OrgSettings settings = info->settings;
  ACTLOG_RETURN_IF_ERROR(update(&settings));
  ACTLOG_RETURN_IF_ERROR(PutMetaSynced(Key(kOrgSettingsPrefix, org), EncodeSettings(settings)));
  info->settings = std::move(settings);
  return info;
}

Status RocksStore::PutApiKey(const ApiKeyRecord& record) {
  std::lock_guard<std::mutex> lock(admin_mu_);
  std::string key = Key(kApiKeyPrefix, record.id), value;
  rocksdb::Status s = db_->Get({}, meta_cf_, key, &value);
  if (s.ok()) {
    return Status(StatusCode::kAlreadyExists, "key_exists", "key id " + record.id + " is taken");
  }
  if (!s.IsNotFound()) return FromRocks(s, "reading api key");
  return PutMetaSynced(key, EncodeKey(record));
}

StatusOr<std::vector<ApiKeyRecord>> RocksStore::ListApiKeys() {
  std::vector<ApiKeyRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, meta_cf_));
  for (it->Seek(kApiKeyPrefix); it->Valid() && it->key().starts_with(kApiKeyPrefix); it->Next()) {
    StatusOr<ApiKeyRecord> record =
        DecodeKey(std::string_view(it->value().data(), it->value().size()));
    if (!record.ok()) return record.status();
    out.push_back(std::move(record).value());
  }
  ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "listing api keys"));
  return out;
}

StatusOr<ApiKeyRecord> RocksStore::RevokeApiKey(std::string_view id, int64_t now_us) {
  std::lock_guard<std::mutex> lock(admin_mu_);
  std::string key = Key(kApiKeyPrefix, id), value;
  rocksdb::Status s = db_->Get({}, meta_cf_, key, &value);
  if (s.IsNotFound()) return NotFound("no key " + std::string(id));
  if (!s.ok()) return FromRocks(s, "reading api key");
  StatusOr<ApiKeyRecord> record = DecodeKey(value);
  if (!record.ok() || record->revoked_at_us) return record;
  record->revoked_at_us = now_us;
  ACTLOG_RETURN_IF_ERROR(PutMetaSynced(key, EncodeKey(*record)));
  return record;
}

StatusOr<std::string> RocksStore::GetOrCreateSecret(std::string_view name) {
  std::lock_guard<std::mutex> lock(admin_mu_);
  std::string key = Key(kSecretPrefix, name), value;
  rocksdb::Status s = db_->Get({}, meta_cf_, key, &value);
  if (s.ok()) {
    if (value.size() != kNamedSecretBytes) return DataLoss("damaged secret " + std::string(name));
    return value;
  }
  if (!s.IsNotFound()) return FromRocks(s, "reading secret");
  value.resize(kNamedSecretBytes);
  randombytes_buf(value.data(), value.size());
  ACTLOG_RETURN_IF_ERROR(PutMetaSynced(key, value));
  return value;
}

}  // namespace actlog::store
