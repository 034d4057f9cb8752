/// The columns of a run's batches, in output order: those of each step of the plan, in the
/// order the steps add them. Built once per run; batches share it.
public final class BatchSchema: Sendable {
    public let columns: [ColumnSpec]
    private let indexByName: [String: Int]

    public init(_ columns: [ColumnSpec]) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil { index[column.name] = position }
        indexByName = index
    }

    public func index(of name: String) -> Int? { indexByName[name] }

    public subscript(name: String) -> ColumnSpec? { index(of: name).map { columns[$0] } }

    /// The indices of the columns the datasets hold (all but internal ones), in order.
    public var exportedIndices: [Int] { columns.indices.filter { !columns[$0].isInternal } }

    public var exported: [ColumnSpec] { columns.filter { !$0.isInternal } }
}
