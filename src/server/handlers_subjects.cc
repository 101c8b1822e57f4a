// Erasure of a data subject (DESIGN §7, docs/PRIVACY.md), admin only:
// POST /v1/orgs/{org}/subjects/{subject}:erase destroys the subject's key, sealed
// values and blind-index entries in the org (Store::EraseSubject, which also forces them
// out of the storage files), logs actlog.subject:erased in the org and answers the
// receipt. Idempotent: erasing again answers zero counts (and is logged again, as every
// use of admin power is).
//
// The logged event's target is {"type":"subject","id":<subject>}. The subject id is the
// actor or target id that every one of the subject's events already carries in its
// leaf, which erasure cannot change; so it must be a pseudonymous id (docs/PRIVACY.md),
// and logging it adds nothing personal. The event carries counts, never a value.
#include "actlog/event.h"
#include "privacy/erasure.h"
#include "server/access_json.h"
#include "server/admin_log.h"
#include "server/errors.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

constexpr size_t kMaxSubjectBytes = 4096;  // as any id string of an event

Json ReceiptJson(const ErasureReceipt& r, const AppendResult& logged) {
  Json out = privacy::ErasureReceiptJson(r);
  out.Set("event", Json::MakeObject({{"id", Json::String(logged.id)},
                                     {"seq", Json::Number(static_cast<double>(logged.seq))}}));
  return out;
}

Awaitable<void> Erase(Exchange& ex, ServerContext& ctx) {
  if (!ctx.store || !ctx.admin_log) {
    co_return co_await ex.Respond(AccessError(Unavailable("erasure not configured")));
  }
  const std::string& org = ex.request().path_params.at("org");
  const std::string& subject = ex.request().path_params.at("subject");
  if (!IsValidOrgId(org)) {
    co_return co_await ex.Respond(AccessError(NotFound("no org " + org)));
  }
  if (subject.empty() || subject.size() > kMaxSubjectBytes) {
    co_return co_await ex.Respond(AccessError(InvalidArgument(
        "invalid_subject", "the subject must be an actor or target id of 1..4096 bytes")));
  }
  struct Done {
    ErasureReceipt receipt;
    AppendResult logged;
  };
  StatusOr<Done> done = co_await ex.Blocking([&]() -> StatusOr<Done> {
    StatusOr<ErasureReceipt> receipt = ctx.store->EraseSubject(org, subject);
    if (!receipt.ok()) return receipt.status();
    Json target = Json::MakeObject(
        {{"type", Json::String("subject")}, {"id", Json::String(subject)}});
    StatusOr<AppendResult> logged =
        ctx.admin_log->Record(ex.principal(), org, "actlog.subject:erased", std::move(target),
                              Json(), Json(), privacy::ErasureCounts(*receipt));
    if (!logged.ok()) return logged.status();
    return Done{std::move(receipt).value(), std::move(logged).value()};
  });
  if (!done.ok()) co_return co_await ex.Respond(AccessError(done.status()));
  co_await ex.Respond(JsonResponse(200, ReceiptJson(done->receipt, done->logged)));
}

}  // namespace

void RegisterSubjectRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kPost, "/v1/orgs/{org}/subjects/{subject}:erase", Access::kAdmin,
             [&ctx](Exchange& ex) { return Erase(ex, ctx); });
}

}  // namespace actlog::server
