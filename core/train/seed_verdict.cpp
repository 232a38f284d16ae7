#include "train/seed_verdict.hpp"

#include "util/random.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace towerlab {

namespace {

void requireFinite(std::span<const double> values, const char* what) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i])) {
            throw VerdictError(std::string(what) + " value " + std::to_string(i + 1) +
                               " is not a finite number");
        }
    }
}

void requirePairs(std::span<const double> first, std::span<const double> second,
                  std::size_t minimum, const char* unit) {
    if (first.size() != second.size()) {
        throw VerdictError("a paired comparison needs the same " + std::string(unit) +
                           " for both, got " + std::to_string(first.size()) + " and " +
                           std::to_string(second.size()));
    }
    if (first.size() < minimum) {
        throw VerdictError("a paired comparison needs at least " + std::to_string(minimum) + " " +
                           unit + ", got " + std::to_string(first.size()));
    }
    requireFinite(first, "first");
    requireFinite(second, "second");
}

VerdictKind kindOf(double low, double high) {
    if (low > 0.0) {
        return VerdictKind::SecondBetter;
    }
    if (high < 0.0) {
        return VerdictKind::FirstBetter;
    }
    return VerdictKind::NoDetectableDifference;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    // "-0.000" reads as a difference where there is none.
    return std::string(text) == "-0.000" ? std::string("0.000") : std::string(text);
}

std::string pText(double p) {
    char text[32];
    if (p < 0.001) {
        return "p < 0.001";
    }
    std::snprintf(text, sizeof text, "p = %.3f", p);
    return text;
}

} // namespace

SeedSummary summarizeSeeds(std::span<const double> values) {
    if (values.empty()) {
        throw VerdictError("no runs to summarise");
    }
    requireFinite(values, "run");
    SeedSummary s;
    s.runs = static_cast<int>(values.size());
    double sum = 0.0;
    for (const double v : values) {
        sum += v;
    }
    s.mean = sum / static_cast<double>(values.size());
    if (values.size() > 1) {
        double squares = 0.0;
        for (const double v : values) {
            squares += (v - s.mean) * (v - s.mean);
        }
        s.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
    }
    return s;
}

DifferenceVerdict pairedSeedVerdict(std::span<const double> first, std::span<const double> second) {
    requirePairs(first, second, 2, "seeds");
    std::vector<double> differences(first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        differences[i] = second[i] - first[i];
    }
    const SeedSummary d = summarizeSeeds(differences);
    DifferenceVerdict v;
    v.method = VerdictMethod::PairedT;
    v.pairs = d.runs;
    v.difference = d.mean;
    const double n = static_cast<double>(d.runs);
    const double standardError = d.sd / std::sqrt(n);
    if (standardError == 0.0) {
        // Every seed moved by exactly the same amount: no spread to test against.
        v.low = v.high = d.mean;
        v.pValue = d.mean == 0.0 ? 1.0 : 0.0;
    } else {
        const boost::math::students_t t(n - 1.0);
        const double q = boost::math::quantile(boost::math::complement(t, 0.025));
        v.low = d.mean - q * standardError;
        v.high = d.mean + q * standardError;
        const double statistic = std::abs(d.mean) / standardError;
        v.pValue = 2.0 * boost::math::cdf(boost::math::complement(t, statistic));
    }
    v.kind = kindOf(v.low, v.high);
    return v;
}

DifferenceVerdict pairedBootstrapVerdict(std::span<const double> first,
                                         std::span<const double> second, int resamples,
                                         std::uint64_t seed) {
    requirePairs(first, second, 2, "test examples");
    if (resamples < 100) {
        throw VerdictError("a bootstrap needs at least 100 resamples, got " +
                           std::to_string(resamples));
    }
    const std::size_t n = first.size();
    std::vector<double> differences(n);
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        differences[i] = second[i] - first[i];
        sum += differences[i];
    }
    Random random(seed);
    std::vector<double> means(static_cast<std::size_t>(resamples));
    for (double& mean : means) {
        double resampled = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            resampled += differences[random.below(n)];
        }
        mean = resampled / static_cast<double>(n);
    }
    std::sort(means.begin(), means.end());
    const auto at = [&](double share) {
        const auto index =
            static_cast<std::size_t>(std::clamp(std::floor(share * static_cast<double>(resamples)),
                                                0.0, static_cast<double>(resamples - 1)));
        return means[index];
    };
    DifferenceVerdict v;
    v.method = VerdictMethod::PairedBootstrap;
    v.pairs = static_cast<int>(n);
    v.difference = sum / static_cast<double>(n);
    v.low = at(0.025);
    v.high = at(0.975);
    const auto atOrBelow =
        static_cast<double>(std::upper_bound(means.begin(), means.end(), 0.0) - means.begin());
    const auto atOrAbove =
        static_cast<double>(means.end() - std::lower_bound(means.begin(), means.end(), 0.0));
    v.pValue = std::min(1.0, 2.0 * std::min(atOrBelow, atOrAbove) / resamples);
    v.kind = kindOf(v.low, v.high);
    return v;
}

std::string verdictSentence(const DifferenceVerdict& v, const std::string& metric,
                            const std::string& firstName, const std::string& secondName) {
    // The interval of the winner's lead when there is one, of second − first otherwise.
    const bool firstBetter = v.kind == VerdictKind::FirstBetter;
    const std::string interval = "(95% interval " + number(firstBetter ? -v.high : v.low) + " to " +
                                 number(firstBetter ? -v.low : v.high) + ")";
    const std::string over = v.method == VerdictMethod::PairedT
                                 ? std::to_string(v.pairs) + " seeds"
                                 : std::to_string(v.pairs) + " test examples";
    const std::string test =
        v.method == VerdictMethod::PairedT ? "paired t-test" : "paired bootstrap";
    if (v.kind == VerdictKind::NoDetectableDifference) {
        return "No difference this test can detect: " + secondName + " − " + firstName + " = " +
               number(v.difference) + " " + metric + " " + interval + " over " + over + " (" +
               test + ", " + pText(v.pValue) + ").";
    }
    const bool secondBetter = v.kind == VerdictKind::SecondBetter;
    const std::string& winner = secondBetter ? secondName : firstName;
    const double by = std::abs(v.difference);
    const double plusMinus = (v.high - v.low) / 2.0;
    const std::string holds = v.method == VerdictMethod::PairedT
                                  ? "this holds across the " + over
                                  : "this holds over the " + over + " of one run each";
    return winner + " is better by " + number(by) + " ± " + number(plusMinus) + " " + metric + " " +
           interval + "; " + holds + " (" + test + ", " + pText(v.pValue) + ").";
}

} // namespace towerlab
