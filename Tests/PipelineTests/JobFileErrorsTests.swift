import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

/// Job-file errors met by the runner name the job file and the field (docs/job-file.md).
@Suite struct JobFileErrorsTests {
    /// Runs a job with `extra` lines; returns the job path and the failure message of a usage
    /// error (after checking that nothing was written).
    func usageError(_ extra: String, withInput: Bool = true) throws -> (job: String, message: String) {
        let fixture = try RunFixture(rows: 200)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]", extra: extra + "\n")
        let outcome = fixture.run(job: job) { if !withInput { $0.inputPath = nil } }
        #expect(outcome.exitStatus == 2)
        #expect(!fixture.directory.exists("out"))
        return (job, try #require(outcome.failure?.message))
    }

    @Test func unknownDedupeKeyNamesTheFile() throws {
        let (job, message) = try usageError("dedupe: {keys: [siret, sirett]}")
        #expect(message.hasPrefix("\(job): field 'dedupe.keys[1]': 'sirett' is not an output column"))
        #expect(message.hasSuffix("; did you mean siret?"))
    }

    @Test(arguments: ["input: 5", "input: \"\"", "input: {path: a.csv}"])
    func badInputFieldIsAUsageErrorNamingTheFile(_ line: String) throws {
        let (job, message) = try usageError(line, withInput: false)
        #expect(message.hasPrefix("\(job): field 'input': "))
    }

    @Test func aWeightNamingNoComponentIsAUsageErrorWithASuggestion() throws {
        let (job, message) = try usageError("scoring: {weights: {freshness: 1, unicty: 2}}")
        #expect(message == "\(job): field 'scoring.weights.unicty': not a score component "
            + "(one of: contactability, unicity, completeness, freshness); did you mean unicity?")
    }

    @Test func hugeWeightIsAUsageErrorNotATrap() throws {
        let (job, message) = try usageError("scoring: {weights: {contactability: 1e308}}")
        #expect(message.hasPrefix("\(job): field 'scoring.weights.contactability': "))
    }
}
