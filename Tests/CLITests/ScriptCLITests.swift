import Foundation
import TestSupport
import Testing

/// `builder script`, Lua errors, and Ctrl-C through the real binary.
@Suite struct ScriptCLITests {
    @Test func aLuaErrorPrintsFileLineAndATracebackAndExitsOne() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("""
            local function load_codes(path)
              local codes = nil
              return codes[1]
            end
            print("before")
            load_codes("codes.txt")
            """, to: "pipelines/broken.lua")
        let run = try workspace.run(["script", "pipelines/broken.lua"])
        #expect(run.status == 1)
        #expect(run.stdout == "before\n")
        #expect(run.stderr.hasPrefix("pipelines/broken.lua:3: attempt to index a nil value (local 'codes')\nstack traceback:\n"))
        #expect(run.stderr.contains("pipelines/broken.lua:3: in local 'load_codes'"))
        #expect(run.stderr.contains("pipelines/broken.lua:6: in main chunk"))
    }

    @Test func aPrimitiveErrorIsCatchableWithPcallAndNamesThePrimitive() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("""
            local ok, message = pcall(function()
              return write_job("jobs/x.yaml", {niche = "x", profile = "quick"})
            end)
            print(ok, message)
            local ok2, message2 = pcall(builder.naf.normalize, "69.2Z9")
            print(ok2, message2)
            """, to: "catch.lua")
        let run = try workspace.run(["script", "catch.lua"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("false\tcatch.lua:2: builder.write_job: jobs/x.yaml: field 'filters': missing"))
        #expect(lines[1].hasPrefix("false\tbuilder.naf.normalize: \"69.2Z9\" is not a NAF code"))
        #expect(!workspace.exists("jobs"))
    }

    @Test func argumentsAfterTheFileGoToTheScript() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("print(#builder.args, builder.args[1], builder.args[2], arg[0])\n", to: "args.lua")
        let withSeparator = try workspace.run(["script", "args.lua", "--", "--help", "x"])
        #expect(withSeparator.stdout == "2\t--help\tx\targs.lua\n")
        let without = try workspace.run(["script", "args.lua", "--unknown", "x"])
        #expect(without.stdout == "2\t--unknown\tx\targs.lua\n")
    }

    @Test func aLocalFileWinsOverTheEmbeddedScriptOfTheSameName() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("print('my own batch', ...)\n", to: "batch.lua")
        let run = try workspace.run(["script", "batch.lua", "--", "--naf", "43"])
        #expect(run.status == 0)
        #expect(run.stdout == "my own batch\n")
    }

    @Test func embeddedSourcesCanBeListedAndPrinted() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let list = try workspace.run(["script", "--list"])
        #expect(list.status == 0)
        let names = list.stdout.split(separator: "\n").map(String.init)
        #expect(names.contains("batch.lua") && names.contains("create_job.lua") && names.contains("job_template.yaml"))
        for (name, repositoryPath) in [("batch.lua", "scripts/batch.lua"), ("job_template.yaml", "Templates/job_template.yaml")] {
            let printed = try workspace.run(["script", "--print", name])
            #expect(printed.status == 0)
            let original = try String(contentsOf: packageRoot.appendingPathComponent(repositoryPath), encoding: .utf8)
            #expect(printed.stdout == original, "\(name)")
        }
        let unknown = try workspace.run(["script", "--print", "nope.lua"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no embedded file named 'nope.lua'"))
    }

    @Test func aCopiedBatchRunsAsItsOwnPipeline() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let printed = try workspace.run(["script", "--print", "batch.lua"])
        let changed = printed.stdout.replacingOccurrences(of: "program = \"builder batch\"", with: "program = \"my batch\"")
        #expect(changed != printed.stdout)
        try workspace.write(changed, to: "my_batch.lua")
        let run = try workspace.run(["script", "my_batch.lua", "--", "--naf", "6920Z", "--input", "x", "--output-dir", "out",
                                     "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(workspace.exists("jobs_generated/naf_6920Z.yaml"))
        let help = try workspace.run(["script", "my_batch.lua", "--", "--help"])
        #expect(help.stdout.hasPrefix("Usage: my batch --input FILE"))
    }

    @Test func scriptMisuseExitsTwo() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let missing = try workspace.run(["script", "nothing.lua"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("builder script: cannot run 'nothing.lua': no such file, and no embedded script by that name"))
        let none = try workspace.run(["script"])
        #expect(none.status == 2)
        let help = try workspace.run(["script", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: builder script FILE.lua"))
    }

    @Test func ctrlCStopsTheRunningJobAndStillPrintsTheSummary() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("", to: "in.csv")
        let started = workspace.file("out/naf_6920Z/pid")
        let run = try workspace.run(
            ["batch", "--naf", "6920Z", "--naf", "4329A", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--json",
             "--runner", "sh -c 'echo $$ > {out}/pid.tmp; mv {out}/pid.tmp {out}/pid; exec sleep 60'"],
            whileRunning: { process in
                if waitForFile(started) { kill(process.processIdentifier, SIGINT) }
            })
        #expect(run.status == 130, "\(run.stderr)")
        let summary = try jsonObject(run.stdout)
        #expect(summary["status"] as? String == "INTERRUPTED")
        let entries = try results(summary)
        #expect(entries.map { $0["status"] as? String } == ["FAILED", "SKIPPED", "SKIPPED"])
        #expect(entries[0]["error"] as? String == "interrupted")
        #expect(entries[1]["error"] as? String == "not run: interrupted")
        #expect(run.stderr.contains("[1/3] naf_6920Z ... FAILED "))
        #expect(run.stderr.contains(": interrupted (log: out/naf_6920Z/logs/runner.log)"))
        #expect(run.stderr.contains("3 jobs in "))
        #expect(run.stderr.contains("0 succeeded, 1 failed, 2 skipped (interrupted)\n"))
        let pid = try #require(Int32(try workspace.contents("out/naf_6920Z/pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0)  // the job was stopped with the batch
    }

    @Test func ctrlCInLuaCodeStopsTheScriptWithATraceback() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("""
            builder.fs.write("started", "")
            local n = 0
            while true do n = n + 1 end
            """, to: "spin.lua")
        let run = try workspace.run(["script", "spin.lua"], whileRunning: { process in
            if waitForFile(workspace.file("started")) { kill(process.processIdentifier, SIGINT) }
        })
        #expect(run.status == 130)
        #expect(run.stderr.hasPrefix("spin.lua:3: interrupted\nstack traceback:\n"))
    }
}
