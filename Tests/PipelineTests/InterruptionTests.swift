import Foundation
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
        let job = try fixture.job("  naf_include: [\"43\"]")
        var options = RunProfileOptions(jobPath: job, outputDirectory: fixture.directory.file("out"))
        options.inputPath = fixture.input
        let control = RunControl()
        control.cancel(reason: "SIGTERM", signal: SIGTERM)
        let outcome = JobRun(options: options, control: control).execute()
        #expect(outcome.exitStatus == 143)
        #expect(outcome.failure?.message.hasPrefix("interrupted (SIGTERM)") == true)
        let left = try fixture.directory.names("out").filter { $0 != "logs" }
        #expect(left.isEmpty, "\(left)")
        #expect(try fixture.directory.names("out/logs").allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func cancellationWithoutASignalIsARunFailure() throws {
        let fixture = try RunFixture(rows: 500)
        defer { fixture.directory.remove() }
        let job = try fixture.job("  naf_include: [\"43\"]")
        let control = RunControl()
        control.cancel(reason: "stopped by the caller")
        var options = RunProfileOptions(jobPath: job, outputDirectory: fixture.directory.file("out"))
        options.inputPath = fixture.input
        let outcome = JobRun(options: options, control: control).execute()
        #expect(outcome.exitStatus == 1)
    }
}
