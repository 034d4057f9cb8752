import CAllocator

/// Keeps a run under its memory ceiling without stopping it, where it can: the ceiling is
/// `defaultCeilingMB`, or the run's limit (`--max-ram-mb`, `budgets.ram_mb`) when lower (the
/// embedded template's 2 048 MB is a limit to stop at, not a size to grow to).
///
/// The de-duplication keys grow with the output while the rest of a run's memory stays level, and
/// the allocator keeps memory that the row groups already written freed (spread over its arenas,
/// one per thread), so the resident memory grows past what is in use. After each batch:
///
/// - past `trimShare` of the ceiling, the allocator gives its free memory back to the system (at
///   most every `batchesBetweenTrims` batches: a trim walks every arena);
/// - when that leaves the run above `narrowShare`, fewer row groups are read ahead: the window of
///   results in flight goes to 2, then 1 (one worker's worth: the run gets slower, not bigger).
///
/// The limit itself is still checked after (`JobRun.checkLimits`): a run that cannot fit stops.
/// On a 43.9-million-row stock the all-active job (15.6 million rows kept) peaked at 336 to
/// 352 MB; it now stays under 300 MB, about 4% slower.
public struct MemoryGovernor {
    /// The ceiling of a run without a lower memory limit: the budget a run is designed for.
    static let defaultCeilingMB = 300
    static let trimShare = 0.85
    static let narrowShare = 0.80
    static let batchesBetweenTrims = 4

    private let trimAbove: Int
    private let narrowAbove: Int
    private var batches = 0
    private var lastTrim: Int?
    /// Trims made so far.
    private(set) var trims = 0

    /// `limitMB`: the run's memory limit, if any.
    init(limitMB: Int?) {
        let ceiling = Double(min(limitMB ?? Self.defaultCeilingMB, Self.defaultCeilingMB) << 20)
        trimAbove = Int(ceiling * Self.trimShare)
        narrowAbove = Int(ceiling * Self.narrowShare)
    }

    /// After a batch, with the process's `resident` memory and the pool's current `window`: trims
    /// with `trim` (which gives the free memory back and returns the resident memory after) when
    /// due, and returns the narrower window the pool should take, if any.
    mutating func afterBatch(resident: Int?, window: Int, trim: () -> Int?) -> Int? {
        batches += 1
        guard let resident, resident > trimAbove else { return nil }
        if let lastTrim, batches - lastTrim < Self.batchesBetweenTrims { return nil }
        lastTrim = batches
        trims += 1
        guard let after = trim(), after > narrowAbove, window > 1 else { return nil }
        return window > 2 ? 2 : 1
    }

    /// Gives the allocator's free memory back to the system.
    static func releaseFreeMemory() {
        _ = callocator_release_free_memory()
    }

    /// The allocator's fixed thresholds (`configureAllocator`): a block of this size or more is
    /// mapped on its own and unmapped when freed, and an arena gives back the free memory at its
    /// top past this size.
    static let allocatorThresholdBytes = 1 << 20

    /// Fixes the allocator's thresholds at `allocatorThresholdBytes`, once, when the process
    /// starts. glibc otherwise raises them as a run frees big buffers (up to 32 MB, and twice that
    /// kept at an arena's top), and a run has an arena per thread (workers, writers, the main
    /// thread): a shared scan of 8 niches on the 5-million-row stock peaked at 306 to 316 MB with
    /// 172 MB in use, and at 282 to 295 MB with the thresholds fixed, as fast. Returns whether
    /// the allocator took them (glibc's does).
    @discardableResult
    public static func configureAllocator() -> Bool {
        callocator_set_thresholds(allocatorThresholdBytes) == 1
    }
}
