// Which values of an event are personal data (DESIGN §7, docs/PRIVACY.md), and whose.
//
// Defaults: actor.name, actor.email, context.ip and context.user_agent belong to the
// actor (subject = actor.id); target.name belongs to the target (subject = target.id)
// when the code's catalog entry says the target is a person. A catalog entry's
// `personal_fields` add more paths (dotted, into metadata, changes or the fixed fields);
// they belong to the target when the target is a person, otherwise to the actor.
//
// Pure functions; thread-safe for distinct events.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"

namespace actlog::privacy {

// One personal value of an event, pointing into it: exactly one of `field` (a fixed
// string field) and `json` (a value inside metadata or changes) is set. `E` is Event, or
// const Event for a slot that only reads.
template <typename E>
struct BasicPersonalSlot {
  static constexpr bool kConst = std::is_const_v<E>;
  using Field = std::conditional_t<kConst, const std::optional<std::string>,
                                   std::optional<std::string>>;
  using Value = std::conditional_t<kConst, const Json, Json>;

  std::string path;     // "actor.email", "metadata.phone"
  std::string subject;  // the data subject: an actor id or a target id
  Field* field = nullptr;
  Value* json = nullptr;
};
using PersonalSlot = BasicPersonalSlot<Event>;
using ConstPersonalSlot = BasicPersonalSlot<const Event>;

// The personal slots of `event` that hold a value, in a fixed order (the defaults,
// then the catalog paths in catalog order; a path named twice counts once). A path that
// names nothing in this event is skipped. The slots point into *event.
std::vector<PersonalSlot> PersonalSlots(Event* event, const Catalog& catalog);
// The same slots, read-only: for callers that look at the values without replacing them.
std::vector<ConstPersonalSlot> PersonalSlots(const Event& event, const Catalog& catalog);

}  // namespace actlog::privacy
