extension ColumnData {
    /// Rows `rows` of the column, as a column of their own (bulk copies).
    public func slice(_ rows: Range<Int>) -> ColumnData {
        if rows == 0..<count { return self }
        let validity = validity.flatMap { $0.slice(rows) }
        let storage: ColumnStorage
        switch self.storage {
        case let .byteArray(values): storage = .byteArray(values.slice(rows))
        case let .boolean(values): storage = .boolean(Array(values[rows]))
        case let .int32(values): storage = .int32(Array(values[rows]))
        case let .int64(values): storage = .int64(Array(values[rows]))
        case let .int96(values): storage = .int96(Array(values[rows]))
        case let .float(values): storage = .float(Array(values[rows]))
        case let .double(values): storage = .double(Array(values[rows]))
        case let .fixedLenByteArray(values):
            storage = .fixedLenByteArray(FixedLenByteArrayValues(
                width: values.width, bytes: Array(values.bytes[(rows.lowerBound * values.width)..<(rows.upperBound * values.width)])))
        }
        return ColumnData(count: rows.count, validity: validity, storage: storage)
    }

    /// The rows whose `keep` flag is true, in order.
    public func selecting(_ keep: [Bool]) -> ColumnData {
        var positions: [Int] = []
        positions.reserveCapacity(count)
        for row in 0..<count where keep[row] { positions.append(row) }
        return gathering(positions)
    }

    /// `values[positions[i]]` for each `i`, read through unchecked buffers.
    private static func gather<Value>(_ values: [Value], _ positions: [Int]) -> [Value] {
        values.withUnsafeBufferPointer { source in
            [Value](unsafeUninitializedCapacity: positions.count) { buffer, initialized in
                for (index, position) in positions.enumerated() {
                    (buffer.baseAddress! + index).initialize(to: source[position])
                }
                initialized = positions.count
            }
        }
    }

    /// The values at `positions` (indices into this column), in that order.
    public func gathering(_ positions: [Int]) -> ColumnData {
        let validity: Validity?
        if let old = self.validity {
            var words = [UInt64](repeating: 0, count: (positions.count + 63) / 64)
            old.words.withUnsafeBufferPointer { source in
                words.withUnsafeMutableBufferPointer { Validity.gatherBits(source, positions, into: $0.baseAddress!) }
            }
            let gathered = Validity(words: words, count: positions.count)
            validity = gathered.nullCount == 0 ? nil : gathered
        } else {
            validity = nil
        }
        let storage: ColumnStorage
        switch self.storage {
        case let .byteArray(values): storage = .byteArray(values.gathering(positions))
        case let .boolean(values): storage = .boolean(Self.gather(values, positions))
        case let .int32(values): storage = .int32(Self.gather(values, positions))
        case let .int64(values): storage = .int64(Self.gather(values, positions))
        case let .int96(values): storage = .int96(Self.gather(values, positions))
        case let .float(values): storage = .float(Self.gather(values, positions))
        case let .double(values): storage = .double(Self.gather(values, positions))
        case let .fixedLenByteArray(values):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(positions.count * values.width)
            for position in positions { bytes.append(contentsOf: values[position]) }
            storage = .fixedLenByteArray(FixedLenByteArrayValues(width: values.width, bytes: bytes))
        }
        return ColumnData(count: positions.count, validity: validity, storage: storage)
    }

    /// The rows of `parts` one after the other; nil when `parts` is empty or their storages
    /// differ.
    public static func concatenating(_ parts: [ColumnData]) -> ColumnData? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        let count = parts.reduce(0) { $0 + $1.count }
        var validity: Validity?
        if parts.contains(where: { $0.validity != nil }) {
            // Each part's flags copied 64 at a time to their place (a part without nulls: all set).
            var words = [UInt64](repeating: 0, count: (count + 63) / 64)
            words.withUnsafeMutableBufferPointer { words in
                var base = 0
                for part in parts {
                    if let validity = part.validity {
                        validity.words.withUnsafeBufferPointer {
                            Validity.appendBits($0.baseAddress, count: part.count, to: words.baseAddress!, at: base)
                        }
                    } else {
                        Validity.appendBits(nil, count: part.count, to: words.baseAddress!, at: base)
                    }
                    base += part.count
                }
            }
            validity = Validity(words: words, count: count)
        }
        func joined<Value>(_ extract: (ColumnStorage) -> [Value]?) -> [Value]? {
            var result: [Value] = []
            result.reserveCapacity(count)
            for part in parts {
                guard let values = extract(part.storage) else { return nil }
                result.append(contentsOf: values)
            }
            return result
        }
        let storage: ColumnStorage?
        switch first.storage {
        case .byteArray:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var bytes: [UInt8] = []
            var failed = false
            for part in parts {
                guard case let .byteArray(values) = part.storage else {
                    failed = true
                    break
                }
                let shift = Int32(truncatingIfNeeded: bytes.count) &- (values.offsets.first ?? 0)
                bytes.append(contentsOf: values.bytes[Int(values.offsets.first ?? 0)..<Int(values.offsets.last ?? 0)])
                for offset in values.offsets.dropFirst() { offsets.append(offset &+ shift) }
            }
            storage = failed ? nil : .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes))
        case .boolean: storage = joined { if case let .boolean(v) = $0 { v } else { nil } }.map(ColumnStorage.boolean)
        case .int32: storage = joined { if case let .int32(v) = $0 { v } else { nil } }.map(ColumnStorage.int32)
        case .int64: storage = joined { if case let .int64(v) = $0 { v } else { nil } }.map(ColumnStorage.int64)
        case .int96: storage = joined { if case let .int96(v) = $0 { v } else { nil } }.map(ColumnStorage.int96)
        case .float: storage = joined { if case let .float(v) = $0 { v } else { nil } }.map(ColumnStorage.float)
        case .double: storage = joined { if case let .double(v) = $0 { v } else { nil } }.map(ColumnStorage.double)
        case let .fixedLenByteArray(firstValues):
            var bytes: [UInt8] = []
            var failed = false
            for part in parts {
                guard case let .fixedLenByteArray(values) = part.storage, values.width == firstValues.width else {
                    failed = true
                    break
                }
                bytes.append(contentsOf: values.bytes)
            }
            storage = failed ? nil : .fixedLenByteArray(FixedLenByteArrayValues(width: firstValues.width, bytes: bytes))
        }
        guard let storage else { return nil }
        return ColumnData(count: count, validity: validity, storage: storage)
    }

    /// Bytes held by the values, offsets and validity (for memory accounting).
    public var byteSize: Int {
        let validityBytes = (validity?.words.count ?? 0) * 8
        switch storage {
        case let .byteArray(values): return values.bytes.count + values.offsets.count * 4 + validityBytes
        case let .boolean(values): return values.count + validityBytes
        case let .int32(values): return values.count * 4 + validityBytes
        case let .int64(values): return values.count * 8 + validityBytes
        case let .int96(values): return values.count * 12 + validityBytes
        case let .float(values): return values.count * 4 + validityBytes
        case let .double(values): return values.count * 8 + validityBytes
        case let .fixedLenByteArray(values): return values.bytes.count + validityBytes
        }
    }
}

extension ByteArrayValues {
    /// Values `rows`, with offsets starting at 0.
    public func slice(_ rows: Range<Int>) -> ByteArrayValues {
        let start = Int(offsets[rows.lowerBound])
        let end = Int(offsets[rows.upperBound])
        let shift = Int32(truncatingIfNeeded: start)
        var sliced: [Int32] = []
        sliced.reserveCapacity(rows.count + 1)
        for index in rows.lowerBound...rows.upperBound { sliced.append(offsets[index] &- shift) }
        return ByteArrayValues(offsets: sliced, bytes: Array(bytes[start..<end]))
    }

    /// The values at `positions`, in that order: the offsets first, then each value's bytes
    /// copied once into a buffer of the right size.
    public func gathering(_ positions: [Int]) -> ByteArrayValues {
        var newOffsets = [Int32](repeating: 0, count: positions.count + 1)
        var total = 0
        offsets.withUnsafeBufferPointer { offsets in
            for position in positions { total += Int(offsets[position + 1] &- offsets[position]) }
        }
        let gathered = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            newOffsets.withUnsafeMutableBufferPointer { newOffsets in
                _ = gather(positions, offsets: newOffsets.baseAddress!, bytes: UnsafeMutableRawPointer(buffer.baseAddress!))
            }
            initialized = total
        }
        return ByteArrayValues(offsets: newOffsets, bytes: gathered)
    }

    /// Writes the values at `positions`, none longer than 255 bytes: their lengths at `lengths`,
    /// one byte each, and their bytes at `bytes` (room for all of them); returns the length of the
    /// bytes.
    public func gatherShort(_ positions: [Int], lengths target: UnsafeMutablePointer<UInt8>, bytes out: UnsafeMutableRawPointer) -> Int {
        gatherBytes(positions, into: out) { index, length, _ in target[index] = UInt8(truncatingIfNeeded: length) }
    }

    /// Writes the values at `positions`: their `positions.count + 1` offsets from 0 at `offsets`,
    /// and their bytes at `bytes` (room for all of them); returns the length of the bytes.
    public func gather(_ positions: [Int], offsets target: UnsafeMutablePointer<Int32>, bytes out: UnsafeMutableRawPointer) -> Int {
        target[0] = 0
        return gatherBytes(positions, into: out) { index, _, end in target[index + 1] = Int32(truncatingIfNeeded: end) }
    }

    /// Copies the bytes of the values at `positions` one after the other to `out`, calling `each`
    /// with each value's index in `positions`, its length and where its bytes end; returns the
    /// length of the bytes.
    @inline(__always)
    private func gatherBytes(_ positions: [Int], into out: UnsafeMutableRawPointer, _ each: (Int, Int, Int) -> Void) -> Int {
        var written = 0
        bytes.withUnsafeBufferPointer { source in
            offsets.withUnsafeBufferPointer { offsets in
                for (index, position) in positions.enumerated() {
                    let start = Int(offsets[position])
                    let length = Int(offsets[position + 1]) - start
                    if length > 0 {
                        copyBytes(from: source.baseAddress! + start, count: length, to: out + written)
                        written += length
                    }
                    each(index, length, written)
                }
            }
        }
        return written
    }
}

extension Validity {
    /// Writes the flags of the rows at `positions` (bits of `source`) as the first
    /// `positions.count` bits of `target`, whose words are zero.
    public static func gatherBits(_ source: UnsafeBufferPointer<UInt64>, _ positions: [Int], into target: UnsafeMutablePointer<UInt64>) {
        for (index, position) in positions.enumerated() {
            let bit = source[position >> 6] >> UInt64(position & 63) & 1
            target[index >> 6] |= bit << UInt64(index & 63)
        }
    }

    /// Sets the `count` flags of `bits` (nil: all set) in `words` from bit `base` on, 64 at a
    /// time; the bits from `base` on are zero.
    public static func appendBits(_ bits: UnsafePointer<UInt64>?, count: Int, to words: UnsafeMutablePointer<UInt64>, at base: Int) {
        var copied = 0
        while copied < count {
            let taken = Swift.min(64, count - copied)
            var word = bits.map { $0[copied >> 6] } ?? ~0
            if taken < 64 { word &= (1 << UInt64(taken)) - 1 }
            let position = base + copied
            let shift = position & 63
            words[position >> 6] |= word << UInt64(shift)
            if shift > 0 && shift + taken > 64 { words[(position >> 6) + 1] |= word >> UInt64(64 - shift) }
            copied += taken
        }
    }

    /// The flags of rows `rows`; nil when none of them is null.
    public func slice(_ rows: Range<Int>) -> Validity? {
        var words = [UInt64](repeating: 0, count: (rows.count + 63) / 64)
        for (index, row) in rows.enumerated() where isValid(row) {
            words[index >> 6] |= 1 << UInt64(index & 63)
        }
        let sliced = Validity(words: words, count: rows.count)
        return sliced.nullCount == 0 ? nil : sliced
    }
}

extension ColumnData {
    /// A column of `count` rows holding this column's values at `positions` (increasing indices
    /// into the new column) and nulls everywhere else.
    public func scattering(to positions: [Int], count: Int) -> ColumnData {
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for (index, position) in positions.enumerated() where !isNull(index) {
            words[position >> 6] |= 1 << UInt64(position & 63)
        }
        let validity = Validity(words: words, count: count)
        func spread<Value>(_ values: [Value], zero: Value) -> [Value] {
            var result = [Value](repeating: zero, count: count)
            for (index, position) in positions.enumerated() { result[position] = values[index] }
            return result
        }
        let storage: ColumnStorage
        switch self.storage {
        case let .byteArray(values):
            var bytes: [UInt8] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var next = 0
            for row in 0..<count {
                if next < positions.count && positions[next] == row {
                    bytes.append(contentsOf: values[next])
                    next += 1
                }
                offsets.append(Int32(truncatingIfNeeded: bytes.count))
            }
            storage = .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes))
        case let .boolean(values): storage = .boolean(spread(values, zero: false))
        case let .int32(values): storage = .int32(spread(values, zero: 0))
        case let .int64(values): storage = .int64(spread(values, zero: 0))
        case let .int96(values): storage = .int96(spread(values, zero: Int96(nanosecondsOfDay: 0, julianDay: 0)))
        case let .float(values): storage = .float(spread(values, zero: 0))
        case let .double(values): storage = .double(spread(values, zero: 0))
        case let .fixedLenByteArray(values):
            var bytes = [UInt8](repeating: 0, count: count * values.width)
            for (index, position) in positions.enumerated() {
                bytes.replaceSubrange((position * values.width)..<((position + 1) * values.width), with: values[index])
            }
            storage = .fixedLenByteArray(FixedLenByteArrayValues(width: values.width, bytes: bytes))
        }
        return ColumnData(count: count, validity: validity, storage: storage)
    }
}
