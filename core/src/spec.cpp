// Field declarations and the one validator every op and config goes through.
#include <cmath>

#include "sdp/simulation.h"

namespace sdp {
namespace {

const char* TypeName(FieldType type) {
  switch (type) {
    case FieldType::kString: return "string";
    case FieldType::kInt: return "integer";
    case FieldType::kNumber: return "number";
    case FieldType::kBool: return "boolean";
    case FieldType::kJson: return "json";
  }
  return "?";
}

// 100 rather than nlohmann's 100.0: messages show numbers as a user types them.
std::string Num(double x) {
  if (std::floor(x) == x && std::abs(x) < 1e15) return std::to_string(static_cast<int64_t>(x));
  return Json(x).dump();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// A short, printable rendering of what the user sent, for error messages.
std::string Shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

bool HasControlCharacter(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status CheckValue(std::string_view context, const FieldSpec& field, const Json& value) {
  const std::string where = std::string(context) + ": field \"" + field.name + "\" ";
  const std::string wanted = "must be " + field.Describe() + " (got " + Shown(value) + ")";
  switch (field.type) {
    case FieldType::kBool:
      if (!value.is_boolean()) return Status::Invalid(where + wanted);
      return Status::Ok();
    case FieldType::kString: {
      if (!value.is_string()) return Status::Invalid(where + wanted);
      const auto& s = value.get_ref<const std::string&>();
      if (!field.one_of.empty()) {
        for (const std::string& allowed : field.one_of) {
          if (s == allowed) return Status::Ok();
        }
        return Status::Invalid(where + wanted);
      }
      if (s.size() < field.min_length) {
        return Status::Invalid(where + (s.empty() ? "must not be empty" : wanted));
      }
      if (s.size() > field.max_length) return Status::Invalid(where + wanted);
      if (HasControlCharacter(s)) {
        return Status::Invalid(where + "must not contain control characters (newline, tab, ...)");
      }
      return Status::Ok();
    }
    case FieldType::kInt: {
      const bool integral = value.is_number_integer();
      if (!integral) return Status::Invalid(where + wanted);
      // Compared as integers: every int_max here is an int64, so an unsigned
      // value above INT64_MAX is out of range without converting it.
      if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        return Status::Invalid(where + wanted);
      }
      const int64_t x = value.get<int64_t>();
      if (x < field.int_min || x > field.int_max) return Status::Invalid(where + wanted);
      return Status::Ok();
    }
    case FieldType::kNumber: {
      if (!value.is_number()) return Status::Invalid(where + wanted);
      const double x = value.get<double>();
      if (!std::isfinite(x) || x < field.min || x > field.max) {
        return Status::Invalid(where + wanted);
      }
      return Status::Ok();
    }
    case FieldType::kJson:
      if (value.dump(-1, ' ', false, Json::error_handler_t::replace).size() > field.max_length) {
        return Status::Invalid(where + wanted);
      }
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

std::string FieldSpec::Describe() const {
  switch (type) {
    case FieldType::kBool: return "true or false";
    case FieldType::kString:
      if (!one_of.empty()) return "one of: " + Join(one_of);
      return "a string of " + std::to_string(min_length) + "-" + std::to_string(max_length) +
             " bytes";
    case FieldType::kInt:
      return "an integer in [" + std::to_string(int_min) + ", " + std::to_string(int_max) + "]";
    case FieldType::kNumber:
      return "a number in [" + Num(min) + ", " + Num(max) + "]";
    case FieldType::kJson:
      return "a JSON value of at most " + std::to_string(max_length) + " bytes";
  }
  return "?";
}

Json FieldSpec::ToJson() const {
  Json out = {{"name", name}, {"type", TypeName(type)}, {"required", required},
              {"help", help}, {"allowed", Describe()}};
  if (type == FieldType::kInt) {
    out["min"] = int_min;
    out["max"] = int_max;
  } else if (type == FieldType::kNumber) {
    out["min"] = min;
    out["max"] = max;
  }
  if (type == FieldType::kJson) out["max_length"] = max_length;
  if (type == FieldType::kString) {
    if (one_of.empty()) {
      out["min_length"] = min_length;
      out["max_length"] = max_length;
    } else {
      out["one_of"] = one_of;
    }
  }
  return out;
}

FieldSpec StringField(std::string name, bool required, uint32_t min_length, uint32_t max_length,
                      std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kString;
  f.required = required;
  f.min_length = min_length;
  f.max_length = max_length;
  f.help = std::move(help);
  return f;
}

FieldSpec EnumField(std::string name, bool required, std::vector<std::string> one_of,
                    std::string help) {
  FieldSpec f = StringField(std::move(name), required, 1, 64, std::move(help));
  f.one_of = std::move(one_of);
  return f;
}

FieldSpec IntField(std::string name, bool required, int64_t min, int64_t max, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kInt;
  f.int_min = min;
  f.int_max = max;
  f.required = required;
  f.min = static_cast<double>(min);
  f.max = static_cast<double>(max);
  f.help = std::move(help);
  return f;
}

FieldSpec NumberField(std::string name, bool required, double min, double max, std::string help) {
  FieldSpec f = IntField(std::move(name), required, 0, 0, std::move(help));
  f.type = FieldType::kNumber;
  f.min = min;
  f.max = max;
  return f;
}

FieldSpec BoolField(std::string name, bool required, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kBool;
  f.required = required;
  f.help = std::move(help);
  return f;
}

Json OpSpec::ToJson() const {
  Json fields_json = Json::array();
  for (const FieldSpec& f : fields) fields_json.push_back(f.ToJson());
  return {{"op", name}, {"help", help}, {"fields", fields_json}};
}

Status ValidateFields(std::string_view context, const std::vector<FieldSpec>& fields,
                      const Json& args) {
  if (!args.is_object()) {
    return Status::Invalid(std::string(context) + ": expected a JSON object (got " + Shown(args) +
                           ")");
  }
  for (const auto& [key, value] : args.items()) {
    if (context != "config" && key == "op") continue;
    bool known = false;
    for (const FieldSpec& f : fields) known = known || f.name == key;
    if (!known) {
      std::vector<std::string> names;
      for (const FieldSpec& f : fields) names.push_back(f.name);
      return Status::Invalid(std::string(context) + ": unknown field \"" + key + "\"; allowed: " +
                             (names.empty() ? "none" : Join(names)));
    }
  }
  for (const FieldSpec& f : fields) {
    const auto it = args.find(f.name);
    if (it == args.end()) {
      if (f.required) {
        return Status::Invalid(std::string(context) + ": missing required field \"" + f.name +
                               "\" (" + f.Describe() + ")");
      }
      continue;
    }
    SDP_RETURN_IF_ERROR(CheckValue(context, f, *it));
  }
  return Status::Ok();
}

FieldSpec JsonField(std::string name, bool required, uint32_t max_bytes, std::string help) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kJson;
  f.required = required;
  f.max_length = max_bytes;
  f.help = std::move(help);
  return f;
}

}  // namespace sdp
