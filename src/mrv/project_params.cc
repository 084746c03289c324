#include "mrv/project_params.h"

#include <charconv>
#include <map>
#include <string>

#include "mrv/keyed_text.h"

namespace jcm::mrv {

const PointSpec* ProjectParams::FindPoint(std::string_view name) const {
  if (point_index.size() == points.size()) {
    auto found = point_index.find(name);
    return found == point_index.end() ? nullptr : &points[found->second];
  }
  for (const PointSpec& point : points) {
    if (point.name == name) return &point;
  }
  return nullptr;
}

core::Result<std::vector<core::Period>> ParsePeriodList(std::string_view text) {
  std::vector<core::Period> periods;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      JCM_ASSIGN_OR_RETURN(core::Period period, core::Period::Parse(item));
      periods.push_back(period);
    }
    pos = comma + 1;
  }
  return periods;
}

namespace {

core::Status LoadValues(const KeyedSection& section, std::string_view file,
                        std::map<std::string, ParamValue, std::less<>>* values) {
  for (const KeyedEntry& entry : section.entries) {
    auto value = Rational::Parse(entry.value);
    if (!value.ok())
      return PositionError(file, entry.line, entry.value_column, value.status().message());
    (*values)[entry.key] = ParamValue{std::move(value).value(), entry.line};
  }
  return core::OkStatus();
}

core::Status LoadProject(const KeyedSection& s, ProjectParams* params) {
  const std::string_view file = params->file_name;
  for (const KeyedEntry& e : s.entries) {
    auto at = [&](const std::string& message) {
      return PositionError(file, e.line, e.value_column, message);
    };
    if (e.key == "id") {
      params->project_id = e.value;
    } else if (e.key == "methodology") {
      params->methodology = e.value;
    } else if (e.key == "periods" || e.key == "reported") {
      auto periods = ParsePeriodList(e.value);
      if (!periods.ok()) return at(periods.status().message());
      (e.key == "periods" ? params->periods : params->reported) = *periods;
    } else if (e.key == "interval_minutes") {
      int minutes = 0;
      auto [end, error] = std::from_chars(e.value.data(), e.value.data() + e.value.size(), minutes);
      if (error != std::errc() || end != e.value.data() + e.value.size() || minutes < 1 ||
          minutes > 1440 || 1440 % minutes != 0) {
        return at("interval_minutes must divide a day (1..1440)");
      }
      params->interval_minutes = minutes;
    } else if (e.key == "uncalibrated_discount_percent") {
      auto percent = Rational::Parse(e.value);
      if (!percent.ok() || percent->is_negative() || *percent > Rational::FromInt(100)) {
        return at("uncalibrated_discount_percent must be 0..100");
      }
      params->uncalibrated_discount_percent = *percent;
    } else {
      return at("unknown key \"" + e.key + "\" in [project]");
    }
  }
  return core::OkStatus();
}

core::Status LoadPoint(const KeyedSection& s, ProjectParams* params) {
  const std::string_view file = params->file_name;
  if (s.name.empty()) return PositionError(file, s.line, 1, "[point NAME] needs a name");
  if (std::string error = ControlCharacterError("point", s.name); !error.empty()) {
    return PositionError(file, s.line, 1, error);
  }
  if (params->FindPoint(s.name) != nullptr) {
    return PositionError(file, s.line, 1, "point " + s.name + " declared twice");
  }
  PointSpec point;
  point.name = s.name;
  for (const KeyedEntry& e : s.entries) {
    if (e.key == "calibration") {
      auto period = core::Period::Parse(e.value);
      if (!period.ok())
        return PositionError(file, e.line, e.value_column, period.status().message());
      point.calibration = *period;
    } else if (e.key.rfind("option.", 0) == 0) {
      if (e.value != "A" && e.value != "B" && e.value != "C") {
        return PositionError(file, e.line, e.value_column, "monitoring option must be A, B or C");
      }
      point.options[e.key.substr(7)] = e.value;
    } else {
      auto value = Rational::Parse(e.value);
      if (!value.ok()) return PositionError(file, e.line, e.value_column, value.status().message());
      point.values[e.key] = ParamValue{std::move(value).value(), e.line};
    }
  }
  params->point_index.emplace(point.name, params->points.size());
  params->points.push_back(std::move(point));
  return core::OkStatus();
}

}  // namespace

core::Result<ProjectParams> ParseProjectParams(std::string_view text, std::string_view file_name) {
  JCM_ASSIGN_OR_RETURN(std::vector<KeyedSection> sections, ParseKeyedText(text, file_name));
  ProjectParams params;
  params.file_name = std::string(file_name);
  // [project] and [values] hold one set each: a second one would silently override the first.
  std::map<std::string, int, std::less<>> first_line;
  for (const KeyedSection& section : sections) {
    if (section.kind == "project" || section.kind == "values") {
      auto [first, inserted] = first_line.emplace(section.kind, section.line);
      if (!inserted) {
        return PositionError(file_name, section.line, 1,
                             "a second [" + section.kind + "] section (the first is at line " +
                                 std::to_string(first->second) + "); merge them into one");
      }
    }
    if (section.kind == "project") {
      JCM_RETURN_IF_ERROR(LoadProject(section, &params));
    } else if (section.kind == "values") {
      JCM_RETURN_IF_ERROR(LoadValues(section, file_name, &params.values));
    } else if (section.kind == "point") {
      JCM_RETURN_IF_ERROR(LoadPoint(section, &params));
    } else {
      return PositionError(file_name, section.line, 1, "unknown section [" + section.kind + "]");
    }
  }
  return params;
}

core::Result<ProjectParams> LoadProjectParamsFile(const std::string& path) {
  JCM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kKeyedFileBytesMax));
  return ParseProjectParams(text, path);
}

}  // namespace jcm::mrv
