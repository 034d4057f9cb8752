/// The column names of a CSV file, in file order, with lookup by name.
public struct CSVHeader: Sendable, Equatable {
    public let names: [String]
    private let indexByName: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        // The first of duplicated names wins, as in most CSV readers.
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    public var count: Int { names.count }

    public subscript(column: Int) -> String { names[column] }

    /// The index of the first column called exactly `name`.
    public func index(of name: String) -> Int? { indexByName[name] }

    public static func == (lhs: CSVHeader, rhs: CSVHeader) -> Bool { lhs.names == rhs.names }
}
