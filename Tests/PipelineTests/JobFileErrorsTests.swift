import Foundation
import Jobs
import Pipeline
import TestSupport
import Testing

/// Job-file errors met by the runner name the job file and the field (SPEC section 5).
@Suite struct JobFileErrorsTests {
    @Test func unknownDedupeKeyNamesTheFile() throws {
        let fixture = try RunFixture(rows: 200)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]", extra: "dedupe: {keys: [siret, sirett]}\n")
        let outcome = fixture.run(job: job)
        #expect(outcome.exitStatus == 2)
        let message = try #require(outcome.failure?.message)
        #expect(message.hasPrefix("\(job): dedupe.keys[1]: 'sirett' is not an output column"))
        #expect(!fixture.directory.exists("out"))
    }

    @Test(arguments: ["input: 5", "input: \"\"", "input: {path: a.csv}"])
    func badInputFieldIsAUsageErrorNamingTheFile(_ line: String) throws {
        let fixture = try RunFixture(rows: 200)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]", extra: line + "\n")
        var options = RunProfileOptions(jobPath: job, outputDirectory: fixture.directory.file("out"))
        options.inputPath = nil
        let outcome = JobRun(options: options).execute()
        #expect(outcome.exitStatus == 2)
        #expect(outcome.failure?.message.hasPrefix("\(job): field 'input': ") == true)
        #expect(!fixture.directory.exists("out"))
    }

    @Test func hugeWeightIsAUsageErrorNotATrap() throws {
        let fixture = try RunFixture(rows: 200)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]", extra: "scoring: {weights: {contactability: 1e308}}\n")
        let outcome = fixture.run(job: job)
        #expect(outcome.exitStatus == 2)
        #expect(outcome.failure?.message.hasPrefix("\(job): field 'scoring.weights.contactability': ") == true)
        #expect(!fixture.directory.exists("out"))
    }
}
