#pragma once
// Counts that describe a dataset at a glance: how many users, movies and ratings, and how
// they are distributed. Views show these; they never count rows themselves.

#include "data/data_error.hpp"
#include "data/dataset.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace towerlab {

// One bar of a distribution: a label a person can read ("25-34", "student", "1998-03")
// and how many users, movies or ratings fall in it.
struct CountBin {
    std::string label;
    std::size_t count = 0;
};

struct DatasetSummary {
    std::size_t users = 0;
    std::size_t movies = 0;
    std::size_t ratings = 0;
    std::size_t distinctTitles = 0;
    double meanRating = 0.0;         // 0 when there are no ratings
    std::int64_t firstTimestamp = 0; // Unix seconds; both 0 when there are no ratings
    std::int64_t lastTimestamp = 0;

    std::vector<CountBin> ratingsPerUser; // users by how many ratings they gave (fixed ranges)
    std::vector<CountBin> ageGroups;      // users per age bucket ("under 18", "18-24", ...)
    std::vector<CountBin> genders;        // users per gender ("female", "male", "unknown" if any)
    std::vector<CountBin> occupations;    // users per occupation label, largest first
    std::vector<CountBin> genres;         // movies per genre, in genre order
    std::vector<CountBin> stars; // ratings per star value "1".."5" (half stars rounded down)
    std::vector<CountBin> ratingsByMonth; // ratings per calendar month (UTC), "YYYY-MM", in order,
                                          // empty months included; per year ("YYYY") when the
                                          // ratings span 5 years or more; per group of years
                                          // ("YYYY-YYYY", at most 200 bars) beyond 200 years

    // Per movie, in Dataset::movies order.
    std::vector<std::int32_t> movieRatingCounts;
    std::vector<double> movieMeanRatings; // 0 for a movie nobody rated
};

// Summarises the dataset in one pass over the ratings (a few ms for 100,000 ratings).
// Demographic distributions are empty when dataset.hasDemographics is false. Ratings whose
// user or movie index is out of range are a broken dataset: DatasetError.
DatasetSummary summarizeDataset(const Dataset& dataset);

// How many of the given ratings (indices into dataset.ratings) fall in each bar of
// summarizeDataset(dataset).ratingsByMonth, in the same order: e.g. the test part of a split,
// to show where it lies in time. Empty for a dataset without ratings; an index outside the
// ratings is a DatasetError.
std::vector<std::size_t> ratingsByMonthOf(const Dataset& dataset,
                                          std::span<const std::int32_t> ratingIndices);

// The age bucket's label as a person reads it: 1 -> "under 18", 18 -> "18-24", ..., 56 -> "56+".
std::string ageBucketLabel(int bucket);

} // namespace towerlab
