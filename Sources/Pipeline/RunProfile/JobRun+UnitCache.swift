import Parquet

extension JobRun {
    /// With an input cache (a batch), the legal units go through the batch's unit cache
    /// (`UnitCache`): the first job that joins them reads the unit file for the SIRENs of every
    /// row the input cache's filter keeps and writes the cache; each job then reads its own units
    /// from that small file. Nothing happens without an input cache in use, a unit join, or in a
    /// dry run; a cache that cannot be written only costs the shortcut (a warning).
    func prepareUnitCache(plan: PipelinePlan, readPath: String, readerOptions: ReaderOptions, workers: Int,
                          context: inout RunContext) throws {
        guard let directory = options.inputCache, !options.dryRun, let input = context.input,
              let entry = plan.active.first(where: { $0.step is LegalUnitStep }),
              let step = entry.step as? LegalUnitStep, let unitsPath = step.resolvedPath else { return }
        let index = entry.index
        let cacheFile: String
        let filter: InputCacheFilter
        if let build = context.cacheBuild {
            (cacheFile, filter) = (build.file, build.filter)
        } else if context.cacheUse?.status == .hit, let path = context.cacheUse?.path, let job = context.job {
            cacheFile = path
            filter = try InputCacheFilter.read(directory: directory) ?? InputCacheFilter(job: job)
        } else {
            return
        }
        let started = Stopwatch.now()
        defer { context.stepCounts[index].seconds += Stopwatch.now() - started }
        let file = try UnitCache.file(directory: directory, inputCacheFile: cacheFile, unitsPath: unitsPath)
        if UnitCache.isUsable(file) {
            step.unitCache = (file, false)
            return
        }
        let union = try NicheFilter(job: filter.jobSpec(), columns: input.columns, inputName: readPath)
        let sirens = try nicheSirens(readPath: readPath, filter: union, readerOptions: readerOptions, workers: workers).sirens
        let table = try step.readUnits(of: sirens, from: unitsPath)
        do {
            try UnitCache.write(table, to: file)
            step.unitCache = (file, true)
        } catch {
            context.warnings.append("unit cache not written: \(error)")
        }
    }
}
