import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JobRun {
    /// For tests only: the environment variable that holds a run this many milliseconds once
    /// every dataset is written, before the commit. A run commits a fraction of a second after
    /// it starts reading, so a test that interrupts it would otherwise race the commit.
    ///
    /// Debug builds only (the tests' build): a release build, the one that ships, ignores it.
    static let testPauseBeforeCommitVariable = "BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS"

    /// Waits as `BUILDER_TEST_PAUSE_BEFORE_COMMIT_MS` says (at most 10 minutes), ending early on
    /// SIGINT or SIGTERM, which then stops the run; nothing when the variable is unset, and
    /// nothing at all in a release build.
    func pauseBeforeCommitForTests() throws(RunFailure) {
        #if DEBUG
        guard let text = environment[Self.testPauseBeforeCommitVariable], let milliseconds = Int(text),
              milliseconds > 0 else { return }
        let end = Stopwatch.now() + Double(min(milliseconds, 600_000)) / 1000
        while control.cancellationReason == nil && Stopwatch.now() < end { usleep(10_000) }
        try checkInterruption()
        #endif
    }

    /// For tests only: the environment variables that make a run read its resident memory as
    /// this many MB wherever it checks it (its limit, `MemoryGovernor`): a run of one job, or a
    /// shared scan (`GroupRun`). So a test sees a run near its ceiling, or a shared scan stopped
    /// by `--max-ram-mb` while its jobs, run alone, fit. Debug builds only, like the pause above.
    static let testResidentVariable = "BUILDER_TEST_RESIDENT_MB"
    static let testSharedScanResidentVariable = "BUILDER_TEST_SHARED_SCAN_RESIDENT_MB"

    /// The resident memory a run checks: the process's, or in a debug build what the test
    /// variable of its kind (`sharedScan`) says.
    func residentBytes(sharedScan: Bool = false) -> Int? {
        #if DEBUG
        let variable = sharedScan ? Self.testSharedScanResidentVariable : Self.testResidentVariable
        if let text = environment[variable], let megabytes = Int(text), megabytes > 0 {
            return megabytes << 20
        }
        #endif
        return MemoryMonitor.residentBytes()
    }
}
