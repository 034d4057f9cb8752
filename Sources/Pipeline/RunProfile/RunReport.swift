import Basics
import Jobs

/// The manifest, the `--json` summary and the JSON-lines log of a run.
enum RunReport {
    static let manifestVersion: Int64 = 1

    // MARK: Manifest

    static func manifest(_ context: RunContext, options: RunProfileOptions) throws -> String {
        try JSON.encode(manifestValue(context, options: options), pretty: true) + "\n"
    }

    /// The manifest as a value (its `outputs` are those committed so far: none while the
    /// writers close).
    static func manifestValue(_ context: RunContext, options: RunProfileOptions) -> StructuredValue {
        var map = StructuredMap()
        map["manifest_version"] = .integer(manifestVersion)
        map["run_id"] = .string(context.runID)
        map["status"] = "success"
        map["created_by"] = .string(BuilderVersion.createdBy)
        map["started_at"] = .string(RunClock.isoTimestamp(context.startedWall))
        map["finished_at"] = .string(RunClock.isoTimestamp(context.finishedWall ?? RunClock.now()))
        map["duration_s"] = seconds(context.durationSeconds)
        map["job"] = job(context, options: options)
        map["input"] = input(context)
        map["filters"] = filters(context, options: options)
        map["options"] = .map(["workers": .integer(Int64(context.workers)),
                               "max_ram_mb": context.memoryLimitMB.map { .integer(Int64($0)) } ?? .null,
                               "sample": options.sample.map { .integer(Int64($0)) } ?? .null,
                               "dry_run": .bool(options.dryRun)])
        map["reference_date"] = .string(DateCheck.isoText(days: context.referenceDay))
        map["rows"] = .integer(Int64(context.statistics.rowsExported))
        map["counts"] = counts(context)
        map["steps"] = .array(steps(context, options: options))
        map["kpis"] = kpis(context)
        map["outputs"] = outputs(context)
        map["columns"] = .array((context.plan?.schema.exported ?? []).map {
            .map(["name": .string($0.name), "type": .string($0.type.rawValue)])
        })
        map["warnings"] = .array(context.warnings.map(StructuredValue.string))
        map["peak_rss_mb"] = megabytes(context.statistics.peakResidentBytes)
        return .map(map)
    }

    // MARK: Summary (--json)

    static func summary(_ context: RunContext, options: RunProfileOptions, status: String, failure: RunFailure?) -> StructuredValue {
        var map = StructuredMap()
        map["status"] = .string(status)
        map["run_id"] = .string(context.runID)
        map["job"] = .string(options.jobPath)
        map["niche"] = context.job.map { .string($0.niche) } ?? .null
        map["profile"] = context.job != nil ? .string(context.profile.rawValue) : .null
        map["input"] = context.inputPath.map(StructuredValue.string) ?? .null
        map["output_dir"] = .string(options.outputDirectory)
        map["dry_run"] = .bool(options.dryRun)
        map["rows"] = failure == nil ? .integer(Int64(context.statistics.rowsExported)) : .null
        map["counts"] = counts(context)
        map["steps"] = failure == nil ? .array(steps(context, options: options)) : .array([])
        map["kpis"] = failure == nil ? kpis(context) : .null
        if failure == nil && !options.dryRun {
            var outputs = StructuredMap()
            for file in context.files { outputs[file.name] = .string(options.outputDirectory + "/" + file.name) }
            outputs["sha256.txt"] = .string(options.outputDirectory + "/sha256.txt")
            outputs["manifest.json"] = .string(options.outputDirectory + "/manifest.json")
            outputs["log"] = .string(options.outputDirectory + "/logs/\(context.runID).jsonl")
            map["outputs"] = .map(outputs)
        } else {
            map["outputs"] = .map([:])
        }
        map["duration_s"] = seconds(context.durationSeconds)
        map["warnings"] = .array(context.warnings.map(StructuredValue.string))
        map["error"] = failure.map { .string($0.message) } ?? .null
        map["exit_code"] = .integer(Int64(failure?.exitStatus ?? 0))
        return .map(map)
    }

    // MARK: Log

    /// One JSON object per line: `run.started`, one `warning` per warning, one `step` per step
    /// (status `done` or `skipped` with its reason), then `run.finished` or `run.failed`.
    static func logLines(_ context: RunContext, options: RunProfileOptions, failure: RunFailure?) -> String {
        var events: [StructuredMap] = []
        func event(_ name: String, at seconds: Int, _ fields: StructuredMap) {
            var map: StructuredMap = ["time": .string(RunClock.isoTimestamp(seconds)), "run_id": .string(context.runID),
                                      "event": .string(name)]
            for (key, value) in fields { map[key] = value }
            events.append(map)
        }
        let end = context.finishedWall ?? RunClock.now()
        event("run.started", at: context.startedWall, [
            "job": .string(options.jobPath), "niche": context.job.map { .string($0.niche) } ?? .null,
            "profile": .string(context.profile.rawValue), "input": context.inputPath.map(StructuredValue.string) ?? .null,
            "output_dir": .string(options.outputDirectory),
        ])
        for warning in context.warnings { event("warning", at: context.startedWall, ["message": .string(warning)]) }
        for entry in context.stepLog.entries {
            event("step.log", at: end, ["step": .string(entry.step), "level": .string(entry.level), "message": .string(entry.message)])
        }
        if context.stepLog.droppedCount > 0 {
            event("step.log_dropped", at: end, ["count": .integer(Int64(context.stepLog.droppedCount)),
                                                "reason": .string("more than \(StepLog.limit) lines logged by steps")])
        }
        if let failure {
            event("run.failed", at: end, ["error": .string(failure.message), "exit_code": .integer(Int64(failure.exitStatus)),
                                          "duration_s": seconds(context.durationSeconds)])
        } else {
            for step in steps(context, options: options) {
                guard case let .map(fields) = step else { continue }
                var renamed = StructuredMap()
                for (key, value) in fields { renamed[key == "name" ? "step" : key] = value }
                event("step", at: end, renamed)
            }
            event("run.finished", at: end, ["status": "success", "rows": .integer(Int64(context.statistics.rowsExported)),
                                            "duration_s": seconds(context.durationSeconds)])
        }
        return events.compactMap { try? JSON.encode(.map($0)) }.map { $0 + "\n" }.joined()
    }

    // MARK: Parts

    static func job(_ context: RunContext, options: RunProfileOptions) -> StructuredValue {
        var map = StructuredMap()
        map["file"] = .string(options.jobPath)
        // What `builder batch --resume` compares: the job file this run read.
        map["sha256"] = (try? FileSystem.readBytes(options.jobPath)).map { .string(SHA256.hex(of: $0)) } ?? .null
        map["niche"] = context.job.map { .string($0.niche) } ?? .null
        map["profile"] = .string(context.profile.rawValue)
        map["profile_overridden"] = .bool(options.profile != nil)
        map["lang"] = context.job.map { .string($0.output.lang) } ?? .null
        map["retention_days"] = context.job?.retentionDays.map { .integer(Int64($0)) } ?? .null
        return .map(map)
    }

    static func input(_ context: RunContext) -> StructuredValue {
        guard let input = context.input else { return .null }
        var map = StructuredMap()
        map["path"] = .string(context.inputPath ?? input.path)
        map["format"] = .string(input.format.rawValue)
        map["columns"] = .string(input.columns.layout == .stockEtablissement ? "insee" : "simplified")
        map["bytes"] = .integer(input.byteSize)
        map["fingerprint"] = inputFingerprint(context.inputPath ?? input.path)
        map["rows"] = .integer(Int64(context.statistics.rowsInInput))
        map[input.format == .parquet ? "row_groups" : "batches"] = .integer(Int64(context.statistics.batches))
        map[input.format == .parquet ? "row_groups_skipped" : "batches_skipped"] = .integer(Int64(context.statistics.batchesSkipped))
        if let cache = context.cacheUse {
            var cacheMap: StructuredMap = ["status": .string(cache.status.rawValue)]
            cacheMap["path"] = cache.path.map(StructuredValue.string) ?? .null
            if let reason = cache.reason { cacheMap["reason"] = .string(reason) }
            if let scanned = cache.rowsScanned { cacheMap["rows_scanned"] = .integer(Int64(scanned)) }
            if let kept = cache.rowsKept { cacheMap["rows_kept"] = .integer(Int64(kept)) }
            if let seconds = cache.seconds { cacheMap["duration_s"] = Self.seconds(seconds) }
            map["cache"] = .map(cacheMap)
        }
        return .map(map)
    }

    /// The identity of the input read (not of an input cache it was read through), which
    /// `builder batch --resume` compares: absolute path, size and modification time.
    static func inputFingerprint(_ path: String) -> StructuredValue {
        guard let (size, modified) = FileSystem.sizeAndModificationTime(path) else { return .null }
        return .map(["path": .string(FileSystem.absolutePath(path)), "size": .integer(size),
                     "modified_ns": .integer(modified)])
    }

    static func filters(_ context: RunContext, options: RunProfileOptions) -> StructuredValue {
        guard let job = context.job else { return .null }
        var map = StructuredMap()
        map["naf_include"] = .array(job.filters.naf.include.map { .string($0.dotted) })
        map["naf_exclude"] = .array(job.filters.naf.exclude.map { .string($0.dotted) })
        map["naf_nomenclature"] = .string(job.filters.naf.nomenclature.rawValue)
        if let filter = context.filter, let input = context.input {
            map["naf_column"] = input.columns.name(of: filter.nafField).map(StructuredValue.string) ?? .null
            map["active_only"] = .bool(filter.activeOnly)
        } else {
            map["active_only"] = .bool(job.filters.activeOnly)
        }
        map["regions"] = .array(job.filters.regions.map { .string($0.code) })
        let filters = job.filters
        if filters.effectifMin != nil || filters.effectifMax != nil {
            map["effectif_min"] = filters.effectifMin.map { .integer(Int64($0)) } ?? .null
            map["effectif_max"] = filters.effectifMax.map { .integer(Int64($0)) } ?? .null
        }
        if let after = filters.createdAfter { map["created_after"] = .string(after) }
        if let before = filters.createdBefore { map["created_before"] = .string(before) }
        if filters.siegeOnly { map["siege_only"] = true }
        if filters.diffusibleOnly { map["diffusible_only"] = .bool(context.filter?.scan.diffusibleOnly ?? true) }
        if !filters.categoriesJuridiques.isEmpty { map["categories_juridiques"] = .array(filters.categoriesJuridiques.map { .string($0) }) }
        if !filters.categoriesEntreprise.isEmpty { map["categories_entreprise"] = .array(filters.categoriesEntreprise.map { .string($0) }) }
        if let file = filters.excludeFile { map["exclude_file"] = .string(file) }
        map["sample"] = options.sample.map { .integer(Int64($0)) } ?? .null
        return .map(map)
    }

    static func counts(_ context: RunContext) -> StructuredValue {
        let statistics = context.statistics
        // What each filter of the scan removed, in the order they run (each from the rows the
        // earlier ones kept).
        var removed = StructuredMap()
        for stage in context.filter?.stages ?? [] { removed[stage.name] = .integer(Int64(statistics.removed[stage])) }
        return .map([
            "rows_read": .integer(Int64(statistics.rowsInInput)),
            "removed_by_filter": .map(removed),
            "rows_matched": .integer(Int64(statistics.rowsMatched)),
            "rows_collected": .integer(Int64(statistics.rowsCollected)),
            "duplicates_removed": .integer(Int64(context.duplicatesRemoved)),
            "rows_exported": .integer(Int64(statistics.rowsExported)),
        ])
    }

    static func kpis(_ context: RunContext) -> StructuredValue {
        let targets = context.job?.kpiTargets ?? JobSpec.KPITargets()
        return context.statistics.exported.kpis(rowsBeforeDedupe: context.rowsBeforeDedupe,
                                               duplicatesRemoved: context.duplicatesRemoved, targets: targets)
    }

    static func outputs(_ context: RunContext) -> StructuredValue {
        var map = StructuredMap()
        for file in context.files {
            map[file.name] = .map(["path": .string(file.name), "rows": .integer(Int64(context.statistics.rowsExported)),
                                   "bytes": .integer(file.bytes), "sha256": .string(file.sha256)])
        }
        map["checksums"] = "sha256.txt"
        map["log"] = .string("logs/\(context.runID).jsonl")
        return .map(map)
    }

    /// One record per step of the plan: name, status (`done` / `skipped` with the reason), rows
    /// in and out, the step's own fields (`PipelineStep.manifestFields`), where it ran and its
    /// time (summed over the workers for the steps they run).
    static func steps(_ context: RunContext, options: RunProfileOptions) -> [StructuredValue] {
        guard let plan = context.plan else { return [] }
        let statistics = context.statistics
        return plan.steps.enumerated().map { index, step in
            var map: StructuredMap = ["name": .string(step.name)]
            if let reason = step.skipReason {
                map["status"] = "skipped"
                map["reason"] = .string(reason)
                return .map(map)
            }
            map["status"] = "done"
            var counts = index < context.stepCounts.count ? context.stepCounts[index] : StepCounts()
            switch step.execution {
            case .source:
                counts.rowsIn = statistics.rowsInInput
                counts.rowsOut = statistics.rowsCollected
                counts.seconds = statistics.collectSeconds
                counts.add("rows_matched", statistics.rowsMatched)
            case .sink:
                counts.rowsIn = statistics.rowsExported
                counts.rowsOut = statistics.rowsExported
                counts.seconds = statistics.writeSeconds + statistics.finishSeconds
            case .perRow, .inOrder:
                break
            }
            map["rows_in"] = .integer(Int64(counts.rowsIn))
            map["rows_out"] = .integer(Int64(counts.rowsOut))
            for (key, value) in step.manifestFields(counts) { map[key] = value }
            if step.execution == .source, statistics.prescanSeconds > 0 {
                // The pass that gathered the SIRENs a join needed before the first batch.
                map["niche_sirens"] = .integer(Int64(statistics.nicheSirens))
                map["sirens_pass_s"] = seconds(statistics.prescanSeconds)
                if let jobs = statistics.sirensPassJobs { map["sirens_pass_jobs"] = .integer(Int64(jobs)) }
            }
            map["ran_on"] = .string(plan.onWorkers[index] || step.execution == .source ? "workers" : "file order")
            map["duration_s"] = seconds(counts.seconds)
            return .map(map)
        }
    }

    /// One human line per step, for `--verbose`.
    static func stepLines(_ context: RunContext, options: RunProfileOptions) -> [String] {
        steps(context, options: options).compactMap { step in
            guard case let .map(fields) = step, let name = fields["name"]?.stringValue else { return nil }
            if fields["status"]?.stringValue == "skipped" {
                return "\(name): SKIPPED (\(fields["reason"]?.stringValue ?? ""))"
            }
            var line = "\(name): \(fields["rows_in"]?.integerValue ?? 0) -> \(fields["rows_out"]?.integerValue ?? 0) rows"
            if case let .double(seconds)? = fields["duration_s"] { line += ", \(JobRun.format(seconds)) s" }
            if fields["ran_on"]?.stringValue == "workers" { line += " (on the workers)" }
            return line
        }
    }

    static func seconds(_ value: Double) -> StructuredValue {
        .double((value * 1000).rounded() / 1000)
    }

    static func megabytes(_ bytes: Int) -> StructuredValue {
        .double((Double(bytes) / 1_048_576 * 10).rounded() / 10)
    }
}
