import Columns
import Parquet

extension SourceColumn {
    /// The values at `positions` (indices into this column, increasing), in that order.
    func gathering(_ positions: [Int]) -> SourceColumn {
        SourceColumn(kind: kind, data: data.gathering(positions))
    }

    /// A column of `count` rows holding this column's values at `positions` (increasing) and
    /// nulls everywhere else.
    func scattering(to positions: [Int], count: Int) -> SourceColumn {
        SourceColumn(kind: kind, data: data.scattering(to: positions, count: count))
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
