import CSV
import Basics
import Jobs
import Parquet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The format of an input file, decided by its content: Parquet when it starts or ends with the
/// `PAR1` magic (a truncated Parquet file is still reported as a broken Parquet file), CSV
/// otherwise. The extension is not consulted.
public enum InputFormat: String, Sendable {
    case parquet
    case csv

    public static func detect(path: String) throws(RunFailure) -> InputFormat {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RunFailure(.run, "cannot read input \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: 4096)
        var tail = [UInt8](repeating: 0, count: 4)
        let headCount = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4096, 0) }
        let size = lseek(descriptor, 0, SEEK_END)
        var tailCount = 0
        if size >= 8 { tailCount = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4, size - 4) } }
        let magic = Array("PAR1".utf8)
        if (headCount >= 4 && Array(head.prefix(4)) == magic) || (tailCount == 4 && tail == magic) { return .parquet }
        if headCount > 0, InputFileCheck.looksBinary(head.prefix(headCount)) {
            throw RunFailure(.run, "\(path): neither a Parquet file (no PAR1 magic) nor CSV text (its first bytes are binary)")
        }
        return .csv
    }
}

/// An opened input: its format, its columns matched to a layout, and the reader.
public struct StockInput: Sendable {
    public enum Reader: Sendable {
        case parquet(ParquetFileReader)
        case csv(CSVStockReaderBox)
    }

    public let path: String
    public let format: InputFormat
    public let columns: InputColumns
    public let reader: Reader
    public let byteSize: Int64

    /// Opens `path`; fails (exit 1) when it cannot be read, is corrupt, or has no SIRENE columns.
    public init(path: String, readerOptions: ReaderOptions = ReaderOptions()) throws(RunFailure) {
        self.path = path
        format = try InputFormat.detect(path: path)
        let names: [String]
        do {
            switch format {
            case .parquet:
                let parquet = try ParquetFileReader(path: path, options: readerOptions)
                reader = .parquet(parquet)
                names = parquet.schema.columns.filter { !$0.isNested }.map(\.name)
                byteSize = parquet.fileSize
            case .csv:
                let csv = try CSVReader(path: path)
                reader = .csv(CSVStockReaderBox(csv))
                names = csv.header.names
                var info = stat()
                byteSize = stat(path, &info) == 0 ? Int64(info.st_size) : 0
            }
        } catch let error as ParquetError {
            throw RunFailure(.run, "cannot read input: \(error)")
        } catch let error as CSVError {
            throw RunFailure(.run, "cannot read input: \(error)")
        } catch {
            throw RunFailure(.run, "cannot read input \(path): \(error)")
        }
        guard let layout = Self.layout(of: names) else {
            let shown = names.prefix(8).map(InputFileCheck.printable).joined(separator: ", ") + (names.count > 8 ? ", ..." : "")
            throw RunFailure(.run, "\(path): not a SIRENE stock: expected INSEE's StockEtablissement columns "
                + "(siren, siret, activitePrincipaleEtablissement, ...) or the simplified ones (siren, naf_code, ...), "
                + "found \(names.isEmpty ? "no columns" : shown)")
        }
        try Self.checkUniqueNames(names, layout: layout, path: path)
        columns = InputColumns(layout: layout, columnNames: names)
    }

    /// A column the run reads must appear once: with two, which one holds the data is a guess.
    static func checkUniqueNames(_ names: [String], layout: SireneLayout, path: String) throws(RunFailure) {
        for field in SourceField.allCases {
            guard let name = field.columnName(in: layout) else { continue }
            let positions = names.indices.filter { names[$0] == name }
            guard positions.count > 1 else { continue }
            throw RunFailure(.run, "\(path): column '\(name)' appears \(positions.count) times (columns "
                + positions.map { String($0 + 1) }.joined(separator: ", ") + "); keep one")
        }
    }

    /// The layout of a set of column names: the full match of `SireneLayout.detect`, else the
    /// layout most of whose columns are present (so that a stock missing its NAF column is
    /// reported as such, not as "unknown file").
    static func layout(of names: [String]) -> SireneLayout? {
        if let match = SireneLayout.detect(columnNames: names) { return match.layout }
        let present = Set(names)
        let stock = SireneSchema.stockEtablissement.filter { present.contains($0.name) }.count
        let simplified = SireneSchema.simplified.filter { present.contains($0.name) }.count
        if stock >= 3 && stock >= simplified { return .stockEtablissement }
        if simplified >= 3 { return .simplified }
        return nil
    }
}

/// A CSV reader handed between threads one at a time (the work pool serialises `next()`).
public final class CSVStockReaderBox: @unchecked Sendable {
    public let reader: CSVReader

    init(_ reader: CSVReader) {
        self.reader = reader
    }
}
