#include "sdp/search/query.h"

#include <algorithm>
#include <set>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>

#include "sdp/search/aggs.h"
#include "sdp/search/highlight.h"
#include "sdp/search/phrase.h"
#include "sdp/search/sort.h"

namespace sdp::search {
namespace query_detail {

constexpr uint32_t kMaxQueryDepth = 32;
constexpr int64_t kMaxPhraseSlop = 10000;

struct Node {
  enum class Kind { kTerm, kConstant, kBool, kNone, kPhrase };
  Kind kind = Kind::kNone;
  // kTerm (and kPhrase's field)
  std::string field;
  std::string term;
  // kPhrase: the analyzed terms at positions 0, 1, ... and the slop
  std::vector<std::string> terms;
  uint32_t slop = 0;
  bool keyword = false;  // no norms: Lucene's LeafSimScorer uses norm 1
  // kConstant: every doc (match_all) or an integer field in [lo, hi]
  bool match_all = false;
  int64_t lo = 0;
  int64_t hi = 0;
  // kBool
  std::vector<Node> must, should, filter, must_not;
  // Lucene's BoostQuery around this node: BooleanQuery.rewrite turns k equal
  // SHOULD (or MUST) clauses into one clause boosted k times. A boost
  // multiplies down to the leaves: weight = boost * idf, a constant = boost.
  float boost = 1.0f;
};

Json Describe(const Node& n);
Node RewriteBool(Node b);

std::string Shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Status ParsingError(const std::string& message) {
  return Status::Invalid("[parsing_exception] " + message);
}

// A match-style query's text: a string, number or boolean, as ES takes it.
Status CheckQueryText(const std::string& query, const Json& text) {
  if (text.is_string() || text.is_number() || text.is_boolean()) return Status::Ok();
  return ParsingError("[" + query + "] unknown token [" + std::string(text.is_array() ? "START_ARRAY" : "START_OBJECT") +
                      "] after [query]");
}

Node TermNode(const std::string& field, const std::string& term, bool keyword) {
  Node n;
  n.kind = Node::Kind::kTerm;
  n.field = field;
  n.term = term;
  n.keyword = keyword;
  return n;
}

Node ConstantNode(bool match_all, int64_t lo, int64_t hi, const std::string& field) {
  Node n;
  n.kind = Node::Kind::kConstant;
  n.match_all = match_all;
  n.lo = lo;
  n.hi = hi;
  n.field = field;
  return n;
}

// The integer a term/match/range value names, as ES's integer field parses it.
Result<int64_t> QueryInteger(const Json& v) {
  if (v.is_number_integer()) {
    if (!v.is_number_unsigned() || v.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
      const int64_t x = v.get<int64_t>();
      if (x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max()) return x;
    }
    return Status::Invalid("[query_shard_exception] failed to create query: Value [" + Shown(v) +
                           "] is out of range for an integer");
  }
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    bool ok = i < s.size() && s.size() <= 11;
    int64_t x = 0;
    for (; ok && i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') ok = false;
      else x = x * 10 + (s[i] - '0');
    }
    if (ok) {
      if (s[0] == '-') x = -x;
      if (x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max()) return x;
    }
  }
  return Status::Invalid("[query_shard_exception] failed to create query: For input string: \"" +
                         (v.is_string() ? v.get<std::string>() : Shown(v)) + "\"");
}

// {"f": value} or {"f": {key: value, ...}}: the one field and its object form.
Result<std::pair<std::string, Json>> SingleField(const std::string& type, const Json& body) {
  if (!body.is_object() || body.empty()) {
    return ParsingError("[" + type + "] query malformed, expected an object with one field, got " + Shown(body));
  }
  if (body.size() > 1) {
    auto it = body.begin();
    const std::string a = it.key();
    ++it;
    return ParsingError("[" + type + "] query doesn't support multiple fields, found [" + a +
                        "] and [" + it.key() + "]");
  }
  return std::make_pair(body.begin().key(), body.begin().value());
}

std::string ScalarText(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

Result<Node> ParseQuery(const Index& index, const Json& q, uint32_t depth);

Result<Node> ParseMatch(const Index& index, const Json& body) {
  auto single = SingleField("match", body);
  if (!single.ok()) return single.status();
  const auto& [field, spec] = single.value();
  Json text;
  bool conjunction = false;
  if (spec.is_object()) {
    for (const auto& [key, value] : spec.items()) {
      if (key == "query") {
        text = value;
      } else if (key == "operator") {
        std::string op = value.is_string() ? value.get<std::string>() : "";
        for (char& c : op) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (op != "or" && op != "and") {
          return ParsingError("[match] operator must be \"or\" or \"and\", got " + Shown(value));
        }
        conjunction = op == "and";
      } else {
        return ParsingError("[match] query does not support [" + key + "]");
      }
    }
    if (text.is_null()) return ParsingError("[match] requires query value");
  } else {
    text = spec;
  }
  if (Status bad = CheckQueryText("match", text); !bad.ok()) return bad;
  const MappingField* f = index.mapping().Find(field);
  if (f == nullptr) return Node{};  // unmapped field: matches nothing
  if (f->type == FieldType::kInteger) {
    auto v = QueryInteger(text);
    if (!v.ok()) return v.status();
    return ConstantNode(false, v.value(), v.value(), field);
  }
  if (f->type == FieldType::kKeyword) return TermNode(field, ScalarText(text), true);
  const std::vector<Token> tokens = StandardAnalyze(ScalarText(text));
  if (tokens.empty()) return Node{};  // zero_terms_query "none"
  if (tokens.size() == 1) return TermNode(field, tokens[0].term, false);
  Node b;
  b.kind = Node::Kind::kBool;
  for (const Token& t : tokens) (conjunction ? b.must : b.should).push_back(TermNode(field, t.term, false));
  return RewriteBool(std::move(b));
}

// ES's match_phrase: the text analyzed into a Lucene PhraseQuery (one term
// is a TermQuery, none matches nothing), as QueryBuilder.createPhraseQuery.
Result<Node> ParseMatchPhrase(const Index& index, const Json& body) {
  auto single = SingleField("match_phrase", body);
  if (!single.ok()) return single.status();
  const auto& [field, spec] = single.value();
  Json text;
  int64_t slop = 0;
  if (spec.is_object()) {
    for (const auto& [key, value] : spec.items()) {
      if (key == "query") {
        text = value;
      } else if (key == "slop") {
        if (!value.is_number_integer()) {
          return ParsingError("[match_phrase] slop must be an integer, got " + Shown(value));
        }
        if (value.is_number_unsigned() ? value.get<uint64_t>() > kMaxPhraseSlop : value.get<int64_t>() > kMaxPhraseSlop) {
          return ParsingError("[match_phrase] slop must be at most " + std::to_string(kMaxPhraseSlop) +
                              " in this model, got " + Shown(value));
        }
        slop = value.get<int64_t>();
        // MatchQuery.setPhraseSlop's message.
        if (slop < 0) return Status::Invalid("[illegal_argument_exception] No negative slop allowed.");
      } else {
        return ParsingError("[match_phrase] query does not support [" + key + "]");
      }
    }
    if (text.is_null()) return ParsingError("[match_phrase] requires query value");
  } else {
    text = spec;
  }
  if (Status bad = CheckQueryText("match_phrase", text); !bad.ok()) return bad;
  const MappingField* f = index.mapping().Find(field);
  if (f == nullptr) return Node{};
  if (f->type == FieldType::kInteger) {
    auto v = QueryInteger(text);
    if (!v.ok()) return v.status();
    return ConstantNode(false, v.value(), v.value(), field);
  }
  if (f->type == FieldType::kKeyword) return TermNode(field, ScalarText(text), true);
  const std::vector<Token> tokens = StandardAnalyze(ScalarText(text));
  if (tokens.empty()) return Node{};
  if (tokens.size() == 1) return TermNode(field, tokens[0].term, false);
  Node n;
  n.kind = Node::Kind::kPhrase;
  n.field = field;
  for (const Token& t : tokens) n.terms.push_back(t.term);
  n.slop = static_cast<uint32_t>(slop);
  return n;
}

Result<Node> ParseTerm(const Index& index, const Json& body) {
  auto single = SingleField("term", body);
  if (!single.ok()) return single.status();
  const auto& [field, spec] = single.value();
  Json value = spec;
  if (spec.is_object()) {
    value = nullptr;
    for (const auto& [key, v] : spec.items()) {
      if (key != "value") return ParsingError("[term] query does not support [" + key + "]");
      value = v;
    }
  }
  if (!(value.is_string() || value.is_number() || value.is_boolean())) {
    return ParsingError("[term] query requires a string, number or boolean value, got " + Shown(value));
  }
  const MappingField* f = index.mapping().Find(field);
  if (f == nullptr) return Node{};
  if (f->type == FieldType::kInteger) {
    auto v = QueryInteger(value);
    if (!v.ok()) return v.status();
    return ConstantNode(false, v.value(), v.value(), field);
  }
  return TermNode(field, ScalarText(value), f->type == FieldType::kKeyword);
}

Result<Node> ParseRange(const Index& index, const Json& body) {
  auto single = SingleField("range", body);
  if (!single.ok()) return single.status();
  const auto& [field, spec] = single.value();
  if (!spec.is_object()) return ParsingError("[range] query malformed, no start_object after query name");
  int64_t lo = std::numeric_limits<int32_t>::min();
  int64_t hi = std::numeric_limits<int32_t>::max();
  for (const auto& [key, value] : spec.items()) {
    if (key != "gte" && key != "gt" && key != "lte" && key != "lt") {
      return ParsingError("[range] query does not support [" + key + "]");
    }
    auto v = QueryInteger(value);
    if (!v.ok()) return v.status();
    if (key == "gte") lo = std::max(lo, v.value());
    if (key == "gt") lo = std::max(lo, v.value() + 1);
    if (key == "lte") hi = std::min(hi, v.value());
    if (key == "lt") hi = std::min(hi, v.value() - 1);
  }
  const MappingField* f = index.mapping().Find(field);
  if (f == nullptr) return Node{};
  if (f->type != FieldType::kInteger) {
    return Status::Invalid("[query_shard_exception] range queries on [" + std::string(FieldTypeName(f->type)) +
                           "] fields are not supported by this model; field [" + field + "]");
  }
  return ConstantNode(false, lo, hi, field);
}

// Lucene's BooleanQuery.rewrite, for what changes scores: a bool of one
// MUST or SHOULD clause is that clause; a SHOULD-only bool inside a SHOULD
// list is inlined ("flatten nested disjunctions": its clauses are summed
// once in double instead of rounded to float first; present in the 8.7.0
// jar's BooleanQuery.rewrite).
bool IsPureDisjunction(const Node& n) {
  return n.kind == Node::Kind::kBool && n.boost == 1.0f && n.must.empty() && n.filter.empty() &&
         n.must_not.empty() && !n.should.empty();
}

// Equal clauses become one, boosted by their count (BooleanQuery.rewrite's
// "deduplicate SHOULD/MUST clauses by summing up their boosts").
bool Deduplicate(std::vector<Node>& clauses) {
  std::vector<Node> out;
  std::vector<std::string> keys;
  std::vector<double> boosts;
  for (Node& c : clauses) {
    const double boost = c.boost;
    c.boost = 1.0f;
    const std::string key = Describe(c).dump();
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      boosts.push_back(boost);
      out.push_back(std::move(c));
    } else {
      boosts[static_cast<size_t>(it - keys.begin())] += boost;
    }
  }
  const bool changed = out.size() != clauses.size();
  for (size_t i = 0; i < out.size(); ++i) out[i].boost = static_cast<float>(boosts[i]);
  clauses = std::move(out);
  return changed;
}

// Inlines SHOULD-only bools from a SHOULD list (flatten nested disjunctions).
bool Flatten(std::vector<Node>& should) {
  bool changed = false;
  std::vector<Node> out;
  for (Node& c : should) {
    if (IsPureDisjunction(c)) {
      for (Node& inner : c.should) out.push_back(std::move(inner));
      changed = true;
    } else {
      out.push_back(std::move(c));
    }
  }
  should = std::move(out);
  return changed;
}

std::string Key(const Node& n) { return Describe(n).dump(); }

bool Contains(const std::vector<Node>& list, const std::string& key) {
  for (const Node& n : list) {
    if (Key(n) == key) return true;
  }
  return false;
}

// FILTER clauses are a set; one that is also a MUST clause is dropped; one
// that is also a SHOULD clause turns that SHOULD clause into a MUST.
bool RewriteFilters(Node& b) {
  bool changed = false;
  std::vector<Node> filters;
  for (Node& f : b.filter) {
    const std::string key = Key(f);
    if (Contains(filters, key) || Contains(b.must, key)) {
      changed = true;
      continue;
    }
    bool was_should = false;
    for (size_t i = 0; i < b.should.size(); ++i) {
      if (Key(b.should[i]) == key) {
        b.must.push_back(std::move(b.should[i]));
        b.should.erase(b.should.begin() + static_cast<std::ptrdiff_t>(i));
        was_should = true;
        break;
      }
    }
    if (was_should) {
      // Every other SHOULD copy of it becomes a MUST too.
      for (size_t i = 0; i < b.should.size();) {
        if (Key(b.should[i]) == key) {
          b.must.push_back(std::move(b.should[i]));
          b.should.erase(b.should.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          ++i;
        }
      }
      changed = true;
      continue;
    }
    filters.push_back(std::move(f));
  }
  b.filter = std::move(filters);
  return changed;
}

// BooleanQuery.rewrite to its fixed point, for the steps that change scores,
// in Lucene's order (each rewrite applies the first step that changes
// something, then starts again).
Node RewriteBool(Node b) {
  while (RewriteFilters(b) || Deduplicate(b.should) || Deduplicate(b.must) || Flatten(b.should)) {
  }
  const size_t clauses = b.must.size() + b.should.size() + b.filter.size() + b.must_not.size();
  if (clauses == 1 && b.must.size() == 1) return std::move(b.must.front());
  if (clauses == 1 && b.should.size() == 1) return std::move(b.should.front());
  return b;
}

Result<Node> ParseBool(const Index& index, const Json& body, uint32_t depth) {
  if (!body.is_object()) return ParsingError("[bool] query malformed, no start_object after query name");
  Node b;
  b.kind = Node::Kind::kBool;
  for (const auto& [key, value] : body.items()) {
    std::vector<Node>* list = key == "must"       ? &b.must
                              : key == "should"   ? &b.should
                              : key == "filter"   ? &b.filter
                              : key == "must_not" ? &b.must_not
                                                  : nullptr;
    if (list == nullptr) {
      return ParsingError("[bool] query does not support [" + key +
                          "] (this model supports must, should, filter, must_not)");
    }
    const Json items = value.is_array() ? value : Json::array({value});
    for (const Json& item : items) {
      auto child = ParseQuery(index, item, depth + 1);
      if (!child.ok()) return child.status();
      list->push_back(std::move(child.value()));
    }
  }
  const size_t clauses = b.must.size() + b.should.size() + b.filter.size() + b.must_not.size();
  if (clauses == 0) return ConstantNode(true, 0, 0, "");  // ES: an empty bool is match_all
  if (clauses == b.must_not.size()) {
    // ES's Queries.fixNegativeQueryIfNeeded: a pure negative bool matches
    // everything else, with score 0.
    b.filter.push_back(ConstantNode(true, 0, 0, ""));
  }
  return RewriteBool(std::move(b));
}

Result<Node> ParseQuery(const Index& index, const Json& q, uint32_t depth) {
  if (depth > kMaxQueryDepth) {
    return ParsingError("query nested deeper than " + std::to_string(kMaxQueryDepth) + " levels");
  }
  if (!q.is_object() || q.size() != 1) {
    return ParsingError("a query is an object with exactly one query type, e.g. {\"match\": {...}}; got " +
                        Shown(q).substr(0, 200));
  }
  const std::string type = q.begin().key();
  const Json& body = q.begin().value();
  if (type == "match") return ParseMatch(index, body);
  if (type == "match_phrase") return ParseMatchPhrase(index, body);
  if (type == "term") return ParseTerm(index, body);
  if (type == "range") return ParseRange(index, body);
  if (type == "bool") return ParseBool(index, body, depth);
  if (type == "match_all" || type == "match_none") {
    if (!body.is_object() || !body.empty()) return ParsingError("[" + type + "] takes no parameters here");
    return type == "match_all" ? ConstantNode(true, 0, 0, "") : Node{};
  }
  return ParsingError("unknown query [" + type + "] (this model knows match, match_phrase, term, range, bool, match_all, match_none)");
}

// Evaluates queries one segment at a time; term scorers are built once per
// query from index-wide statistics (as IndexSearcher does).
class Executor {
 public:
  Executor(const Index& index, const Bm25Params& params) : index_(index), params_(params) {}

  // Docs of `segment` that may match, ascending (a superset for bools).
  std::vector<uint32_t> Candidates(const Node& n, const Segment& segment) const;
  // The doc's score if it matches; `explain` (if not null) gets Lucene's
  // explanation of it.
  // `boost` is the product of the boosts above n (Lucene passes it down
  // through createWeight).
  std::optional<float> Eval(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                            Json* explain, float boost = 1.0f);
  uint64_t work() const { return work_; }
  void AddWork(uint64_t units) { work_ += units; }
  // The scorer a term node gets under `boost` (the product of the boosts above it).
  const Bm25TermScorer& TermScorer(const Node& n, float boost) { return ScorerFor(n, n.boost * boost); }
  // Score with term statistics from outside (dfs_query_then_fetch).
  void UseGlobalStats(const TermStatistics* stats) { global_ = stats; }

 private:
  CollectionStats StatsOf(const std::string& field) const;
  int64_t DocFreqOf(const std::string& field, const std::string& term) const;
  const Bm25TermScorer& ScorerFor(const Node& n, float boost);
  std::optional<float> EvalTerm(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                Json* explain, float boost);
  std::optional<float> EvalBool(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                Json* explain, float boost);
  std::optional<float> EvalPhrase(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                  Json* explain, float boost);
  const Bm25TermScorer& PhraseScorerFor(const Node& n, float boost);

  const Index& index_;
  Bm25Params params_;
  std::map<std::tuple<std::string, std::string, float>, std::unique_ptr<Bm25TermScorer>> scorers_;
  std::map<std::pair<std::string, float>, std::unique_ptr<Bm25TermScorer>> phrase_scorers_;  // by Describe()
  uint64_t work_ = 0;
  const TermStatistics* global_ = nullptr;
};

CollectionStats Executor::StatsOf(const std::string& field) const {
  if (global_ == nullptr) return index_.Stats(field);
  const auto it = global_->fields.find(field);
  return it == global_->fields.end() ? CollectionStats{} : it->second;
}

int64_t Executor::DocFreqOf(const std::string& field, const std::string& term) const {
  if (global_ == nullptr) return index_.DocFreq(field, term);
  const auto it = global_->doc_freq.find({field, term});
  return it == global_->doc_freq.end() ? 0 : it->second;
}

const std::vector<Posting>* PostingsOf(const Segment& segment, const std::string& field,
                                       const std::string& term) {
  const auto f = segment.fields.find(field);
  if (f == segment.fields.end()) return nullptr;
  const auto t = f->second.terms.find(term);
  return t == f->second.terms.end() ? nullptr : &t->second;
}

// A query that is one term, or a bool of only SHOULD or only MUST term
// clauses (what match gives), scored straight from the postings.
struct TermClause {
  const Node* node;
  float boost;    // the bool's boost, passed down
  bool required;  // MUST: every clause has to match
};

bool TermClauses(const Node& root, std::vector<TermClause>* out) {
  if (root.kind == Node::Kind::kTerm) {
    out->push_back({&root, 1.0f, false});
    return true;
  }
  if (root.kind != Node::Kind::kBool || !root.filter.empty() || !root.must_not.empty()) return false;
  if (root.must.empty() == root.should.empty()) return false;  // exactly one of the two lists
  const std::vector<Node>& list = root.must.empty() ? root.should : root.must;
  if (list.size() < 2) return false;
  for (const Node& c : list) {
    if (c.kind != Node::Kind::kTerm) return false;
    out->push_back({&c, root.boost, !root.must.empty()});
  }
  return true;
}

bool InRange(const Node& n, const Segment& segment, uint32_t doc) {
  if (n.match_all) return true;
  const auto it = segment.integers.find(n.field);
  if (it == segment.integers.end() || !it->second[doc]) return false;
  const int64_t v = *it->second[doc];
  return v >= n.lo && v <= n.hi;
}

std::vector<uint32_t> Executor::Candidates(const Node& n, const Segment& segment) const {
  std::vector<uint32_t> out;
  switch (n.kind) {
    case Node::Kind::kNone: return out;
    case Node::Kind::kTerm: {
      const std::vector<Posting>* postings = PostingsOf(segment, n.field, n.term);
      if (postings != nullptr) {
        for (const Posting& p : *postings) out.push_back(p.doc);
      }
      return out;
    }
    case Node::Kind::kPhrase: {
      // Docs holding every term (the phrase's approximation).
      bool first = true;
      for (const std::string& term : n.terms) {
        const std::vector<Posting>* postings = PostingsOf(segment, n.field, term);
        if (postings == nullptr) return {};
        std::vector<uint32_t> docs;
        docs.reserve(postings->size());
        for (const Posting& p : *postings) docs.push_back(p.doc);
        if (first) {
          out = std::move(docs);
          first = false;
        } else {
          std::vector<uint32_t> both;
          std::set_intersection(out.begin(), out.end(), docs.begin(), docs.end(), std::back_inserter(both));
          out = std::move(both);
        }
      }
      return out;
    }
    case Node::Kind::kConstant:
      for (uint32_t d = 0; d < segment.docs.size(); ++d) {
        if (InRange(n, segment, d)) out.push_back(d);
      }
      return out;
    case Node::Kind::kBool: {
      const bool has_required = !n.must.empty() || !n.filter.empty();
      if (has_required) {
        // The smallest required clause bounds the matches.
        bool first = true;
        for (const auto* list : {&n.must, &n.filter}) {
          for (const Node& c : *list) {
            std::vector<uint32_t> docs = Candidates(c, segment);
            if (first || docs.size() < out.size()) out = std::move(docs);
            first = false;
          }
        }
        return out;
      }
      for (const Node& c : n.should) {
        std::vector<uint32_t> docs = Candidates(c, segment);
        std::vector<uint32_t> merged;
        std::set_union(out.begin(), out.end(), docs.begin(), docs.end(), std::back_inserter(merged));
        out = std::move(merged);
      }
      return out;
    }
  }
  return out;
}

const Bm25TermScorer& Executor::ScorerFor(const Node& n, float boost) {
  auto& slot = scorers_[{n.field, n.term, boost}];
  if (!slot) {
    const CollectionStats stats = StatsOf(n.field);
    slot = std::make_unique<Bm25TermScorer>(params_, boost, DocFreqOf(n.field, n.term), stats.doc_count,
                                            stats.sum_total_term_freq);
  }
  return *slot;
}

Json Value(const std::string& description, double value, Json details = Json::array()) {
  Json out = {{"value", value}, {"description", description}};
  if (!details.empty()) out["details"] = std::move(details);
  return out;
}

std::string FloatText(float f) {
  // Java's Float.toString for the small integral freqs shown: "2.0".
  return std::to_string(static_cast<int64_t>(f)) + ".0";
}

std::optional<float> Executor::EvalTerm(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                        Json* explain, float boost) {
  const std::vector<Posting>* postings = PostingsOf(segment, n.field, n.term);
  work_ += 1;
  if (postings == nullptr) return std::nullopt;
  const auto it = std::lower_bound(postings->begin(), postings->end(), doc,
                                   [](const Posting& p, uint32_t d) { return p.doc < d; });
  if (it == postings->end() || it->doc != doc) return std::nullopt;
  const Bm25TermScorer& scorer = ScorerFor(n, boost);
  const float freq = static_cast<float>(it->freq);
  const uint8_t norm = n.keyword ? uint8_t{1} : segment.fields.at(n.field).norms[doc];
  const float score = scorer.Score(freq, norm);
  if (explain != nullptr) {
    const CollectionStats stats = StatsOf(n.field);
    const int64_t df = DocFreqOf(n.field, n.term);
    Json idf = Value("idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:", scorer.idf(),
                     Json::array({Value("n, number of documents containing term", static_cast<double>(df)),
                                  Value("N, total number of documents with field",
                                        static_cast<double>(stats.doc_count))}));
    const bool approximate = norm > 39;
    Json tf = Value("tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:", scorer.Tf(freq, norm),
                    Json::array({Value("freq, occurrences of term within document", freq),
                     Value("k1, term saturation parameter", params_.k1),
                     Value("b, length normalization parameter", params_.b),
                     Value(approximate ? "dl, length of field (approximate)" : "dl, length of field",
                           static_cast<double>(Byte4ToInt(norm))),
                     Value("avgdl, average length of field", scorer.avgdl())}));
    Json factors = Json::array();
    if (boost != 1.0f) factors.push_back(Value("boost", boost));
    factors.push_back(std::move(idf));
    factors.push_back(std::move(tf));
    Json inner = Value("score(freq=" + FloatText(freq) + "), computed as boost * idf * tf from:", score,
                       std::move(factors));
    *explain = Value("weight(" + n.field + ":" + n.term + " in " + std::to_string(base + doc) +
                         ") [BM25Similarity], result of:",
                     score, Json::array({std::move(inner)}));
  }
  return score;
}

const Bm25TermScorer& Executor::PhraseScorerFor(const Node& n, float boost) {
  auto& slot = phrase_scorers_[{Describe(n).dump(), boost}];
  if (!slot) {
    const CollectionStats stats = StatsOf(n.field);
    // BM25Similarity.idfExplain(collectionStats, termStats[]): float idfs
    // summed in double, one per phrase position (a repeated term twice).
    double idf = 0;
    for (const std::string& term : n.terms) idf += static_cast<double>(Bm25Idf(DocFreqOf(n.field, term), stats.doc_count));
    slot = std::make_unique<Bm25TermScorer>(Bm25TermScorer::WithIdf(params_, boost, static_cast<float>(idf),
                                                                     stats.doc_count, stats.sum_total_term_freq));
  }
  return *slot;
}

std::optional<float> Executor::EvalPhrase(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                          Json* explain, float boost) {
  std::vector<const std::vector<uint32_t>*> positions;
  std::vector<uint32_t> offsets;
  for (uint32_t i = 0; i < n.terms.size(); ++i) {
    const std::vector<Posting>* postings = PostingsOf(segment, n.field, n.terms[i]);
    work_ += 1;
    if (postings == nullptr) return std::nullopt;
    const auto it = std::lower_bound(postings->begin(), postings->end(), doc,
                                     [](const Posting& p, uint32_t d) { return p.doc < d; });
    if (it == postings->end() || it->doc != doc) return std::nullopt;
    positions.push_back(&it->positions);
    offsets.push_back(i);
  }
  const float freq = PhraseFreq(positions, offsets, n.slop, &work_);
  if (freq == 0.0f) return std::nullopt;
  const Bm25TermScorer& scorer = PhraseScorerFor(n, boost);
  const uint8_t norm = segment.fields.at(n.field).norms[doc];
  const float score = scorer.Score(freq, norm);
  if (explain != nullptr) {
    const CollectionStats stats = StatsOf(n.field);
    Json idfs = Json::array();
    for (const std::string& term : n.terms) {
      const int64_t df = DocFreqOf(n.field, term);
      idfs.push_back(Value("idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:", Bm25Idf(df, stats.doc_count),
                           Json::array({Value("n, number of documents containing term", static_cast<double>(df)),
                                        Value("N, total number of documents with field",
                                              static_cast<double>(stats.doc_count))})));
    }
    const bool approximate = norm > 39;
    const std::string freq_text = JavaFloatText(freq);
    Json tf = Value("tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:", scorer.Tf(freq, norm),
                    Json::array({Value("phraseFreq=" + freq_text, freq),
                                 Value("k1, term saturation parameter", params_.k1),
                                 Value("b, length normalization parameter", params_.b),
                                 Value(approximate ? "dl, length of field (approximate)" : "dl, length of field",
                                       static_cast<double>(Byte4ToInt(norm))),
                                 Value("avgdl, average length of field", scorer.avgdl())}));
    Json factors = Json::array();
    if (boost != 1.0f) factors.push_back(Value("boost", boost));
    factors.push_back(Value("idf, sum of:", scorer.idf(), std::move(idfs)));
    factors.push_back(std::move(tf));
    std::string phrase;
    for (const std::string& term : n.terms) phrase += (phrase.empty() ? "" : " ") + term;
    const std::string shown = n.field + ":\"" + phrase + "\"" + (n.slop == 0 ? "" : "~" + std::to_string(n.slop));
    *explain = Value("weight(" + shown + " in " + std::to_string(base + doc) + ") [BM25Similarity], result of:", score,
                     Json::array({Value("score(freq=" + freq_text + "), computed as boost * idf * tf from:", score,
                                        std::move(factors))}));
  }
  return score;
}

std::optional<float> Executor::EvalBool(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                        Json* explain, float boost) {
  Json details = Json::array();
  Json* sub = nullptr;
  Json one;
  for (const Node& c : n.must_not) {
    if (Eval(c, segment, base, doc, nullptr)) return std::nullopt;
  }
  for (const Node& c : n.filter) {
    if (!Eval(c, segment, base, doc, nullptr)) return std::nullopt;
  }
  // Required scoring clauses: Lucene's ConjunctionScorer sums in double.
  double must_sum = 0;
  for (const Node& c : n.must) {
    sub = explain != nullptr ? &one : nullptr;
    const std::optional<float> s = Eval(c, segment, base, doc, sub, boost);
    if (!s) return std::nullopt;
    must_sum += static_cast<double>(*s);
    if (explain != nullptr) details.push_back(std::move(one));
  }
  const size_t required = n.must.size() + n.filter.size();
  // One required clause passes its score through (a lone filter scores 0).
  const float req = required == 1 ? (n.must.empty() ? 0.0f : static_cast<float>(must_sum))
                                  : static_cast<float>(must_sum);
  double should_sum = 0;
  uint32_t should_matched = 0;
  for (const Node& c : n.should) {
    sub = explain != nullptr ? &one : nullptr;
    const std::optional<float> s = Eval(c, segment, base, doc, sub, boost);
    if (!s) continue;
    should_sum += static_cast<double>(*s);
    should_matched += 1;
    if (explain != nullptr) details.push_back(std::move(one));
  }
  float score = 0;
  if (required == 0) {
    if (should_matched == 0) return std::nullopt;
    score = static_cast<float>(should_sum);
  } else if (should_matched == 0) {
    score = req;
  } else {
    const float opt = static_cast<float>(should_sum);
    score = static_cast<float>(static_cast<double>(req) + static_cast<double>(opt));
  }
  if (explain != nullptr) *explain = Value("sum of:", score, std::move(details));
  return score;
}

std::optional<float> Executor::Eval(const Node& n, const Segment& segment, uint32_t base, uint32_t doc,
                                    Json* explain, float boost) {
  // BoostQuery.createWeight: this.boost * the boost from above.
  const float effective = n.boost * boost;
  switch (n.kind) {
    case Node::Kind::kNone: return std::nullopt;
    case Node::Kind::kTerm: return EvalTerm(n, segment, base, doc, explain, effective);
    case Node::Kind::kConstant:
      work_ += 1;
      if (!InRange(n, segment, doc)) return std::nullopt;
      if (explain != nullptr) {
        *explain = Value(n.match_all ? "*:*" : n.field + ":[" + std::to_string(n.lo) + " TO " +
                                                   std::to_string(n.hi) + "]",
                         effective);
      }
      return effective;
    case Node::Kind::kBool: return EvalBool(n, segment, base, doc, explain, effective);
    case Node::Kind::kPhrase: return EvalPhrase(n, segment, base, doc, explain, effective);
  }
  return std::nullopt;
}

Json DescribeUnboosted(const Node& n);

// The terms a highlighter looks for, per field: every term and phrase term
// the query scores or filters on, except under must_not.
void CollectTerms(const Node& n, std::map<std::string, std::set<std::string>>* out) {
  switch (n.kind) {
    case Node::Kind::kTerm: (*out)[n.field].insert(n.term); return;
    case Node::Kind::kPhrase:
      for (const std::string& t : n.terms) (*out)[n.field].insert(t);
      return;
    case Node::Kind::kBool:
      for (const auto* list : {&n.must, &n.should, &n.filter}) {
        for (const Node& c : *list) CollectTerms(c, out);
      }
      return;
    default: return;
  }
}

Json Describe(const Node& n) {
  Json out = DescribeUnboosted(n);
  if (n.boost != 1.0f) out["boost"] = n.boost;
  return out;
}

Json DescribeUnboosted(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kNone: return {{"match_none", Json::object()}};
    case Node::Kind::kTerm: return {{"term", {{"field", n.field}, {"term", n.term}}}};
    case Node::Kind::kPhrase: return {{"phrase", {{"field", n.field}, {"terms", n.terms}, {"slop", n.slop}}}};
    case Node::Kind::kConstant:
      if (n.match_all) return {{"match_all", Json::object()}};
      return {{"int_range", {{"field", n.field}, {"gte", n.lo}, {"lte", n.hi}}}};
    case Node::Kind::kBool: {
      Json b = Json::object();
      const std::pair<const char*, const std::vector<Node>*> lists[] = {
          {"must", &n.must}, {"should", &n.should}, {"filter", &n.filter}, {"must_not", &n.must_not}};
      for (const auto& [name, list] : lists) {
        if (list->empty()) continue;
        Json items = Json::array();
        for (const Node& c : *list) items.push_back(Describe(c));
        b[name] = std::move(items);
      }
      return {{"bool", b}};
    }
  }
  return nullptr;
}

}  // namespace query_detail

Result<Json> DescribeQuery(const Index& index, const Json& query) {
  auto parsed = query_detail::ParseQuery(index, query, 0);
  if (!parsed.ok()) return parsed.status();
  return query_detail::Describe(parsed.value());
}

Result<Json> Search(const Index& index, const Bm25Params& params, const SearchRequest& request, uint64_t* work) {
  using query_detail::Node;
  if (static_cast<uint64_t>(request.from) + request.size > kMaxResultWindow) {
    return Status::Invalid(
        "[illegal_argument_exception] Result window is too large, from + size must be less than or equal "
        "to: [" + std::to_string(kMaxResultWindow) + "] but was [" +
        std::to_string(static_cast<uint64_t>(request.from) + request.size) +
        "]. See the scroll api for a more efficient way to request large data sets. This limit can be set "
        "by changing the [index.max_result_window] index level setting.");
  }
  Node root;
  if (request.query.is_null()) {
    root = query_detail::ConstantNode(true, 0, 0, "");
  } else {
    auto parsed = query_detail::ParseQuery(index, request.query, 0);
    if (!parsed.ok()) return parsed.status();
    root = std::move(parsed.value());
  }
  auto sort = ParseSort(index.mapping(), request.sort);
  if (!sort.ok()) return sort.status();
  const std::vector<SortKey>& keys = sort.value();
  Json after;
  if (!request.search_after.is_null()) {
    // SearchService.parseSource checks from before the sort.
    if (request.from > 0) {
      return Status::Invalid("[search_exception] `from` parameter must be set to 0 when `search_after` is used.");
    }
    auto parsed = ParseSearchAfter(keys, request.search_after);
    if (!parsed.ok()) return parsed.status();
    after = std::move(parsed.value());
  }
  auto aggs = ParseAggregations(index.mapping(), request.aggs);
  if (!aggs.ok()) return aggs.status();
  auto highlight = ParseHighlight(index.mapping(), request.highlight);
  if (!highlight.ok()) return highlight.status();

  query_detail::Executor exec(index, params);
  exec.UseGlobalStats(request.global_stats);
  struct Hit {
    uint32_t global;
    float score;
    uint32_t segment;
    uint32_t doc;
  };
  std::vector<Hit> hits;
  uint32_t base = 0;
  const auto& segments = index.segments();
  std::vector<query_detail::TermClause> clauses;
  const bool by_postings = query_detail::TermClauses(root, &clauses);
  std::vector<double> sums;
  std::vector<uint32_t> counts;
  for (uint32_t si = 0; si < segments.size(); ++si) {
    const Segment& s = segments[si];
    if (by_postings) {
      // Term at a time, each clause's postings in clause order: the same
      // double sums (and so the same floats) as Eval's clause loop, without
      // a postings search per document.
      sums.assign(s.docs.size(), 0.0);
      counts.assign(s.docs.size(), 0);
      for (const query_detail::TermClause& c : clauses) {
        const std::vector<Posting>* postings = query_detail::PostingsOf(s, c.node->field, c.node->term);
        if (postings == nullptr) continue;
        const Bm25TermScorer& scorer = exec.TermScorer(*c.node, c.boost);
        const std::vector<uint8_t>* norms = c.node->keyword ? nullptr : &s.fields.at(c.node->field).norms;
        for (const Posting& p : *postings) {
          sums[p.doc] += static_cast<double>(scorer.Score(static_cast<float>(p.freq), norms ? (*norms)[p.doc] : uint8_t{1}));
          counts[p.doc] += 1;
        }
        exec.AddWork(postings->size());
      }
      const uint32_t needed = clauses.front().required ? static_cast<uint32_t>(clauses.size()) : 1;
      for (uint32_t d = 0; d < s.docs.size(); ++d) {
        if (counts[d] >= needed && s.live[d]) hits.push_back({base + d, static_cast<float>(sums[d]), si, d});
      }
    } else {
      for (uint32_t d : exec.Candidates(root, s)) {
        if (!s.live[d]) continue;
        const std::optional<float> score = exec.Eval(root, s, base, d, nullptr);
        if (score) hits.push_back({base + d, *score, si, d});
      }
    }
    base += static_cast<uint32_t>(s.docs.size());
  }
  const uint64_t total = hits.size();
  Json aggregations;
  if (!aggs.value().empty()) {
    std::vector<std::pair<uint32_t, uint32_t>> matches;
    matches.reserve(hits.size());
    for (const Hit& h : hits) matches.push_back({h.segment, h.doc});
    aggregations = RunAggregations(aggs.value(), segments, matches);
  }
  // The page: the first from + size hits in the sort order.
  const uint64_t want = static_cast<uint64_t>(request.from) + request.size;
  std::vector<Json> values;  // sort values, parallel to hits (sorted requests)
  if (keys.empty()) {
    // TopScoreDocCollector: higher score first, then lower doc id; only the
    // page's hits need their places.
    const auto better = [](const Hit& a, const Hit& b) {
      return a.score != b.score ? a.score > b.score : a.global < b.global;
    };
    const size_t top = static_cast<size_t>(std::min<uint64_t>(want, hits.size()));
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(top), hits.end(), better);
    hits.resize(top);
  } else {
    std::vector<std::pair<Json, Hit>> keyed;
    keyed.reserve(hits.size());
    for (const Hit& h : hits) {
      Json v = SortValues(keys, segments[h.segment], h.doc, h.global, h.score);
      if (!after.is_null() && CompareSortValues(keys, v, after) <= 0) continue;
      keyed.push_back({std::move(v), h});
    }
    // The sort keys, then the doc id (one shard: ES's shard tie-break is moot).
    std::sort(keyed.begin(), keyed.end(), [&keys](const auto& a, const auto& b) {
      const int c = CompareSortValues(keys, a.first, b.first);
      return c != 0 ? c < 0 : a.second.global < b.second.global;
    });
    hits.clear();
    for (auto& [v, h] : keyed) {
      if (hits.size() >= want) break;
      values.push_back(std::move(v));
      hits.push_back(h);
    }
  }
  bool scored = keys.empty();
  for (const SortKey& k : keys) scored = scored || k.kind == SortKey::Kind::kScore;
  std::map<std::string, std::set<std::string>> wanted_terms;
  if (!highlight.value().empty()) query_detail::CollectTerms(root, &wanted_terms);
  Json page = Json::array();
  for (uint64_t i = request.from; i < hits.size() && i < want; ++i) {
    const Hit& h = hits[i];
    const Segment& s = segments[h.segment];
    Json hit = {{"_id", s.docs[h.doc].id},
                {"_score", scored ? Json(static_cast<double>(h.score)) : Json(nullptr)},
                {"_segment", s.DisplayName()},
                {"_source", Json::parse(s.docs[h.doc].source)}};
    if (request.explain) {
      Json explanation;
      (void)exec.Eval(root, s, h.global - h.doc, h.doc, &explanation);
      hit["_explanation"] = std::move(explanation);
    }
    if (!highlight.value().empty()) {
      Json fragments = HighlightHit(highlight.value(), hit["_source"], wanted_terms);
      if (!fragments.empty()) hit["highlight"] = std::move(fragments);
    }
    if (!keys.empty()) hit["sort"] = values[i];
    page.push_back(std::move(hit));
  }
  Json max_score = nullptr;
  if (keys.empty() && !hits.empty() && request.size > 0) max_score = static_cast<double>(hits[0].score);
  Json out = {{"hits",
               {{"total",
                 {{"value", std::min<uint64_t>(total, kTrackTotalHits)},
                  {"relation", total > kTrackTotalHits ? "gte" : "eq"}}},
                {"max_score", std::move(max_score)},
                {"hits", std::move(page)}}}};
  if (!aggregations.is_null()) out["aggregations"] = std::move(aggregations);
  *work += exec.work() + total;
  return out;
}

}  // namespace sdp::search
