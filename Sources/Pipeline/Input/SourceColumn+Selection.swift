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
        gathering([(positions, fields)])[0]
    }

    /// For each selection, its rows (`positions`, increasing) of the columns of its `fields` that
    /// the batch has: column by column, so that a column stays in the cache while every selection
    /// takes its rows (a shared scan's jobs each take some rows of every column).
    func gathering(_ selections: [(positions: [Int], fields: [SourceField])]) -> [SourceBatch] {
        // By field (`SourceField.rawValue`): no hashing per group of jobs and field.
        let fieldCount = SourceField.allCases.count
        var columns = selections.map { _ in [SourceColumn?](repeating: nil, count: fieldCount) }
        var seen = [Bool](repeating: false, count: fieldCount)
        for selection in selections {
            for field in selection.fields where !seen[field.rawValue] {
                seen[field.rawValue] = true
                guard let column = self[field] else { continue }
                for (index, other) in selections.enumerated() where other.fields.contains(field) {
                    columns[index][field.rawValue] = column.gathering(other.positions)
                }
            }
        }
        return zip(selections, columns).map { SourceBatch(rowCount: $0.positions.count, byField: $1) }
    }
}
