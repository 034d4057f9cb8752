import Basics
import Jobs
import Pipeline
import Testing

/// Weights built in code (Lua tables, other callers) skip the job file's bounds: the score must
/// still be a number from 0 to 100, never a trap.
@Suite struct ScoringLimitsTests {
    @Test func hugeWeightsGiveAScoreFrom0To100() throws {
        let scorer = try #require(QualityScorer(weights: [.init(name: "contactability", value: 1e308),
                                                          .init(name: "completeness", value: 1e308)]))
        let score = scorer.qualityScore(completeness: 100, contactability: 20, freshness: 0)
        #expect((0...100).contains(score))
    }

    @Test func infiniteWeightDoesNotTrap() throws {
        let scorer = try #require(QualityScorer(weights: [.init(name: "unicity", value: .infinity),
                                                          .init(name: "freshness", value: 1)]))
        #expect((0...100).contains(scorer.qualityScore(completeness: 0, contactability: 0, freshness: 50)))
    }
}
