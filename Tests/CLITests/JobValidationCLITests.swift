import Foundation
import TestSupport
import Testing

/// A job that a run refuses is refused, with the same message, by every way of checking it
/// beforehand: `batch --dry-run` and `create-job` (which render a template and validate it),
/// `builder.validate_job`, `write_job` and `run-profile --explain`. Nothing is written by any.
@Suite struct JobValidationCLITests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Replaces `search` in the embedded template.
        let search: String
        let replacement: String
        /// The start of the message after the job's name.
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "dedupe key that is not an output column",
             search: "dedupe: {keys: [\"siret\"]", replacement: "dedupe: {keys: [\"sirett\"]",
             expected: "field 'dedupe.keys[0]': 'sirett' is not an output column (one of: siren, siret, "),
        Case(name: "scoring weight that is not a component",
             search: "scoring: {weights: {contactability: 50,", replacement: "scoring: {weights: {foo: 1, contactability: 50,",
             expected: "field 'scoring.weights.foo': not a score component (one of: contactability, unicity, completeness, freshness)"),
    ]

    /// The line of `stderr` holding the job error, from `field '` on.
    func message(_ stderr: String) -> String? {
        stderr.split(separator: "\n").lazy.compactMap { line in line.range(of: "field '").map { String(line[$0.lowerBound...]) } }.first
    }

    @Test(arguments: cases)
    func everyCheckRefusesWhatTheRunRefuses(_ bad: Case) throws {
        let workspace = try TestDirectory(prefix: "cli")
        let template = try workspace.run(["script", "--print", "job_template.yaml"]).stdout
        #expect(template.contains(bad.search))
        try workspace.write(template.replacingOccurrences(of: bad.search, with: bad.replacement), to: "bad_template.yaml")
        #expect(try workspace.run(["create-job", "job.yaml", "--naf", "6920Z"]).status == 0)
        let job = try workspace.contents("job.yaml").replacingOccurrences(of: bad.search, with: bad.replacement)
        try workspace.write(job, to: "job.yaml")
        try workspace.write("siren,naf_code\n", to: "stock.csv")
        try workspace.write("""
            local text = builder.fs.read("job.yaml")
            local ok, why = builder.validate_job(text, "job.yaml")
            io.stderr:write(tostring(ok), " ", tostring(why), "\\n")
            local written, problem = pcall(write_job, "written/job.yaml", text)
            io.stderr:write(tostring(written), " ", tostring(problem), "\\n")
            """, to: "check.lua")
        let before = workspace.tree()

        // The run: refused before reading, exit 2.
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "stock.csv", "--out", "out"])
        #expect(run.status == 2, "\(run.stderr)")
        let expected = try #require(message(run.stderr), "\(run.stderr)")
        #expect(expected.hasPrefix(bad.expected), "\(expected)")
        #expect(run.stderr.hasPrefix("builder run-profile: job.yaml: " + expected))

        let explain = try workspace.run(["run-profile", "--job", "job.yaml", "--explain"])
        #expect(explain.status == 2, "\(explain.stderr)")
        #expect(message(explain.stderr) == expected, "\(explain.stderr)")
        #expect(explain.stdout == "")

        let dryRun = try workspace.run(["batch", "--naf", "6920Z", "--input", "stock.csv", "--output-dir", "out",
                                        "--template", "bad_template.yaml", "--dry-run"])
        #expect(dryRun.status == 2, "\(dryRun.stderr)")
        #expect(message(dryRun.stderr) == expected, "\(dryRun.stderr)")
        #expect(dryRun.stderr.hasPrefix("builder batch: template bad_template.yaml rendered for 6920Z: "))

        for arguments in [["created.yaml"], ["created", "--batch"]] {
            let create = try workspace.run(["create-job"] + arguments + ["--naf", "6920Z", "--template", "bad_template.yaml"])
            #expect(create.status == 2, "\(create.stderr)")
            #expect(message(create.stderr) == expected, "\(create.stderr)")
        }

        let script = try workspace.run(["script", "check.lua"])
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stderr.hasPrefix("false job.yaml: " + expected + "\n"), "\(script.stderr)")
        #expect(script.stderr.contains("\nfalse builder.write_job: written/job.yaml: " + expected + "\n"), "\(script.stderr)")

        #expect(workspace.tree() == before)
    }

    @Test func theSameJobWithoutTheMistakeIsAcceptedByAll() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let template = try workspace.run(["script", "--print", "job_template.yaml"]).stdout
        try workspace.write(template, to: "good_template.yaml")
        let dryRun = try workspace.run(["batch", "--naf", "6920Z", "--input", "stock.csv", "--output-dir", "out",
                                        "--template", "good_template.yaml", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let explain = try workspace.run(["run-profile", "--job", "jobs_generated/naf_6920Z.yaml", "--explain"])
        #expect(explain.status == 0, "\(explain.stderr)")
        let create = try workspace.run(["create-job", "created.yaml", "--naf", "6920Z", "--template", "good_template.yaml"])
        #expect(create.status == 0, "\(create.stderr)")
    }
}
