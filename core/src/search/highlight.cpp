#include "sdp/search/highlight.h"

#include "sdp/search/analyzer.h"

namespace sdp::search {
namespace highlight_detail {

std::string Shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Status Unknown(const std::string& key) {
  return Status::Invalid("[parsing_exception] [highlight] unknown field [" + key +
                         "] (this model supports fields, pre_tags, post_tags, fragment_size, "
                         "number_of_fragments, type)");
}

Result<uint32_t> Count(const std::string& key, const Json& v, uint32_t lo) {
  // A negative literal is signed, a non-negative one unsigned.
  if (!v.is_number_integer() || !v.is_number_unsigned() || v.get<uint64_t>() < lo || v.get<uint64_t>() > 100000) {
    return Status::Invalid("[illegal_argument_exception] [highlight] " + key + " must be an integer from " +
                           std::to_string(lo) + " to 100000, got " + Shown(v));
  }
  return v.get<uint32_t>();
}

Result<std::string> Tag(const std::string& key, const Json& v) {
  if (!v.is_array() || v.size() != 1 || !v[0].is_string() || v[0].get_ref<const std::string&>().size() > kMaxTagBytes) {
    return Status::Invalid("[illegal_argument_exception] [highlight] " + key + " must be an array of one string of " +
                           "at most " + std::to_string(kMaxTagBytes) + " bytes in this model, got " +
                           Shown(v).substr(0, 100));
  }
  return v[0].get<std::string>();
}

// The options a highlight object (top level or one field's) may set.
Status ApplyOptions(const Json& options, HighlightField* f, bool top_level) {
  for (const auto& [key, value] : options.items()) {
    if (key == "fields" && top_level) continue;
    if (key == "fragment_size") {
      auto n = Count(key, value, 18);  // ES refuses fragment sizes below 18
      if (!n.ok()) return n.status();
      f->fragment_size = n.value();
    } else if (key == "number_of_fragments") {
      auto n = Count(key, value, 0);
      if (!n.ok()) return n.status();
      f->number_of_fragments = n.value();
    } else if (key == "pre_tags" || key == "post_tags") {
      auto tag = Tag(key, value);
      if (!tag.ok()) return tag.status();
      (key == "pre_tags" ? f->pre_tag : f->post_tag) = tag.value();
    } else if (key == "type") {
      if (value != "unified") {
        return Status::Invalid("[illegal_argument_exception] [highlight] type " + Shown(value) +
                               ": this model has the unified highlighter only");
      }
    } else {
      return Unknown(key);
    }
  }
  return Status::Ok();
}

bool SentenceEnd(const std::string& text, size_t i) {
  const char c = text[i];
  return (c == '.' || c == '!' || c == '?') && i + 1 < text.size() && text[i + 1] == ' ';
}

// The sentence [start, end) around byte i.
std::pair<size_t, size_t> SentenceAround(const std::string& text, size_t i) {
  size_t start = i;
  while (start > 0 && !SentenceEnd(text, start - 1) && !(start >= 2 && SentenceEnd(text, start - 2))) --start;
  while (start < i && text[start] == ' ') ++start;
  size_t end = i;
  while (end < text.size() && !SentenceEnd(text, end)) ++end;
  if (end < text.size()) ++end;  // keep the full stop
  return {start, end};
}

std::vector<std::string> Fragments(const HighlightField& f, const std::string& text, const std::vector<Token>& matches) {
  std::vector<std::string> out;
  const auto tagged = [&](size_t from, size_t to) {
    std::string s;
    size_t at = from;
    for (const Token& t : matches) {
      if (t.start < from || t.end > to) continue;
      s += text.substr(at, t.start - at) + f.pre_tag + text.substr(t.start, t.end - t.start) + f.post_tag;
      at = t.end;
    }
    return s + text.substr(at, to - at);
  };
  if (f.number_of_fragments == 0) {
    out.push_back(tagged(0, text.size()));
    return out;
  }
  size_t covered = 0;  // fragments do not overlap
  for (const Token& t : matches) {
    if (t.start < covered) continue;
    if (out.size() >= f.number_of_fragments) break;
    auto [start, sentence_end] = SentenceAround(text, t.start);
    if (start < covered) start = covered;
    if (t.start - start > f.fragment_size) start = t.start;
    size_t end = start + f.fragment_size;
    if (end >= sentence_end) {
      end = sentence_end;
    } else {
      while (end < sentence_end && text[end] != ' ') ++end;  // finish the word
    }
    if (end < t.end) end = t.end;
    out.push_back(tagged(start, end));
    covered = end;
  }
  return out;
}

}  // namespace highlight_detail

Result<std::vector<HighlightField>> ParseHighlight(const Mapping& mapping, const Json& highlight) {
  std::vector<HighlightField> out;
  if (highlight.is_null()) return out;
  if (!highlight.is_object()) {
    return Status::Invalid("[parsing_exception] [highlight] must be an object, got " +
                           highlight_detail::Shown(highlight).substr(0, 100));
  }
  HighlightField defaults;
  Status st = highlight_detail::ApplyOptions(highlight, &defaults, true);
  if (!st.ok()) return st;
  if (!highlight.contains("fields")) {
    return Status::Invalid("[illegal_argument_exception] [highlight] requires [fields], e.g. {\"fields\": {\"title\": {}}}");
  }
  // "fields": {name: {...}, ...} or [{name: {...}}, ...] (the ordered form).
  Json fields = Json::array();
  const Json& given = highlight["fields"];
  if (given.is_object()) {
    for (const auto& [name, options] : given.items()) fields.push_back({{name, options}});
  } else if (given.is_array()) {
    fields = given;
  } else {
    return Status::Invalid("[parsing_exception] [highlight] fields must be an object or an array of objects");
  }
  for (const Json& item : fields) {
    if (!item.is_object() || item.size() != 1 || !item.begin().value().is_object()) {
      return Status::Invalid("[parsing_exception] [highlight] each field is {name: {options}}, got " +
                             highlight_detail::Shown(item).substr(0, 100));
    }
    HighlightField f = defaults;
    f.name = item.begin().key();
    st = highlight_detail::ApplyOptions(item.begin().value(), &f, false);
    if (!st.ok()) return st;
    const MappingField* m = mapping.Find(f.name);
    if (m == nullptr || m->type == FieldType::kInteger) continue;  // nothing to highlight, as ES skips them
    f.keyword = m->type == FieldType::kKeyword;
    out.push_back(f);
  }
  return out;
}

Json HighlightHit(const std::vector<HighlightField>& fields, const Json& source,
                  const std::map<std::string, std::set<std::string>>& terms) {
  Json out = Json::object();
  for (const HighlightField& f : fields) {
    const auto wanted = terms.find(f.name);
    if (wanted == terms.end() || !source.contains(f.name) || source[f.name].is_null()) continue;
    const Json& value = source[f.name];
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    std::vector<Token> matches;
    if (f.keyword) {
      // A keyword field is one token: the whole value.
      if (wanted->second.count(text) != 0) matches.push_back(Token{text, 0, 0, static_cast<uint32_t>(text.size())});
    } else {
      for (Token& t : StandardAnalyze(text)) {
        if (wanted->second.count(t.term) != 0) matches.push_back(std::move(t));
      }
    }
    if (matches.empty()) continue;
    out[f.name] = highlight_detail::Fragments(f, text, matches);
  }
  return out;
}

}  // namespace sdp::search
