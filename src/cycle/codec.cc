#include "cycle/codec.h"

#include <type_traits>
#include <utility>

namespace jcm::cycle {
namespace {

template <typename T>
concept Visitable = requires(T t) {
  t.Visit([](std::string_view, auto&) {});
};

template <typename T>
concept EnumType = std::is_enum_v<T>;

// Writes fields into a record under a key prefix.
class Writer {
 public:
  Writer(core::Record* record, std::string prefix) : record_(record), prefix_(std::move(prefix)) {}

  void operator()(std::string_view key, const std::string& value) { record_->Add(Key(key), value); }
  void operator()(std::string_view key, int64_t value) { record_->AddInt(Key(key), value); }
  void operator()(std::string_view key, bool value) {
    record_->Add(Key(key), value ? "true" : "false");
  }
  void operator()(std::string_view key, core::Date value) {
    record_->Add(Key(key), value.ToString());
  }
  void operator()(std::string_view key, const core::Period& value) {
    record_->Add(Key(key), value.ToString());
  }
  template <EnumType E>
  void operator()(std::string_view key, E value) {
    record_->Add(Key(key), ToString(value));
  }
  void operator()(std::string_view key, const std::vector<std::string>& values) {
    for (const std::string& value : values) record_->Add(Key(key), value);
  }
  template <typename T>
  void operator()(std::string_view key, const std::optional<T>& value) {
    if (value.has_value()) (*this)(key, *value);
  }
  template <Visitable S>
  void operator()(std::string_view key, const S& value) {
    Writer nested(record_, Key(key) + ".");
    S copy = value;
    copy.Visit(nested);
  }
  template <Visitable S>
  void operator()(std::string_view key, const std::vector<S>& values) {
    for (const S& value : values) (*this)(key, value);
  }

 private:
  std::string Key(std::string_view key) const { return prefix_ + std::string(key); }
  core::Record* record_;
  std::string prefix_;
};

// Reads fields from a record: the `index`-th occurrence of each key under a prefix.
class Reader {
 public:
  Reader(const core::Record& record, std::string prefix, size_t index)
      : record_(record), prefix_(std::move(prefix)), index_(index) {}

  const core::Status& status() const { return status_; }

  void operator()(std::string_view key, std::string& value) {
    if (auto text = Required(key)) value = std::string(*text);
  }
  void operator()(std::string_view key, int64_t& value) {
    auto text = Required(key);
    if (!text) return;
    auto parsed = core::ParseInt64(*text);
    if (!parsed) return Fail(key, "not an integer");
    value = *parsed;
  }
  void operator()(std::string_view key, bool& value) {
    auto text = Required(key);
    if (!text) return;
    if (*text != "true" && *text != "false") return Fail(key, "not true/false");
    value = *text == "true";
  }
  void operator()(std::string_view key, core::Date& value) {
    auto text = Required(key);
    if (!text) return;
    auto parsed = core::Date::Parse(*text);
    if (!parsed.ok()) return Fail(key, parsed.status().message());
    value = *parsed;
  }
  void operator()(std::string_view key, core::Period& value) {
    auto text = Required(key);
    if (!text) return;
    auto parsed = core::Period::Parse(*text);
    if (!parsed.ok()) return Fail(key, parsed.status().message());
    value = *parsed;
  }
  template <EnumType E>
  void operator()(std::string_view key, E& value) {
    auto text = Required(key);
    if (!text) return;
    if (!ParseEnum(*text, &value)) Fail(key, "unknown name '" + std::string(*text) + "'");
  }
  void operator()(std::string_view key, std::vector<std::string>& values) {
    values.clear();
    for (std::string_view text : record_.FindAll(Key(key))) values.emplace_back(text);
  }
  template <typename T>
  void operator()(std::string_view key, std::optional<T>& value) {
    value.reset();
    if (!Present(key)) return;
    T inner{};
    (*this)(key, inner);
    value = std::move(inner);
  }
  template <Visitable S>
  void operator()(std::string_view key, S& value) {
    Reader nested(record_, Key(key) + ".", index_);
    value.Visit(nested);
    if (!nested.status().ok() && status_.ok()) status_ = nested.status();
  }
  template <Visitable S>
  void operator()(std::string_view key, std::vector<S>& values) {
    values.clear();
    // The first field of S names how many elements there are.
    std::string first_key;
    S probe;
    probe.Visit([&](std::string_view sub, auto&) {
      if (first_key.empty()) first_key = std::string(sub);
    });
    size_t count = record_.FindAll(Key(key) + "." + first_key).size();
    for (size_t i = 0; i < count; ++i) {
      Reader nested(record_, Key(key) + ".", i);
      S element;
      element.Visit(nested);
      if (!nested.status().ok() && status_.ok()) status_ = nested.status();
      values.push_back(std::move(element));
    }
  }

 private:
  std::string Key(std::string_view key) const { return prefix_ + std::string(key); }
  bool Present(std::string_view key) const {
    if (record_.Find(Key(key)).has_value()) return true;
    // A nested struct is present when any sub-key is.
    std::string nested = Key(key) + ".";
    for (const auto& [k, v] : record_.fields()) {
      if (k.rfind(nested, 0) == 0) return true;
    }
    return false;
  }
  std::optional<std::string_view> Required(std::string_view key) {
    std::vector<std::string_view> all = record_.FindAll(Key(key));
    if (index_ < all.size()) return all[index_];
    Fail(key, "missing");
    return std::nullopt;
  }
  void Fail(std::string_view key, const std::string& why) {
    if (status_.ok()) status_ = core::DataLoss("cycle event field '" + Key(key) + "': " + why);
  }

  const core::Record& record_;
  std::string prefix_;
  size_t index_;
  core::Status status_;
};

template <size_t I = 0>
core::Result<Payload> DecodePayload(std::string_view kind, const core::Record& body) {
  if constexpr (I == std::variant_size_v<Payload>) {
    return core::DataLoss("unknown cycle event kind 'cycle." + std::string(kind) + "'");
  } else {
    using P = std::variant_alternative_t<I, Payload>;
    if (kind != P::kKind) return DecodePayload<I + 1>(kind, body);
    P payload;
    Reader reader(body, "", 0);
    payload.Visit(reader);
    if (!reader.status().ok()) return reader.status();
    return Payload(std::move(payload));
  }
}

}  // namespace

std::string_view PayloadKind(const Payload& payload) {
  return std::visit([](const auto& p) { return std::decay_t<decltype(p)>::kKind; }, payload);
}

bool IsCycleEventKind(std::string_view kind) { return kind.rfind(kEventKindPrefix, 0) == 0; }

EncodedEvent EncodeEvent(const Event& event) {
  EncodedEvent encoded;
  encoded.kind = std::string(kEventKindPrefix) + std::string(PayloadKind(event.payload));
  Writer writer(&encoded.body, "");
  writer("actor", event.actor);
  std::visit(
      [&](const auto& payload) {
        auto copy = payload;
        copy.Visit(writer);
      },
      event.payload);
  return encoded;
}

core::Result<Event> DecodeEvent(std::string_view kind, const core::Record& body) {
  if (!IsCycleEventKind(kind)) {
    return core::DataLoss("not a cycle event kind: '" + std::string(kind) + "'");
  }
  Event event;
  Reader reader(body, "", 0);
  reader("actor", event.actor);
  if (!reader.status().ok()) return reader.status();
  JCM_ASSIGN_OR_RETURN(event.payload, DecodePayload(kind.substr(kEventKindPrefix.size()), body));
  return event;
}

}  // namespace jcm::cycle
