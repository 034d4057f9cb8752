import Foundation
import TestSupport
import Testing

/// `builder create-job` through the real binary.
@Suite struct CreateJobCLITests {
    @Test func writesOneJobFileAtOutput() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["create-job", "jobs/experts_comptables.yaml", "--naf", "69.20Z", "--profile", "deep"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "jobs/experts_comptables.yaml\n")
        let text = try workspace.contents("jobs/experts_comptables.yaml")
        #expect(text.contains("niche: \"naf_6920Z\"\n"))
        #expect(text.contains("naf_include: [\"6920Z\"]"))
        #expect(text.contains("profile: \"deep\"\n"))
        #expect(text.contains("output: {dir: \"out/naf_6920Z\", lang: \"fr\"}"))
    }

    @Test func batchWritesOneFilePerCodeLikeTheBatchDryRun() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["create-job", "generated", "--naf", "6920Z", "--naf", "43.29a", "--naf", "6920Z", "--batch"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "generated/naf_6920Z.yaml\ngenerated/naf_4329A.yaml\n")
        #expect(workspace.tree() == ["generated", "generated/naf_4329A.yaml", "generated/naf_6920Z.yaml"])
        // The same generation path as `builder batch`: same template, same checks.
        let batch = try TestDirectory(prefix: "cli")
        #expect(try batch.run(["batch", "--naf", "4329A", "--input", "x", "--output-dir", "out", "--dry-run"]).status == 0)
        let fromBatch = try batch.contents("jobs_generated/naf_4329A.yaml")
        let fromCreateJob = try workspace.contents("generated/naf_4329A.yaml")
        #expect(fromCreateJob == fromBatch)
    }

    @Test func severalCodesWithoutBatchMakeOneJobCoveringThemAll() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["create-job", "accounting.yaml", "--naf", "6920Z", "--naf", "70.22Z"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try workspace.contents("accounting.yaml")
        #expect(text.hasPrefix("niche: naf_6920Z_7022Z\nfilters:\n  naf_include: [\"6920Z\", \"7022Z\"]\n"))
        #expect(text.contains("profile: quick\n"))
    }

    @Test func badUsageExitsTwoAndWritesNothing() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("niche: \"{niche_name}\"\nbad: {nope}\n", to: "t.yaml")
        let before = workspace.tree()
        let cases: [([String], String)] = [
            (["create-job", "x.yaml", "--naf", "69.2Z9"], "invalid NAF code: \"69.2Z9\""),
            (["create-job", "--naf", "6920Z"], "missing argument OUTPUT"),
            (["create-job", "x.yaml"], "missing required option --naf"),
            (["create-job", "x.yaml", "--naf", "6920Z", "--template", "t.yaml"], "unknown placeholder {nope}"),
            (["create-job", "dir", "--naf", "6920Z", "--naf", "bad", "--batch"], "invalid NAF code: \"bad\""),
        ]
        for (arguments, expected) in cases {
            let run = try workspace.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.hasPrefix("builder create-job: "), "\(run.stderr)")
            #expect(run.stderr.contains(expected), "\(run.stderr)")
            #expect(run.stdout == "")
        }
        #expect(workspace.tree() == before)
    }

    @Test func helpIsGenerated() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["create-job", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("Usage: builder create-job OUTPUT --naf CODE [--naf CODE ...] [options]\n"))
        #expect(run.stdout.contains("--batch"))
    }
}
