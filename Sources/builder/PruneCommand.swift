import ArgumentParser
import Basics
import Pipeline

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `builder prune DIR...`: enforces the jobs' `retention_days` (the work is `Pipeline.RunPruner`).
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the outputs of runs whose job's retention_days have passed.",
        discussion: """
            Finds the run outputs under each DIR (a directory holding a manifest.json written by \
            builder run-profile; symbolic links are never followed) and, for each run whose \
            finished_at plus the job's retention_days (recorded in the manifest) is past, removes \
            exactly the files that run wrote: the datasets its manifest lists (only while their \
            size and SHA-256 are still the manifest's), sha256.txt, its log logs/<run_id>.jsonl, \
            and manifest.json last. Anything else stays: directories, logs/runner.log, other \
            runs' logs, your own files. A run whose job has no retention_days is kept.

            A listed name that holds a symbolic link, a directory or a changed dataset is left as \
            it is and reported; the run's manifest.json is then kept too.

            Prints one line per run found on stdout (removed, would remove, kept, incomplete).

            Exit status: 0 done (or --dry-run); 1 an expired run could not be removed entirely \
            (reported on stderr); 2 bad usage (no DIR, a DIR that is missing, not a directory or \
            a symbolic link), nothing removed; 130 interrupted by Ctrl-C (143 by SIGTERM).
            """
    )

    @Argument(help: ArgumentHelp("Directories to search for run outputs.", valueName: "DIR"))
    var directories: [String] = []

    @Flag(help: "List what would be removed, and remove nothing.")
    var dryRun = false

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    func run() throws {
        let program = "builder prune"
        if let problem = RunPruner.checkArguments(directories) {
            StandardStreams.write(StandardStreams.usageMessage(program: program, problem), to: STDERR_FILENO)
            throw ExitCode(2)
        }
        var pruner = RunPruner(options: RunPruner.Options(dryRun: dryRun))
        for directory in directories { pruner.prune(under: directory) }

        for skipped in pruner.skipped { StandardStreams.printError("warning: \(skipped.directory): \(skipped.reason)") }
        for run in pruner.runs {
            for left in run.left where run.status == .incomplete {
                StandardStreams.printError("\(program): \(run.directory)/\(left.path): \(left.reason)")
            }
        }
        if json {
            let text = (try? JSON.encode(summary(pruner), pretty: true)) ?? "{}"
            StandardStreams.write(text + "\n", to: STDOUT_FILENO)
        } else {
            StandardStreams.write(pruner.runs.map(Self.line).joined(), to: STDOUT_FILENO)
        }
        let count = { (status: RunPruner.RunResult.Status) in pruner.runs.filter { $0.status == status }.count }
        let runs = { (number: Int) in "\(number) run\(number == 1 ? "" : "s")" }
        var parts = [dryRun ? "\(runs(count(.wouldRemove))) would be removed" : "\(runs(count(.removed))) removed",
                     "\(count(.kept)) kept"]
        if count(.incomplete) > 0 { parts.append("\(count(.incomplete)) incomplete") }
        StandardStreams.printError("prune: " + (dryRun ? "dry run: " : "") + parts.joined(separator: ", "))
        if count(.incomplete) > 0 { throw ExitCode(1) }
    }

    /// `removed out/naf_43 (run 20260801T083012Z-p42, finished 2026-08-01T08:30:14Z, retention 30 days): dataset.csv, ...`
    static func line(_ run: RunPruner.RunResult) -> String {
        var about = "run \(run.runID), finished \(run.finishedAt)"
        if let days = run.retentionDays { about += ", retention \(days) day\(days == 1 ? "" : "s")" }
        switch run.status {
        case .kept:
            let why = run.expiresAt.map { "until \(RunClock.isoTimestamp($0))" } ?? "no retention_days"
            return "kept \(run.directory) (\(about)): \(why)\n"
        case .removed:
            return "removed \(run.directory) (\(about)): \(run.removed.joined(separator: ", "))\n"
        case .wouldRemove:
            return "would remove \(run.directory) (\(about)): \(run.removed.joined(separator: ", "))\n"
        case .incomplete:
            let removed = run.removed.isEmpty ? "nothing removed" : "removed \(run.removed.joined(separator: ", "))"
            return "incomplete \(run.directory) (\(about)): \(removed); left \(run.left.map(\.path).joined(separator: ", "))\n"
        }
    }

    func summary(_ pruner: RunPruner) -> StructuredValue {
        let runs: [StructuredValue] = pruner.runs.map { run in
            var map = StructuredMap()
            map["directory"] = .string(run.directory)
            map["run_id"] = .string(run.runID)
            map["finished_at"] = .string(run.finishedAt)
            map["retention_days"] = run.retentionDays.map { .integer(Int64($0)) } ?? .null
            map["expires_at"] = run.expiresAt.map { .string(RunClock.isoTimestamp($0)) } ?? .null
            map["status"] = .string(run.status.rawValue)
            map["removed"] = .array(run.removed.map(StructuredValue.string))
            map["left"] = .array(run.left.map { .map(["path": .string($0.path), "reason": .string($0.reason)]) })
            return .map(map)
        }
        var map = StructuredMap()
        map["dry_run"] = .bool(dryRun)
        map["now"] = .string(RunClock.isoTimestamp(pruner.options.now))
        map["runs"] = .array(runs)
        map["skipped"] = .array(pruner.skipped.map { .map(["directory": .string($0.directory), "reason": .string($0.reason)]) })
        return .map(map)
    }
}
