#pragma once
// "Is the difference real?": one metric of a configuration over several seeds as mean ± sd,
// and a verdict on the difference between two configurations. Over the seeds both were run
// with, a paired t-test (Student's t, n − 1 degrees of freedom) gives the 95% interval of the
// mean difference; for two single runs on the same test split, a paired bootstrap over the
// test examples does. A verdict says "better" only when its 95% interval excludes zero.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace towerlab {

class VerdictError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct SeedSummary {
    int runs = 0;
    double mean = 0.0;
    double sd = 0.0; // sample standard deviation (n − 1); 0 for a single run
};

// Throws VerdictError for no values or a non-finite one.
SeedSummary summarizeSeeds(std::span<const double> values);

enum class VerdictMethod { PairedT, PairedBootstrap };
enum class VerdictKind { SecondBetter, FirstBetter, NoDetectableDifference };

struct DifferenceVerdict {
    VerdictMethod method = VerdictMethod::PairedT;
    VerdictKind kind = VerdictKind::NoDetectableDifference;
    double difference = 0.0; // mean of (second − first)
    double low = 0.0;        // 95% interval of the mean difference
    double high = 0.0;
    double pValue = 1.0; // two-sided
    int pairs = 0;       // seeds (t-test) or test examples (bootstrap)
};

// Paired over seeds: first[i] and second[i] come from the same seed. Needs at least 2 pairs
// and equal lengths (VerdictError otherwise). Identical pairs give difference 0 and no
// detectable difference.
DifferenceVerdict pairedSeedVerdict(std::span<const double> first, std::span<const double> second);

// Paired bootstrap over test examples: first[i] and second[i] are example i's value (e.g.
// 1 when the positive is in the top k, else 0) under each model, on the same split. The
// percentile interval and the two-sided p-value (twice the smaller share of resampled
// differences on either side of zero) come from `resamples` resamples drawn with `seed`, so
// a verdict is reproducible. Needs at least 2 examples, equal lengths and resamples >= 100.
DifferenceVerdict pairedBootstrapVerdict(std::span<const double> first,
                                         std::span<const double> second, int resamples = 2000,
                                         std::uint64_t seed = 1);

// A sentence a student can read, e.g. "B is better by 0.011 ± 0.004 top-100 (95% interval
// 0.007 to 0.015); this holds across the 5 seeds (paired t-test, p = 0.003)." or "No
// difference this test can detect: B − A = 0.002 top-100 (95% interval −0.004 to 0.008) over
// 3 seeds."
std::string verdictSentence(const DifferenceVerdict& verdict, const std::string& metric,
                            const std::string& firstName, const std::string& secondName);

} // namespace towerlab
