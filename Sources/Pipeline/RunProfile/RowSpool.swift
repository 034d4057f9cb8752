import Columns
import Foundation
import SystemIO

/// The rows each job of a shared scan keeps (`GroupRun`), held in a temporary file until the
/// input is read, then read back one job at a time in large batches.
///
/// Why: a shared scan gives each of many jobs a small share of every row group (88 divisions:
/// a few hundred rows each). Run there, each job's steps and exports would work on thousands of
/// small batches, and pay the fixed costs of each. Held here, each job's rows go through its
/// steps and exports as a job of its own would have them: in batches of tens of thousands of
/// rows, one job after another.
///
/// The workers write each row group's rows for all the jobs into one buffer (`encode`: each job's
/// rows one after the other, as `ColumnData` pieces of the fields its steps read); the thread
/// consuming them in file order appends the buffer to the file (`append`) and notes where each
/// job's piece is. The file is unlinked as soon as made: nothing of it stays, whatever stops
/// the process. It holds the kept rows' fields as read, about the size of the CSV dataset.
final class RowSpool: @unchecked Sendable {
    // Unchecked: `append` is called by one thread (the scan's consumer), `read` by any once the
    // appends are over.

    /// Where a job's rows of one row group are in the file.
    struct Extent: Sendable {
        let offset: Int64
        let length: Int
        let rows: Int
    }

    /// The rows of one row group for all the jobs: each job's piece (`nil` for a job without a
    /// row) is at `offset ..< offset + length` in `buffer`.
    struct Pieces: Sendable {
        let buffer: Buffer
        let pieces: [(offset: Int, length: Int, rows: Int)?]
    }

    /// Memory of the spool's writes and reads (megabytes each), given back to `buffers` when
    /// done with, to be used again: fresh, each would be mapped and faulted in page by page.
    final class Buffer: @unchecked Sendable {
        // Unchecked: used by one thread at a time (handed over with its `Pieces`).
        let memory: UnsafeMutableRawBufferPointer
        let count: Int
        private let buffers: Buffers

        fileprivate init(memory: UnsafeMutableRawBufferPointer, count: Int, buffers: Buffers) {
            self.memory = memory
            self.count = count
            self.buffers = buffers
        }

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: memory[0..<count]) }

        deinit { buffers.give(memory) }
    }

    /// The buffers not in use, a few at most.
    fileprivate final class Buffers: @unchecked Sendable {
        // Unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var free: [UnsafeMutableRawBufferPointer] = []
        private static let kept = 4

        /// A buffer of `count` bytes at least, uninitialised.
        func take(_ count: Int) -> Buffer {
            var memory = lock.withLock { free.popLast() }
            if let small = memory, small.count < count {
                small.deallocate()
                memory = nil
            }
            let taken = memory ?? .allocate(byteCount: max((count + 0xFFFFF) & ~0xFFFFF, 1), alignment: 16)
            return Buffer(memory: taken, count: count, buffers: self)
        }

        func give(_ memory: UnsafeMutableRawBufferPointer) {
            let kept = lock.withLock {
                guard free.count < Self.kept else { return false }
                free.append(memory)
                return true
            }
            if !kept { memory.deallocate() }
        }

        deinit { for memory in free { memory.deallocate() } }
    }

    let directory: String
    private let descriptor: Int32
    private let buffers = Buffers()
    private var end: Int64 = 0
    /// Each job's pieces, in file order.
    private(set) var extents: [[Extent]]

    /// A spool for `jobs` jobs, in `directory` (an output directory of the scan's jobs).
    init(directory: String, jobs: Int) throws(RunFailure) {
        self.directory = directory
        do throws(SystemIO.Failure) {
            descriptor = try SystemIO.anonymousFile(in: directory, prefix: ".shared-scan-rows")
        } catch {
            throw RunFailure(.run, "cannot create the shared scan's temporary file in \(directory): \(error)")
        }
        extents = Array(repeating: [], count: jobs)
    }

    deinit { close(descriptor) }

    /// The rows at each job's `positions` of `rows`, for the fields of its `fields` (in that
    /// order), written column by column: a column stays in the cache while every job takes its
    /// rows. A job without positions has no piece.
    func encode(_ rows: SourceBatch, jobs: [(positions: [Int], fields: [SourceField])]) -> Pieces {
        // The layout first: each job's piece, and in it each field's place.
        var places = jobs.map { _ in [Int](repeating: 0, count: SourceField.allCases.count) }
        var layouts = jobs.map { _ in [ColumnData.EncodedLayout?](repeating: nil, count: SourceField.allCases.count) }
        var pieces: [(offset: Int, length: Int, rows: Int)?] = []
        var total = 0
        for (index, job) in jobs.enumerated() {
            guard !job.positions.isEmpty else {
                pieces.append(nil)
                continue
            }
            let start = total
            for field in job.fields {
                places[index][field.rawValue] = total
                let layout = rows[field]?.data.encodedLayout(job.positions)
                layouts[index][field.rawValue] = layout
                total += Self.fieldHeaderBytes + (layout?.byteCount ?? 0)
            }
            pieces.append((start, total - start, job.positions.count))
        }
        let buffer = buffers.take(total)
        let base = buffer.memory.baseAddress!
        for field in SourceField.allCases {
            let column = rows[field]
            for (index, job) in jobs.enumerated() where !job.positions.isEmpty && job.fields.contains(field) {
                let place = base + places[index][field.rawValue]
                place.storeBytes(of: column.map { UInt64(1) | UInt64(Self.kindCode($0.kind)) << 8 } ?? 0, as: UInt64.self)
                if let column, let layout = layouts[index][field.rawValue] {
                    column.data.encode(job.positions, layout, into: place + Self.fieldHeaderBytes)
                }
            }
        }
        return Pieces(buffer: buffer, pieces: pieces)
    }

    /// Appends one row group's pieces, in file order.
    func append(_ pieces: Pieces) throws(RunFailure) {
        guard pieces.buffer.count > 0 else { return }
        do throws(SystemIO.Failure) {
            try SystemIO.write(descriptor, pieces.buffer.bytes)
        } catch {
            throw RunFailure(.run, "cannot write the shared scan's temporary file in \(directory): \(error)")
        }
        for (job, piece) in pieces.pieces.enumerated() {
            guard let piece else { continue }
            extents[job].append(Extent(offset: end + Int64(piece.offset), length: piece.length, rows: piece.rows))
        }
        end += Int64(pieces.buffer.count)
    }

    /// Job `job`'s pieces in consecutive batches of about `rows` rows (fewer when a batch would
    /// pass `bytes` bytes), in file order.
    func batches(of job: Int, rows: Int, bytes: Int) -> [[Extent]] {
        var batches: [[Extent]] = []
        var current: [Extent] = []
        var currentRows = 0
        var currentBytes = 0
        for extent in extents[job] {
            if !current.isEmpty && (currentRows + extent.rows > rows || currentBytes + extent.length > bytes) {
                batches.append(current)
                current = []
                currentRows = 0
                currentBytes = 0
            }
            current.append(extent)
            currentRows += extent.rows
            currentBytes += extent.length
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The rows of `extents` (one job's, encoded with `fields`), one after the other.
    func read(_ extents: [Extent], fields: [SourceField]) throws(RunFailure) -> SourceBatch {
        let buffer = buffers.take(extents.reduce(0) { $0 + $1.length })
        let base = buffer.memory.baseAddress!
        var places: [Int] = []
        for extent in extents {
            let place = places.last.map { $0 + extents[places.count - 1].length } ?? 0
            do throws(SystemIO.Failure) {
                let got = try SystemIO.read(descriptor, into: base + place, count: extent.length, at: extent.offset)
                if got < extent.length { throw SystemIO.Failure(code: EIO) }
            } catch {
                throw RunFailure(.run, "cannot read the shared scan's temporary file in \(directory): \(error)")
            }
            places.append(place)
        }
        let rowCount = extents.reduce(0) { $0 + $1.rows }
        var byField = [SourceColumn?](repeating: nil, count: SourceField.allCases.count)
        do {
            // Each piece's fields in order: `places` holds the place of the next one in each piece.
            for field in fields {
                var kind: UInt8 = 0
                var present = false
                var columns: [UnsafeRawPointer] = []
                for index in places.indices {
                    let header = base.loadUnaligned(fromByteOffset: places[index], as: UInt64.self)
                    places[index] += Self.fieldHeaderBytes
                    guard header & 1 == 1 else { continue }
                    present = true
                    kind = UInt8(truncatingIfNeeded: header >> 8)
                    let piece = UnsafeRawPointer(base + places[index])
                    columns.append(piece)
                    places[index] += ColumnData.encodedLength(at: piece)
                }
                if present { byField[field.rawValue] = SourceColumn(kind: Self.kind(kind), data: ColumnData.decoding(columns)) }
            }
        }
        return SourceBatch(rowCount: rowCount, byField: byField)
    }

    /// Before each field of a piece: whether the batch had its column, and its kind.
    private static let fieldHeaderBytes = 8

    private static func kindCode(_ kind: SourceColumn.Kind) -> UInt8 {
        switch kind {
        case .text: 0
        case .days: 1
        case .micros: 2
        case .integers: 3
        case .booleans: 4
        }
    }

    private static func kind(_ code: UInt8) -> SourceColumn.Kind {
        switch code {
        case 1: .days
        case 2: .micros
        case 3: .integers
        case 4: .booleans
        default: .text
        }
    }
}
