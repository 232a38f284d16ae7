#include "features/feature_table.hpp"

namespace towerlab {

const FeatureDescriptor* findFeature(std::string_view name) {
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

RawValue queryValue(const FeatureDescriptor& feature, const UserQuery& query) {
    if (feature.ofQuery != nullptr) {
        return feature.ofQuery(query);
    }
    const auto it = query.attributes.find(feature.name);
    return it != query.attributes.end() ? RawValue(it->second) : std::nullopt;
}

void setQueryValue(const FeatureDescriptor& feature, UserQuery& query, RawValue value) {
    if (feature.toQuery != nullptr) {
        feature.toQuery(query, value);
    } else if (value) {
        query.attributes.insert_or_assign(std::string(feature.name), *value);
    } else if (const auto it = query.attributes.find(feature.name); it != query.attributes.end()) {
        query.attributes.erase(it);
    }
}

std::string queryValueText(const FeatureDescriptor& feature, const UserQuery& query) {
    const RawValue value = queryValue(feature, query);
    if (!value) {
        return "unknown";
    }
    return feature.valueText != nullptr ? feature.valueText(*value) : std::to_string(*value);
}

UserQuery queryOfUser(const User& user, std::int64_t timestamp) {
    UserQuery query;
    query.timestamp = timestamp;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.vocabulary == Vocabulary::UserAttribute && f.ofUser != nullptr) {
            setQueryValue(f, query, f.ofUser(user));
        }
    }
    return query;
}

} // namespace towerlab
