import Columns
import Parquet

extension SourceColumn {
    /// The values at `positions` (indices into this column, increasing), in that order.
    func gathering(_ positions: [Int]) -> SourceColumn {
        var words = [UInt64](repeating: 0, count: (positions.count + 63) / 64)
        var nulls = 0
        for (index, position) in positions.enumerated() {
            if isNull(position) { nulls += 1 } else { words[index >> 6] |= 1 << UInt64(index & 63) }
        }
        let validity = nulls == 0 ? nil : Validity(words: words, count: positions.count)
        switch storage {
        case let .text(values):
            var bytes: [UInt8] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(positions.count + 1)
            values.bytes.withUnsafeBufferPointer { source in
                for position in positions {
                    let range = values.range(at: position)
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[range]))
                    offsets.append(Int32(truncatingIfNeeded: bytes.count))
                }
            }
            return SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)), validity: validity)
        case let .days(values):
            return SourceColumn(storage: .days(positions.map { values[$0] }), validity: validity)
        case let .micros(values):
            return SourceColumn(storage: .micros(positions.map { values[$0] }), validity: validity)
        case let .integers(values):
            return SourceColumn(storage: .integers(positions.map { values[$0] }), validity: validity)
        case let .booleans(values):
            return SourceColumn(storage: .booleans(positions.map { values[$0] }), validity: validity)
        }
    }

    /// A column of `count` rows holding this column's values at `positions` (increasing) and
    /// nulls everywhere else.
    func scattering(to positions: [Int], count: Int) -> SourceColumn {
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
        switch storage {
        case let .text(values):
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
            return SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)), validity: validity)
        case let .days(values): return SourceColumn(storage: .days(spread(values, zero: 0)), validity: validity)
        case let .micros(values): return SourceColumn(storage: .micros(spread(values, zero: 0)), validity: validity)
        case let .integers(values): return SourceColumn(storage: .integers(spread(values, zero: 0)), validity: validity)
        case let .booleans(values): return SourceColumn(storage: .booleans(spread(values, zero: false)), validity: validity)
        }
    }
}

/// The positions, in `superset`, of the rows of `subset` (both increasing); nil when a row of
/// `subset` is not in `superset`.
func positions(of subset: [Int32], in superset: [Int32]) -> [Int]? {
    var result: [Int] = []
    result.reserveCapacity(subset.count)
    var index = 0
    for row in subset {
        while index < superset.count && superset[index] < row { index += 1 }
        guard index < superset.count, superset[index] == row else { return nil }
        result.append(index)
    }
    return result
}

extension SourceBatch {
    /// The rows at `positions` (increasing) of the columns of `fields` that the batch has.
    func gathering(_ positions: [Int], fields: [SourceField]) -> SourceBatch {
        var columns: [SourceField: SourceColumn] = [:]
        for field in fields {
            if let column = self[field] { columns[field] = column.gathering(positions) }
        }
        return SourceBatch(rowCount: positions.count, columns: columns)
    }
}
