import Foundation
import Basics
import Jobs
import Pipeline
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run stopped by a signal fails with exit 128 + signal and leaves no file behind.
@Suite struct InterruptionTests {
    @Test func cancelledRunExitsWithTheSignalStatusAndWritesNoDataset() throws {
        let fixture = try RunFixture(rows: 500)
        defer { fixture.directory.remove() }
        let control = RunControl()
        control.cancel(reason: "SIGTERM", signal: SIGTERM)
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"43\"]"), control: control)
        #expect(outcome.exitStatus == 143)
        #expect(outcome.failure?.message.hasPrefix("interrupted (SIGTERM)") == true)
        let left = try fixture.directory.names("out").filter { $0 != "logs" }
        #expect(left.isEmpty, "\(left)")
        #expect(try fixture.directory.names("out/logs").allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func cancellationWithoutASignalIsARunFailure() throws {
        let fixture = try RunFixture(rows: 500)
        defer { fixture.directory.remove() }
        let control = RunControl()
        control.cancel(reason: "stopped by the caller")
        let outcome = fixture.run(job: try fixture.job("  naf_include: [\"43\"]"), control: control)
        #expect(outcome.exitStatus == 1)
    }

    /// The test-only pause holds a run once its datasets are written (the staged Parquet file
    /// is complete, footer included) and a cancellation during it stops the run uncommitted.
    @Test func pauseBeforeCommitHoldsTheRunUntilCancelled() throws {
        let fixture = try RunFixture(rows: 500)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]")
        let control = RunControl()
        let out = fixture.directory.file("out")
        let watcher = Thread {
            // Cancels once the staged Parquet dataset ends with its footer: the run is past its
            // writers, so without the pause it would be committing.
            for _ in 0..<6000 {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
                if let staged = names.first(where: { $0.hasPrefix(".dataset.parquet.") && $0.hasSuffix(".partial") }),
                   let data = FileManager.default.contents(atPath: out + "/" + staged),
                   data.count > 8, data.suffix(4) == Data("PAR1".utf8) {
                    break
                }
                usleep(10_000)
            }
            control.cancel(reason: "SIGINT", signal: SIGINT)
        }
        watcher.start()
        let outcome = fixture.run(job: job, control: control, environment: ["BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS": "60000"])
        #expect(outcome.exitStatus == 130, "\(String(describing: outcome.failure))")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
        let left = try fixture.directory.names("out").filter { $0 != "logs" }
        #expect(left.isEmpty, "\(left)")
    }
}
