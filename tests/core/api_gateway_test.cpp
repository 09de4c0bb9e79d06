// The api_gateway sim: HS256 tokens (against published JWS vectors and round
// trips), the pipeline's answer for each status, longest-prefix routing,
// rate limiting keyed by user, the RateLimit headers against the limiter's
// own decision, determinism, and refusals that change nothing.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/api_gateway_sim.h"
#include "sdp/jwt.h"
#include "sdp/limiter_args.h"
#include "sdp/random.h"
#include "sdp/route_table.h"
#include "sdp/scenario.h"
#include "sdp/sha256.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace api_gateway_test {

using sdp::Json;

namespace {

const char* const kSecret = "sdp-playground-secret";  // the config default

Json Run(const Json& steps, Json config = Json::object()) {
  auto out = sdp::RunScenario({{"sim", "api_gateway"}, {"config", config}, {"steps", steps}});
  INFO(out.status().message());
  REQUIRE(out.ok());
  return out.value();
}

std::string B64(const std::string& bytes) { return sdp::Base64UrlEncode(bytes); }

// header.payload.signature from raw JSON texts, signed with `key`.
std::string Signed(const std::string& header, const std::string& payload,
                   const std::string& key = kSecret) {
  const std::string input = B64(header) + "." + B64(payload);
  return input + "." + B64(sdp::DigestBytes(sdp::HmacSha256(key, input)));
}

const std::string kHs256 = R"({"alg":"HS256","typ":"JWT"})";

Json Get(const std::string& token, const std::string& path = "/api/orders") {
  return {{"op", "request"}, {"token", token}, {"path", path}};
}

Json ByUser(const std::string& user, const std::string& path, int64_t at_ms = -1) {
  Json step = {{"op", "request"}, {"user", user}, {"path", path}};
  if (at_ms >= 0) step["at_ms"] = at_ms;
  return step;
}

}  // namespace

// RFC 7515 Appendix A.1: the JWS example signed with HS256, verified with the
// key bytes of its JWK ("k"). Its claims have exp but no sub.
TEST_CASE("RFC 7515 A.1: the published HS256 JWS verifies with its key", "[api_gateway][jwt]") {
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0"
      "cnVlfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const auto key = sdp::Base64UrlDecode(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  REQUIRE(key.ok());
  const auto jws = sdp::DecodeJws(token);
  REQUIRE(jws.ok());
  CHECK(jws.value().header["alg"] == "HS256");
  const auto payload = sdp::ParseJwsPayload(jws.value());
  REQUIRE(payload.ok());
  CHECK(payload.value()["iss"] == "joe");
  CHECK(payload.value()["exp"] == 1300819380);
  CHECK(payload.value()["http://example.com/is_root"] == true);
  CHECK(sdp::DigestBytes(sdp::HmacSha256(key.value(), jws.value().signing_input)) ==
        jws.value().signature);
  // The verifier gets past the signature and stops at the claims.
  CHECK(sdp::VerifyJwtHs256(key.value(), token, 0).reason ==
        "token has no \"sub\" claim (the user id)");
  CHECK_THAT(sdp::VerifyJwtHs256(key.value(), token, 1300819380000).reason,
             Catch::StartsWith("token expired"));
  CHECK(sdp::VerifyJwtHs256(key.value(), token, 1300819379999).reason ==
        "token has no \"sub\" claim (the user id)");
  CHECK_THAT(sdp::VerifyJwtHs256("another key", token, 0).reason,
             Catch::StartsWith("bad signature"));
}

// The example on jwt.io (HS256, secret "your-256-bit-secret"): sub but no exp.
TEST_CASE("jwt.io's HS256 example verifies; it has no exp", "[api_gateway][jwt]") {
  const std::string token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
      ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
      ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  CHECK(sdp::VerifyJwtHs256("your-256-bit-secret", token, 0).reason ==
        "token has no \"exp\" claim");
  CHECK_THAT(sdp::VerifyJwtHs256("your-256-bit-secreT", token, 0).reason,
             Catch::StartsWith("bad signature"));
}

TEST_CASE("signed tokens round-trip; any change to them is caught", "[api_gateway][jwt]") {
  const Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const Json payload = {{"sub", "alice"}, {"exp", 10}};
  const std::string token = sdp::SignJwtHs256("k", header, payload);
  const sdp::JwtVerdict ok = sdp::VerifyJwtHs256("k", token, 9999);
  CHECK(ok.valid);
  CHECK(ok.reason.empty());
  CHECK(ok.subject == "alice");
  // exp 10: valid before 10 s, expired on 10 s exactly ("on or after").
  CHECK_FALSE(sdp::VerifyJwtHs256("k", token, 10000).valid);
  // Every single-character change of the token is refused, never crashes.
  for (size_t i = 0; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    const sdp::JwtVerdict v = sdp::VerifyJwtHs256("k", changed, 0);
    INFO(i << " " << changed);
    CHECK_FALSE(v.valid);
    CHECK_FALSE(v.reason.empty());
  }
  // A float exp compares in ms: 10.5 s expires at 10500 ms.
  const std::string half = sdp::SignJwtHs256("k", header, {{"sub", "a"}, {"exp", 10.5}});
  CHECK(sdp::VerifyJwtHs256("k", half, 10499).valid);
  CHECK_FALSE(sdp::VerifyJwtHs256("k", half, 10500).valid);
}

TEST_CASE("any bytes as a token: a 401 reason in valid UTF-8, never a crash",
          "[api_gateway][jwt]") {
  sdp::Rng rng(42);
  const std::string alphabet = "AZaz09-_.=+/ \x80\xff{}\"";
  for (int round = 0; round < 3000; ++round) {
    std::string token;
    const int64_t length = rng.Between(0, 80);
    for (int64_t i = 0; i < length; ++i) {
      token.push_back(round % 2 == 0 ? alphabet[rng.Below(alphabet.size())]
                                     : static_cast<char>(rng.Below(256)));
    }
    const sdp::JwtVerdict v = sdp::VerifyJwtHs256(kSecret, token, 0);
    CHECK_FALSE(v.valid);
    CHECK_NOTHROW(Json(v.reason).dump());
  }
  // Segments that decode to invalid UTF-8, deep nesting, huge numbers.
  const std::string nasty[] = {std::string("\xff\xfe\"", 3), std::string(5000, '['),
                               R"({"sub":"a","exp":1e400})", R"({"a":"\ud800"})",
                               "{\"alg\":\"HS256\x80\"}"};
  for (const std::string& bytes : nasty) {
    const sdp::JwtVerdict as_header = sdp::VerifyJwtHs256(kSecret, Signed(bytes, "{}"), 0);
    const sdp::JwtVerdict as_payload = sdp::VerifyJwtHs256(kSecret, Signed(kHs256, bytes), 0);
    CHECK_THAT(as_header.reason, Catch::StartsWith("malformed token: header segment"));
    CHECK_THAT(as_payload.reason, Catch::StartsWith("malformed token: payload segment"));
  }
  // A long alg is echoed cut on a character boundary.
  const std::string alg =
      Signed(R"({"alg":")" + std::string(23, 'x') + "\xC3\xB6\xC3\xB6\"}", "{}");
  const std::string reason = sdp::VerifyJwtHs256(kSecret, alg, 0).reason;
  CHECK(reason == "alg \"" + std::string(23, 'x') + "...\" refused: only HS256 is accepted");
}

TEST_CASE("RFC 7519 5.1 and RFC 7515 4.1.9: typ JWT and application/JWT are one, any case",
          "[api_gateway][jwt]") {
  const std::string payload = R"({"sub":"alice","exp":3600})";
  for (const char* typ : {"JWT", "jwt", "application/JWT", "Application/jwt"}) {
    INFO(typ);
    const std::string token = Signed(R"({"alg":"HS256","typ":")" + std::string(typ) + "\"}", payload);
    CHECK(sdp::VerifyJwtHs256(kSecret, token, 0).valid);
  }
  // No typ at all: RFC 7519 makes it optional, and PyJWT never looks at it.
  CHECK(sdp::VerifyJwtHs256(kSecret, Signed(R"({"alg":"HS256"})", payload), 0).valid);
  // Anything else is refused, and the reason says that this is our choice.
  const std::string reason =
      sdp::VerifyJwtHs256(kSecret, Signed(R"({"alg":"HS256","typ":"at+jwt"})", payload), 0).reason;
  CHECK_THAT(reason, Catch::StartsWith("header \"typ\" is \"at+jwt\"") &&
                         Catch::Contains("stricter on purpose"));
  CHECK_THAT(sdp::VerifyJwtHs256(kSecret, Signed(R"({"alg":"HS256","typ":5})", payload), 0).reason,
             Catch::StartsWith("header \"typ\" is not a string"));
}

TEST_CASE("PyJWT parses the payload only after the signature verifies", "[api_gateway][jwt]") {
  // api_jws.decode_complete verifies the signature over the raw segments;
  // api_jwt.decode_complete calls json.loads on the payload only afterwards.
  const std::string not_json = "{\"sub\":";
  // Forged (wrong key) and unparsable: refused for its signature.
  CHECK_THAT(sdp::VerifyJwtHs256(kSecret, Signed(kHs256, not_json, "guessed"), 0).reason,
             Catch::StartsWith("bad signature: it does not match"));
  // Unsigned and unparsable: refused for its signature's length.
  CHECK_THAT(sdp::VerifyJwtHs256(kSecret, B64(kHs256) + "." + B64(not_json) + ".", 0).reason,
             Catch::StartsWith("bad signature: 0 bytes"));
  // Properly signed and unparsable: only now is the payload looked at.
  CHECK_THAT(sdp::VerifyJwtHs256(kSecret, Signed(kHs256, not_json), 0).reason,
             Catch::StartsWith("malformed token: payload segment: not valid JSON"));
  // Structure still comes first: a payload that is not base64url is malformed.
  CHECK_THAT(sdp::VerifyJwtHs256(kSecret, B64(kHs256) + ".a+b." + B64("x"), 0).reason,
             Catch::StartsWith("malformed token: payload segment: base64url"));
}

TEST_CASE("401: every malformed, forged, unsigned or expired token, with its reason",
          "[api_gateway]") {
  const std::string good_payload = R"({"sub":"alice","exp":3600})";
  struct Case {
    std::string token;
    std::string reason;  // the start of it
  };
  const Case cases[] = {
      {"", "malformed token: 1 segment; a JWT has 3"},
      {"abc", "malformed token: 1 segment; a JWT has 3"},
      {"a.b", "malformed token: 2 segments; a JWT has 3"},
      {"a.b.c.d", "malformed token: 4 segments; a JWT has 3"},
      {".e30.", "malformed token: header segment: empty"},
      {"e30=.e30.", "malformed token: header segment: base64url: '=' at position 3"},
      {B64("not json") + ".e30.", "malformed token: header segment: not valid JSON"},
      {B64("[1,2]") + ".e30.", "malformed token: header segment: JSON but not an object"},
      {Signed(kHs256, "{\"sub\":"), "malformed token: payload segment: not valid JSON"},
      {B64(kHs256) + ".." + B64("x"), "malformed token: payload segment: empty"},
      {B64(kHs256) + "." + B64(good_payload) + ".a+b",
       "malformed token: signature segment: base64url: '+'"},
      {Signed(R"({"typ":"JWT"})", good_payload), "header has no \"alg\""},
      {Signed(R"({"alg":7})", good_payload), "header \"alg\" must be a string"},
      {Signed(R"({"alg":"None"})", good_payload),
       "alg \"None\" refused: unsigned tokens are never accepted"},
      {Signed(R"({"alg":"RS256","typ":"JWT"})", good_payload),
       "alg \"RS256\" refused: only HS256 is accepted"},
      {Signed(R"({"alg":"HS256","typ":"JWE"})", good_payload),
       "header \"typ\" is \"JWE\": this gateway takes only JWTs"},
      {Signed(R"({"alg":"HS256","crit":["exp"]})", good_payload), "header has \"crit\""},
      {B64(kHs256) + "." + B64(good_payload) + "." + B64("short"),
       "bad signature: 5 bytes, an HS256 signature has 32"},
      {Signed(kHs256, good_payload, "guessed"), "bad signature: it does not match"},
      {Signed(kHs256, R"({"sub":"alice"})"), "token has no \"exp\" claim"},
      {Signed(kHs256, R"({"sub":"alice","exp":"3600"})"), "claim \"exp\" must be a number"},
      {Signed(kHs256, R"({"sub":"alice","exp":0})"), "token expired: exp is 0 s"},
      {Signed(kHs256, R"({"sub":"alice","exp":-5})"), "token expired: exp is -5 s"},
      {Signed(kHs256, R"({"exp":3600})"), "token has no \"sub\" claim"},
      {Signed(kHs256, R"({"sub":42,"exp":3600})"), "claim \"sub\" must be a string"},
      {Signed(kHs256, R"({"sub":"","exp":3600})"), "claim \"sub\" must be 1-64 bytes"},
      {Signed(kHs256, R"({"sub":"a\nb","exp":3600})"), "claim \"sub\" must be 1-64 bytes"},
      {Signed(kHs256, R"({"sub":")" + std::string(65, 'a') + R"(","exp":3600})"),
       "claim \"sub\" must be 1-64 bytes"},
  };
  Json steps = Json::array();
  for (const Case& c : cases) steps.push_back(Get(c.token));
  steps.push_back({{"op", "request"}, {"path", "/api/orders"}});
  const Json out = Run(steps);
  for (size_t i = 0; i < std::size(cases); ++i) {
    const Json& r = out["results"][i];
    INFO(cases[i].token);
    CHECK(r["status"] == 401);
    CHECK(r["stage"] == "auth");
    CHECK(r["user"] == nullptr);
    CHECK(r["rate_limit"] == nullptr);
    CHECK_THAT(r["reason"].get<std::string>(), Catch::StartsWith(cases[i].reason));
    CHECK(r["headers"] ==
          Json{{"WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\""}});
  }
  const Json& missing = out["results"][std::size(cases)];
  CHECK(missing["status"] == 401);
  CHECK_THAT(missing["reason"].get<std::string>(), Catch::StartsWith("no token"));
  CHECK(missing["headers"]["WWW-Authenticate"] == "Bearer realm=\"api\"");
  CHECK(out["snapshot"]["users"].empty());
  CHECK(out["snapshot"]["totals"]["by_status"]["401"] == std::size(cases) + 1);
  CHECK(out["snapshot"]["totals"]["by_stage"]["auth"] == std::size(cases) + 1);
}

TEST_CASE("issue_token: valid, forged signature, alg none, expired", "[api_gateway]") {
  const Json out = Run({{{"op", "advance"}, {"ms", 2500}},
                        {{"op", "issue_token"}, {"user", "alice"}, {"ttl_s", 10}},
                        {{"op", "issue_token"}, {"user", "mallory"}, {"forge", "signature"}},
                        {{"op", "issue_token"}, {"user", "mallory"}, {"forge", "alg_none"}},
                        {{"op", "issue_token"}, {"user", "alice"}, {"forge", "expired"}}});
  const Json& r = out["results"];
  CHECK(r[1]["iat"] == 2);
  CHECK(r[1]["exp"] == 12);
  CHECK(r[1]["payload"] == Json{{"sub", "alice"}, {"iat", 2}, {"exp", 12}});
  CHECK(r[1]["token"] == sdp::SignJwtHs256(kSecret, {{"alg", "HS256"}, {"typ", "JWT"}},
                                           {{"sub", "alice"}, {"iat", 2}, {"exp", 12}}));
  CHECK(r[2]["forge"] == "signature");
  CHECK(r[3]["header"]["alg"] == "none");
  CHECK_THAT(r[3]["token"].get<std::string>(), Catch::EndsWith("."));
  CHECK(r[4]["exp"] == 2);
  // issue_token changes nothing.
  CHECK(out["snapshot"] == Run({{{"op", "advance"}, {"ms", 2500}}})["snapshot"]);

  const Json sent = Run(
      {{{"op", "advance"}, {"ms", 2500}},
       Get(r[1]["token"].get<std::string>()),
       Get(r[2]["token"].get<std::string>()),
       Get(r[3]["token"].get<std::string>()),
       Get(r[4]["token"].get<std::string>()),
       {{"op", "request"}, {"token", r[1]["token"]}, {"path", "/api/orders"}, {"at_ms", 11999}},
       {{"op", "request"}, {"token", r[1]["token"]}, {"path", "/api/orders"}, {"at_ms", 12000}}});
  const Json& s = sent["results"];
  CHECK(s[1]["status"] == 200);
  CHECK(s[1]["user"] == "alice");
  CHECK_THAT(s[2]["reason"].get<std::string>(), Catch::StartsWith("bad signature: it does not"));
  CHECK_THAT(s[3]["reason"].get<std::string>(), Catch::StartsWith("alg \"none\" refused"));
  CHECK(s[4]["reason"] ==
        "token expired: exp is 2 s and the clock is at 2500 ms (expired on or after exp)");
  CHECK(s[5]["status"] == 200);  // 1 ms before exp
  CHECK(s[6]["status"] == 401);  // at exp exactly
}

TEST_CASE("200, 404, 405, 503 and 429: status, stage, headers", "[api_gateway]") {
  const Json out = Run(
      {ByUser("alice", "/api/orders/7"),
       ByUser("alice", "/nowhere"),
       {{"op", "request"}, {"user", "alice"}, {"path", "/static/app.css"}, {"method", "DELETE"}},
       {{"op", "service"}, {"name", "orders"}, {"up", false}},
       ByUser("alice", "/api/orders"),
       {{"op", "service"}, {"name", "orders"}, {"up", true}},
       {{"op", "burst"}, {"user", "alice"}, {"count", 7}, {"path", "/api/orders"}},
       ByUser("alice", "/api/orders"),
       ByUser("alice", "/api/orders", 99),
       ByUser("alice", "/api/orders", 100)});
  const Json& r = out["results"];
  CHECK(r[0]["status"] == 200);
  CHECK(r[0]["stage"] == "service");
  CHECK(r[0]["route"] == "/api/orders");
  CHECK(r[0]["service"] == "orders");
  CHECK(r[0]["reason"] == "served by orders");
  CHECK(r[0]["headers"] == Json{{"RateLimit-Limit", "10"},
                                {"RateLimit-Remaining", "9"},
                                {"RateLimit-Reset", "1"},
                                {"RateLimit-Policy", "10;w=1"}});
  CHECK(r[1]["status"] == 404);
  CHECK(r[1]["stage"] == "route");
  CHECK(r[1]["route"] == nullptr);
  CHECK(r[1]["headers"]["RateLimit-Remaining"] == "8");  // a 404 spends quota
  CHECK(r[2]["status"] == 405);
  CHECK(r[2]["headers"]["Allow"] == "GET, HEAD");
  CHECK(r[2]["reason"] == "route /static allows GET, HEAD, not DELETE");
  CHECK(r[2]["service"] == nullptr);
  CHECK(r[4]["status"] == 503);
  CHECK(r[4]["stage"] == "service");
  CHECK(r[4]["reason"] == "service orders is down");
  // 4 spent, 7 in the burst: 6 pass, the 7th is refused with the 11th overall.
  CHECK(r[6]["by_status"]["200"] == 6);
  CHECK(r[6]["by_status"]["429"] == 1);
  CHECK(r[6]["first"].size() == 5);
  CHECK(r[6]["last"]["status"] == 429);
  const Json& limited = r[7];
  CHECK(limited["status"] == 429);
  CHECK(limited["stage"] == "rate_limit");
  CHECK(limited["route"] == nullptr);
  CHECK(limited["headers"]["Retry-After"] == "1");
  CHECK(limited["headers"]["RateLimit-Remaining"] == "0");
  CHECK(limited["rate_limit"]["retry_after_ms"] == 100);  // one token per 100 ms
  CHECK(r[8]["status"] == 429);
  CHECK(r[9]["status"] == 200);
  const Json& snap = out["snapshot"];
  CHECK(snap["totals"]["by_status"] ==
        Json{{"200", 8}, {"401", 0}, {"404", 1}, {"405", 1}, {"429", 3}, {"503", 1}});
  CHECK(snap["totals"]["by_stage"] ==
        Json{{"auth", 0}, {"rate_limit", 3}, {"route", 2}, {"service", 9}});
  CHECK(snap["services"][1] ==
        Json{{"name", "orders"}, {"up", true}, {"requests", 9}, {"ok", 8}, {"unavailable", 1}});
  CHECK(snap["users"][0]["requests"] == 14);
}

TEST_CASE("routing: longest prefix on segment boundaries; the owner decides 405", "[api_gateway]") {
  sdp::RouteTable table;
  for (const char* prefix : {"/", "/api", "/api/orders", "/api/orders/admin"}) {
    sdp::Route route;
    route.prefix = prefix;
    table.Add(route);
  }
  const std::pair<const char*, const char*> expect[] = {
      {"/", "/"},
      {"/x", "/"},
      {"/apix", "/"},
      {"/api", "/api"},
      {"/api/", "/api"},
      {"/api/ordersx", "/api"},
      {"/api/orders", "/api/orders"},
      {"/api/orders/", "/api/orders"},
      {"/api/orders/7", "/api/orders"},
      {"/api/orders?q=/admin", "/api/orders"},
      {"/api/orders#admin", "/api/orders"},
      {"/api/orders/admin", "/api/orders/admin"},
      {"/api/orders/admin/x/y", "/api/orders/admin"},
      {"/API/orders", "/"},
  };
  for (const auto& [path, prefix] : expect) {
    INFO(path);
    const sdp::Route* route = table.Match(path);
    REQUIRE(route != nullptr);
    CHECK(route->prefix == prefix);
  }
  table.Remove("/");
  CHECK(table.Match("/apix") == nullptr);
  CHECK(table.Match("/") == nullptr);

  const Json out =
      Run({{{"op", "route_add"}, {"prefix", "/api"}, {"service", "legacy"}},
           {{"op", "route_add"},
            {"prefix", "/api/orders/admin"},
            {"service", "admin"},
            {"methods", "GET, DELETE"}},
           ByUser("u", "/api/orders/admin/9"),
           ByUser("u", "/api/ordersx"),
           ByUser("u", "/apix"),
           {{"op", "request"}, {"user", "u"}, {"path", "/api/orders/admin"}, {"method", "POST"}},
           {{"op", "route_remove"}, {"prefix", "/api/orders/admin"}},
           ByUser("u", "/api/orders/admin/9")});
  const Json& r = out["results"];
  CHECK(r[0]["route"]["methods"] ==
        Json::array({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}));
  CHECK(r[0]["route"]["any_method"] == true);
  CHECK(r[1]["route"]["methods"] == Json::array({"GET", "DELETE"}));
  CHECK(r[2]["service"] == "admin");
  CHECK(r[3]["service"] == "legacy");
  CHECK(r[4]["status"] == 404);
  // /api/orders/admin owns the path and does not allow POST, although
  // /api/orders would: 405, not a fall-back to the shorter prefix.
  CHECK(r[5]["status"] == 405);
  CHECK(r[5]["headers"]["Allow"] == "GET, DELETE");
  CHECK(r[6]["removed"]["matched"] == 2);
  CHECK(r[7]["service"] == "orders");
}

TEST_CASE("rate limits are per user: users never share, one user's tokens do", "[api_gateway]") {
  const Json tokens = Run({{{"op", "issue_token"}, {"user", "alice"}},
                           {{"op", "issue_token"}, {"user", "alice"}, {"ttl_s", 60}},
                           {{"op", "issue_token"}, {"user", "bob"}}})["results"];
  REQUIRE(tokens[0]["token"] != tokens[1]["token"]);
  const Json out =
      Run({{{"op", "burst"}, {"token", tokens[0]["token"]}, {"count", 10}, {"path", "/api/orders"}},
           Get(tokens[1]["token"].get<std::string>()),
           Get(tokens[2]["token"].get<std::string>()),
           Get(tokens[2]["token"].get<std::string>(), "/api/users")});
  const Json& r = out["results"];
  CHECK(r[0]["by_status"]["200"] == 10);
  CHECK(r[1]["status"] == 429);  // alice's second token: the same bucket
  CHECK(r[1]["user"] == "alice");
  CHECK(r[2]["status"] == 200);  // bob: a bucket of his own
  CHECK(r[2]["headers"]["RateLimit-Remaining"] == "9");
  // Routes without a limiter of their own share the user's default limiter.
  CHECK(r[3]["headers"]["RateLimit-Remaining"] == "8");
  const Json& users = out["snapshot"]["users"];
  REQUIRE(users.size() == 2);
  CHECK(users[0]["user"] == "alice");
  CHECK(users[0]["by_status"]["429"] == 1);
  CHECK(users[0]["limits"][0]["group"] == "default");
  CHECK(users[0]["limits"][0]["remaining"] == 0);
  CHECK(users[0]["limits"][0]["state"]["tokens"].is_number());
}

TEST_CASE("a route's own limiter is a separate group per user", "[api_gateway]") {
  const Json out = Run({{{"op", "route_add"},
                         {"prefix", "/api/search"},
                         {"service", "search"},
                         {"algorithm", "fixed_window"},
                         {"limit", 2},
                         {"window_ms", 60000}},
                        {{"op", "burst"}, {"user", "u"}, {"count", 3}, {"path", "/api/search"}},
                        ByUser("u", "/api/orders"),
                        {{"op", "limiter"}, {"algorithm", "gcra"}, {"limit", 1}},
                        ByUser("u", "/api/orders"),
                        ByUser("u", "/api/orders"),
                        ByUser("u", "/api/search")});
  const Json& r = out["results"];
  CHECK(r[0]["route"]["limiter"]["algorithm"] == "fixed_window");
  CHECK(r[0]["route"]["limiter"]["policy"] == "2;w=60");
  CHECK(r[1]["by_status"]["200"] == 2);
  CHECK(r[1]["last"]["status"] == 429);
  CHECK(r[1]["last"]["rate_limit"]["group"] == "/api/search");
  CHECK(r[1]["last"]["headers"]["RateLimit-Limit"] == "2");
  CHECK(r[1]["last"]["headers"]["Retry-After"] == "60");
  CHECK(r[2]["status"] == 200);
  CHECK(r[2]["headers"]["RateLimit-Remaining"] == "9");
  // The new default (GCRA 1/s, burst 0) restarts the default group only.
  CHECK(r[3]["limiter"]["quota"] == 1);
  CHECK(r[4]["status"] == 200);
  CHECK(r[5]["status"] == 429);
  CHECK(r[5]["headers"]["Retry-After"] == "1");
  CHECK(r[6]["status"] == 429);  // the route's fixed window still counts
}

TEST_CASE("RateLimit headers are the limiter's own decision, for every algorithm",
          "[api_gateway]") {
  const int64_t times[] = {0,    0,    0,    0,    0,    250,  400,  999,  1000, 1001,
                           1500, 2600, 2600, 2600, 2600, 2601, 3333, 5000, 5000, 5000};
  for (uint32_t a = 0; a < sdp::kAlgorithmCount; ++a) {
    const auto algorithm = static_cast<sdp::Algorithm>(a);
    const std::string name = sdp::AlgorithmName(algorithm);
    INFO(name);
    sdp::LimiterSpec spec;
    spec.algorithm = algorithm;
    spec.limit = 3;
    spec.capacity = 3;
    spec.burst = 2;
    spec.window_ms = 2000;
    auto reference = sdp::MakeLimiter(spec);
    Json steps = Json::array();
    for (int64_t t : times) steps.push_back(ByUser("u", "/api/users", t));
    const Json out = Run(steps, {{"algorithm", name}, {"limit", 3}, {"window_ms", 2000}});
    const bool nginx = algorithm == sdp::Algorithm::kLeakyBucket;
    uint32_t refused = 0;
    for (size_t i = 0; i < std::size(times); ++i) {
      INFO("request at " << times[i]);
      const sdp::Decision d = reference->Hit(times[i], 1);
      const Json& r = out["results"][i];
      const Json& h = r["headers"];
      CHECK(r["rate_limit"]["retry_after_ms"] == d.retry_after_ms);
      if (nginx) {
        // nginx limit_req: 503 by default, and no header of its own.
        CHECK(r["status"] == (d.allowed ? 200 : 503));
        CHECK(h.empty());
      } else {
        CHECK(r["status"] == (d.allowed ? 200 : 429));
        CHECK(h["RateLimit-Limit"] == "3");
        CHECK(h["RateLimit-Remaining"] == std::to_string(d.remaining));
        CHECK(h["RateLimit-Policy"] == "3;w=2");
      }
      if (d.allowed) {
        CHECK_FALSE(h.contains("Retry-After"));
        if (!nginx) CHECK(h["RateLimit-Reset"] == std::to_string((d.reset_after_ms + 999) / 1000));
      } else {
        ++refused;
        if (!nginx) {
          CHECK(h["Retry-After"] == std::to_string((d.retry_after_ms + 999) / 1000));
          CHECK(h["RateLimit-Reset"] == h["Retry-After"]);
        }
        // Waiting retry_after_ms is enough: the same request then passes.
        auto probe = sdp::MakeLimiter(spec);
        for (size_t j = 0; j < i; ++j) probe->Hit(times[j], 1);
        CHECK(probe->Hit(times[i] + d.retry_after_ms, 1).allowed);
      }
    }
    CHECK(refused > 0);
  }
}

TEST_CASE("draft-ietf-httpapi-ratelimit-headers-06: Reset names the same instant as Retry-After",
          "[api_gateway]") {
  // 10 per minute, the 11th request at once: before, Retry-After and
  // RateLimit-Reset disagreed (6 vs 60 s for the token bucket and GCRA).
  for (const char* name : {"token_bucket", "gcra", "fixed_window", "sliding_log", "sliding_counter"}) {
    INFO(name);
    Json steps = Json::array();
    steps.push_back({{"op", "burst"}, {"user", "u"}, {"count", 11}, {"path", "/api/users"}});
    const Json out = Run(steps, {{"algorithm", name}, {"limit", 10}, {"window_ms", 60000}});
    const Json& last = out["results"][0]["last"];
    REQUIRE(last["status"] == 429);
    CHECK(last["headers"]["RateLimit-Reset"] == last["headers"]["Retry-After"]);
    // The limit is the policy's quota: 10 per 60 s, not what a full bucket holds.
    CHECK(last["headers"]["RateLimit-Limit"] == "10");
    CHECK(last["headers"]["RateLimit-Policy"] == "10;w=60");
  }
  // A bucket that holds more than `limit` says so in the policy, as the
  // draft's own example "12;w=1;burst=1000" does; Limit stays the quota.
  Json steps = Json::array();
  steps.push_back(ByUser("u", "/api/users", 0));
  const Json out = Run(steps, {{"algorithm", "token_bucket"}, {"limit", 10}, {"capacity", 20}});
  const Json& h = out["results"][0]["headers"];
  CHECK(h["RateLimit-Limit"] == "10");
  CHECK(h["RateLimit-Policy"] == "10;w=1;burst=20");
  CHECK(h["RateLimit-Remaining"] == "19");
}

TEST_CASE("nginx limit_req_status: 503 by default, 429 when set, never a Retry-After",
          "[api_gateway]") {
  // ngx_http_limit_req_merge_conf defaults status_code to
  // NGX_HTTP_SERVICE_UNAVAILABLE; the module sets no header on a refusal.
  Json steps = Json::array();
  steps.push_back({{"op", "burst"}, {"user", "u"}, {"count", 3}, {"path", "/api/users"}});
  const Json limiter = {{"algorithm", "leaky_bucket"}, {"limit", 1}, {"burst", 1}};
  const Json by_default = Run(steps, limiter)["results"][0];
  CHECK(by_default["by_status"]["200"] == 2);
  CHECK(by_default["by_status"]["503"] == 1);
  CHECK(by_default["by_status"]["429"] == 0);
  const Json& refused = by_default["last"];
  CHECK(refused["status"] == 503);
  CHECK(refused["stage"] == "rate_limit");
  CHECK(refused["headers"].empty());
  CHECK_THAT(refused["reason"].get<std::string>(),
             Catch::Contains("503 (its default limit_req_status), no Retry-After") &&
                 Catch::Contains("limit_req_status 429;"));

  Json with_429 = limiter;
  with_429["limit_req_status"] = 429;
  const Json set = Run(steps, with_429)["results"][0]["last"];
  CHECK(set["status"] == 429);
  CHECK(set["headers"].empty());
  const Json snapshot = sdp::RunScenario({{"sim", "api_gateway"}, {"config", with_429}, {"steps", Json::array()}})
                            .value()["snapshot"];
  CHECK(snapshot["limiter"]["refused_with"]["status"] == 429);
  CHECK(snapshot["limiter"]["refused_with"]["nginx"] == "limit_req_status 429;");

  // Other token-bucket-like limiters keep 429 + Retry-After.
  const Json bucket = Run(steps, {{"algorithm", "gcra"}, {"limit", 1}, {"burst", 1}})["results"][0]["last"];
  CHECK(bucket["status"] == 429);
  CHECK(bucket["headers"].contains("Retry-After"));

  // Only the two statuses the gateway counts are taken.
  auto bad = sdp::RunScenario({{"sim", "api_gateway"}, {"config", {{"limit_req_status", 500}}}, {"steps", Json::array()}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("limit_req_status"));
}

TEST_CASE("gateway: same scenario, same bytes", "[api_gateway][determinism]") {
  const Json doc = {
      {"sim", "api_gateway"},
      {"steps",
       {{{"op", "burst"}, {"user", "a"}, {"count", 30}, {"path", "/api/orders"}},
        {{"op", "request"}, {"token", "x.y.z"}, {"path", "/api/users"}, {"at_ms", 10}},
        {{"op", "limiter"}, {"algorithm", "leaky_bucket"}, {"burst", 3}},
        {{"op", "burst"}, {"user", "b"}, {"count", 6}, {"path", "/static/a"}, {"at_ms", 20}}}}};
  const auto first = sdp::RunScenarioText(doc.dump());
  REQUIRE(first.ok());
  CHECK(first.value() == sdp::RunScenarioText(doc.dump()).value());
  // nginx semantics reach the gateway: burst 3 admits 4, delayed 0-300 ms.
  const Json out = Json::parse(first.value());
  CHECK(out["results"][3]["by_status"]["200"] == 4);
  CHECK(out["results"][3]["first"][3]["rate_limit"]["delay_ms"] == 300);
  CHECK_THAT(out["results"][3]["first"][3]["reason"].get<std::string>(),
             Catch::Contains("nginx limit_req would first hold it 300 ms"));
}

TEST_CASE("gateway: refused steps say why and change nothing", "[api_gateway]") {
  const Json good = {ByUser("alice", "/api/orders", 100),
                     {{"op", "route_add"}, {"prefix", "/api/pay"}, {"service", "pay"}},
                     ByUser("bob", "/api/pay/1", 200)};
  const Json bad[] = {
      {{"op", "request"}, {"user", "alice"}, {"path", "/api/orders"}, {"at_ms", 50}},
      {{"op", "request"}, {"user", "alice"}, {"token", "a.b.c"}, {"path", "/x"}},
      {{"op", "request"}, {"user", "alice"}, {"path", "api/orders"}},
      {{"op", "burst"}, {"user", "alice"}, {"count", 3}, {"path", "nope"}},
      {{"op", "route_add"}, {"prefix", "api"}, {"service", "s"}},
      {{"op", "route_add"}, {"prefix", "/api/"}, {"service", "s"}},
      {{"op", "route_add"}, {"prefix", "/a//b"}, {"service", "s"}},
      {{"op", "route_add"}, {"prefix", "/a?b"}, {"service", "s"}},
      {{"op", "route_add"}, {"prefix", "/api/orders"}, {"service", "s"}},
      {{"op", "route_add"}, {"prefix", "/b"}, {"service", "s"}, {"methods", "get"}},
      {{"op", "route_add"}, {"prefix", "/b"}, {"service", "s"}, {"methods", "GET,,POST"}},
      {{"op", "route_add"}, {"prefix", "/b"}, {"service", "s"}, {"capacity", 0}},
      {{"op", "route_add"},
       {"prefix", "/b"},
       {"service", "s"},
       {"algorithm", "gcra"},
       {"capacity", 5}},
      {{"op", "route_remove"}, {"prefix", "/nope"}},
      {{"op", "service"}, {"name", "nope"}, {"up", false}},
      {{"op", "limiter"}, {"algorithm", "leaky_bucket"}, {"nodelay", true}, {"delay", 2}},
      {{"op", "limiter"}, {"limit", -1}},
      {{"op", "issue_token"}, {"user", "a"}, {"forge", "expired"}, {"ttl_s", 5}},
      {{"op", "advance"}, {"ms", 4000000000}},
  };
  Json with_errors = Json::array();
  with_errors.push_back(good[0]);
  for (const Json& b : bad) with_errors.push_back(b);
  with_errors.push_back(good[1]);
  with_errors.push_back(good[2]);
  const Json a = Run(good);
  const Json b = Run(with_errors);
  CHECK(a["snapshot"] == b["snapshot"]);
  const Json& r = b["results"];
  const char* const must_name[] = {"\"at_ms\"",    "\"token\" and \"user\"",
                                   "\"path\"",     "\"path\"",
                                   "\"prefix\"",   "\"prefix\"",
                                   "\"prefix\"",   "\"prefix\"",
                                   "\"prefix\"",   "\"methods\"",
                                   "\"methods\"",  "\"capacity\"",
                                   "\"capacity\"", "\"prefix\"",
                                   "\"name\"",     "\"nodelay\"",
                                   "\"limit\"",    "\"ttl_s\"",
                                   "\"ms\""};
  for (size_t i = 0; i < std::size(bad); ++i) {
    INFO(bad[i].dump());
    REQUIRE(r[i + 1].contains("error"));
    CHECK_THAT(r[i + 1]["error"].get<std::string>(), Catch::Contains(must_name[i]));
  }
  CHECK(r[5]["error"] ==
        "route_add: field \"prefix\" must start with \"/\" (e.g. \"/api/orders\")");
  CHECK(r[9]["error"] ==
        "route_add: field \"prefix\": a route for \"/api/orders\" already exists; route_remove it "
        "first");
  CHECK(r[13]["error"] == "route_add: field \"capacity\" applies to token_bucket only, not gcra");
  CHECK(r[14]["error"] ==
        "route_remove: field \"prefix\": no route \"/nope\"; the routes are: /api/orders, "
        "/api/users, /static");
}

TEST_CASE("caps: users and routes are bounded, past a cap the op is refused", "[api_gateway]") {
  auto sim = sdp::CreateSim(*sdp::FindSim("api_gateway"), 1, {{"default_routes", false}});
  REQUIRE(sim.ok());
  const sdp::SimInfo& info = *sdp::FindSim("api_gateway");
  for (uint32_t i = 0; i < sdp::ApiGatewaySim::kMaxUsers; ++i) {
    REQUIRE(sdp::ApplyStep(info, *sim.value(), ByUser("u" + std::to_string(i), "/x")).ok());
  }
  for (uint32_t i = 0; i < sdp::ApiGatewaySim::kMaxRoutes; ++i) {
    REQUIRE(sdp::ApplyStep(info, *sim.value(),
                           {{"op", "route_add"},
                            {"prefix", "/r" + std::to_string(i)},
                            {"service", "s" + std::to_string(i)}})
                .ok());
  }
  const Json before = sim.value()->Snapshot(sdp::Simulation::Detail::kFull);
  const auto user = sdp::ApplyStep(info, *sim.value(), ByUser("one-more", "/x"));
  CHECK_THAT(user.message(), Catch::Contains("maximum of 1000 users"));
  const auto route = sdp::ApplyStep(info, *sim.value(),
                                    {{"op", "route_add"}, {"prefix", "/more"}, {"service", "s0"}});
  CHECK_THAT(route.message(), Catch::Contains("maximum of 64 routes"));
  CHECK(sim.value()->Snapshot(sdp::Simulation::Detail::kFull) == before);
  // A known user still gets through; the recent list keeps the last 100.
  CHECK(sdp::ApplyStep(info, *sim.value(), ByUser("u7", "/r7")).ok());
  const Json snap = sim.value()->Snapshot(sdp::Simulation::Detail::kSummary);
  CHECK(snap["recent"].size() == 100);
  CHECK(snap["recent"].back()["service"] == "s7");
  CHECK(snap["users"][0]["limits"][0].count("state") == 0);  // kSummary
  CHECK(sim.value()->Work() == sdp::ApiGatewaySim::kMaxUsers + 1);
}

TEST_CASE("columns mirror the recent requests", "[api_gateway]") {
  auto created = sdp::CreateSim(*sdp::FindSim("api_gateway"), 1, {{"recent", 3}});
  REQUIRE(created.ok());
  sdp::Simulation& sim = *created.value();
  const sdp::SimInfo& info = *sdp::FindSim("api_gateway");
  for (const Json& step :
       {Json{{"op", "request"}, {"path", "/api/orders"}}, ByUser("a", "/api/orders", 5),
        ByUser("b", "/zzz", 7), ByUser("a", "/static/x", 9)}) {
    REQUIRE(sdp::ApplyStep(info, sim, step).ok());
  }
  CHECK(sim.Column("recent_status") == std::vector<uint32_t>{200, 404, 200});
  CHECK(sim.Column("recent_at_ms") == std::vector<uint32_t>{5, 7, 9});
  CHECK(sim.Column("recent_stage") == std::vector<uint32_t>{3, 2, 3});
  CHECK(sim.Column("recent_user") == std::vector<uint32_t>{0, 1, 0});
  CHECK(sim.Column("nope").empty());
}

}  // namespace api_gateway_test
