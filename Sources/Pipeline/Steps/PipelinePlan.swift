import Basics
import Jobs
import NAF

/// A run's steps, checked against each other before any row is read, and what follows from
/// them: the schema of its batches, the input fields to decode, and which steps run on the
/// workers.
///
/// The steps are the profile's (`StepRegistry`), or the job's own `steps:` list: step names and
/// `{lua: "path.lua"}` entries (`LuaStep`), which must start with `dumps.collect` and end with
/// `package.export`. Every column a step reads must be added by an earlier step; no two steps
/// add the same column.
///
/// Fused execution: the steps that run row by row (`.perRow`) and change nothing an earlier
/// in-order step reads or writes run on the worker threads, right after the scan of each batch,
/// several batches at a time; the others run on the consumer thread in file order. Their
/// counts are taken in file order either way (`PipelineStep.tally`), so the manifest does not
/// depend on where a step ran.
public struct PipelinePlan {
    public let steps: [PipelineStep]
    public let schema: BatchSchema
    /// Per step: whether it runs on the workers.
    public let onWorkers: [Bool]
    /// The input fields some step reads, in `SourceField` order.
    public let sourceFields: [SourceField]
    /// Whether the steps come from the job's `steps:` list rather than its profile.
    public let fromJob: Bool

    /// The files the export step writes (`output.formats`).
    var outputFormats: [any OutputFormat.Type] { (steps.last as? ExportStep)?.formats ?? [] }

    /// The plan of `setup`'s job under `profile`.
    public init(_ setup: StepSetup, profile: JobProfile) throws(RunFailure) {
        let listed = try Self.listedSteps(setup)
        var steps: [PipelineStep] = []
        if let listed {
            for entry in listed { steps.append(try entry.make(setup)) }
        } else {
            for type in StepRegistry.steps(for: profile) where type.isIncluded(for: setup.job) { steps.append(try type.init(setup)) }
        }
        try self.init(steps: steps, setup: setup, fromJob: listed != nil)
    }

    init(steps: [PipelineStep], setup: StepSetup, fromJob: Bool) throws(RunFailure) {
        let source = setup.jobPath
        func where_(_ index: Int) -> String { fromJob ? "steps[\(index)] (\(steps[index].name))" : steps[index].name }
        guard steps.first?.execution == .source else {
            throw RunFailure(.usage, "\(source): field 'steps': the first step must be \(CollectStep.stepName), "
                + "which reads the stock" + (steps.first.map { ", not \($0.name)" } ?? ""))
        }
        guard steps.count >= 2, steps.last?.execution == .sink else {
            throw RunFailure(.usage, "\(source): field 'steps': the last step must be \(ExportStep.stepName), "
                + "which writes the datasets" + (steps.count >= 2 ? ", not \(steps[steps.count - 1].name)" : ""))
        }
        var columns: [ColumnSpec] = []
        var addedBy: [String: String] = [:]
        var names = Set<String>()
        for (index, step) in steps.enumerated() {
            if index > 0, index < steps.count - 1, step.execution == .source || step.execution == .sink {
                throw RunFailure(.usage, "\(source): field 'steps': \(step.name) can only be the "
                    + (step.execution == .source ? "first" : "last") + " step")
            }
            guard names.insert(step.name).inserted else {
                throw RunFailure(.usage, "\(source): field 'steps': \(step.name) is listed twice")
            }
            let available = BatchSchema(columns)
            try step.checkReads(available)
            for read in step.reads + step.updates where available.index(of: read) == nil {
                let hint = Self.stepAdding(read).map { " (\($0) adds it)" } ?? ""
                throw RunFailure(.usage, "\(source): \(where_(index)) reads column '\(read)', which no earlier step adds\(hint)")
            }
            for column in step.adds {
                if let earlier = addedBy[column.name] {
                    throw RunFailure(.usage, "\(source): \(where_(index)) adds column '\(column.name)', which \(earlier) already adds")
                }
                addedBy[column.name] = step.name
                columns.append(column)
            }
        }
        let schema = BatchSchema(columns)
        // Scoring counts contactability only when something before it fills contacts.
        for (index, step) in steps.enumerated() {
            guard let score = step as? ScoreStep else { continue }
            score.contactSources = score.findContactSources(earlier: Array(steps[..<index]))
        }
        for step in steps { try step.bind(schema) }

        // Which steps the workers run: row-by-row steps that no earlier in-order step feeds or
        // reads after them, and that drop no row (dropping commutes with nothing in order).
        var touched = Set<String>()
        var readLater = Set<String>()
        var onWorkers: [Bool] = []
        var fields = Set<SourceField>()
        for step in steps {
            guard step.skipReason == nil else {
                onWorkers.append(false)
                continue
            }
            fields.formUnion(step.sourceFields)
            let fused = step.execution == .perRow && !step.dropsRows && touched.isDisjoint(with: step.reads)
                && touched.union(readLater).isDisjoint(with: step.updates)
            onWorkers.append(fused)
            if !fused && step.execution != .source {
                touched.formUnion(step.adds.map(\.name) + step.updates)
                readLater.formUnion(step.reads)
            }
        }
        self.steps = steps
        self.schema = schema
        self.onWorkers = onWorkers
        self.sourceFields = SourceField.allCases.filter(fields.contains)
        self.fromJob = fromJob
    }

    /// Steps that run (not `SKIPPED`), with their index.
    var active: [(index: Int, step: PipelineStep)] {
        steps.enumerated().filter { $0.element.skipReason == nil }.map { ($0.offset, $0.element) }
    }

    /// The active steps that see each batch in file order, on the thread consuming the workers'
    /// results: all but the source and the sinks (the workers' steps are counted there).
    var inOrder: [(index: Int, step: PipelineStep)] {
        active.filter { $0.step.execution != .source && $0.step.execution != .sink }
    }

    /// The registered step that adds `column`, for messages.
    static func stepAdding(_ column: String) -> String? {
        guard let setup = try? StepSetup.placeholder() else { return nil }
        for type in StepRegistry.all {
            if let step = try? type.init(setup), step.adds.contains(where: { $0.name == column }) { return type.stepName }
        }
        return nil
    }

    // MARK: The job's `steps:` list

    /// One entry of a job's `steps:` list.
    enum ListedStep {
        case registered(any RegisteredStep.Type)
        case lua(path: String)

        func make(_ setup: StepSetup) throws(RunFailure) -> PipelineStep {
            switch self {
            case let .registered(type): return try type.init(setup)
            case let .lua(path): return try LuaStep(path: path, setup: setup)
            }
        }
    }

    /// The job's `steps:` list, each name checked against the registry; nil when the job has none.
    static func listedSteps(_ setup: StepSetup) throws(RunFailure) -> [ListedStep]? {
        guard let entries = setup.job.steps else { return nil }
        var listed: [ListedStep] = []
        for (index, entry) in entries.enumerated() {
            switch entry {
            case let .named(name):
                guard let type = StepRegistry.step(named: name) else {
                    let known = StepRegistry.all.map { $0.stepName }
                    let hint = suggestName(for: name, among: known).map { " (did you mean \($0)?)" } ?? ""
                    throw RunFailure(.usage, "\(setup.jobPath): field 'steps[\(index)]': unknown step '\(name)'\(hint); the steps are "
                        + known.joined(separator: ", ") + ", and {lua: \"file.lua\"}")
                }
                listed.append(.registered(type))
            case let .lua(path):
                listed.append(.lua(path: path))
            }
        }
        return listed
    }
}

extension StepSetup {
    /// A setup for reading what registered steps declare (messages), not for a run.
    static func placeholder() throws -> StepSetup {
        let naf = try NAFFilter(include: [NAFCode(parsing: "01")], exclude: [], nomenclature: .rev2)
        let job = JobSpec(niche: "n", filters: JobSpec.Filters(naf: naf), profile: .quick)
        return StepSetup(job: job, jobPath: "job.yaml", options: RunProfileOptions(jobPath: "job.yaml", outputDirectory: ""),
                         referenceDay: 0, layout: .stockEtablissement, checkingOnly: true)
    }
}
