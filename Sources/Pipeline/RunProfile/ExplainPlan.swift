import Basics
import Jobs

/// `--explain`: what a run would do, without reading a single row: the steps (and which are
/// skipped, why), the filters resolved against the input's columns, the columns decoded (filter
/// columns first) and the outputs.
struct ExplainPlan {
    let text: String
    let json: StructuredValue

    init(job: JobSpec, options: RunProfileOptions, profile: JobProfile, plan: PipelinePlan, input: StockInput?,
         filter: NicheFilter?, scanner: ParquetStockScanner?) {
        let steps = plan.steps
        var lines: [String] = []
        var map = StructuredMap()
        lines.append("run-profile plan: job \(options.jobPath) (niche \(job.niche), profile \(profile.rawValue)"
            + (options.profile != nil ? ", from --profile" : "") + ")")
        map["job"] = .string(options.jobPath)
        map["niche"] = .string(job.niche)
        map["profile"] = .string(profile.rawValue)

        if let input {
            var described = "\(input.path): \(input.format.rawValue), "
                + (input.columns.layout == .stockEtablissement ? "INSEE StockEtablissement columns" : "simplified columns")
            var inputMap: StructuredMap = ["path": .string(input.path), "format": .string(input.format.rawValue),
                                           "columns": .string(input.columns.layout == .stockEtablissement ? "insee" : "simplified")]
            if let scanner {
                described += ", \(scanner.reader.rowGroupCount) row groups, \(scanner.reader.rowCount) rows"
                inputMap["row_groups"] = .integer(Int64(scanner.reader.rowGroupCount))
                inputMap["rows"] = .integer(scanner.reader.rowCount)
            }
            lines.append("input: " + described)
            map["input"] = .map(inputMap)
        } else {
            lines.append("input: none given (pass --input FILE, or set 'input:' in the job, to run)")
            map["input"] = .null
        }

        if let cache = options.inputCache {
            lines.append("input cache: \(cache) (read instead of the input when its filter.json holds this job's rows; "
                + "built by the first run that needs it)")
            map["input_cache"] = .string(cache)
        }
        lines.append("filters (dumps.collect):")
        var filterLines: [String] = []
        if let filter, let input {
            filterLines = filter.describe(job: job, columns: input.columns)
        } else {
            let nomenclature = job.filters.naf.nomenclature
            filterLines.append("NAF under \(job.filters.naf.include.map(\.dotted).joined(separator: ", "))"
                + (job.filters.naf.exclude.isEmpty ? "" : ", not under \(job.filters.naf.exclude.map(\.dotted).joined(separator: ", "))")
                + " (\(nomenclature.rawValue), prefix by level)")
            if job.filters.activeOnly { filterLines.append("active establishments only (state A)") }
            if !job.filters.regions.isEmpty {
                filterLines.append("regions \(job.filters.regions.map(\.code).joined(separator: ", ")): postal code prefix or département")
            }
        }
        if let sample = options.sample { filterLines.append("--sample \(sample): the first \(sample) matching rows in file order") }
        lines += filterLines.map { "  " + $0 }
        map["filters"] = .array(filterLines.map(StructuredValue.string))

        if let scanner, let filter, let input {
            let filterColumns = filter.filterFields.compactMap { input.columns.name(of: $0) }
            lines.append("columns decoded: filters first (\(filterColumns.joined(separator: ", "))), then "
                + "\(scanner.columnsRead.count - filterColumns.count) more only where rows match")
            map["columns_read"] = .array(scanner.columnsRead.map(StructuredValue.string))
        }

        lines.append("steps" + (plan.fromJob ? " (the job's steps: list):" : " (profile \(profile.rawValue)):"))
        let width = steps.map(\.name.count).max() ?? 0
        var stepValues: [StructuredValue] = []
        for (index, step) in steps.enumerated() {
            let padding = String(repeating: " ", count: width - step.name.count)
            var stepMap: StructuredMap = ["name": .string(step.name)]
            if let reason = step.skipReason {
                lines.append("  \(index + 1). \(step.name)\(padding)  SKIPPED  \(step.summary): \(reason)")
                stepMap["status"] = "skipped"
                stepMap["reason"] = .string(reason)
            } else {
                let place = switch step.execution {
                case .source: "workers"
                case .sink: "writers"
                case .perRow, .inOrder: plan.onWorkers[index] ? "workers" : "in order"
                }
                lines.append("  \(index + 1). \(step.name)\(padding)  run      \(step.summary) [\(place)]")
                stepMap["status"] = "run"
                stepMap["summary"] = .string(step.summary)
                stepMap["runs_on"] = .string(place)
            }
            if !step.adds.isEmpty {
                stepMap["adds"] = .array(step.adds.filter { !$0.isInternal }.map { .string($0.name) })
            }
            stepValues.append(.map(stepMap))
        }
        map["steps"] = .array(stepValues)
        if !job.otherSections.isEmpty {
            let sections = StepJobSections.explain(job, steps: steps, inputGiven: options.inputPath != nil)
            lines.append("other job sections:")
            lines += sections.lines.map { "  " + $0 }
            map["other_sections"] = .map(sections.map)
        }


        let outputs = plan.outputFormats.map { $0.fileName } + ["sha256.txt", "manifest.json", "logs/<run_id>.jsonl"]
        lines.append("outputs in \(options.outputDirectory.isEmpty ? "--out" : options.outputDirectory): "
            + outputs.joined(separator: ", ") + " (written under temporary names, manifest.json last)")
        map["outputs"] = .array(outputs.map(StructuredValue.string))
        let columns = plan.schema.exported.map(\.name)
        lines.append("output columns: " + columns.joined(separator: ", "))
        map["output_columns"] = .array(columns.map(StructuredValue.string))
        text = lines.joined(separator: "\n") + "\n"
        json = .map(map)
    }
}
