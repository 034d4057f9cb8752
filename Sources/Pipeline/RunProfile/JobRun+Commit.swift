import CSV
import Foundation
import Basics
import Jobs
import NAF
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JobRun {
    // MARK: Commit

    func commit(_ context: inout RunContext) throws -> RunOutcome {
        var files: [OutputFileRecord] = []
        for writer in context.writers {
            let hash = try writer.sha256 ?? SHA256.hex(ofFile: writer.stagedPath)
            var info = stat()
            let bytes = stat(writer.stagedPath, &info) == 0 ? Int64(info.st_size) : 0
            files.append(OutputFileRecord(name: writer.fileName, stagedPath: writer.stagedPath, sha256: hash, bytes: bytes))
        }
        context.files = files
        context.finishedWall = RunClock.now()
        context.durationSeconds = Stopwatch.now() - context.startedClock
        let status = options.dryRun ? "dry_run" : "success"
        if let output = context.output {
            let checksums = files.map { "\($0.sha256)  \($0.name)\n" }.joined()
            let manifest = try RunReport.manifest(context, options: options)
            try output.commit(datasets: files.map { ($0.stagedPath, $0.name) }, checksums: checksums,
                              log: RunReport.logLines(context, options: options, failure: nil), manifest: manifest,
                              beforeRenames: { () throws(RunFailure) in try checkInterruption() })
            context.writers = []
            context.committed = true
        }
        let summary = RunReport.summary(context, options: options, status: status, failure: nil)
        if options.verbose {
            for line in RunReport.stepLines(context, options: options) { report("run-profile: " + line) }
        } else {
            let skipped = (context.plan?.steps ?? []).filter { $0.skipReason != nil && $0.execution != .sink }
            if let reason = skipped.first?.skipReason {
                report("run-profile \(context.job?.niche ?? ""): SKIPPED \(skipped.map(\.name).joined(separator: ", ")): \(reason)")
            }
        }
        let rows = context.statistics.rowsExported
        let where_ = options.dryRun ? "dry run, nothing written"
            : "\(options.outputDirectory)/" + files.map(\.name).joined(separator: ", ")
        report("run-profile \(context.job?.niche ?? ""): \(rows) row\(rows == 1 ? "" : "s") "
            + "(\(context.statistics.rowsInInput) read, \(context.duplicatesRemoved) duplicates removed) -> \(where_) "
            + "in \(Self.format(context.durationSeconds)) s")
        return RunOutcome(exitStatus: 0, summary: summary, explanation: nil, failure: nil)
    }
}
