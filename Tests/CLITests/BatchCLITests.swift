import Foundation
import TestSupport
import Testing

/// `builder batch` end to end through the real binary (README, Batch runs).
@Suite struct BatchCLITests {
    static let dryRunArguments = ["--naf", "6920Z", "--naf", "4329A", "--input", "data/x.parquet",
                                  "--output-dir", "out/batch_results", "--dry-run", "--verbose"]

    /// `builder script check.lua -- FILE`: the job file decoded and validated by builder itself.
    private func checkJob(_ workspace: TestDirectory, _ file: String) throws -> [String: Any] {
        try workspace.write("""
            local path = builder.args[1]
            local text = builder.fs.read(path)
            local job = builder.yaml.decode(text)
            local valid, why = builder.validate_job(text, path)
            print(builder.json.encode({niche = job.niche, naf_include = job.filters.naf_include,
                                       profile = job.profile, valid = valid, why = why or builder.json.null}))
            """, to: "check.lua")
        let run = try workspace.run(["script", "check.lua", "--", file])
        #expect(run.status == 0, "\(run.stderr)")
        return try jsonObject(run.stdout)
    }

    @Test func theDocumentedDryRunWritesValidJobsAndRunsNothing() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["batch"] + Self.dryRunArguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "")
        #expect(workspace.tree() == ["jobs_generated", "jobs_generated/naf_4329A.yaml", "jobs_generated/naf_6920Z.yaml"])
        #expect(run.stderr.contains("dry run: 2 job files generated and validated, nothing run:\n  jobs_generated/naf_6920Z.yaml\n  jobs_generated/naf_4329A.yaml\n"))
        #expect(run.stderr.contains("debug: wrote jobs_generated/naf_6920Z.yaml"))  // --verbose details
        for (niche, code) in [("naf_6920Z", "6920Z"), ("naf_4329A", "4329A")] {
            let job = try checkJob(workspace, "jobs_generated/\(niche).yaml")
            #expect(job["valid"] as? Bool == true, "\(job)")
            #expect(job["niche"] as? String == niche)
            #expect(job["naf_include"] as? [String] == [code])
            #expect(job["profile"] as? String == "quick")
        }
    }

    @Test func theSameDryRunThroughScriptGivesByteIdenticalFiles() throws {
        let viaBatch = try TestDirectory(prefix: "cli")
        let viaScript = try TestDirectory(prefix: "cli")
        #expect(try viaBatch.run(["batch"] + Self.dryRunArguments).status == 0)
        let run = try viaScript.run(["script", "batch.lua", "--"] + Self.dryRunArguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(viaScript.tree() == viaBatch.tree())
        for name in ["jobs_generated/naf_6920Z.yaml", "jobs_generated/naf_4329A.yaml"] {
            #expect(try viaScript.data(name) == viaBatch.data(name))
        }
    }

    @Test func helpIsTheSameThroughBothEntryPoints() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let batch = try workspace.run(["batch", "--help"])
        let script = try workspace.run(["script", "batch.lua", "--", "--help"])
        let helpCommand = try workspace.run(["help", "batch"])
        #expect(batch.status == 0 && script.status == 0 && helpCommand.status == 0)
        #expect(batch.stdout == script.stdout)
        #expect(batch.stdout == helpCommand.stdout)
        #expect(batch.stdout.hasPrefix("Usage: builder batch --input FILE --output-dir DIR [options]\n"))
        for option in ["--naf", "--input", "--output-dir", "--template", "--profile", "--jobs-dir", "--dry-run", "--sample",
                       "--workers", "--verbose", "--max-ram-mb", "--continue-on-error", "--json", "--timeout", "--runner",
                       "--jobs", "--regenerate", "--parallel", "--resume", "--quiet", "--merge"] {
            #expect(batch.stdout.contains("  \(option) ") || batch.stdout.contains(", \(option)"), "\(option)")
        }
        #expect(workspace.tree().isEmpty)
    }

    @Test func jsonModePrintsExactlyOneObjectWithTheSpecFields() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--naf", "43", "--input", "in.csv", "--output-dir", "out",
                                     "--json", "--runner", succeedingRunner()])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(Set(summary.keys) == ["status", "total_jobs", "successful_jobs", "failed_jobs", "skipped_jobs", "resumed_jobs",
                                      "elapsed", "dry_run", "results"])
        #expect(summary["status"] as? String == "SUCCESS")
        #expect(summary["total_jobs"] as? Int == 2)
        #expect(summary["successful_jobs"] as? Int == 2)
        #expect(summary["failed_jobs"] as? Int == 0)
        #expect(summary["skipped_jobs"] as? Int == 0)
        #expect(summary["dry_run"] as? Bool == false)
        #expect(summary["elapsed"] is Double || summary["elapsed"] is Int)
        let entries = try results(summary)
        #expect(entries.count == 2)
        let first = try #require(entries.first)
        #expect(Set(first.keys) == ["naf_code", "niche", "job_file", "output_dir", "status", "duration", "exit_code", "rows",
                                    "resumed", "edited", "error"])
        #expect(first["resumed"] as? Bool == false)
        #expect(first["edited"] as? Bool == false)
        #expect(first["naf_code"] as? String == "6920Z")
        #expect(first["niche"] as? String == "naf_6920Z")
        #expect(first["job_file"] as? String == workspace.file("jobs_generated/naf_6920Z.yaml"))
        #expect(first["output_dir"] as? String == workspace.file("out/naf_6920Z"))
        #expect(first["status"] as? String == "SUCCESS")
        #expect(first["exit_code"] as? Int == 0)
        #expect(first["rows"] as? Int == 1284)
        #expect(first["error"] is NSNull)
        #expect(run.stderr.contains("[1/2] naf_6920Z ... ok "))
        #expect(run.stderr.contains(" s, 1 284 rows\n"))
        #expect(run.stderr.contains("[2/2] naf_43 ... ok "))
        #expect(try workspace.contents("out/naf_43/logs/runner.log").contains("running \(workspace.file("jobs_generated/naf_43.yaml"))"))
        let log = try workspace.contents("out/batch.jsonl")
        #expect(log.contains("\"message\":\"[2/2] naf_43 ... ok"))
    }

    @Test func aFailingJobStopsTheBatchAndTheRestAreSkipped() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--naf", "4329A", "--naf", "43", "--input", "in.csv",
                                     "--output-dir", "out", "--json", "--runner", "sh -c 'echo broken pipeline; exit 3'"])
        #expect(run.status == 1)
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "FAILED")
        #expect(summary["failed_jobs"] as? Int == 1)
        #expect(summary["skipped_jobs"] as? Int == 2)
        let entries = try results(summary)
        #expect(entries.map { $0["status"] as? String } == ["FAILED", "SKIPPED", "SKIPPED"])
        #expect(entries[0]["exit_code"] as? Int == 3)
        #expect(entries[0]["error"] as? String == "broken pipeline")
        #expect(entries[1]["exit_code"] is NSNull)
        #expect(!workspace.exists("out/naf_4329A"))  // never started
        #expect(run.stderr.contains("[1/3] naf_6920Z ... FAILED "))
        #expect(run.stderr.contains(", exit 3: broken pipeline (log: out/naf_6920Z/logs/runner.log)"))
        #expect(run.stderr.contains("[2/3] naf_4329A ... SKIPPED\n[3/3] naf_43 ... SKIPPED\n"))
        #expect(run.stderr.contains("3 jobs in "))
        #expect(run.stderr.contains(": 0 succeeded, 1 failed, 2 skipped"))
    }

    @Test func continueOnErrorRunsEveryJob() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--naf", "4329A", "--naf", "43", "--input", "in.csv",
                                     "--output-dir", "out", "--json", "--continue-on-error",
                                     "--runner", "sh -c 'case {job} in *4329A*) exit 0;; *) exit 5;; esac'"])
        #expect(run.status == 0)  // README: exit 1 "unless --continue-on-error was given"
        let summary = try jsonObject(run.stdout)
        #expect(try results(summary).map { $0["status"] as? String } == ["FAILED", "SUCCESS", "FAILED"])
        #expect(summary["status"] as? String == "FAILED")
        #expect(summary["failed_jobs"] as? Int == 2)
        #expect(summary["skipped_jobs"] as? Int == 0)
        for niche in ["naf_6920Z", "naf_4329A", "naf_43"] {
            #expect(workspace.exists("out/\(niche)/logs/runner.log"))
        }
    }

    @Test func aJobOutlivingItsTimeoutIsKilledAndReportedTIMEOUT() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "6920Z", "--naf", "43", "--input", "in.csv", "--output-dir", "out",
                                     "--json", "--timeout", "0.5", "--runner", "sh -c 'echo $$ > {out}/pid; exec sleep 60'"])
        #expect(run.status == 1)
        let entries = try results(try jsonObject(run.stdout))
        #expect(entries.map { $0["status"] as? String } == ["TIMEOUT", "SKIPPED"])
        #expect(entries[0]["error"] as? String == "timed out after 0.5 s")
        #expect(run.stderr.contains("[1/2] naf_6920Z ... TIMEOUT "))
        let pid = try #require(Int32(try workspace.contents("out/naf_6920Z/pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0)  // killed and reaped
    }

    @Test func duplicateCodesNamingOneNicheRunOnce() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "69.20Z", "--naf", "6920z", "--naf", " 69 20 Z ", "--input", "in.csv",
                                     "--output-dir", "out", "--json", "--runner", "true"])
        #expect(run.status == 0, "\(run.stderr)")
        let entries = try results(try jsonObject(run.stdout))
        #expect(entries.count == 1)
        #expect(entries.first?["niche"] as? String == "naf_6920Z")
    }

    @Test func theDefaultRunnerIsThisBinarysRunProfile() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--sample", "10"])
        let log = try workspace.contents("out/naf_43/logs/runner.log")
        // Whatever run-profile does with an empty input, it was the program that ran.
        #expect(run.stderr.contains("[1/1] naf_43 ... "))
        #expect(!log.isEmpty)
        #expect(run.status == 0 || run.status == 1)
        let jsonLog = try workspace.contents("out/batch.jsonl")
        #expect(jsonLog.contains("run-profile --job \(workspace.file("jobs_generated/naf_43.yaml")) --input in.csv --out out/naf_43 --profile quick --sample 10"))
    }
}
