// The search_index engine without the sim's JSON ops (bench/search.md): the
// corpus of bench/search.mjs (web/search-index-corpus.mjs's productDoc(n),
// ported below; the JS side checks that both agree through the summed
// total hits), indexed through search::ParseDocument + Index::Put with a
// refresh every 10,000 documents, then the same match queries through
// search::Search (top 10). Natively and as wasm (node), same source.
// Prints a line and a JSON line for bench/search.mjs. Times are CPU
// seconds of this process (std::clock): on a machine shared with builds,
// wall time measures the neighbours.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#ifndef __EMSCRIPTEN__
#include <malloc.h>
#endif
#include <string>
#include <vector>

#include "bench_timing.h"
#include "sdp/search/index.h"
#include "sdp/search/query.h"

namespace {

namespace search = sdp::search;
using search::Json;

// web/search-index-corpus.mjs, word for word.
const std::vector<std::string> kColours = {"Red", "Blue", "Black", "White", "Green", "Grey", "Navy", "Orange", "Yellow", "Pink"};
const std::vector<std::string> kAdjectives = {"Wireless", "Waterproof", "Classic", "Compact", "Slim", "Vintage",
                                              "Heavy-duty", "Organic", "Lightweight", "Premium", "Foldable", "Quick-dry"};
const std::vector<std::string> kMaterials = {"leather", "cotton", "wool", "steel", "bamboo", "ceramic", "canvas", "glass", "oak", "linen"};
const std::vector<std::string> kExtras = {"for kids", "kid's size", "2-pack", "with case", "gift set", "XL"};
struct Category {
  std::string tag;
  std::vector<std::string> nouns;
  uint32_t low;
  uint32_t spread;
};
const std::vector<Category> kCategories = {
    {"shoes", {"running shoes", "hiking boots", "sandals", "sneakers"}, 25, 120},
    {"audio", {"headphones", "speaker", "earbuds"}, 15, 200},
    {"kitchen", {"coffee mug", "frying pan", "kettle", "knife set", "teapot"}, 8, 90},
    {"home", {"lamp", "cushion", "rug", "blanket"}, 12, 150},
    {"outdoor", {"backpack", "tent", "water bottle", "rain jacket"}, 10, 250},
    {"office", {"notebook", "desk chair", "pen", "desk lamp"}, 3, 180},
};

uint32_t Mix(uint32_t h) {
  h = (h ^ (h >> 16)) * 0x85ebca6bu;
  h = (h ^ (h >> 13)) * 0xc2b2ae35u;
  return h ^ (h >> 16);
}

template <typename T>
const T& Pick(const std::vector<T>& list, uint32_t h) {
  return list[h % list.size()];
}

struct Doc {
  std::string title;
  std::string tag;
  uint32_t price;
};

Doc ProductDoc(uint32_t n) {
  const uint32_t h = Mix(n + 1);
  const Category& c = Pick(kCategories, h);
  std::vector<std::string> words = {Pick(kColours, Mix(h)), Pick(c.nouns, Mix(h + 1))};
  const uint32_t shape = Mix(h + 2) % 8;
  if (shape >= 2) words.insert(words.begin(), Pick(kAdjectives, Mix(h + 3)));
  if (shape >= 4) words.insert(words.end() - 1, Pick(kMaterials, Mix(h + 4)));
  if (shape >= 7) words.push_back(Pick(kExtras, Mix(h + 5)));
  std::string title;
  for (const std::string& w : words) title += (title.empty() ? "" : " ") + w;
  return {title, c.tag, c.low + Mix(h + 6) % c.spread};
}

// bench/search.mjs's queries: 1-3 words of another title, lowercased.
std::string Query(const std::vector<Doc>& docs, uint32_t i) {
  const std::string& title = docs[Mix(i * 3 + 1) % docs.size()].title;
  std::vector<std::string> words;
  std::string word;
  for (char ch : title + " ") {
    const char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  const uint32_t k = 1 + Mix(i * 3 + 2) % 3;
  const uint32_t start = Mix(i * 3 + 3) % static_cast<uint32_t>(words.size());
  std::string q;
  for (uint32_t j = start; j < start + k && j < words.size(); ++j) q += (q.empty() ? "" : " ") + words[j];
  return q;
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t n_docs = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 100000;
  const uint32_t n_queries = argc > 2 ? static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 10000;
  std::vector<Doc> docs;
  for (uint32_t n = 0; n < n_docs; ++n) docs.push_back(ProductDoc(n));
  std::vector<std::string> queries;
  for (uint32_t i = 0; i < n_queries; ++i) queries.push_back(Query(docs, i));

  auto mapping = search::Mapping::Parse("title:text,body:text,tag:keyword,price:integer");
  search::Index index(mapping.value(), search::MergePolicy{}, true);
  const auto cpu_seconds = [](auto fn) {
    const std::clock_t start = std::clock();
    fn();
    return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  };
  const double index_s = cpu_seconds([&] {
    for (uint32_t n = 0; n < n_docs; ++n) {
      const Json doc = {{"title", docs[n].title}, {"tag", docs[n].tag}, {"price", docs[n].price}};
      const std::string id = "d" + std::to_string(n);
      index.Put(search::ParseDocument(index.mapping(), id, doc).value());
      if ((n + 1) % 10000 == 0 || n + 1 == n_docs) index.Refresh();
    }
  });
  // Memory after indexing: the wasm heap's size (it only grows), or the
  // bytes malloc has handed out natively (corpus strings included, ~10 MB).
#ifdef __EMSCRIPTEN__
  const uint64_t memory_bytes = static_cast<uint64_t>(__builtin_wasm_memory_size(0)) * 65536;
#else
  const uint64_t memory_bytes = mallinfo2().uordblks;
#endif
  uint64_t total_hits = 0;
  uint64_t work = 0;
  const double query_s = cpu_seconds([&] {
    total_hits = 0;
    for (const std::string& q : queries) {
      search::SearchRequest request;
      request.query = {{"match", {{"title", q}}}};
      total_hits += search::Search(index, search::Bm25Params{}, request, &work).value()["hits"]["total"]["value"].get<uint64_t>();
    }
  });
  std::printf("sdp_search_bench (%s): %u docs indexed in %.2f CPU s, %u queries in %.2f CPU s, %" PRIu64 " total hits\n",
              sdp_bench::kPlatform, n_docs, index_s, n_queries, query_s, total_hits);
  std::printf("JSON {\"platform\":\"%s\",\"index_s\":%.4f,\"query_s\":%.4f,\"total_hits\":%" PRIu64
              ",\"memory_bytes\":%" PRIu64 "}\n",
              sdp_bench::kPlatform, index_s, query_s, total_hits, memory_bytes);
  return 0;
}
