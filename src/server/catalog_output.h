// The body of GET /v1/event-types (handlers_catalog.cc): the catalog grouped by
// resource, resources and codes sorted. Pure function; thread-safe.
#pragma once

#include <string>

#include "actlog/catalog.h"

namespace actlog::server {

std::string EventTypesBody(const Catalog& catalog);

}  // namespace actlog::server
