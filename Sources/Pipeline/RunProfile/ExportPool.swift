/// The small batches of the jobs of a shared scan (`GroupRun`), held back and joined before they
/// reach each job's in-order steps and exports.
///
/// A shared scan hands each job its share of every row group: a job of a few rows gets dozens of
/// batches of a few rows, and each batch costs its steps, tallies and writers (and their threads)
/// the same fixed work whatever its size. Held until a job has `rows` of them (or the end), its
/// batches reach the exports as one, in file order, with the same rows: the datasets do not
/// depend on where batches start. All the jobs together hold at most `budget` bytes: past it,
/// the job holding the most is released first.
struct ExportPool {
    /// A job's held rows that make a batch worth its fixed costs.
    static let rows = 2_048

    private let rows: Int
    private let budget: Int
    private var held: [[RecordBatch]]
    private var heldRows: [Int]
    private var heldBytes: [Int]
    private var total = 0

    init(jobs: Int, budget: Int, rows: Int = ExportPool.rows) {
        self.rows = rows
        self.budget = budget
        held = Array(repeating: [], count: jobs)
        heldRows = Array(repeating: 0, count: jobs)
        heldBytes = Array(repeating: 0, count: jobs)
    }

    /// Bytes held in all.
    var heldByteCount: Int { total }

    /// Takes the next batch of job `job`; returns what is to be exported now, in order: the
    /// job's held rows, joined, once they are enough (a batch that is enough on its own passes
    /// after them, unjoined), and other jobs' held rows when the budget is passed.
    mutating func add(_ batch: RecordBatch, for job: Int) -> [(job: Int, batch: RecordBatch)] {
        var released: [(job: Int, batch: RecordBatch)] = []
        if batch.rowCount >= rows {
            if let earlier = release(job) { released.append((job, earlier)) }
            released.append((job, batch))
            return released
        }
        let bytes = batch.byteSize
        held[job].append(batch)
        heldRows[job] += batch.rowCount
        heldBytes[job] += bytes
        total += bytes
        if heldRows[job] >= rows, let joined = release(job) { released.append((job, joined)) }
        while total > budget, let largest = heldBytes.indices.max(by: { heldBytes[$0] < heldBytes[$1] }),
              let joined = release(largest) {
            released.append((largest, joined))
        }
        return released
    }

    /// The rows job `job` holds, joined (nil when none), now no longer held.
    mutating func release(_ job: Int) -> RecordBatch? {
        guard !held[job].isEmpty else { return nil }
        defer { drop(job) }
        return RecordBatch.joining(held[job])
    }

    /// Forgets the rows job `job` holds (it failed).
    mutating func drop(_ job: Int) {
        total -= heldBytes[job]
        held[job] = []
        heldRows[job] = 0
        heldBytes[job] = 0
    }
}
