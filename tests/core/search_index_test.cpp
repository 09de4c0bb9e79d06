// The `search_index` sim: Lucene 8's SmallFloat length encoding and BM25
// (hand-computed cases), StandardTokenizer's ASCII word breaks, segments and
// live-docs deletes (statistics keep deleted docs until a merge), the
// tiered merge policy, the max_result_window limit and ES's error texts.
// tests/js/search_lucene_diff.test.mjs checks the same against the real Lucene.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sdp/search/analyzer.h"
#include "sdp/search/bm25.h"
#include "sdp/search_index_sim.h"
#include "sim_test_util.h"

namespace search_index_test {

namespace {

using sdp::Json;
namespace search = sdp::search;

std::unique_ptr<sdp::Simulation> Make(const Json& config = Json::object()) {
  return sim_test::Make("search_index", 7, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("search_index", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) {
  return sim_test::Refused("search_index", sim, step);
}

void Index(sdp::Simulation& sim, const std::string& id, const Json& doc) {
  Step(sim, {{"op", "index"}, {"id", id}, {"doc", doc.dump()}});
}

Json Search(sdp::Simulation& sim, const Json& query, int size = 10, bool explain = false) {
  return Step(sim, {{"op", "search"}, {"query", query.dump()}, {"size", size}, {"explain", explain}})["hits"];
}

std::vector<std::string> Terms(const std::string& text) {
  std::vector<std::string> out;
  for (const search::Token& t : search::StandardAnalyze(text)) out.push_back(t.term);
  return out;
}

// The three-document index the hand-computed cases use: title lengths 4, 3, 2.
std::unique_ptr<sdp::Simulation> Foxes() {
  auto sim = Make({{"auto_merge", false}});
  Index(*sim, "1", {{"title", "The quick brown fox"}});
  Index(*sim, "2", {{"title", "quick quick dog"}});
  Index(*sim, "3", {{"title", "lazy dog"}});
  Step(*sim, {{"op", "refresh"}});
  return sim;
}

}  // namespace

TEST_CASE("SmallFloat.intToByte4 keeps lengths 0-40 exactly, then 4 significant bits", "[search]") {
  for (uint32_t i = 0; i <= 40; ++i) CHECK(search::Byte4ToInt(search::IntToByte4(i)) == i);
  CHECK(search::Byte4ToInt(search::IntToByte4(41)) == 40);
  CHECK(search::Byte4ToInt(search::IntToByte4(42)) == 42);
  CHECK(search::Byte4ToInt(search::IntToByte4(100)) == 96);
  CHECK(search::Byte4ToInt(search::IntToByte4(1000)) == 984);
  // NUM_FREE_VALUES = 24 encode themselves; the last byte is 2013265944.
  CHECK(search::IntToByte4(23) == 23);
  CHECK(search::Byte4ToInt(255) == 2013265944u);
  // Monotonic, and never above the length it encodes.
  uint32_t previous = 0;
  uint32_t broken_at = 0;
  for (uint32_t i = 1; i < 200000 && broken_at == 0; ++i) {
    const uint32_t decoded = search::Byte4ToInt(search::IntToByte4(i));
    if (decoded > i || decoded < previous) broken_at = i;
    previous = decoded;
  }
  CHECK(broken_at == 0);
}

TEST_CASE("BM25 by hand: idf, avgdl and the float score of Lucene 8", "[search]") {
  // title: N = 3 docs, sumTotalTermFreq = 4 + 3 + 2 = 9, avgdl = 3.
  // "quick": n = 2, idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6).
  CHECK(search::Bm25Idf(2, 3) == static_cast<float>(std::log(1.6)));
  CHECK(search::Bm25AvgFieldLength(9, 3) == 3.0f);
  // Doc 2: freq 2, dl 3 = avgdl, so tf = 2 / (2 + 1.2) = 0.625.
  // Doc 1: freq 1, dl 4, tf = 1 / (1 + 1.2 * (0.25 + 0.75 * 4 / 3)) = 1 / 2.5 = 0.4.
  const float idf = static_cast<float>(std::log(1.6));  // 0.47000363
  auto sim = Foxes();
  const Json hits = Search(*sim, {{"match", {{"title", "QUICK"}}}}, 10, true);
  REQUIRE(hits["total"]["value"] == 2);
  REQUIRE(hits["hits"][0]["_id"] == "2");
  REQUIRE(hits["hits"][1]["_id"] == "1");
  const float s2 = hits["hits"][0]["_score"].get<float>();
  const float s1 = hits["hits"][1]["_score"].get<float>();
  CHECK(s2 == Approx(idf * 0.625f).epsilon(1e-6));
  CHECK(s1 == Approx(idf * 0.4f).epsilon(1e-6));
  // The exact floats, as the real Lucene 8.7.0 scores these three documents
  // (w - w / (1 + freq / norm) rounds differently from idf * tf).
  CHECK(s2 == 0.2937522530555725f);
  CHECK(s1 == 0.18800145387649536f);
  // The explanation carries the same numbers, as Lucene's Explanation does.
  const Json& leaf = hits["hits"][0]["_explanation"]["details"][0];
  CHECK(leaf["description"] == "score(freq=2.0), computed as boost * idf * tf from:");
  CHECK(leaf["value"].get<float>() == s2);
  CHECK(leaf["details"][0]["value"].get<float>() == idf);
  CHECK(leaf["details"][0]["details"][0]["value"] == 2);  // n
  CHECK(leaf["details"][0]["details"][1]["value"] == 3);  // N
  CHECK(leaf["details"][1]["value"].get<float>() == Approx(0.625f).epsilon(1e-6));
  CHECK(leaf["details"][1]["details"][4]["value"].get<float>() == 3.0f);  // avgdl
}

TEST_CASE("BM25 bool: must and should scores add in double, one float rounding each", "[search]") {
  auto sim = Foxes();
  const float quick = Search(*sim, {{"term", {{"title", "quick"}}}})["hits"][0]["_score"].get<float>();
  // Doc 2's "dog" score (doc 3, the shorter title, ranks first).
  const Json dogs = Search(*sim, {{"term", {{"title", "dog"}}}});
  REQUIRE(dogs["hits"][1]["_id"] == "2");
  const float dog = dogs["hits"][1]["_score"].get<float>();
  const Json both = Search(*sim, {{"bool", {{"must", {{{"term", {{"title", "quick"}}}}}},
                                            {"should", {{{"term", {{"title", "dog"}}}}}}}}});
  REQUIRE(both["hits"][0]["_id"] == "2");
  CHECK(both["hits"][0]["_score"].get<float>() ==
        static_cast<float>(static_cast<double>(quick) + static_cast<double>(dog)));
  // filter and must_not never score; a pure negative bool matches the rest with 0.
  const Json filtered = Search(*sim, {{"bool", {{"filter", {{{"term", {{"title", "dog"}}}}}}}}});
  CHECK(filtered["total"]["value"] == 2);
  CHECK(filtered["hits"][0]["_score"].get<double>() == 0.0);
  const Json negative = Search(*sim, {{"bool", {{"must_not", {{{"term", {{"title", "dog"}}}}}}}}});
  REQUIRE(negative["total"]["value"] == 1);
  CHECK(negative["hits"][0]["_id"] == "1");
  // term is not analyzed: "Quick" is no term of the index.
  CHECK(Search(*sim, {{"term", {{"title", "Quick"}}}})["total"]["value"] == 0);
  // An unmapped field matches nothing, as in ES.
  CHECK(Search(*sim, {{"match", {{"color", "red"}}}})["total"]["value"] == 0);
}

TEST_CASE("StandardTokenizer's ASCII word breaks (UAX#29 as Lucene's JFlex grammar has them)", "[search]") {
  CHECK(Terms("Can't stop: U.S.A. e-mail 3.14 1,000 foo:bar x_1") ==
        std::vector<std::string>{"can't", "stop", "u.s.a", "e", "mail", "3.14", "1,000", "foo:bar", "x_1"});
  CHECK(Terms("a..b 1.5a a1.5 x.5 2,b 12:30 __ _id_ 'quoted'") ==
        std::vector<std::string>{"a", "b", "1.5a", "a1.5", "x", "5", "2", "b", "12", "30", "_id_", "quoted"});
  CHECK(Terms("").empty());
  CHECK(Terms("!!! ... ---").empty());
  const std::vector<search::Token> tokens = search::StandardAnalyze("Hi, you");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[1].position == 1);
  CHECK(tokens[1].start == 4);
  CHECK(tokens[1].end == 7);
  // Longer words are cut at 255 bytes, as StandardTokenizer's buffer does.
  const std::vector<std::string> long_word = Terms(std::string(300, 'a'));
  REQUIRE(long_word.size() == 2);
  CHECK(long_word[0].size() == 255);
  CHECK(long_word[1].size() == 45);
}

TEST_CASE("the inverted index: terms with doc and total frequencies, postings with positions", "[search]") {
  auto sim = Foxes();
  const Json terms = Step(*sim, {{"op", "terms"}, {"field", "title"}, {"prefix", "q"}});
  CHECK(terms["terms"] == Json::parse(R"([{"doc_freq":2,"term":"quick","total_term_freq":3}])"));
  const Json all = Step(*sim, {{"op", "terms"}, {"field", "title"}});
  CHECK(all["terms"].size() == 6);  // brown dog fox lazy quick the
  CHECK(all["terms"][0]["term"] == "brown");
  const Json postings = Step(*sim, {{"op", "postings"}, {"field", "title"}, {"term", "quick"}});
  CHECK(postings["doc_freq"] == 2);
  const Json& list = postings["segments"][0]["postings"];
  REQUIRE(list.size() == 2);
  CHECK(list[0] == Json::parse(R"({"_id":"1","doc":0,"freq":1,"live":true,"positions":[1]})"));
  CHECK(list[1] == Json::parse(R"({"_id":"2","doc":1,"freq":2,"live":true,"positions":[0,1]})"));
  CHECK_THAT(Refused(*sim, {{"op", "postings"}, {"field", "price"}, {"term", "1"}}),
             Catch::Contains("field \"field\": [price] is not a text or keyword field"));
}

TEST_CASE("segments: refresh makes docs visible; deletes stay in the statistics until a merge", "[search]") {
  auto sim = Foxes();
  Index(*sim, "4", {{"title", "quick red fox"}});
  // Not refreshed: not searchable yet.
  CHECK(Search(*sim, {{"match", {{"title", "red"}}}})["total"]["value"] == 0);
  Step(*sim, {{"op", "refresh"}});
  CHECK(Search(*sim, {{"match", {{"title", "red"}}}})["total"]["value"] == 1);
  Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["segments"].size() == 2);

  const Json lazy_before = Search(*sim, {{"match", {{"title", "lazy"}}}})["hits"][0]["_score"];
  CHECK(Step(*sim, {{"op", "delete"}, {"id", "2"}})["result"] == "deleted");
  CHECK(Step(*sim, {{"op", "delete"}, {"id", "2"}})["result"] == "not_found");
  Step(*sim, {{"op", "refresh"}});
  const Json after_delete = Search(*sim, {{"match", {{"title", "dog"}}}});
  REQUIRE(after_delete["total"]["value"] == 1);
  CHECK(after_delete["hits"][0]["_id"] == "3");
  // Doc 3's score is unchanged: doc 2 still counts in docFreq and docCount.
  CHECK(Search(*sim, {{"match", {{"title", "lazy"}}}})["hits"][0]["_score"] == lazy_before);
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["segments"][0]["deleted"] == 1);
  CHECK(snap["fields"]["title"]["doc_count"] == 4);

  const Json merged = Step(*sim, {{"op", "force_merge"}, {"max_segments", 1}});
  CHECK(merged["segments"] == 1);
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["segments"][0]["deleted"] == 0);
  CHECK(snap["fields"]["title"]["doc_count"] == 3);
  CHECK(snap["counters"]["deletes_purged"] == 1);
  CHECK(snap["counters"]["write_amplification"].get<double>() > 1.0);
  // Now N = 3 and avgdl changed: "lazy" scores differently.
  CHECK(Search(*sim, {{"match", {{"title", "lazy"}}}})["hits"][0]["_score"] != lazy_before);
}

TEST_CASE("segments: an update replaces; a fully deleted segment is dropped at refresh", "[search]") {
  auto sim = Make({{"auto_merge", false}});
  Index(*sim, "a", {{"title", "one"}});
  Step(*sim, {{"op", "refresh"}});
  const Json updated = Step(*sim, {{"op", "index"}, {"id", "a"}, {"doc", R"({"title":"two"})"}});
  CHECK(updated["result"] == "updated");
  const Json refreshed = Step(*sim, {{"op", "refresh"}});
  CHECK(refreshed["dropped_fully_deleted"] == Json::array({"_0"}));
  CHECK(Search(*sim, {{"match", {{"title", "one"}}}})["total"]["value"] == 0);
  CHECK(Search(*sim, {{"match", {{"title", "two"}}}})["hits"][0]["_id"] == "a");
  // Auto ids: 20 characters, deterministic per seed.
  const Json a = Step(*sim, {{"op", "index"}, {"doc", R"({"title":"x"})"}});
  CHECK(a["_id"].get<std::string>().size() == 20);
  auto again = Make({{"auto_merge", false}});
  Index(*again, "a", {{"title", "one"}});
  Step(*again, {{"op", "refresh"}});
  Step(*again, {{"op", "index"}, {"id", "a"}, {"doc", R"({"title":"two"})"}});
  Step(*again, {{"op", "refresh"}});
  CHECK(Step(*again, {{"op", "index"}, {"doc", R"({"title":"x"})"}})["_id"] == a["_id"]);
}

TEST_CASE("tiered merge policy: at most segments_per_tier small segments, deletes purged", "[search]") {
  auto sim = Make({{"segments_per_tier", 4}, {"max_merge_at_once", 4}, {"floor_segment_docs", 10}});
  uint64_t merges = 0;
  for (int i = 0; i < 40; ++i) {
    Index(*sim, "d" + std::to_string(i), {{"title", "doc number " + std::to_string(i)}});
    if (i % 3 == 0) Step(*sim, {{"op", "delete"}, {"id", "d" + std::to_string(i / 2)}});
    const Json r = Step(*sim, {{"op", "refresh"}});
    merges += r["merges"].size();
    CHECK(r["segments"].get<uint32_t>() <= 4);
  }
  CHECK(merges > 0);
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["counters"]["write_amplification"].get<double>() > 1.0);
  // Every live doc is still found exactly once.
  CHECK(Search(*sim, {{"match", {{"title", "doc"}}}}, 0)["total"]["value"] ==
        snap["docs"]["live"]);
}

TEST_CASE("pagination: from + size above index.max_result_window is ES's error", "[search]") {
  auto sim = Foxes();
  CHECK(Step(*sim, {{"op", "search"}, {"from", 9990}, {"size", 10}})["hits"]["hits"].empty());
  const std::string message = Refused(*sim, {{"op", "search"}, {"from", 9991}, {"size", 10}});
  CHECK(message ==
        "search: fields \"from\" + \"size\": [illegal_argument_exception] Result window is too large, "
        "from + size must be less than or equal to: [10000] but was [10001]. See the scroll api for a "
        "more efficient way to request large data sets. This limit can be set by changing the "
        "[index.max_result_window] index level setting.");
  const Json page = Step(*sim, {{"op", "search"}, {"from", 1}, {"size", 1}});
  CHECK(page["hits"]["total"]["value"] == 3);
  CHECK(page["hits"]["hits"].size() == 1);
  CHECK(page["hits"]["hits"][0]["_id"] == "2");  // match_all: score 1, doc order
}

TEST_CASE("bad documents and queries: ES's exception types, nothing changes", "[search]") {
  auto sim = Foxes();
  CHECK(Refused(*sim, {{"op", "index"}, {"id", "9"}, {"doc", R"({"colour":"red"})"}}) ==
        "index: field \"doc\": [strict_dynamic_mapping_exception] mapping set to strict, dynamic "
        "introduction of [colour] within [_doc] is not allowed");
  CHECK(Refused(*sim, {{"op", "index"}, {"id", "9"}, {"doc", R"({"price":"cheap"})"}}) ==
        "index: field \"doc\": [mapper_parsing_exception] failed to parse field [price] of type "
        "[integer] in document with id '9'. Preview of field's value: 'cheap' (caused by: For input "
        "string: \"cheap\")");
  CHECK_THAT(Refused(*sim, {{"op", "index"}, {"doc", R"({"price":3000000000})"}}),
             Catch::Contains("is out of range for an integer"));
  CHECK_THAT(Refused(*sim, {{"op", "index"}, {"doc", "[1]"}}), Catch::Contains("must be a JSON object"));
  CHECK_THAT(Refused(*sim, {{"op", "index"}, {"doc", "{]"}}), Catch::Contains("not valid JSON"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"fuzzy":{"title":"x"}})"}}),
             Catch::Contains("[parsing_exception] unknown query [fuzzy]"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"bool":{"shold":[]}})"}}),
             Catch::Contains("[bool] query does not support [shold]"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"match":{"title":"a","body":"b"}})"}}),
             Catch::Contains("[match] query doesn't support multiple fields, found [body] and [title]"));
  CHECK_THAT(Refused(*sim, {{"op", "search"}, {"query", R"({"term":{"price":"abc"}})"}}),
             Catch::Contains("[query_shard_exception] failed to create query: For input string: \"abc\""));
  // A string into an integer field is coerced, as ES does.
  Index(*sim, "5", {{"price", "42"}});
  Step(*sim, {{"op", "refresh"}});
  CHECK(Search(*sim, {{"range", {{"price", {{"gte", 40}, {"lt", 43}}}}}})["hits"][0]["_id"] == "5");
  // Bad config.
  auto made = sdp::CreateSim(sim_test::Info("search_index"), 1, {{"mapping", "title:txt"}});
  REQUIRE_FALSE(made.ok());
  CHECK_THAT(made.message(), Catch::Contains("field \"mapping\""));
}

TEST_CASE("search_index: the same scenario gives the same bytes", "[search]") {
  auto run = [] {
    auto sim = Make();
    for (int i = 0; i < 30; ++i) {
      Step(*sim, {{"op", "index"}, {"doc", Json{{"title", "item " + std::to_string(i % 7)}}.dump()}});
      if (i % 5 == 4) Step(*sim, {{"op", "refresh"}});
    }
    return Search(*sim, {{"match", {{"title", "item 3"}}}}, 20, true).dump() +
           sim->Snapshot(sdp::Simulation::Detail::kFull).dump();
  };
  CHECK(run() == run());
}

}  // namespace search_index_test
