import Columns
/// Builds the result of a chunk read page by page: dense values (or, in dictionary mode, one
/// dictionary index per row plus an extended dictionary), and validity.
///
/// All buffers belong to the decoding context; `finishValues`/`finishDictionary` copy them
/// once into the Swift arrays handed to the caller.
final class ChunkOutput {
    enum Mode { case values, dictionaryIndices }

    let mode: Mode
    let column: ColumnDescriptor
    /// Storage width of fixed-width columns; nil for BYTE_ARRAY.
    let width: Int?
    let rowCapacity: Int
    let maxDecodedBytes: Int
    private let context: DecodingContext

    private(set) var rows = 0
    private var byteCount = 0
    private var anyNull = false

    /// Dictionary entries: those of the dictionary page, then (in dictionary mode) the values
    /// of non-dictionary pages appended as extra entries.
    private(set) var dictionaryCount = 0
    private(set) var dictionaryPageCount = 0
    private var dictionaryByteCount = 0

    init(mode: Mode, column: ColumnDescriptor, width: Int?, rows: Int, context: DecodingContext,
         maxDecodedBytes: Int) throws {
        self.mode = mode
        self.column = column
        self.width = width
        self.rowCapacity = rows
        self.context = context
        self.maxDecodedBytes = maxDecodedBytes
        let perRow = mode == .dictionaryIndices ? 4 : (width ?? 4)
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: perRow)
        guard !overflow, bytes <= maxDecodedBytes else {
            throw ParquetError.limit("\(rows) rows of \(perRow) bytes exceed the \(maxDecodedBytes)-byte decode budget")
        }
        // Buffers grow page by page with the rows actually decoded (see `ensureCapacity`),
        // so a footer declaring many rows allocates nothing by itself.
        context.outputOffsets.reserve(4)
        context.outputOffsets.typed(Int32.self)[0] = 0
    }

    /// Makes room for `total` rows in the row-sized output buffers.
    private func ensureCapacity(rows total: Int) {
        switch mode {
        case .values:
            if let width {
                context.outputValues.grow(to: total * width, keeping: rows * width)
            } else {
                context.outputOffsets.grow(to: (total + 1) * 4, keeping: (rows + 1) * 4)
            }
        case .dictionaryIndices:
            context.outputIndices.grow(to: total * 4, keeping: rows * 4)
        }
        if column.isOptional { context.outputValidity.grow(to: total, keeping: rows) }
    }

    /// Records the dictionary page just decoded into the context's dictionary buffers.
    func dictionaryLoaded(count: Int) {
        dictionaryCount = count
        dictionaryPageCount = count
        if width == nil {
            dictionaryByteCount = count == 0 ? 0 : Int(context.dictionaryOffsets.typed(Int32.self)[count])
        } else {
            dictionaryByteCount = count * (width ?? 0)
        }
    }

    // MARK: Placing one page

    /// Places the rows of one page. `levels` holds the page's definition levels (nil when the
    /// column is required); `selected` holds the page-relative rows wanted (nil for all).
    func emit(_ values: PageValues, levels: UnsafePointer<UInt8>?, pageRows: Int, presentCount: Int,
              selected: UnsafeBufferPointer<Int32>?) throws {
        let outCount = selected?.count ?? pageRows
        guard outCount > 0 else { return }
        guard rows + outCount <= rowCapacity else {
            throw ParquetError.corrupt("pages hold more rows than the row group's \(rowCapacity)")
        }
        ensureCapacity(rows: rows + outCount)
        let hasNulls = presentCount < pageRows
        writeValidity(levels: hasNulls ? levels : nil, outCount: outCount, selected: selected)
        // PLAIN byte arrays with nulls, every row: one pass along the levels.
        if mode == .values, width == nil, selected == nil, hasNulls, let levels, case let .plainByteArrays(bytes) = values {
            try copyPlainDirectly(bytes, count: presentCount, levels: levels, rowCount: pageRows,
                                  offsets: context.outputOffsets.typed(Int32.self) + rows)
            rows += outCount
            return
        }
        var source = hasNulls || selected != nil
            ? makeSourceIndex(levels: hasNulls ? levels : nil, pageRows: pageRows, selected: selected, outCount: outCount)
            : nil
        var values = values
        if case let .encodedIndices(bytes, bitWidth, count, dictionaryCount) = values {
            guard let positions = source else { throw ParquetError.corrupt("encoded dictionary indices without a selection") }
            values = .indices(try gatherIndices(bytes, bitWidth: bitWidth, count: count, dictionaryCount: dictionaryCount,
                                                positions: positions, outCount: outCount))
            source = UnsafePointer(context.sourceIndex.typed(Int32.self))
        }
        switch mode {
        case .values:
            if let width {
                try placeFixed(values, width: width, source: source, outCount: outCount)
            } else {
                try placeByteArrays(values, source: source, outCount: outCount, presentCount: presentCount)
            }
        case .dictionaryIndices:
            try placeIndices(values, source: source, outCount: outCount, presentCount: presentCount)
        }
        rows += outCount
    }

    private func writeValidity(levels: UnsafePointer<UInt8>?, outCount: Int, selected: UnsafeBufferPointer<Int32>?) {
        guard column.isOptional else { return }
        let flags = context.outputValidity.typed(UInt8.self) + rows
        guard let levels else {
            flags.update(repeating: 1, count: outCount)
            return
        }
        var present = 0
        if let selected {
            for (index, row) in selected.enumerated() {
                let flag = levels[Int(row)]
                flags[index] = flag
                present &+= Int(flag)
            }
        } else {
            flags.update(from: levels, count: outCount)
            for index in 0..<outCount { present &+= Int(levels[index]) }
        }
        if present < outCount { anyNull = true }
    }

    /// The dictionary indices of the output rows whose value is at `positions` among the page's
    /// present values (-1: null), unpacked from the encoded stream; `positions` (the context's
    /// source index) is rewritten to point at them (row k's index is entry k).
    private func gatherIndices(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, dictionaryCount: Int,
                               positions: UnsafePointer<Int32>, outCount: Int) throws -> UnsafePointer<Int32> {
        context.pageIndices.reserve(outCount * 4)
        let indices = context.pageIndices.typed(Int32.self)
        var decoder = try RLEBitPackedDecoder(bytes, bitWidth: bitWidth)
        try indices.withMemoryRebound(to: UInt32.self, capacity: outCount) { raw in
            try decoder.gather(count: count, positions: positions, positionCount: outCount, into: raw)
            for row in 0..<outCount where positions[row] >= 0 && UInt64(raw[row]) >= UInt64(dictionaryCount) {
                throw ParquetError.corrupt("dictionary index \(raw[row]) out of range (the dictionary has \(dictionaryCount) entries)")
            }
        }
        let rewritten = context.sourceIndex.typed(Int32.self)
        for row in 0..<outCount where rewritten[row] >= 0 { rewritten[row] = Int32(truncatingIfNeeded: row) }
        return UnsafePointer(indices)
    }

    /// For each output row of the page: the index of its value among the page's present values,
    /// or -1 when null.
    private func makeSourceIndex(levels: UnsafePointer<UInt8>?, pageRows: Int, selected: UnsafeBufferPointer<Int32>?,
                                 outCount: Int) -> UnsafePointer<Int32> {
        // Room for the pass over the page's rows up to the last selected one (see below).
        let scanned = selected.flatMap { $0.last.map { Int($0) + 1 } } ?? 0
        context.sourceIndex.reserve(Swift.max(outCount, scanned) * 4)
        let source = context.sourceIndex.typed(Int32.self)
        switch (levels, selected) {
        case let (levels?, nil):
            var present: Int32 = 0
            for row in 0..<pageRows {
                let isPresent = levels[row] != 0
                source[row] = isPresent ? present : -1
                present &+= isPresent ? 1 : 0
            }
        case let (nil, selected?):
            for (index, row) in selected.enumerated() { source[index] = row }
        case let (levels?, selected?) where column.maxDefinitionLevel == 1 && scanned > 0:
            // Levels of 0 and 1: the index of every row up to the last selected one (a running count,
            // without a branch), then the selected rows' moved to the front in place (row
            // `selected[index]` is at least `index`, so no slot is overwritten before it is read).
            var present: Int32 = 0
            for row in 0..<scanned {
                let isPresent: Int32 = levels[row] != 0 ? 1 : 0
                source[row] = isPresent != 0 ? present : -1
                present &+= isPresent
            }
            for (index, row) in selected.enumerated() { source[index] = source[Int(row)] }
        case let (levels?, selected?):
            var present: Int32 = 0
            var row = 0
            for (index, wanted) in selected.enumerated() {
                let target = Int(wanted)
                while row < target {
                    present &+= levels[row] != 0 ? 1 : 0
                    row += 1
                }
                source[index] = levels[target] != 0 ? present : -1
            }
        case (nil, nil):
            for row in 0..<outCount { source[row] = Int32(truncatingIfNeeded: row) }
        }
        return UnsafePointer(source)
    }

    // MARK: Fixed-width values

    private func placeFixed(_ values: PageValues, width: Int, source: UnsafePointer<Int32>?, outCount: Int) throws {
        let destination = context.outputValues.pointer + rows * width
        switch values {
        case let .fixed(base):
            if let source {
                FixedWidthCopy.gather(from: base, width: width, source: source, count: outCount, into: destination)
            } else {
                destination.copyMemory(from: base, byteCount: outCount * width)
            }
        case let .indices(indices):
            let dictionary = UnsafeRawPointer(context.dictionaryValues.pointer)
            FixedWidthCopy.gatherDictionary(dictionary, width: width, indices: indices, source: source,
                                            count: outCount, into: destination)
        case .plainByteArrays, .spans:
            throw ParquetError.corrupt("byte-array values in a fixed-width column")
        case .encodedIndices:
            throw ParquetError.corrupt("dictionary indices left encoded")
        }
    }

    // MARK: Byte arrays

    private func placeByteArrays(_ values: PageValues, source: UnsafePointer<Int32>?, outCount: Int,
                                 presentCount: Int) throws {
        let offsets = context.outputOffsets.typed(Int32.self) + rows
        switch values {
        case let .plainByteArrays(bytes):
            if source == nil {
                try copyPlainDirectly(bytes, count: outCount, offsets: offsets)
                return
            }
            // Only the values up to the last one needed are scanned (the source is ascending).
            var needed = 0
            if let source {
                for row in stride(from: outCount - 1, through: 0, by: -1) where source[row] >= 0 {
                    needed = Int(source[row]) + 1
                    break
                }
            }
            needed = Swift.min(needed, presentCount)
            context.spanStarts.reserve(needed * 4)
            context.spanEnds.reserve(needed * 4)
            let starts = context.spanStarts.typed(Int32.self), ends = context.spanEnds.typed(Int32.self)
            try scanPlainByteArrays(bytes, count: needed, starts: starts, ends: ends)
            let base = bytes.baseAddress ?? UnsafeRawPointer(context.pageValues.pointer)
            try copySpans(base: base, starts: starts, ends: ends, source: source, count: outCount, offsets: offsets)
        case let .spans(base, starts, ends):
            try copySpans(base: base, starts: starts, ends: ends, source: source, count: outCount, offsets: offsets)
        case let .indices(indices):
            let dictionaryOffsets = UnsafePointer(context.dictionaryOffsets.typed(Int32.self))
            try copySpans(base: UnsafeRawPointer(context.dictionaryValues.pointer), starts: dictionaryOffsets,
                          ends: dictionaryOffsets + 1, indices: indices, source: source, count: outCount,
                          offsets: offsets)
        case .fixed:
            throw ParquetError.corrupt("fixed-width values in a byte-array column")
        case .encodedIndices:
            throw ParquetError.corrupt("dictionary indices left encoded")
        }
    }

    private func reserveBytes(_ extra: Int) throws {
        let (total, overflow) = byteCount.addingReportingOverflow(extra)
        guard !overflow, total <= maxDecodedBytes else {
            throw ParquetError.limit("byte arrays exceed the \(maxDecodedBytes)-byte decode budget")
        }
        guard total <= Int(Int32.max) else {
            throw ParquetError.limit("byte arrays of one column chunk exceed 2 GiB")
        }
        context.outputValues.grow(to: total, keeping: byteCount)
    }

    /// PLAIN, every row: one pass, straight from the page into the output. With `levels`,
    /// rows whose level is 0 are nulls (empty values) and take no value from the page.
    private func copyPlainDirectly(_ bytes: UnsafeRawBufferPointer, count: Int, levels: UnsafePointer<UInt8>? = nil,
                                   rowCount: Int? = nil, offsets: UnsafeMutablePointer<Int32>) throws {
        let rowCount = rowCount ?? count
        guard let base = bytes.baseAddress else {
            if count > 0 { throw ParquetError.corrupt("PLAIN page is empty but holds \(count) byte arrays") }
            for row in 0..<rowCount { offsets[row + 1] = offsets[0] }
            return
        }
        try reserveBytes(bytes.count)
        let output = context.outputValues.pointer
        let limit = bytes.count
        var position = 0
        var written = byteCount
        var index = 0
        for row in 0..<rowCount {
            if let levels, levels[row] == 0 {
                offsets[row + 1] = Int32(truncatingIfNeeded: written)
                continue
            }
            guard limit - position >= 4 else {
                throw ParquetError.corrupt("PLAIN byte array \(index) of \(count): page ends at byte \(position)")
            }
            let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= limit - position else {
                throw ParquetError.corrupt("PLAIN byte array \(index) of \(length) bytes overruns the page (\(limit - position) bytes left)")
            }
            ByteCopy.copy(output + written, base + position, length)
            position += length
            written += length
            index += 1
            offsets[row + 1] = Int32(truncatingIfNeeded: written)
        }
        byteCount = written
    }

    /// Copies spans into the output rows: value of row k is span `indices?[source[k]] ?? source[k]`.
    private func copySpans(base: UnsafeRawPointer, starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>,
                           indices: UnsafePointer<Int32>? = nil, source: UnsafePointer<Int32>?, count: Int,
                           offsets: UnsafeMutablePointer<Int32>) throws {
        @inline(__always) func span(_ row: Int) -> Int {
            let slot = source.map { Int($0[row]) } ?? row
            if slot < 0 { return -1 }
            return indices.map { Int($0[slot]) } ?? slot
        }
        var total = 0
        for row in 0..<count {
            let entry = span(row)
            if entry >= 0 { total &+= Int(ends[entry]) - Int(starts[entry]) }
        }
        try reserveBytes(total)
        let output = context.outputValues.pointer
        var written = byteCount
        for row in 0..<count {
            let entry = span(row)
            if entry >= 0 {
                let start = Int(starts[entry])
                let length = Int(ends[entry]) - start
                ByteCopy.copy(output + written, base + start, length)
                written += length
            }
            offsets[row + 1] = Int32(truncatingIfNeeded: written)
        }
        byteCount = written
    }

    // MARK: Dictionary mode

    private func placeIndices(_ values: PageValues, source: UnsafePointer<Int32>?, outCount: Int, presentCount: Int) throws {
        let destination = context.outputIndices.typed(Int32.self) + rows
        let base: Int32
        let entries: UnsafePointer<Int32>?
        switch values {
        case let .indices(indices):
            base = 0
            entries = indices
        default:
            // A page after dictionary fallback: its values become extra dictionary entries.
            base = Int32(truncatingIfNeeded: dictionaryCount)
            entries = nil
            try appendToDictionary(values, count: presentCount)
        }
        for row in 0..<outCount {
            let slot = source.map { Int($0[row]) } ?? row
            if slot < 0 {
                destination[row] = 0
            } else {
                destination[row] = entries.map { $0[slot] } ?? (base &+ Int32(truncatingIfNeeded: slot))
            }
        }
    }

    private func appendToDictionary(_ values: PageValues, count: Int) throws {
        guard count > 0 else { return }
        let (newCount, overflow) = dictionaryCount.addingReportingOverflow(count)
        guard !overflow, newCount <= Int(Int32.max) else { throw ParquetError.limit("too many dictionary entries") }
        if let width {
            guard case let .fixed(base) = values else { throw ParquetError.corrupt("byte-array values in a fixed-width column") }
            let bytes = count * width
            guard dictionaryByteCount + bytes <= maxDecodedBytes else {
                throw ParquetError.limit("dictionary entries exceed the \(maxDecodedBytes)-byte decode budget")
            }
            context.dictionaryValues.grow(to: dictionaryByteCount + bytes, keeping: dictionaryByteCount)
            (context.dictionaryValues.pointer + dictionaryByteCount).copyMemory(from: base, byteCount: bytes)
            dictionaryByteCount += bytes
            dictionaryCount = newCount
            return
        }
        var spanBase: UnsafeRawPointer
        var starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>
        switch values {
        case let .plainByteArrays(bytes):
            context.spanStarts.reserve(count * 4)
            context.spanEnds.reserve(count * 4)
            try scanPlainByteArrays(bytes, count: count, starts: context.spanStarts.typed(Int32.self),
                                    ends: context.spanEnds.typed(Int32.self))
            spanBase = bytes.baseAddress ?? UnsafeRawPointer(context.pageValues.pointer)
            starts = UnsafePointer(context.spanStarts.typed(Int32.self))
            ends = UnsafePointer(context.spanEnds.typed(Int32.self))
        case let .spans(base, spanStarts, spanEnds):
            spanBase = base
            starts = spanStarts
            ends = spanEnds
        default:
            throw ParquetError.corrupt("fixed-width values in a byte-array column")
        }
        var total = 0
        for index in 0..<count { total += Int(ends[index]) - Int(starts[index]) }
        let (bytesAfter, bytesOverflow) = dictionaryByteCount.addingReportingOverflow(total)
        guard !bytesOverflow, bytesAfter <= maxDecodedBytes, bytesAfter <= Int(Int32.max) else {
            throw ParquetError.limit("dictionary entries exceed the decode budget")
        }
        context.dictionaryValues.grow(to: bytesAfter, keeping: dictionaryByteCount)
        context.dictionaryOffsets.grow(to: (newCount + 1) * 4, keeping: (dictionaryCount + 1) * 4)
        if dictionaryCount == 0 { context.dictionaryOffsets.typed(Int32.self)[0] = 0 }
        let offsets = context.dictionaryOffsets.typed(Int32.self)
        let output = context.dictionaryValues.pointer
        var written = dictionaryByteCount
        for index in 0..<count {
            let start = Int(starts[index])
            let length = Int(ends[index]) - start
            ByteCopy.copy(output + written, spanBase + start, length)
            written += length
            offsets[dictionaryCount + index + 1] = Int32(truncatingIfNeeded: written)
        }
        dictionaryByteCount = written
        dictionaryCount = newCount
    }

    // MARK: Results

    func finishValues() throws -> ColumnValues {
        guard rows == rowCapacity else {
            throw ParquetError.corrupt("pages hold \(rows) values, the row group has \(rowCapacity)")
        }
        let storage = makeStorage(values: UnsafeRawPointer(context.outputValues.pointer), count: rows,
                                  offsets: UnsafePointer(context.outputOffsets.typed(Int32.self)), byteCount: byteCount)
        return ColumnValues(column: column, count: rows, validity: makeValidity(), storage: storage)
    }

    func finishDictionary() throws -> DictionaryEncodedValues {
        guard rows == rowCapacity else {
            throw ParquetError.corrupt("pages hold \(rows) values, the row group has \(rowCapacity)")
        }
        let dictionary = ColumnValues(
            column: column, count: dictionaryCount, validity: nil,
            storage: makeStorage(values: UnsafeRawPointer(context.dictionaryValues.pointer), count: dictionaryCount,
                                 offsets: UnsafePointer(context.dictionaryOffsets.typed(Int32.self)),
                                 byteCount: dictionaryByteCount))
        let indices = Array(UnsafeBufferPointer(start: context.outputIndices.typed(Int32.self), count: rows))
        return DictionaryEncodedValues(dictionary: dictionary, dictionaryPageEntryCount: dictionaryPageCount,
                                       indices: indices, validity: makeValidity())
    }

    /// The dictionary page's values alone.
    func finishDictionaryPage() -> ColumnValues {
        ColumnValues(column: column, count: dictionaryPageCount, validity: nil,
                     storage: makeStorage(values: UnsafeRawPointer(context.dictionaryValues.pointer), count: dictionaryPageCount,
                                          offsets: UnsafePointer(context.dictionaryOffsets.typed(Int32.self)),
                                          byteCount: dictionaryByteCount))
    }

    private func makeValidity() -> Validity? {
        guard column.isOptional, anyNull else { return nil }
        return Validity(flags: UnsafePointer(context.outputValidity.typed(UInt8.self)), count: rows)
    }

    private func makeStorage(values: UnsafeRawPointer, count: Int, offsets: UnsafePointer<Int32>, byteCount: Int) -> ColumnStorage {
        switch column.physicalType {
        case .boolean:
            let flags = values.assumingMemoryBound(to: UInt8.self)
            return .boolean([Bool](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count { buffer[index] = flags[index] != 0 }
                initialized = count
            })
        case .int32: return .int32(copyArray(values, count: count, as: Int32.self))
        case .int64: return .int64(copyArray(values, count: count, as: Int64.self))
        case .float: return .float(copyArray(values, count: count, as: Float.self))
        case .double: return .double(copyArray(values, count: count, as: Double.self))
        case .int96:
            return .int96([Int96](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count { buffer[index] = Int96(values + index * 12) }
                initialized = count
            })
        case .fixedLenByteArray:
            let width = self.width ?? 0
            return .fixedLenByteArray(FixedLenByteArrayValues(width: width, bytes: copyArray(values, count: count * width, as: UInt8.self)))
        default:
            let offsetArray = count == 0 ? [0] : Array(UnsafeBufferPointer(start: offsets, count: count + 1))
            return .byteArray(ByteArrayValues(offsets: offsetArray, bytes: copyArray(values, count: byteCount, as: UInt8.self)))
        }
    }

    private func copyArray<T>(_ source: UnsafeRawPointer, count: Int, as _: T.Type) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * MemoryLayout<T>.stride)
            }
            initialized = count
        }
    }
}

/// Copies of fixed-width values, specialised for the common widths.
enum FixedWidthCopy {
    static func gather(from base: UnsafeRawPointer, width: Int, source: UnsafePointer<Int32>, count: Int,
                       into destination: UnsafeMutableRawPointer) {
        switch width {
        case 4: gather(base, source, count, destination, UInt32.self)
        case 8: gather(base, source, count, destination, UInt64.self)
        case 1: gather(base, source, count, destination, UInt8.self)
        default:
            for row in 0..<count {
                let slot = Int(source[row])
                let target = destination + row * width
                if slot < 0 {
                    target.initializeMemory(as: UInt8.self, repeating: 0, count: width)
                } else {
                    target.copyMemory(from: base + slot * width, byteCount: width)
                }
            }
        }
    }

    @inline(__always)
    private static func gather<T: FixedWidthInteger>(_ base: UnsafeRawPointer, _ source: UnsafePointer<Int32>, _ count: Int,
                                                     _ destination: UnsafeMutableRawPointer, _: T.Type) {
        let size = MemoryLayout<T>.size
        for row in 0..<count {
            let slot = Int(source[row])
            let value: T = slot < 0 ? 0 : base.loadUnaligned(fromByteOffset: slot * size, as: T.self)
            destination.storeBytes(of: value, toByteOffset: row * size, as: T.self)
        }
    }

    static func gatherDictionary(_ dictionary: UnsafeRawPointer, width: Int, indices: UnsafePointer<Int32>,
                                 source: UnsafePointer<Int32>?, count: Int, into destination: UnsafeMutableRawPointer) {
        switch width {
        case 4: gatherDictionary(dictionary, indices, source, count, destination, UInt32.self)
        case 8: gatherDictionary(dictionary, indices, source, count, destination, UInt64.self)
        case 1: gatherDictionary(dictionary, indices, source, count, destination, UInt8.self)
        default:
            for row in 0..<count {
                let slot = source.map { Int($0[row]) } ?? row
                let target = destination + row * width
                if slot < 0 {
                    target.initializeMemory(as: UInt8.self, repeating: 0, count: width)
                } else {
                    target.copyMemory(from: dictionary + Int(indices[slot]) * width, byteCount: width)
                }
            }
        }
    }

    @inline(__always)
    private static func gatherDictionary<T: FixedWidthInteger>(_ dictionary: UnsafeRawPointer, _ indices: UnsafePointer<Int32>,
                                                               _ source: UnsafePointer<Int32>?, _ count: Int,
                                                               _ destination: UnsafeMutableRawPointer, _: T.Type) {
        let size = MemoryLayout<T>.size
        if let source {
            for row in 0..<count {
                let slot = Int(source[row])
                let value: T = slot < 0 ? 0 : dictionary.loadUnaligned(fromByteOffset: Int(indices[slot]) * size, as: T.self)
                destination.storeBytes(of: value, toByteOffset: row * size, as: T.self)
            }
        } else {
            for row in 0..<count {
                let value = dictionary.loadUnaligned(fromByteOffset: Int(indices[row]) * size, as: T.self)
                destination.storeBytes(of: value, toByteOffset: row * size, as: T.self)
            }
        }
    }
}

/// Byte copies of short values without a `memcpy` call per value.
///
/// Every source and destination here is a `ScratchBuffer` (pages, chunk, dictionary, output),
/// which keeps `ScratchBuffer.slack` (16) readable and writable bytes after its capacity, so a
/// value of at most 16 bytes can be moved as two 8-byte words; the extra bytes written land
/// where the next value (or the slack) goes.
enum ByteCopy {
    @inline(__always)
    static func copy(_ destination: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
        if count <= 16 {
            let low = source.loadUnaligned(as: UInt64.self)
            let high = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            destination.storeBytes(of: low, as: UInt64.self)
            destination.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
        } else {
            destination.copyMemory(from: source, byteCount: count)
        }
    }
}
