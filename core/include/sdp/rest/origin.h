// The origin of the `rest` sim: the resource API that every service replica
// runs, over one data store that the replicas share. Replicas keep nothing
// between requests (REST's statelessness): the store, the id counters and the
// Idempotency-Key records live here, so any replica answers any request.
//
//   /users               GET (list), POST (create: 201 + Location)
//   /users/{id}          GET, PUT (create 201 / replace 200), PATCH (RFC 7396), DELETE (204)
//   /users/{id}/orders   GET (that user's orders), POST (create an order for the user)
//   /orders/{id}         GET, PUT, PATCH, DELETE
//
// Unknown path: 404. Known path, other method: 405 with Allow (RFC 9110
// 15.5.6). A body that is not JSON, or not an object where a resource is
// wanted: 400 with a message. Every response body is JSON.
#ifndef SDP_REST_ORIGIN_H_
#define SDP_REST_ORIGIN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sdp/rest/http.h"

namespace sdp::rest {

// Users and orders together; beyond it POST/PUT get 507.
constexpr uint32_t kMaxResources = 10000;
constexpr uint32_t kMaxIdempotencyRecords = 10000;

struct OriginPolicy {
  std::string cache_control;  // what GET 200 responses carry, e.g. "public, max-age=60"
};

class Origin {
 public:
  explicit Origin(OriginPolicy policy) : policy_(std::move(policy)) {}

  // A request that reached a replica. Checks the bearer token first.
  Response Handle(const Request& request);

  Json SnapshotJson() const;
  uint64_t resource_count() const { return users_.size() + orders_.size(); }

 private:
  struct Stored {  // what an Idempotency-Key replays
    std::string fingerprint;
    Response response;
  };
  using Table = std::map<uint64_t, Json>;

  Response Route(const Request& request, const std::string& token);
  Response Collection(const Request& request, Table* table, const std::string& base,
                      const Json* owner_filter);
  Response Item(const Request& request, Table* table, const std::string& base, uint64_t id);
  Response Create(Table* table, const std::string& base, Json resource);
  // for_get: the GET response, which carries the policy's Cache-Control.
  Response Representation(uint32_t status, const Json& value, bool for_get) const;

  OriginPolicy policy_;
  Table users_;
  Table orders_;
  uint64_t next_user_id_ = 1;
  uint64_t next_order_id_ = 1;
  std::map<std::string, Stored> idempotency_;  // "<token> <key>" -> first response
};

// A JSON error body {"error": message} with its status.
Response ErrorResponse(uint32_t status, const std::string& message);

}  // namespace sdp::rest

#endif  // SDP_REST_ORIGIN_H_
