// The distributed search: replica selection, the dfs / query / fetch phases
// with the hits each shard sends, the node query cache for filter clauses,
// and the cost of a conjunction led by the cheapest clause vs as written.
#include <algorithm>
#include <set>

#include "sdp/search/cluster.h"
#include "sdp/step_budget.h"

namespace sdp::search {
namespace {

// Every (field, term) a described query scores or matches on.
void CollectTerms(const Json& described, std::set<std::pair<std::string, std::string>>& out) {
  if (described.is_object()) {
    const auto t = described.find("term");
    if (t != described.end() && t->is_object() && t->contains("field") && t->contains("term")) {
      out.insert({(*t)["field"].get<std::string>(), (*t)["term"].get<std::string>()});
      return;
    }
    for (const auto& [key, value] : described.items()) CollectTerms(value, out);
  } else if (described.is_array()) {
    for (const Json& v : described) CollectTerms(v, out);
  }
}

const Json* BoolList(const Json& described, const char* list) {
  if (!described.is_object() || !described.contains("bool")) return nullptr;
  const Json& b = described["bool"];
  return b.contains(list) ? &b[list] : nullptr;
}

// UsageTrackingQueryCachingPolicy (Lucene 8): term, match_all and match_none
// queries are never cached; "costly" ones (point ranges) after 2 uses in the
// last 256 filters, boolean queries after 4, the rest after 5.
int MinFrequencyToCache(const std::string& kind) {
  if (kind == "term" || kind == "match_all" || kind == "match_none") return 0;  // never
  if (kind == "int_range") return 2;
  if (kind == "bool") return 4;
  return 5;
}

// One postings list walked by a conjunction; counts every posting it lands on.
struct Cursor {
  const std::vector<Posting>* list;
  size_t at = 0;
  uint64_t* visited;
  uint32_t doc() const { return at < list->size() ? (*list)[at].doc : UINT32_MAX; }
  uint32_t NextDoc() {
    ++at;
    ++*visited;
    return doc();
  }
  uint32_t Advance(uint32_t target) {
    // Skip lists jump to the target: only the posting landed on is visited.
    const auto it = std::lower_bound(list->begin() + static_cast<std::ptrdiff_t>(at), list->end(), target,
                                     [](const Posting& p, uint32_t d) { return p.doc < d; });
    at = static_cast<size_t>(it - list->begin());
    ++*visited;
    return doc();
  }
};

// Lucene's ConjunctionDISI.doNext: the lead iterates, the others advance to
// it, a mismatch advances the lead. Returns the postings landed on.
uint64_t Leapfrog(const std::vector<const std::vector<Posting>*>& lists) {
  uint64_t visited = 0;
  std::vector<Cursor> cursors;
  for (const auto* l : lists) cursors.push_back(Cursor{l, 0, &visited});
  if (cursors.empty()) return 0;
  visited += 1;  // the lead's first doc
  uint32_t doc = cursors[0].doc();
  while (doc != UINT32_MAX) {
    StepBudget::Charge();
    bool matched = true;
    for (size_t i = 1; i < cursors.size(); ++i) {
      uint32_t other = cursors[i].doc();
      if (other < doc) other = cursors[i].Advance(doc);
      if (other > doc) {
        doc = cursors[0].Advance(other);
        matched = false;
        break;
      }
    }
    if (matched) doc = cursors[0].NextDoc();
  }
  return visited;
}

}  // namespace

std::vector<const ShardCopy*> Cluster::PickCopies() {
  // Elasticsearch without adaptive replica selection: the active copies of a
  // shard, rotated by a counter each search (RotationShardShuffler).
  std::vector<const ShardCopy*> picked;
  for (uint32_t s = 0; s < shards_; ++s) {
    std::vector<const ShardCopy*> active;
    for (const ShardCopy& c : copies_[s]) {
      if (c.active && c.primary) active.push_back(&c);
    }
    for (const ShardCopy& c : copies_[s]) {
      if (c.active && !c.primary) active.push_back(&c);
    }
    picked.push_back(active.empty() ? nullptr : active[rotation_[s]++ % active.size()]);
  }
  return picked;
}

Json Cluster::UseFilterCache(ClusterNode& node, const ShardCopy& copy, const Json& described) {
  Json out = Json::array();
  const Json* filters = BoolList(described, "filter");
  if (filters == nullptr) return out;
  for (const Json& f : *filters) {
    std::string kind;
    for (const auto& [k, unused] : f.items()) kind = k == "boost" ? kind : k;
    const std::string key = f.dump();
    const int min_frequency = MinFrequencyToCache(kind);
    Json entry = {{"filter", f}, {"shard", copy.shard}, {"node", node.name}};
    if (min_frequency == 0) {
      entry["policy"] = "never cached";
      out.push_back(std::move(entry));
      continue;
    }
    node.history.push_back(key);  // policy.onUse: once per shard search
    if (node.history.size() > kCacheHistory) node.history.erase(node.history.begin());
    const int frequency = static_cast<int>(std::count(node.history.begin(), node.history.end(), key));
    uint32_t hits = 0;
    uint32_t misses = 0;
    uint32_t added = 0;
    for (const Segment& segment : copy.index.segments()) {
      const std::string cache_key = std::to_string(copy.uid) + "/" + segment.DisplayName() + "/" + key;
      const auto it = node.cached.find(cache_key);
      if (it != node.cached.end()) {
        it->second = ++cache_tick_;
        hits += 1;
        continue;
      }
      misses += 1;
      if (frequency >= min_frequency) {
        if (node.cached.size() >= kCacheMaxEntries) {
          auto oldest = node.cached.begin();
          for (auto e = node.cached.begin(); e != node.cached.end(); ++e) oldest = e->second < oldest->second ? e : oldest;
          node.cached.erase(oldest);
        }
        node.cached[cache_key] = ++cache_tick_;
        added += 1;
      }
    }
    node.cache_hits += hits;
    node.cache_misses += misses;
    entry["policy"] = "cached after " + std::to_string(min_frequency) + " uses";
    entry["uses"] = frequency;
    entry["segment_hits"] = hits;
    entry["segment_misses"] = misses;
    entry["segments_cached"] = added;
    out.push_back(std::move(entry));
  }
  return out;
}

Json Cluster::PlanConjunction(const ShardCopy& copy, const Json& described, uint64_t* written,
                              uint64_t* cheapest) {
  // The required term clauses (must, then filter, as written).
  std::vector<std::pair<std::string, std::string>> terms;
  for (const char* list : {"must", "filter"}) {
    const Json* clauses = BoolList(described, list);
    if (clauses == nullptr) continue;
    for (const Json& c : *clauses) {
      if (c.contains("term")) terms.emplace_back(c["term"]["field"].get<std::string>(), c["term"]["term"].get<std::string>());
    }
  }
  if (terms.size() < 2) return nullptr;
  for (const Segment& segment : copy.index.segments()) {
    std::vector<const std::vector<Posting>*> lists;
    bool all = true;
    for (const auto& [field, term] : terms) {
      const auto f = segment.fields.find(field);
      const std::vector<Posting>* l = nullptr;
      if (f != segment.fields.end()) {
        const auto t = f->second.terms.find(term);
        if (t != f->second.terms.end()) l = &t->second;
      }
      all = all && l != nullptr;
      lists.push_back(l);
    }
    if (!all) continue;  // a term missing from a segment: no scorer there at all
    *written += Leapfrog(lists);
    std::stable_sort(lists.begin(), lists.end(), [](const auto* a, const auto* b) { return a->size() < b->size(); });
    *cheapest += Leapfrog(lists);
  }
  Json costs = Json::array();
  for (const auto& [field, term] : terms) {
    costs.push_back({{"clause", field + ":" + term}, {"cost", copy.index.DocFreq(field, term)}});
  }
  return costs;
}

namespace {

struct ShardHits {
  Json result;                  // search::Search's output for this shard
  std::map<std::string, double> other;  // _id -> the score under the other statistics
};

}  // namespace

Result<Json> Cluster::Search(const ClusterSearchRequest& request) {
  if (!has_index_) {
    return Status::Invalid(std::string("search: [index_not_found_exception] no such index [") + kIndexName + "]");
  }
  // The coordinating node: the one asked, else the first live coordinating-
  // only node (where clients send searches), else the first live node.
  int32_t coordinator = -1;
  if (!request.node.empty()) {
    auto found = FindNode("search", request.node);
    if (!found.ok()) return found.status();
    if (!nodes_[found.value()].up) return Status::Invalid("search: field \"node\": [" + request.node + "] is down");
    coordinator = static_cast<int32_t>(found.value());
  }
  for (size_t i = 0; coordinator < 0 && i < nodes_.size(); ++i) {
    const ClusterNode& n = nodes_[i];
    if (n.up && !n.master_eligible && !n.data && !n.ingest) coordinator = static_cast<int32_t>(i);
  }
  for (size_t i = 0; coordinator < 0 && i < nodes_.size(); ++i) {
    if (nodes_[i].up) coordinator = static_cast<int32_t>(i);
  }
  if (coordinator < 0) return Status::Invalid("search: [no_shard_available_action_exception] no live node");

  // The query and the window are checked first, as every shard would refuse
  // them the same way (an empty index has the mapping and nothing else).
  const Index empty(mapping_, merge_policy_, true);
  SearchRequest shard_request;
  shard_request.query = request.query;
  shard_request.from = request.from;
  shard_request.size = request.size;
  uint64_t unused = 0;
  auto checked = search::Search(empty, bm25_, shard_request, &unused);
  if (!checked.ok()) {
    const bool window = checked.message().find("Result window") != std::string::npos;
    return Status::Invalid(std::string(window ? "search: fields \"from\" + \"size\": " : "search: field \"query\": ") +
                           checked.message());
  }
  Json described = Json::object();
  if (!request.query.is_null()) {
    auto d = DescribeQuery(empty, request.query);
    if (d.ok()) described = d.value();
  }
  std::set<std::pair<std::string, std::string>> terms;
  CollectTerms(described, terms);

  const std::vector<const ShardCopy*> picked = PickCopies();
  searches_ += 1;
  // dfs phase: every shard's term statistics, summed (AggregatedDfs).
  TermStatistics global;
  Json per_shard_stats = Json::array();
  for (const ShardCopy* c : picked) {
    if (c == nullptr) continue;
    Json stats = Json::array();
    for (const auto& [field, term] : terms) {
      const CollectionStats fs = c->index.Stats(field);
      const int64_t df = c->index.DocFreq(field, term);
      global.doc_freq[{field, term}] += df;
      stats.push_back({{"term", field + ":" + term}, {"doc_freq", df}, {"doc_count", fs.doc_count},
                       {"idf", static_cast<double>(Bm25Idf(df, fs.doc_count))}});
    }
    std::set<std::string> fields;
    for (const auto& ft : terms) fields.insert(ft.first);
    for (const std::string& field : fields) {
      const CollectionStats fs = c->index.Stats(field);
      global.fields[field].doc_count += fs.doc_count;
      global.fields[field].sum_total_term_freq += fs.sum_total_term_freq;
    }
    per_shard_stats.push_back({{"shard", c->shard}, {"terms", std::move(stats)}});
  }
  Json global_stats = Json::array();
  for (const auto& [field, term] : terms) {
    const int64_t df = global.doc_freq[{field, term}];
    const int64_t n = global.fields[field].doc_count;
    global_stats.push_back({{"term", field + ":" + term}, {"doc_freq", df}, {"doc_count", n},
                            {"idf", static_cast<double>(Bm25Idf(df, n))}});
  }

  // Query phase: each shard returns its top from + size (ids and scores).
  const uint32_t window = request.from + request.size;
  std::vector<ShardHits> shard_hits(shards_);
  Json query_phase = Json::array();
  Json failures = Json::array();
  uint64_t transferred = 0;
  uint64_t total = 0;
  bool total_gte = false;
  Json cache = Json::array();
  uint64_t visited_written = 0;
  uint64_t visited_cheapest = 0;
  Json plan = nullptr;
  for (uint32_t s = 0; s < shards_; ++s) {
    const ShardCopy* c = picked[s];
    if (c == nullptr) {
      failures.push_back({{"shard", s}, {"reason", "no active copy (the shard is red)"}});
      continue;
    }
    StepBudget::Charge(1 + c->index.TotalDocs() / 8);
    SearchRequest local;
    local.query = request.query;
    local.from = 0;
    local.size = window;
    SearchRequest dfs = local;
    dfs.global_stats = &global;
    uint64_t work = 0;
    auto run = search::Search(c->index, bm25_, request.dfs ? dfs : local, &work);
    auto other = search::Search(c->index, bm25_, request.dfs ? local : dfs, &work);
    work_ += work;
    SDP_CHECK(run.ok() && other.ok());
    for (const Json& h : other.value()["hits"]["hits"]) shard_hits[s].other[h["_id"].get<std::string>()] = h["_score"].get<double>();
    const Json& hits = run.value()["hits"];
    total += hits["total"]["value"].get<uint64_t>();
    total_gte = total_gte || hits["total"]["relation"] == "gte";
    const uint64_t returned = hits["hits"].size();
    transferred += returned;
    query_phase.push_back({{"shard", s}, {"copy", Label(*c)}, {"node", nodes_[static_cast<size_t>(c->node)].name},
                           {"matched", hits["total"]["value"]}, {"hits_returned", returned},
                           {"top_score", hits["max_score"]}});
    shard_hits[s].result = run.value();
    for (Json& e : UseFilterCache(nodes_[static_cast<size_t>(c->node)], *c, described)) cache.push_back(std::move(e));
    Json costs = PlanConjunction(*c, described, &visited_written, &visited_cheapest);
    if (!costs.is_null() && plan.is_null()) plan = {{"written_order", costs}};
  }
  hits_transferred_ += transferred;

  // Reduce: merge the shards' lists by score, then shard, then rank
  // (SearchPhaseController.sortDocs / TopDocs.merge).
  struct Ranked {
    double score;
    uint32_t shard;
    uint32_t rank;
  };
  std::vector<Ranked> merged;
  for (uint32_t s = 0; s < shards_; ++s) {
    if (shard_hits[s].result.is_null()) continue;
    const Json& list = shard_hits[s].result["hits"]["hits"];
    for (uint32_t r = 0; r < list.size(); ++r) merged.push_back({list[r]["_score"].get<double>(), s, r});
  }
  std::sort(merged.begin(), merged.end(), [](const Ranked& a, const Ranked& b) {
    if (static_cast<float>(a.score) != static_cast<float>(b.score)) return a.score > b.score;
    return a.shard != b.shard ? a.shard < b.shard : a.rank < b.rank;
  });
  // Fetch phase: the coordinator asks each shard only for its docs on the page.
  Json page = Json::array();
  std::map<uint32_t, uint32_t> fetched;
  for (uint64_t i = request.from; i < merged.size() && i < window; ++i) {
    const Ranked& r = merged[i];
    const Json& h = shard_hits[r.shard].result["hits"]["hits"][r.rank];
    const std::string id = h["_id"].get<std::string>();
    fetched[r.shard] += 1;
    const auto other = shard_hits[r.shard].other.find(id);
    page.push_back({{"_id", id},
                    {"_score", h["_score"]},
                    {request.dfs ? "local_score" : "dfs_score",
                     other == shard_hits[r.shard].other.end() ? Json(nullptr) : Json(other->second)},
                    {"_shard", r.shard},
                    {"_node", nodes_[static_cast<size_t>(picked[r.shard]->node)].name},
                    {"_source", h["_source"]}});
  }
  Json fetch_phase = Json::array();
  for (const auto& [shard, docs] : fetched) {
    fetch_phase.push_back({{"shard", shard}, {"node", nodes_[static_cast<size_t>(picked[shard]->node)].name}, {"docs", docs}});
  }
  Json phases = Json::array();
  if (request.dfs) phases.push_back({{"phase", "dfs"}, {"shards", per_shard_stats}, {"global", global_stats}});
  phases.push_back({{"phase", "query"}, {"shards", std::move(query_phase)}, {"window", window}});
  phases.push_back({{"phase", "fetch"}, {"shards", std::move(fetch_phase)}});
  if (!plan.is_null()) {
    plan["cheapest_first"] = plan["written_order"];
    std::stable_sort(plan["cheapest_first"].begin(), plan["cheapest_first"].end(),
                     [](const Json& a, const Json& b) { return a["cost"].get<int64_t>() < b["cost"].get<int64_t>(); });
    plan["postings_visited_written_order"] = visited_written;
    plan["postings_visited_cheapest_first"] = visited_cheapest;
  }
  const uint32_t ok_shards = shards_ - static_cast<uint32_t>(failures.size());
  return Json{{"coordinator", nodes_[static_cast<size_t>(coordinator)].name},
              {"search_type", request.dfs ? "dfs_query_then_fetch" : "query_then_fetch"},
              {"_shards", {{"total", shards_}, {"successful", ok_shards}, {"skipped", 0}, {"failed", failures.size()},
                           {"failures", std::move(failures)}}},
              {"phases", std::move(phases)},
              {"term_stats", {{"shards", std::move(per_shard_stats)}, {"global", std::move(global_stats)}}},
              {"hits_transferred", transferred},
              {"hits", {{"total", {{"value", std::min<uint64_t>(total, kTrackTotalHits)},
                                    {"relation", total_gte || total > kTrackTotalHits ? "gte" : "eq"}}},
                        {"max_score", page.empty() ? Json(nullptr) : Json(merged[0].score)},
                        {"hits", std::move(page)}}},
              {"query_cache", std::move(cache)},
              {"planning", std::move(plan)}};
}

}  // namespace sdp::search
