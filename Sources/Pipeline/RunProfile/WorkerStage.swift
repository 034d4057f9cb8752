/// What the workers do to each batch after the scan: build the batch of the run's schema from
/// the kept input rows, and run the plan's steps marked for the workers (`PipelinePlan`), timing
/// each. Those steps only read their own immutable state (`StepExecution.perRow`), so one stage
/// serves every worker at once.
final class WorkerStage: @unchecked Sendable {
    let schema: BatchSchema
    let sourceFields: [SourceField]
    private let steps: [(index: Int, step: PipelineStep)]
    private let stepCount: Int
    /// Whether a step on the consumer thread still reads the input fields.
    let keepsSource: Bool

    init(_ plan: PipelinePlan) {
        schema = plan.schema
        sourceFields = plan.sourceFields
        steps = plan.active.filter { plan.onWorkers[$0.index] }
        stepCount = plan.steps.count
        keepsSource = plan.active.contains { !plan.onWorkers[$0.index] && !$0.step.sourceFields.isEmpty }
    }

    func run(_ collected: CollectedRows) throws(RunFailure) -> ScanResult {
        var result = ScanResult()
        result.rowsInBatch = collected.rowsInBatch
        result.skipped = collected.skipped
        result.collectSeconds = collected.seconds
        result.removed = collected.removed
        result.stepSeconds = Array(repeating: 0, count: stepCount)
        guard let rows = collected.rows, rows.rowCount > 0 else { return result }
        var batch = RecordBatch(schema: schema, rowCount: rows.rowCount, source: rows)
        for (index, step) in steps {
            let started = Stopwatch.now()
            try step.apply(&batch)
            result.stepSeconds[index] = Stopwatch.now() - started
        }
        if !keepsSource { batch.source = nil }
        result.batch = batch
        return result
    }
}
