import Foundation
import TestSupport
import Testing

/// Bad usage exits 2 with a message naming the problem, before anything is written (README).
@Suite struct UsageErrorCLITests {
    static let templates = [
        "unknown.yaml": "niche: \"{niche_name}\"\nfilters:\n  naf_include: [\"{naf_code}\"]\nprofile: \"{profile}\"\nowner: {unknown}\n",
        "invalid.yaml": "niche: \"{niche_name}\"\nfilters: [\"{naf_code}\"\nprofile: \"{profile}\"\n",
        "schema.yaml": "niche: \"{niche_name}\"\nprofile: \"{profile}\"\n",
    ]

    static let cases: [UsageCase] = [
        UsageCase(name: "bad NAF code", arguments: ["--naf", "69.2Z9"], expected: "invalid NAF code: \"69.2Z9\" is not a NAF code"),
        UsageCase(name: "empty NAF code", arguments: ["--naf", ""], expected: "invalid NAF code: \"\" is not a NAF code (empty)"),
        UsageCase(name: "100 KB NAF code", arguments: ["--naf", String(repeating: "1", count: 100_000)],
                  expected: "invalid NAF code: \"\(String(repeating: "1", count: 40))…\" (100000 characters) is not a NAF code (too many digits"),
        UsageCase(name: "NAF code injecting YAML", arguments: ["--naf", "6920Z\"]\nniche: \"evil"],
                  expected: "invalid NAF code: \"6920Z\\\"]\\nniche: \\\"evil\" is not a NAF code"),
        UsageCase(name: "missing input", arguments: ["--naf", "6920Z", "--input", "missing.parquet"],
                  expected: "input file missing.parquet does not exist"),
        UsageCase(name: "unknown option", arguments: ["--naf", "6920Z", "--inptu", "x"],
                  expected: "unknown option '--inptu' (did you mean '--input'?)"),
        UsageCase(name: "template with an unknown placeholder", arguments: ["--naf", "6920Z", "--template", "unknown.yaml"],
                  expected: "template unknown.yaml, line 5: unknown placeholder {unknown}"),
        UsageCase(name: "template rendering invalid YAML", arguments: ["--naf", "6920Z", "--template", "invalid.yaml"],
                  expected: "template invalid.yaml, line "),
        UsageCase(name: "template rendering a job failing the schema", arguments: ["--naf", "6920Z", "--template", "schema.yaml"],
                  expected: "template schema.yaml rendered for 6920Z: field 'filters': missing"),
        UsageCase(name: "unreadable template", arguments: ["--naf", "6920Z", "--template", "nowhere.yaml"],
                  expected: "template: cannot read nowhere.yaml: No such file or directory"),
        UsageCase(name: "bad profile", arguments: ["--naf", "6920Z", "--profile", "fast"],
                  expected: "option --profile: 'fast' is not one of quick, standard, deep"),
        UsageCase(name: "option given twice", arguments: ["--naf", "6920Z", "--output-dir", "x"],
                  expected: "option --output-dir is given more than once"),
        UsageCase(name: "sample below 1", arguments: ["--naf", "6920Z", "--sample", "0"], expected: "--sample must be at least 1, got 0"),
        UsageCase(name: "runner placeholder without its option", arguments: ["--naf", "6920Z", "--runner", "run {workers}"],
                  expected: "--runner uses {workers} but --workers is not given"),
    ]

    @Test(arguments: cases)
    func exitsTwoNamingTheProblemAndWritesNothing(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        for (name, text) in Self.templates { try workspace.write(text, to: name) }
        let before = workspace.tree()
        var arguments = ["batch"] + usage.arguments
        if !usage.arguments.contains("--input") { arguments += ["--input", "in.csv"] }
        arguments += ["--output-dir", "out"]
        if !usage.arguments.contains("--runner") { arguments += ["--runner", "true"] }
        let run = try workspace.run(arguments)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("builder batch: \(usage.expected)"), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("Run 'builder batch --help' for usage.\n"))
        #expect(run.stdout == "")
        #expect(workspace.tree() == before)  // no job file, no output directory, no log
    }

    @Test func aHugeNAFCodeInAJobFileIsCutInTheMessage() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("niche: x\nfilters:\n  naf_include: [\"\(String(repeating: "9", count: 100_000))\"]\nprofile: quick\n",
                            to: "job.yaml")
        try workspace.write("siren\n", to: "in.csv")
        let run = try workspace.run(["run-profile", "--job", "job.yaml", "--input", "in.csv", "--out", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("field 'filters.naf_include[0]': \"\(String(repeating: "9", count: 40))…\" (100000 characters) is not a NAF code"),
                "\(run.stderr.prefix(300))")
        #expect(run.stderr.utf8.count < 1000)
    }

    @Test func missingRequiredOptionsAreNamed() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["batch", "--naf", "43"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("builder batch: missing required options --input, --output-dir\n"))
        #expect(workspace.tree().isEmpty)
    }

    @Test func jsonModeStillPrintsNothingOnStandardOutputForAUsageError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["batch", "--naf", "bad", "--input", "x", "--output-dir", "out", "--json"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
    }
}
