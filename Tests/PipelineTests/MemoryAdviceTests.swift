@testable import Pipeline
import Testing

/// The advice of a run stopped by its memory limit names only what can help: fewer workers while
/// there are several, a scan per job for the jobs of a shared scan, else a higher limit.
struct MemoryAdviceTests {
    @Test func theAdviceFitsTheRun() {
        let alone = JobRun(options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: "out"))
        #expect(alone.memoryAdvice(workers: 2) == "try fewer --workers")
        #expect(alone.memoryAdvice(workers: 1) == "try a higher limit")
        let shared = JobRun(options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: "out"))
        shared.sharedInputs = SharedInputs()
        #expect(shared.memoryAdvice(workers: 2) == "try fewer --workers, or one scan per job (builder batch --scan-per-job)")
        #expect(shared.memoryAdvice(workers: 1) == "try one scan per job (builder batch --scan-per-job)")
    }
}
