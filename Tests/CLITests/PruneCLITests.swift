import Foundation
import TestSupport
import Testing

/// `builder prune DIR...` through the real binary: the outputs of runs past their job's
/// `retention_days` go, file by file as their manifests name them, and nothing else; symbolic
/// links are never followed.
@Suite struct PruneCLITests {
    static func job(retention: Int?) -> String {
        "niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n" + (retention.map { "retention_days: \($0)\n" } ?? "")
    }

    /// A workspace with a sample stock, and one run per entry of `runs` (output directory ->
    /// retention days) under `out/`.
    func workspace(_ runs: [(String, Int?)]) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(try workspace.run(["sample-data", "--rows", "300", "--out", "stock.csv", "--seed", "9"]).status == 0)
        for (index, (out, retention)) in runs.enumerated() {
            try workspace.write(Self.job(retention: retention), to: "job\(index).yaml")
            let run = try workspace.run(["run-profile", "--job", "job\(index).yaml", "--input", "stock.csv", "--out", out])
            #expect(run.status == 0, "\(run.stderr)")
        }
        return workspace
    }

    func runFiles(_ workspace: TestDirectory, _ out: String) throws -> [String] {
        let manifest = try jsonObject(workspace.contents(out + "/manifest.json"))
        let runID = try #require(manifest["run_id"] as? String)
        return ["dataset.csv", "dataset.parquet", "logs/\(runID).jsonl", "manifest.json", "sha256.txt", "report.html"].map { out + "/" + $0 }
    }

    @Test func removesExactlyTheFilesOfExpiredRuns() throws {
        let workspace = try workspace([("out/expired", 0), ("out/kept", 30), ("out/forever", nil)])
        // What the run did not write stays: a file of the user's, the runner log, another run's log.
        try workspace.write("notes\n", to: "out/expired/notes.txt")
        try workspace.write("runner output\n", to: "out/expired/logs/runner.log")
        try workspace.write("{}\n", to: "out/expired/logs/20200101T000000Z-p1.jsonl")
        let expired = try runFiles(workspace, "out/expired")
        let before = workspace.tree()

        let dryRun = try workspace.run(["prune", "out", "--dry-run"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let lines = dryRun.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("would remove out/expired (run "), "\(lines[0])")
        #expect(lines[0].hasSuffix(", retention 0 days): dataset.csv, dataset.parquet, report.html, sha256.txt, \(expired[2].dropFirst("out/expired/".count)), manifest.json"))
        #expect(lines[1].hasPrefix("kept out/forever (run ") && lines[1].hasSuffix("): no retention_days"), "\(lines[1])")
        #expect(lines[2].hasPrefix("kept out/kept (run ") && lines[2].contains(", retention 30 days): until "), "\(lines[2])")
        #expect(dryRun.stderr == "prune: dry run: 1 run would be removed, 2 kept\n")
        #expect(workspace.tree() == before)

        let run = try workspace.run(["prune", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("removed out/expired (run "), "\(run.stdout)")
        #expect(run.stderr == "prune: 1 run removed, 2 kept\n")
        #expect(workspace.tree() == before.filter { !expired.contains($0) })
        #expect(try workspace.contents("out/expired/notes.txt") == "notes\n")

        // Nothing left to remove: a second prune changes nothing.
        let again = try workspace.run(["prune", "out", "--json"])
        #expect(again.status == 0)
        let summary = try jsonObject(again.stdout)
        let runs = try #require(summary["runs"] as? [[String: Any]])
        #expect(runs.map { $0["status"] as? String } == ["kept", "kept"])
        #expect(runs.map { $0["directory"] as? String } == ["out/forever", "out/kept"])
        #expect(runs[1]["retention_days"] as? Int == 30)
        #expect(runs[0]["expires_at"] is NSNull)
        #expect(summary["dry_run"] as? Bool == false)
    }

    @Test func aRunExpiresRetentionDaysAfterItFinished() throws {
        let workspace = try workspace([("out/old", 30)])
        let path = "out/old/manifest.json"
        let manifest = try workspace.contents(path)
        let finished = try #require(try jsonObject(manifest)["finished_at"] as? String)
        // Finished 31 days before 2020-02-01: expired; the same run finished today is not.
        try workspace.write(manifest.replacingOccurrences(of: "\"finished_at\": \"\(finished)\"",
                                                          with: "\"finished_at\": \"2020-01-01T00:00:00Z\""), to: path)
        let files = try runFiles(workspace, "out/old")
        // As an interrupted prune would leave it: a file already gone is skipped.
        try FileManager.default.removeItem(atPath: workspace.file("out/old/dataset.csv"))
        let run = try workspace.run(["prune", "out/old/", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require((try jsonObject(run.stdout)["runs"] as? [[String: Any]])?.first)
        #expect(result["status"] as? String == "removed")
        #expect(result["expires_at"] as? String == "2020-01-31T00:00:00Z")
        #expect(result["removed"] as? [String] == ["dataset.parquet", "report.html", "sha256.txt",
                                                   String(files[2].dropFirst("out/old/".count)), "manifest.json"])
        #expect(files.allSatisfy { !workspace.exists($0) })
        #expect(workspace.exists("out/old/logs"))
    }

    @Test func aSymbolicLinkAtAListedNameIsNeverFollowed() throws {
        let workspace = try workspace([("out/run", 0)])
        let files = try runFiles(workspace, "out/run")
        let manager = FileManager.default
        // dataset.csv becomes a link to a file outside the run; logs/ a link to a directory outside.
        try workspace.write("precious\n", to: "keep/dataset.csv")
        try manager.removeItem(atPath: workspace.file("out/run/dataset.csv"))
        try manager.createSymbolicLink(atPath: workspace.file("out/run/dataset.csv"), withDestinationPath: "../../keep/dataset.csv")
        try manager.moveItem(atPath: workspace.file("out/run/logs"), toPath: workspace.file("keep/logs"))
        try manager.createSymbolicLink(atPath: workspace.file("out/run/logs"), withDestinationPath: "../keep/logs")
        let log = String(files[2].dropFirst("out/run/".count))

        let run = try workspace.run(["prune", "out"])
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("incomplete out/run (run "), "\(run.stdout)")
        #expect(run.stderr.contains("builder prune: out/run/dataset.csv: a symbolic link, not the file the run wrote (not followed)\n"),
                "\(run.stderr)")
        #expect(run.stderr.contains("builder prune: out/run/\(log): logs is not a directory (a symbolic link is not followed)\n"))
        #expect(run.stderr.contains("builder prune: out/run/manifest.json: kept while files of the run remain\n"))
        #expect(try workspace.contents("keep/dataset.csv") == "precious\n")
        #expect(workspace.exists("keep/" + log))
        let link = try manager.destinationOfSymbolicLink(atPath: workspace.file("out/run/dataset.csv"))
        #expect(link == "../../keep/dataset.csv")
        #expect(workspace.exists("out/run/manifest.json"))
        #expect(!workspace.exists("out/run/dataset.parquet") && !workspace.exists("out/run/sha256.txt"))
    }

    @Test func aChangedDatasetStaysAndSoDoesTheManifest() throws {
        let workspace = try workspace([("out/run", 0)])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: workspace.file("out/run/dataset.parquet")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        let run = try workspace.run(["prune", "out"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("builder prune: out/run/dataset.parquet: changed since the run ("), "\(run.stderr)")
        #expect(workspace.exists("out/run/dataset.parquet") && workspace.exists("out/run/manifest.json"))
        #expect(!workspace.exists("out/run/dataset.csv"))
    }

    @Test func aManifestNotWrittenByBuilderIsLeftAlone() throws {
        let workspace = try TestDirectory(prefix: "cli")
        // A custom runner's manifest, and one that would send a removal outside its directory.
        try workspace.write("{\"rows\": 5}\n", to: "out/custom/manifest.json")
        try workspace.write("data\n", to: "out/custom/dataset.csv")
        try workspace.write("victim\n", to: "victim.txt")
        try workspace.write("""
            {"manifest_version": 1, "created_by": "builder version 0.1.0", "run_id": "r1", "finished_at": "2020-01-01T00:00:00Z",
             "job": {"retention_days": 0}, "outputs": {"../../victim.txt": {"path": "../../victim.txt", "bytes": 7}}}
            """, to: "out/crafted/manifest.json")
        let before = workspace.tree()
        let run = try workspace.run(["prune", "out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "")
        #expect(run.stderr.contains("warning: out/crafted: manifest.json is not a builder run manifest: outputs.../../victim.txt does not name a file of the run's directory\n"), "\(run.stderr)")
        #expect(run.stderr.contains("warning: out/custom: manifest.json is not a builder run manifest: no created_by naming builder\n"))
        #expect(workspace.tree() == before)
    }

    static let usageCases: [UsageCase] = [
        UsageCase(name: "no directory", arguments: [], expected: "no directory given (builder prune DIR...)"),
        UsageCase(name: "missing directory", arguments: ["nowhere"], expected: "nowhere: No such file or directory"),
        UsageCase(name: "a file", arguments: ["file.txt"], expected: "file.txt is not a directory"),
        UsageCase(name: "a link", arguments: ["out", "link"], expected: "link is a symbolic link; give the directory itself"),
    ]

    @Test(arguments: usageCases)
    func badUsageExitsTwoRemovingNothing(_ usage: UsageCase) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("{}", to: "file.txt")
        try workspace.write("{\"rows\": 1}\n", to: "out/manifest.json")
        try FileManager.default.createSymbolicLink(atPath: workspace.file("link"), withDestinationPath: "out")
        let before = workspace.tree()
        let run = try workspace.run(["prune"] + usage.arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("builder prune: \(usage.expected)"), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("\nRun 'builder prune --help' for usage.\n"), "\(run.stderr)")
        #expect(run.stdout == "")
        #expect(workspace.tree() == before)
    }
}
