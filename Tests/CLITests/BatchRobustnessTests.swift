import Foundation
import TestSupport
import Testing

/// `builder batch` refuses, before writing anything, options that would only fail once the jobs
/// run: directories that cannot be created, numbers out of the range run-profile accepts,
/// unknown runner placeholders, an empty --jobs-dir.
@Suite struct BatchRobustnessTests {
    static let usageCases: [UsageCase] = [
        UsageCase(name: "output dir under a file", arguments: ["--output-dir", "blocker/sub"],
                  expected: "--output-dir: cannot create directory blocker/sub: blocker is a file, not a directory"),
        UsageCase(name: "jobs dir under a file", arguments: ["--output-dir", "out", "--jobs-dir", "blocker/jobs"],
                  expected: "--jobs-dir: cannot create directory blocker/jobs: blocker is a file, not a directory"),
        UsageCase(name: "timeout too large", arguments: ["--output-dir", "out", "--timeout", "1000000000"],
                  expected: "--timeout must be between 0.001 and 999999999 seconds, got 1000000000"),
        UsageCase(name: "workers too many", arguments: ["--output-dir", "out", "--workers", "999"],
                  expected: "--workers must be between 1 and 256, got 999"),
        UsageCase(name: "sample zero", arguments: ["--output-dir", "out", "--sample", "0"],
                  expected: "--sample must be at least 1, got 0"),
        UsageCase(name: "max ram zero", arguments: ["--output-dir", "out", "--max-ram-mb", "0"],
                  expected: "--max-ram-mb must be at least 1, got 0"),
        UsageCase(name: "unknown runner placeholder", arguments: ["--output-dir", "out", "--runner", "echo {bogus}"],
                  expected: "--runner: unknown placeholder {bogus}"),
        UsageCase(name: "empty jobs dir", arguments: ["--output-dir", "out", "--jobs-dir", ""],
                  expected: "--jobs-dir is empty"),
    ]

    @Test(arguments: usageCases)
    func badOptionsExitTwoBeforeWritingAnything(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "blocker")
        try workspace.write("siren\n", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv"] + usage.arguments)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("builder batch: "), "\(run.stderr)")
        #expect(run.stderr.contains(usage.expected), "\(run.stderr)")
        #expect(!run.stderr.contains("traceback"))
        #expect(workspace.tree() == ["blocker", "in.csv"])
    }

    @Test func aDryRunChecksOnlyTheJobsDirectory() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "blocker")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "blocker/sub", "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(workspace.exists("jobs_generated/naf_43.yaml"))
    }

    /// A runner's manifest whose "rows" cannot be a row count fails the job, naming the value.
    @Test(arguments: ["-5", "1.5", "true", "[3]"])
    func aManifestRowCountThatIsNotACountFailsTheJob(_ rows: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--json",
                                     "--runner", runner(writingRows: rows)])
        #expect(run.status == 1, "\(run.stderr)")
        let entry = try #require(try results(try jsonObject(run.stdout)).first)
        #expect(entry["status"] as? String == "FAILED")
        #expect(entry["rows"] is NSNull)
        let error = try #require(entry["error"] as? String)
        #expect(error.hasSuffix("manifest.json: \"rows\" must be a row count (an integer, 0 or more), got \(rows)"), "\(error)")
    }

    /// The runner is split as a POSIX shell would (inside double quotes a backslash stays before
    /// `n`, so printf gets its `\n`), and `{{`/`}}` are literal braces as in templates.
    @Test func theRunnerKeepsBackslashesInDoubleQuotesAndBraceEscapes() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "in.csv")
        let runner = #"sh -c "printf 'a\nb {{print}} {{job}} %s' {job} > {out}/printed""#
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--runner", runner])
        #expect(run.status == 0, "\(run.stderr)")
        let job = workspace.file("jobs_generated/naf_43.yaml")
        let printed = try workspace.contents("out/naf_43/printed")
        #expect(printed == "a\nb {print} {job} \(job)", "\(printed)")
    }

    @Test func aShellVariableInTheRunnerIsNotAPlaceholder() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--json",
                                     "--runner", "sh -c 'test -n \"${HOME}\" && echo {job}'"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "SUCCESS")
    }
}
