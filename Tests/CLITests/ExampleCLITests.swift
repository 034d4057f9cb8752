import Foundation
import TestSupport
import Testing

/// The pipelines of `examples/`, run through the real binary with fake runners.
@Suite struct ExampleCLITests {
    static func example(_ name: String) -> String {
        packageRoot.appendingPathComponent("examples").appendingPathComponent(name).path
    }

    @Test func nafCodesReadFromAFileWithCommentsBlankLinesAndAHeader() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["script", Self.example("naf_from_file.lua"), "--", "--codes", Self.example("naf_codes.txt"),
                                     "--input", "in.csv", "--output-dir", "out", "--json", "--runner", succeedingRunner(rows: 7)])
        #expect(run.status == 0, "\(run.stderr)")
        let entries = try results(try jsonObject(run.stdout))
        #expect(entries.map { $0["niche"] as? String } == ["naf_6920Z", "naf_4329A", "naf_4332A"])
        #expect(entries.allSatisfy { $0["status"] as? String == "SUCCESS" && $0["rows"] as? Int == 7 })
    }

    @Test func aBadCodeInTheFileIsNamedWithItsLine() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("# codes\n6920Z\n\n69.2Z9\n", to: "codes.txt")
        let run = try workspace.run(["script", Self.example("naf_from_file.lua"), "--", "--codes", "codes.txt",
                                     "--input", "x", "--output-dir", "out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("codes.txt:4: \"69.2Z9\" is not a NAF code"))
        #expect(workspace.tree() == ["codes.txt"])
    }

    @Test func nicheNamesComeFromTheMappingWithAFallback() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["script", Self.example("niche_names.lua"), "--", "--naf", "69.20Z", "--naf", "4321A",
                                     "--naf", "43", "--input", "x", "--output-dir", "out", "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(workspace.tree() == ["jobs_generated", "jobs_generated/electriciens.yaml",
                                     "jobs_generated/experts_comptables.yaml", "jobs_generated/naf_43.yaml"])
        let job = try workspace.contents("jobs_generated/experts_comptables.yaml")
        #expect(job.contains("niche: \"experts_comptables\""))
        #expect(job.contains("naf_include: [\"6920Z\"]"))
        #expect(job.contains("output: {dir: \"out/experts_comptables\""))

        try workspace.write("6920Z = same\n4321A = same\n", to: "clash.txt")
        let clash = try workspace.run(["script", Self.example("niche_names.lua"), "--", "--names", "clash.txt",
                                       "--naf", "6920Z", "--naf", "4321A", "--input", "x", "--output-dir", "o2", "--dry-run"])
        #expect(clash.status == 2)
        #expect(clash.stderr.contains("6920Z and 4321A would both be niche same"))
    }

    @Test func retryRunsAFailingJobAgainWithBackOffUntilItSucceeds() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let flaky = "sh -c 'n=$(cat {out}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > {out}/count; echo attempt $n; test $n -ge 3'"
        let run = try workspace.run(["script", Self.example("retry.lua"), "--", "--naf", "6920Z", "--input", "in.csv",
                                     "--output-dir", "out", "--backoff", "0.01", "--json", "--runner", flaky])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.contents("out/naf_6920Z/count") == "3\n")
        #expect(run.stderr.contains("warning: naf_6920Z: attempt 1/3 FAILED (attempt 1); retrying in 0.0 s"))
        #expect(run.stderr.contains("warning: naf_6920Z: attempt 2/3 FAILED (attempt 2); retrying in 0.0 s"))
        #expect(try results(try jsonObject(run.stdout)).first?["status"] as? String == "SUCCESS")
    }

    @Test func retryGivesUpAfterTheLastAttempt() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["script", Self.example("retry.lua"), "--", "--naf", "6920Z", "--naf", "43",
                                     "--input", "in.csv", "--output-dir", "out", "--attempts", "2", "--backoff", "0.01",
                                     "--json", "--runner", "sh -c 'echo attempt >> {out}/attempts; echo down; exit 1'"])
        #expect(run.status == 1)
        #expect(try workspace.contents("out/naf_6920Z/attempts") == "attempt\nattempt\n")
        let entries = try results(try jsonObject(run.stdout))
        #expect(entries.map { $0["status"] as? String } == ["FAILED", "SKIPPED"])
        #expect(entries[0]["error"] as? String == "gave up after 2 attempts: down")
    }
}
