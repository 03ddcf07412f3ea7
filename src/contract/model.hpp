#pragma once
// The compiled form of a contract: a tree of field nodes with resolved
// constraints and a hash index per object, shared by validation, mapping,
// redaction, compatibility, drift and the JSON Schema export.

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/types.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

inline constexpr std::size_t max_nesting = 32;
inline constexpr std::size_t max_fields = 512;

/// Open-addressing index from field name to position.
class key_index {
 public:
  void build(const std::vector<std::string_view>& keys);
  /// Position of `key`, or -1.
  [[nodiscard]] int find(std::string_view key, const std::vector<std::string_view>& keys) const noexcept {
    return find(key, [&](std::size_t s) { return keys[s] == key; });
  }
  /// Position of `key`, or -1; `is(s)` tells whether key `s` is the one.
  template <class Is>
  [[nodiscard]] int find(std::string_view key, Is&& is) const noexcept {
    if (slots_.empty()) return -1;
    for (std::size_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
      const std::int32_t s = slots_[i];
      if (s < 0) return -1;
      if (is(static_cast<std::size_t>(s))) return s;
    }
  }
  // Length and three bytes: cheap, and field names of one object rarely
  // collide on all four (collisions only cost a probe).
  [[nodiscard]] static std::uint64_t hash(std::string_view s) noexcept {
    if (s.empty()) return 0;
    const auto b = [&s](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])); };
    std::uint64_t h = s.size() * 0x9E3779B97F4A7C15ULL;
    h ^= b(0) | (b(s.size() / 2) << 8U) | (b(s.size() - 1) << 16U);
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 29U);
  }

 private:
  std::vector<std::int32_t> slots_;
  std::uint64_t mask_ = 0;
};

/// A field's mapping onto Odoo (`odoo` in the document).
struct mapping {
  bool present = false;
  std::string field;                ///< as written: `partner_id`, `country_id.code`, `id`
  std::vector<std::string> path;    ///< `field` split at dots
  reference_by by = reference_by::value;
  std::string relation;             ///< related model
  mapping_direction direction = mapping_direction::both;
  std::vector<std::pair<std::string, std::string>> values;  ///< enum contract value -> Odoo value
  bool server_default = false;
  /// The field may be missing on the server (another Odoo series, a module
  /// not installed): then it is neither written nor read, and not drift.
  bool optional = false;
  /// The field written and read instead where the server's model lacks
  /// `field` (one Odoo renamed between series, e.g. stock.move's
  /// `quantity_done` before 17's `quantity`); empty: none. Single-hop only.
  std::string fallback;
  std::string load_column;          ///< its `load` column: `field`, `field/id`, `field/.id`, `first_hop/.id`

  [[nodiscard]] bool is_external_id() const noexcept { return present && field == "id"; }
  [[nodiscard]] bool writes() const noexcept { return present && direction != mapping_direction::read; }
  [[nodiscard]] bool reads() const noexcept { return present && direction != mapping_direction::write; }
  [[nodiscard]] bool dotted() const noexcept { return path.size() > 1; }
  /// The `load` column of `name` standing for `field` (the fallback's).
  [[nodiscard]] std::string column_of(std::string_view name) const {
    return std::string(name) + load_column.substr(field.size());
  }
  /// The Odoo value of an enum value (itself when not mapped).
  [[nodiscard]] std::string_view odoo_value(std::string_view v) const noexcept {
    for (const auto& [c, o] : values)
      if (c == v) return o;
    return v;
  }
  /// The contract value of an Odoo selection value, or empty when unmapped.
  [[nodiscard]] std::optional<std::string_view> contract_value(std::string_view o, const std::vector<std::string>& enum_values) const noexcept {
    for (const auto& [c, ov] : values)
      if (ov == o) return std::string_view(c);
    for (const auto& v : enum_values)
      if (v == o && odoo_value(v) == o) return std::string_view(v);
    return std::nullopt;
  }
  friend bool operator==(const mapping&, const mapping&) = default;
};

/// One field spec (also an array's `items`, and the document root as an object).
struct node {
  std::string name;  ///< empty for `items` and the root
  field_type type = field_type::string;
  bool required = false;
  bool nullable = false;
  bool pii = false;
  bool deprecated = false;
  std::optional<json::value> default_value;
  /// For a field of one2many lines: when a line omits it, the value of this
  /// field of the record holding the line (a picking's location for its
  /// moves); empty: none.
  std::string default_from;
  std::string description;

  // string
  std::optional<std::int64_t> min_length;
  std::optional<std::int64_t> max_length;
  std::string pattern;
  std::shared_ptr<const std::regex> regex;
  string_format format = string_format::none;
  // integer (exact) / number / decimal
  std::optional<std::int64_t> int_minimum;
  std::optional<std::int64_t> int_maximum;
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::optional<std::int64_t> precision;
  std::optional<std::int64_t> scale;
  // enum
  std::vector<std::string> values;
  // reference
  std::string reference;
  // array
  std::unique_ptr<node> items;
  std::optional<std::int64_t> min_items;
  std::optional<std::int64_t> max_items;
  // object
  std::vector<node> fields;
  std::vector<std::string_view> keys;   ///< views of fields[i].name, for the index
  /// A field name for word-wise comparison with padded keys: its first 16
  /// bytes as two words, the masks that keep only the name's bytes, its length.
  struct key_entry {
    std::array<std::uint64_t, 2> words;
    std::array<std::uint64_t, 2> masks;
    std::size_t size;
  };
  /// Per field, then a sentinel no key matches (so the walker's guess at
  /// the next field needs no bounds check).
  std::vector<key_entry> key_words;
  key_index index;
  std::vector<std::uint32_t> required_fields;  ///< required without default
  unknown_fields unknown = unknown_fields::reject;

  mapping odoo;
  bool subtree_has_pii = false;
  /// A string mapped to Odoo's `id`: the record's own external id, checked
  /// with the external id syntax.
  bool external_id = false;

  node() = default;
  node(node&&) noexcept = default;
  node& operator=(node&&) noexcept = default;

  [[nodiscard]] int find(std::string_view key) const noexcept { return index.find(key, keys); }
  /// The same for a key that may be read 16 bytes past its start (see padded_key_is).
  [[nodiscard]] int find_padded(std::string_view key) const noexcept {
    return index.find(key, [&](std::size_t s) { return padded_key_is(s, key); });
  }
  /// Whether field `i` is named `key`, where `key` may be read 16 bytes past
  /// its start (simdjson's string buffer is padded): two word compares
  /// instead of a memcmp call for names up to 16 bytes.
  /// `i` may be the sentinel (`fields.size()`).
  [[nodiscard]] bool padded_key_is(std::size_t i, std::string_view key) const noexcept {
    const key_entry& k = key_words[i];
    if (k.size != key.size()) return false;
    if (key.size() > 16) return keys[i] == key;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, key.data(), 8);
    std::memcpy(&b, key.data() + 8, 8);
    return (a & k.masks[0]) == k.words[0] && (b & k.masks[1]) == k.words[1];
  }
  /// The value a missing field reads as, if any.
  [[nodiscard]] bool may_be_omitted() const noexcept { return !required || default_value.has_value(); }
  [[nodiscard]] reference_by by() const noexcept { return odoo.present ? odoo.by : (type == field_type::reference ? reference_by::external_id : reference_by::value); }
  /// Objects without their own Odoo field spread their fields onto the parent record.
  [[nodiscard]] bool flattened() const noexcept { return type == field_type::object && !odoo.present; }
};

}  // namespace detail

struct contract::state {
  std::string subject;
  std::string version_text;
  semantic_version version;
  std::string owner;
  std::string system_of_record;
  std::string description;
  compatibility_mode mode = compatibility_mode::backward;
  std::string odoo_model;
  detail::node root;  ///< type object
  json::value document;
  std::string canonical;
  std::string fingerprint;
};

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
