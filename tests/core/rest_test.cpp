// The `rest` sim: RFC 9110 method semantics and status codes, RFC 9111
// shared caching (freshness, Age, validation with ETag / If-None-Match,
// no-store / private / no-cache, invalidation by writes), RFC 7396 merge
// patch, the Idempotency-Key draft, stateless replicas behind a gateway, and
// refusals that change nothing.
#include <catch2/catch.hpp>

#include <string>

#include "sdp/rest/http.h"
#include "sdp/rest_sim.h"
#include "sdp/scenario.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace rest_test {

namespace {

using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(const Json& config = Json::object()) {
  return sim_test::Make("rest", 1, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("rest", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("rest", sim, step); }
Json Snap(sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull); }

const Json kAuth = {{"Authorization", "Bearer alice"}};

Json Call(sdp::Simulation& sim, const std::string& method, const std::string& path, Json headers = kAuth,
          const Json& body = Json()) {
  Json step = {{"op", "request"}, {"method", method}, {"path", path}, {"headers", std::move(headers)}};
  if (!body.is_null()) step["body"] = body;
  return Step(sim, step);
}

Json With(Json headers, const std::string& name, const std::string& value) {
  headers[name] = value;
  return headers;
}

void Advance(sdp::Simulation& sim, int64_t ms) { Step(sim, {{"op", "advance"}, {"ms", ms}}); }

}  // namespace

TEST_CASE("RFC 9110 9.3.3: POST to a collection creates a resource with a new id, 201 + Location", "[rest]") {
  auto sim = Make();
  const Json r = Call(*sim, "POST", "/users", kAuth, {{"name", "Ada"}});
  CHECK(r["status"] == 201);
  CHECK(r["headers"]["Location"] == "/users/1");
  CHECK(r["body"] == Json({{"id", 1}, {"name", "Ada"}}));
  const Json got = Call(*sim, "GET", "/users/1");
  CHECK(got["status"] == 200);
  CHECK(got["body"]["name"] == "Ada");
  CHECK(Call(*sim, "GET", "/users/2")["status"] == 404);
}

TEST_CASE("RFC 9110 9.3.4: PUT creates (201) or replaces (200) the resource at the target URI", "[rest]") {
  auto sim = Make();
  const Json created = Call(*sim, "PUT", "/users/7", kAuth, {{"name", "Ada"}, {"role", "admin"}});
  CHECK(created["status"] == 201);
  const Json replaced = Call(*sim, "PUT", "/users/7", kAuth, {{"name", "Grace"}});
  CHECK(replaced["status"] == 200);
  CHECK(replaced["body"] == Json({{"id", 7}, {"name", "Grace"}}));  // replaced whole: no "role"
  // A later POST does not reuse the id PUT took.
  CHECK(Call(*sim, "POST", "/users", kAuth, {{"name", "Lin"}})["headers"]["Location"] == "/users/8");
}

TEST_CASE("RFC 9110 9.2.2: PUT repeated leaves the same state; POST repeated creates two; POST with the same "
          "Idempotency-Key creates one",
          "[rest]") {
  auto sim = Make();
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  const Json once = Snap(*sim)["resources"];
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  CHECK(Snap(*sim)["resources"] == once);

  Call(*sim, "POST", "/users/1/orders", kAuth, {{"item", "book"}});
  Call(*sim, "POST", "/users/1/orders", kAuth, {{"item", "book"}});
  CHECK(Snap(*sim)["resources"]["orders"].size() == 2);

  const Json keyed = With(kAuth, "Idempotency-Key", "\"pay-42\"");
  const Json first = Call(*sim, "POST", "/users/1/orders", keyed, {{"item", "pen"}});
  const Json again = Call(*sim, "POST", "/users/1/orders", keyed, {{"item", "pen"}});
  CHECK(first["status"] == 201);
  CHECK(again["status"] == first["status"]);
  CHECK(again["headers"] == first["headers"]);
  CHECK(again["body"] == first["body"]);
  CHECK(Snap(*sim)["resources"]["orders"].size() == 3);
  // The same key with another payload is refused (the draft's 422).
  CHECK(Call(*sim, "POST", "/users/1/orders", keyed, {{"item", "ink"}})["status"] == 422);
  CHECK(Snap(*sim)["resources"]["orders"].size() == 3);
  // Not a Structured Field string: 400.
  CHECK(Call(*sim, "POST", "/users", With(kAuth, "Idempotency-Key", "bare"), {{"n", 1}})["status"] == 400);
}

TEST_CASE("RFC 9110 9.3.5: DELETE repeated leaves the same state; the status differs (204, then 404)", "[rest]") {
  auto sim = Make();
  Call(*sim, "PUT", "/orders/3", kAuth, {{"item", "book"}});
  CHECK(Call(*sim, "DELETE", "/orders/3")["status"] == 204);
  const Json after_one = Snap(*sim)["resources"];
  const Json second = Call(*sim, "DELETE", "/orders/3");
  CHECK(second["status"] == 404);
  CHECK(second["body"].is_object());
  CHECK(Snap(*sim)["resources"] == after_one);
}

TEST_CASE("RFC 7396: PATCH merges (null removes a member); PATCH on a missing resource is 404", "[rest]") {
  auto sim = Make();
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}, {"tags", {{"a", 1}, {"b", 2}}}});
  const Json r = Call(*sim, "PATCH", "/users/1", kAuth, {{"tags", {{"a", nullptr}, {"c", 3}}}, {"city", "London"}});
  CHECK(r["status"] == 200);
  CHECK(r["body"] == Json({{"id", 1}, {"name", "Ada"}, {"tags", {{"b", 2}, {"c", 3}}}, {"city", "London"}}));
  CHECK(Call(*sim, "PATCH", "/users/9", kAuth, {{"name", "x"}})["status"] == 404);
  CHECK(Call(*sim, "PATCH", "/users/1", kAuth, Json::array({1}))["status"] == 400);
}

TEST_CASE("RFC 9110 15.5.5 / 15.5.6: unknown path 404; a method the resource lacks 405 with Allow", "[rest]") {
  auto sim = Make();
  CHECK(Call(*sim, "GET", "/accounts")["status"] == 404);
  CHECK(Call(*sim, "GET", "/users/01")["status"] == 404);
  CHECK(Call(*sim, "GET", "/users/")["status"] == 404);
  const Json r = Call(*sim, "DELETE", "/users");
  CHECK(r["status"] == 405);
  CHECK(r["headers"]["Allow"] == "GET, POST");
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  CHECK(Call(*sim, "POST", "/users/1")["headers"]["Allow"] == "GET, PUT, PATCH, DELETE");
  CHECK(Call(*sim, "GET", "/users/2/orders")["status"] == 404);
}

TEST_CASE("a body that is not JSON gets 400 with a message, and nothing is created", "[rest]") {
  auto sim = Make();
  const Json r = Call(*sim, "POST", "/users", kAuth, "{name: Ada");
  CHECK(r["status"] == 400);
  CHECK(r["body"]["error"].get<std::string>().find("not valid JSON") != std::string::npos);
  CHECK(Call(*sim, "POST", "/users", kAuth, "[1,2]")["status"] == 400);
  CHECK(Call(*sim, "POST", "/users")["status"] == 400);  // no body
  CHECK(Snap(*sim)["resources"]["users"].empty());
  // The raw text, when it is JSON, is the body.
  CHECK(Call(*sim, "POST", "/users", kAuth, "{\"name\": \"Ada\"}")["status"] == 201);
}

TEST_CASE("RFC 6750 3: a request without credentials gets 401 with WWW-Authenticate; every request carries its own",
          "[rest]") {
  auto sim = Make({{"cache", false}});
  const Json none = Call(*sim, "GET", "/users", Json::object());
  CHECK(none["status"] == 401);
  CHECK(none["headers"]["WWW-Authenticate"] == "Bearer realm=\"api\"");
  CHECK(Call(*sim, "GET", "/users", {{"Authorization", "Basic YTpi"}})["status"] == 401);
  CHECK(Call(*sim, "GET", "/users", {{"authorization", "Bearer t0k.en"}})["status"] == 200);  // names ignore case
}

TEST_CASE("statelessness: round robin over the replicas; kill one and the next request still works", "[rest]") {
  auto sim = Make({{"cache", false}, {"replicas", 3}});
  CHECK(Call(*sim, "POST", "/users", kAuth, {{"name", "Ada"}})["served_by"] == "replica-1");
  CHECK(Call(*sim, "GET", "/users/1")["served_by"] == "replica-2");
  Step(*sim, {{"op", "kill_replica"}, {"id", 3}});
  const Json r = Call(*sim, "GET", "/users/1");
  CHECK(r["served_by"] == "replica-1");  // 3 is skipped
  CHECK(r["body"]["name"] == "Ada");     // what replica 1 created, another replica serves
  Step(*sim, {{"op", "kill_replica"}, {"id", 1}});
  Step(*sim, {{"op", "kill_replica"}, {"id", 2}});
  const Json down = Call(*sim, "GET", "/users/1");
  CHECK(down["status"] == 503);
  CHECK(down["served_by"] == "gateway");
  Step(*sim, {{"op", "start_replica"}, {"id", 2}});
  CHECK(Call(*sim, "GET", "/users/1")["served_by"] == "replica-2");
}

TEST_CASE("RFC 9111 4.2: a fresh stored response is served from the cache without contacting the origin, with Age",
          "[rest]") {
  auto sim = Make({{"max_age_s", 60}});
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  const Json miss = Call(*sim, "GET", "/users/1");
  CHECK(miss["cache"] == "miss");
  CHECK(miss["headers"]["Cache-Control"] == "public, max-age=60");
  const uint64_t origin_before = Snap(*sim)["counters"]["origin_requests"];
  Advance(*sim, 30500);
  const Json hit = Call(*sim, "GET", "/users/1");
  CHECK(hit["served_by"] == "cache");
  CHECK(hit["cache"] == "hit");
  CHECK(hit["headers"]["Age"] == "30");
  CHECK(hit["body"] == miss["body"]);
  CHECK(Snap(*sim)["counters"]["origin_requests"] == origin_before);
  // A public response is served to anyone, even a request without credentials.
  CHECK(Call(*sim, "GET", "/users/1", Json::object())["status"] == 200);
}

TEST_CASE("RFC 9111 4.3: a stale response is revalidated with If-None-Match; 304 refreshes it", "[rest]") {
  auto sim = Make({{"max_age_s", 10}});
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  const Json first = Call(*sim, "GET", "/users/1");
  Advance(*sim, 10000);  // age 10 s = lifetime: stale
  const Json again = Call(*sim, "GET", "/users/1");
  CHECK(again["cache"] == "revalidated");
  CHECK(again["served_by"] == "cache");
  CHECK(again["via"].size() == 3);  // cache, gateway, a replica
  CHECK(again["status"] == 200);
  CHECK(again["headers"]["Age"] == "0");
  CHECK(again["body"] == first["body"]);
  CHECK(Snap(*sim)["counters"]["cache_revalidations"] == 1);
  Advance(*sim, 5000);
  CHECK(Call(*sim, "GET", "/users/1")["cache"] == "hit");  // fresh again for 10 s from the 304
}

TEST_CASE("RFC 9110 13.1.2: ETag + If-None-Match gives 304 with no body", "[rest]") {
  auto sim = Make({{"cache", false}});
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  const Json r = Call(*sim, "GET", "/users/1");
  const std::string etag = r["headers"]["ETag"];
  CHECK(etag.size() == 18);
  CHECK(etag.front() == '"');
  const Json cond = Call(*sim, "GET", "/users/1", With(kAuth, "If-None-Match", etag));
  CHECK(cond["status"] == 304);
  CHECK(cond["body"].is_null());
  CHECK(cond["headers"]["ETag"] == etag);
  CHECK(Call(*sim, "GET", "/users/1", With(kAuth, "If-None-Match", "W/" + etag))["status"] == 304);  // weak compare
  CHECK(Call(*sim, "GET", "/users/1", With(kAuth, "If-None-Match", "\"other\", " + etag))["status"] == 304);
  // The representation changes, so does its tag: 200 with the new body.
  Call(*sim, "PATCH", "/users/1", kAuth, {{"name", "Grace"}});
  const Json changed = Call(*sim, "GET", "/users/1", With(kAuth, "If-None-Match", etag));
  CHECK(changed["status"] == 200);
  CHECK(changed["headers"]["ETag"] != etag);
}

TEST_CASE("RFC 9111 4.4: a write to a URI invalidates it (and its Location) in the cache", "[rest]") {
  auto sim = Make();
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  Call(*sim, "GET", "/users/1");
  Call(*sim, "GET", "/users/1/orders");
  CHECK(Snap(*sim)["cache"]["entries"].size() == 2);
  const Json put = Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Grace"}});
  CHECK(put["invalidated"] == Json::array({"/users/1"}));
  const Json fresh = Call(*sim, "GET", "/users/1");
  CHECK(fresh["cache"] == "miss");
  CHECK(fresh["body"]["name"] == "Grace");
  const Json post = Call(*sim, "POST", "/users/1/orders", kAuth, {{"item", "book"}});
  CHECK(post["invalidated"] == Json::array({"/users/1/orders"}));
  CHECK(Call(*sim, "GET", "/users/1/orders")["body"].size() == 1);
  // A failed write (404) invalidates nothing.
  CHECK(!Call(*sim, "DELETE", "/users/9").contains("invalidated"));
}

TEST_CASE("RFC 9111 5.2.2: no-store and private are never stored in a shared cache; no-cache is validated every time",
          "[rest]") {
  for (const char* policy : {"no-store", "private"}) {
    auto sim = Make({{"cache_control", policy}});
    Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
    Call(*sim, "GET", "/users/1");
    const Json r = Call(*sim, "GET", "/users/1");
    CHECK(r["cache"] == "miss");
    CHECK(Snap(*sim)["cache"]["entries"].empty());
  }
  auto sim = Make({{"cache_control", "no-cache"}});
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  Call(*sim, "GET", "/users/1");
  CHECK(Snap(*sim)["cache"]["entries"].size() == 1);
  CHECK(Call(*sim, "GET", "/users/1")["cache"] == "revalidated");
  CHECK(Call(*sim, "GET", "/users/1")["cache"] == "revalidated");
  CHECK(Snap(*sim)["counters"]["cache_hits"] == 0);
}

TEST_CASE("RFC 9111 3.5: a response to a request with Authorization is stored only if it says public", "[rest]") {
  sdp::rest::Request request{"GET", "/users/1", {sdp::rest::Header{"Authorization", "Bearer a"}}, std::nullopt};
  sdp::rest::Response response;
  response.headers = {sdp::rest::Header{"Cache-Control", "max-age=60"}};
  std::string why;
  CHECK_FALSE(sdp::rest::SharedCache::Storable(request, response, &why));
  CHECK(why.find("3.5") != std::string::npos);
  response.headers = {sdp::rest::Header{"Cache-Control", "public, max-age=60"}};
  CHECK(sdp::rest::SharedCache::Storable(request, response, nullptr));
  response.headers = {sdp::rest::Header{"Cache-Control", "s-maxage=60"}};
  CHECK(sdp::rest::SharedCache::Storable(request, response, nullptr));
}

TEST_CASE("message sizes are counted from the HTTP/1.1 text", "[rest]") {
  sdp::rest::Request request{"GET", "/users/1", {sdp::rest::Header{"Authorization", "Bearer alice"}}, std::nullopt};
  const std::string text =
      "GET /users/1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer alice\r\n\r\n";
  CHECK(sdp::rest::RequestBytes(request) == text.size());
  sdp::rest::Response response;
  response.status = 304;
  response.headers = {sdp::rest::Header{"ETag", "\"x\""}};
  CHECK(sdp::rest::ResponseBytes(response) == std::string("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n").size());
  response.status = 200;
  response.body = "{}";
  CHECK(sdp::rest::ResponseBytes(response) ==
        std::string("HTTP/1.1 200 OK\r\nETag: \"x\"\r\nContent-Length: 2\r\n\r\n{}").size());
}

TEST_CASE("bad requests are refused by field name and change nothing", "[rest]") {
  auto sim = Make();
  Call(*sim, "PUT", "/users/1", kAuth, {{"name", "Ada"}});
  const auto req = [](Json headers, std::string path = "/users/1") {
    return Json{{"op", "request"}, {"method", "GET"}, {"path", path}, {"headers", std::move(headers)}};
  };
  CHECK(Refused(*sim, req(Json::array())).find("\"headers\"") != std::string::npos);
  CHECK(Refused(*sim, req({{"Bad Name", "x"}})).find("\"headers\"") != std::string::npos);
  CHECK(Refused(*sim, req({{"X", 5}})).find("\"headers\"") != std::string::npos);
  CHECK(Refused(*sim, req({{"X", "a\nb"}})).find("\"headers\"") != std::string::npos);
  CHECK(Refused(*sim, req({{"X", "a"}, {"x", "b"}})).find("twice") != std::string::npos);
  CHECK(Refused(*sim, req(kAuth, "users/1")).find("\"path\"") != std::string::npos);
  CHECK(Refused(*sim, req(kAuth, "/users 1")).find("\"path\"") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "kill_replica"}, {"id", 4}}).find("1-3") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "start_replica"}, {"id", 1}}).find("already up") != std::string::npos);
}

}  // namespace rest_test
