// The search_index sim's Query DSL additions: match_phrase (Lucene 8's
// exact and sloppy phrase frequencies, summed idf), sort and search_after,
// highlight, and the terms aggregation, with ES's error texts.
// tests/js/search_lucene_diff.test.mjs checks phrase scores against the real Lucene.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sdp/search/bm25.h"
#include "sdp/search/phrase.h"
#include "sdp/search_index_sim.h"
#include "sim_test_util.h"

namespace search_index_dsl_test {

namespace {

using sdp::Json;
namespace search = sdp::search;

Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("search_index", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) {
  return sim_test::Refused("search_index", sim, step);
}

Json Search(sdp::Simulation& sim, const Json& args) {
  Json step = {{"op", "search"}};
  for (const auto& [key, value] : args.items()) {
    step[key] = (key == "from" || key == "size" || key == "explain") ? value : Json(value.dump());
  }
  return Step(sim, step);
}

// Title lengths 4, 3, 2; tags and prices for sorting and facets.
std::unique_ptr<sdp::Simulation> Foxes() {
  auto sim = sim_test::Make("search_index", 7, {{"auto_merge", false}});
  const Json docs[] = {{{"title", "The quick brown fox"}, {"tag", "fox"}, {"price", 30}},
                       {{"title", "quick quick dog"}, {"tag", "dog"}, {"price", 10}},
                       {{"title", "lazy dog"}, {"tag", "dog"}},
                       {{"body", "no title. A brown bear, then a quick brown hare! The end"}, {"tag", "bear"}, {"price", 30}}};
  int id = 1;
  for (const Json& doc : docs) Step(*sim, {{"op", "index"}, {"id", std::to_string(id++)}, {"doc", doc.dump()}});
  Step(*sim, {{"op", "refresh"}});
  return sim;
}

std::vector<std::string> Ids(const Json& result) {
  std::vector<std::string> out;
  for (const Json& h : result["hits"]["hits"]) out.push_back(h["_id"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("match_phrase: exact phrases count matches, sloppy ones 1/(1+distance), idf summed", "[search]") {
  auto sim = Foxes();
  // title: N = 3 docs with a title, avgdl = 9 / 3 = 3. "quick" n = 2, "brown" n = 1.
  const double idf = std::log(1.6) + std::log(1.0 + 2.5 / 1.5);
  const Json exact = Search(*sim, {{"query", {{"match_phrase", {{"title", "Quick, brown!"}}}}}, {"explain", true}});
  REQUIRE(Ids(exact) == std::vector<std::string>{"1"});
  // Doc 1: freq 1, dl 4: tf = 1 / (1 + 1.2 * (0.25 + 0.75 * 4 / 3)) = 0.4.
  const float score = exact["hits"]["hits"][0]["_score"].get<float>();
  CHECK(score == Approx(idf * 0.4).epsilon(1e-6));
  const Json& leaf = exact["hits"]["hits"][0]["_explanation"]["details"][0];
  CHECK(exact["hits"]["hits"][0]["_explanation"]["description"] ==
        "weight(title:\"quick brown\" in 0) [BM25Similarity], result of:");
  CHECK(leaf["description"] == "score(freq=1.0), computed as boost * idf * tf from:");
  CHECK(leaf["details"][0]["description"] == "idf, sum of:");
  CHECK(leaf["details"][0]["details"].size() == 2);
  CHECK(leaf["details"][0]["value"].get<float>() ==
        static_cast<float>(static_cast<double>(search::Bm25Idf(2, 3)) + static_cast<double>(search::Bm25Idf(1, 3))));

  // Reversed words need a slop of 2; the match then weighs 1 / (1 + 2).
  CHECK(Search(*sim, {{"query", {{"match_phrase", {{"title", "brown quick"}}}}}})["hits"]["total"]["value"] == 0);
  CHECK(Search(*sim, {{"query", {{"match_phrase", {{"title", {{"query", "brown quick"}, {"slop", 1}}}}}}}})["hits"]["total"]["value"] == 0);
  const Json sloppy = Search(*sim, {{"query", {{"match_phrase", {{"title", {{"query", "brown quick"}, {"slop", 2}}}}}}},
                                    {"explain", true}});
  REQUIRE(Ids(sloppy) == std::vector<std::string>{"1"});
  const double third = 1.0 / 3.0;
  CHECK(sloppy["hits"]["hits"][0]["_score"].get<float>() == Approx(idf * third / (third + 1.2 * 1.25)).epsilon(1e-6));
  CHECK(sloppy["hits"]["hits"][0]["_explanation"]["details"][0]["description"] ==
        "score(freq=0.33333334), computed as boost * idf * tf from:");

  // "quick quick dog": the exact phrase "quick dog" once, "quick quick" once.
  CHECK(Ids(Search(*sim, {{"query", {{"match_phrase", {{"title", "quick dog"}}}}}})) == std::vector<std::string>{"2"});
  CHECK(Ids(Search(*sim, {{"query", {{"match_phrase", {{"title", "quick quick"}}}}}})) == std::vector<std::string>{"2"});
  // One token is a term query; none matches nothing.
  CHECK(Search(*sim, {{"query", {{"match_phrase", {{"title", "DOG"}}}}}})["hits"]["total"]["value"] == 2);
  CHECK(Search(*sim, {{"query", {{"match_phrase", {{"title", "!!"}}}}}})["hits"]["total"]["value"] == 0);

  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"match_phrase":{"title":{"query":"a b","slop":-1}}})"}}),
             Catch::Contains("[illegal_argument_exception] No negative slop allowed."));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"match_phrase":{"title":{"query":"a b","fuzzy":1}}})"}}),
             Catch::Contains("[parsing_exception] [match_phrase] query does not support [fuzzy]"));
}

TEST_CASE("The phrase matcher by hand, and Java's Float.toString", "[search]") {
  uint64_t work = 0;
  const std::vector<uint32_t> a = {0, 5, 9};
  const std::vector<uint32_t> b = {1, 7, 10};
  // Exact "a b": at 0 and 9.
  CHECK(search::PhraseFreq({&a, &b}, {0, 1}, 0, &work) == 2.0f);
  // Slop 1 also allows a gap of one word (5 -> 7): 1 + 1/2 + 1.
  CHECK(search::PhraseFreq({&a, &b}, {0, 1}, 1, &work) == 2.5f);
  CHECK(work > 0);
  CHECK(search::PhraseRepeatsTerm({"to", "be", "to"}));
  CHECK_FALSE(search::PhraseRepeatsTerm({"to", "be"}));
  CHECK(search::JavaFloatText(2.0f) == "2.0");
  CHECK(search::JavaFloatText(0.5f) == "0.5");
  CHECK(search::JavaFloatText(1.0f / 3.0f) == "0.33333334");
  CHECK(search::JavaFloatText(1.25f) == "1.25");
  CHECK(search::JavaFloatText(100.0f) == "100.0");
}

TEST_CASE("sort and search_after: ES's order, missing last, ties by doc id, and its errors", "[search]") {
  auto sim = Foxes();
  const Json by_price = Search(*sim, {{"sort", {{{"price", "desc"}}, "_doc"}}, {"size", 2}});
  CHECK(Ids(by_price) == std::vector<std::string>{"1", "4"});
  CHECK(by_price["hits"]["hits"][0]["_score"].is_null());
  CHECK(by_price["hits"]["max_score"].is_null());
  CHECK(by_price["hits"]["hits"][1]["sort"] == Json::array({30, 3}));
  // The next page from the last hit's sort values; doc 3 has no price: last.
  const Json next = Search(*sim, {{"sort", {{{"price", "desc"}}, "_doc"}}, {"search_after", {30, 3}}});
  CHECK(Ids(next) == std::vector<std::string>{"2", "3"});
  CHECK(next["hits"]["hits"][1]["sort"] == Json::array({nullptr, 2}));
  CHECK(next["hits"]["total"]["value"] == 4);  // total counts every match
  // Equal values are skipped by search_after (ES's FieldDoc doc is MAX_VALUE).
  CHECK(Ids(Search(*sim, {{"sort", {"tag"}}, {"search_after", {"dog"}}})) == std::vector<std::string>{"1"});
  // Keyword ascending, ties by doc id; _score as a key keeps scores.
  const Json by_tag = Search(*sim, {{"query", {{"match", {{"title", "dog"}}}}}, {"sort", {"tag", "_score"}}});
  CHECK(Ids(by_tag) == std::vector<std::string>{"3", "2"});
  CHECK(by_tag["hits"]["hits"][0]["sort"][1].get<float>() == by_tag["hits"]["hits"][0]["_score"].get<float>());
  CHECK(by_tag["hits"]["hits"][0]["sort"][1].get<float>() > by_tag["hits"]["hits"][1]["sort"][1].get<float>());

  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"search_after", "[1]"}}),
             Catch::Contains("search: field \"search_after\": [illegal_argument_exception] Sort must contain at least one field."));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[\"_score\"]"}, {"search_after", "[1]"}}),
             Catch::Contains("Sort must contain at least one field."));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[\"price\"]"}, {"search_after", "[1,2]"}}),
             Catch::Contains("[illegal_argument_exception] search_after has 2 value(s) but sort has 1."));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[\"price\"]"}, {"search_after", "[1]"}, {"from", 1}}),
             Catch::Contains("`from` parameter must be set to 0 when `search_after` is used."));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[\"title\"]"}}),
             Catch::Contains("search: field \"sort\": [illegal_argument_exception] Text fields are not optimised"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[\"color\"]"}}),
             Catch::Contains("No mapping found for [color] in order to sort on"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"sort", "[{\"price\":\"up\"}]"}}),
             Catch::Contains("Unknown SortOrder [up]"));
}

TEST_CASE("terms aggregation: doc_count desc then key asc, size, sum_other_doc_count", "[search]") {
  auto sim = Foxes();
  const Json all = Search(*sim, {{"aggs", {{"tags", {{"terms", {{"field", "tag"}, {"size", 2}}}}}}}, {"size", 0}});
  const Json& tags = all["aggregations"]["tags"];
  CHECK(tags["doc_count_error_upper_bound"] == 0);
  CHECK(tags["buckets"] == Json::parse(R"([{"key":"dog","doc_count":2},{"key":"bear","doc_count":1}])"));
  CHECK(tags["sum_other_doc_count"] == 1);
  // Over the query's matches, not the page; integers as numeric keys.
  const Json quick = Search(*sim, {{"query", {{"match", {{"title", "quick"}}}}},
                                   {"aggs", {{"p", {{"terms", {{"field", "price"}}}}}}},
                                   {"size", 1}});
  CHECK(quick["aggregations"]["p"]["buckets"] == Json::parse(R"([{"key":10,"doc_count":1},{"key":30,"doc_count":1}])"));
  CHECK(Search(*sim, {{"aggs", {{"x", {{"terms", {{"field", "color"}}}}}}}})["aggregations"]["x"]["buckets"].empty());
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"aggs", R"({"t":{"terms":{"field":"title"}}})"}}),
             Catch::Contains("search: field \"aggs\": [illegal_argument_exception] Text fields are not optimised"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"aggs", R"({"t":{"terms":{"field":"tag","size":0}}})"}}),
             Catch::Contains("[size] must be greater than 0. Found [0] in [t]"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"aggs", R"({"t":{"avg":{"field":"price"}}})"}}),
             Catch::Contains("Unknown aggregation type [avg]"));
}

TEST_CASE("highlight: <em> around the query's terms, by analyzer offsets, in sentence fragments", "[search]") {
  auto sim = Foxes();
  const Json r = Search(*sim, {{"query", {{"bool", {{"should", {{{"match", {{"title", "QUICK fox"}}}},
                                                                 {{"match_phrase", {{"body", "brown hare"}}}}}}}}}},
                               {"highlight", {{"fields", {{"title", Json::object()}, {"body", Json::object()}}}}}});
  REQUIRE(r["hits"]["total"]["value"] == 3);
  for (const Json& h : r["hits"]["hits"]) {
    if (h["_id"] == "1") CHECK(h["highlight"]["title"] == Json::array({"The <em>quick</em> brown <em>fox</em>"}));
    if (h["_id"] == "2") CHECK(h["highlight"]["title"] == Json::array({"<em>quick</em> <em>quick</em> dog"}));
    if (h["_id"] == "4") {
      // Each sentence with a match is a fragment; the one without is left out.
      CHECK(h["highlight"]["body"] ==
            Json::array({"A <em>brown</em> bear, then a quick <em>brown</em> <em>hare</em>!"}));
      CHECK_FALSE(h["highlight"].contains("title"));
    }
  }
  const Json whole = Search(*sim, {{"query", {{"match", {{"body", "end"}}}}},
                                   {"highlight", {{"fields", {{"body", {{"number_of_fragments", 0}}}}},
                                                  {"pre_tags", {"["}}, {"post_tags", {"]"}}}}});
  CHECK(whole["hits"]["hits"][0]["highlight"]["body"] ==
        Json::array({"no title. A brown bear, then a quick brown hare! The [end]"}));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"highlight", R"({"fields":{"title":{"fragment_size":5}}})"}}),
             Catch::Contains("search: field \"highlight\": [illegal_argument_exception] [highlight] fragment_size"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"highlight", R"({"fields":{"title":{}},"boundary_chars":"."})"}}),
             Catch::Contains("[highlight] unknown field [boundary_chars]"));
}

}  // namespace search_index_dsl_test
