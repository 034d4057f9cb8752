/// The language of a label. INSEE's tables are French; English is given where a table has it
/// (see `Data/README.md`) and French stands in elsewhere.
public enum LabelLanguage: String, Sendable, CaseIterable {
    case fr
    case en
}

/// The tab-separated tables in `Data/`: a header line naming the columns, then one line per entry.
/// They are compiled into the binary, so a malformed one is a build mistake the tests catch.
public enum TSVTable {
    /// The lines of `text` after the header, split into fields; fails when the header is not
    /// `columns` or a line does not have as many fields. Read as bytes (tabs and line feeds are
    /// single bytes in UTF-8): the tables are read when a run starts.
    public static func rows(_ text: String, columns: [String]) throws(TSVTableError) -> [[String]] {
        var text = text
        let header = columns.joined(separator: "\t")
        let parsed = text.withUTF8 { bytes -> Result<[[String]], TSVTableError> in
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).makeIterator()
            guard let first = lines.next(), first.elementsEqual(header.utf8) else {
                return .failure(TSVTableError(line: 1, message: "expected the header \(columns.joined(separator: ", "))"))
            }
            var rows: [[String]] = []
            var number = 1
            while let line = lines.next() {
                number += 1
                let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }
                guard fields.count == columns.count else {
                    return .failure(TSVTableError(line: number, message: "expected \(columns.count) fields, found \(fields.count)"))
                }
                rows.append(fields)
            }
            return .success(rows)
        }
        return try parsed.get()
    }

    /// The embedded table `name` of this target, parsed; stops the program on a malformed table
    /// (it is compiled in: a build mistake, caught by the tests).
    static func embedded(_ name: String, columns: [String]) -> [[String]] {
        guard let text = EmbeddedFiles.all[name] else { fatalError("\(name) is not compiled in") }
        do {
            return try rows(text, columns: columns)
        } catch {
            fatalError("\(name): \(error)")
        }
    }
}

/// A mistake in a table file: the line and what is wrong.
public struct TSVTableError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "line \(line): \(message)" }
}
