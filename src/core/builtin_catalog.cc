// The built-in catalog: the seed's table (seed/activity-log.txt, 30 codes, descriptions
// verbatim), the three codes its text names but its table omits, and the actlog.* codes
// that record actlog's own admin actions (DESIGN §3).
#include <string_view>

#include "actlog/catalog.h"

namespace actlog {
namespace {

struct BuiltInCode {
  std::string_view code;
  std::string_view description;
};

constexpr BuiltInCode kBuiltInCodes[] = {
    // The seed's table, in its order.
    {"org:created", "New organisation created"},
    {"org.profile:updated", "Organisation profile updated"},
    {"org.member:invited", "Team member invited"},
    {"org.member:joined", "Team member joined"},
    {"org.member:declined", "Team member declined"},
    {"org.member:updated", "Team member updated"},
    {"org.member:deactivated", "Team member deactivated"},
    {"org.member:activated", "Team member activated"},
    {"org.api_key:created", "API key created"},
    {"org.api_key:updated", "API key updated"},
    {"deposit_account:created", "Deposit account created"},
    {"deposit_account:updated", "Deposit account updated"},
    {"provider_account:created", "Provider account created"},
    {"provider_account:updated", "Provider account updated"},
    {"merchant_account:created", "Merchant account created"},
    {"merchant_account:updated", "Merchant account updated"},
    {"payment_route:updated", "Payment route updated"},
    {"payment_routing_scheme:created", "Payment routing scheme created"},
    {"payment_routing_scheme:updated", "Payment routing scheme updated"},
    {"payout_route:updated", "Payout route updated"},
    {"payout_routing_scheme:created", "Payout routing scheme created"},
    {"payout_routing_scheme:updated", "Payout routing scheme updated"},
    {"fx_rate_scheme:created", "FX rate scheme created"},
    {"fx_rate_scheme:updated", "FX rate scheme updated"},
    {"com.scheme:created", "Commerce scheme created"},
    {"com.scheme:updated", "Commerce scheme updated"},
    {"com.scheme_payment_service:updated", "Commerce scheme payment service updated"},
    {"com.scheme_payout_service:updated", "Commerce scheme payout service updated"},
    {"com.account:created", "Commerce account created"},
    {"com.account:updated", "Commerce account updated"},
    // Named by the seed's text ("which payments/payouts were manually processed", "which
    // users accessed the organization") but missing from its table.
    {"payment:processed_manually", "Payment processed manually"},
    {"payout:processed_manually", "Payout processed manually"},
    {"org.member:signed_in", "Team member signed in"},
    // actlog's own admin actions, logged in the affected organisation's log.
    {"actlog.org:created", "Organisation registered with actlog"},
    {"actlog.org:updated", "Organisation settings updated in actlog"},
    {"actlog.key:created", "actlog API key created"},
    {"actlog.key:revoked", "actlog API key revoked"},
    {"actlog.viewer_token:created", "Activity Log viewer token issued"},
    {"actlog.subject:erased", "Personal data of a data subject erased"},
    {"actlog.retention:updated", "Retention period changed"},
    {"actlog.retention:pruned", "Events past the retention period removed"},
    {"actlog.export:created", "Activity log exported"},
};

}  // namespace

Catalog Catalog::BuiltIn(CatalogMode mode) {
  Catalog catalog;
  catalog.set_mode(mode);
  for (const BuiltInCode& c : kBuiltInCodes) {
    CatalogEntry entry;
    entry.code = std::string(c.code);
    entry.description = std::string(c.description);
    entry.target_is_person = ResourceOf(c.code) == "org.member";
    // An invitation names the invitee's e-mail before they are an actor anywhere; admins
    // look invitations up by that address.
    if (c.code == "org.member:invited") {
      entry.personal_fields = {"metadata.email"};
      entry.searchable_fields = {"metadata.email"};
    }
    catalog.Add(std::move(entry));
  }
  return catalog;
}

}  // namespace actlog
