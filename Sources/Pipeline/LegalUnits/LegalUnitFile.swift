import Basics
import Columns
import Foundation
import CSV
import Parquet

/// INSEE's StockUniteLegale (Parquet or CSV, by content like the stock), read for a set of
/// SIRENs only: a semi-join. Parquet row groups whose SIREN statistics cannot hold one of them
/// are skipped unread; in the others (several at a time, one per core) the `siren` column is
/// decoded, and the other fields only for the matching rows. Memory: a row group per core, plus
/// the units found.
enum LegalUnitFile {
    /// The units of `sirens` in the file at `path`, sorted by SIREN (the first row of a SIREN
    /// when the file repeats one). `stop` is checked between row groups (interruptions).
    static func read(_ path: String, sirens: SirenSet, readerOptions: ReaderOptions = ReaderOptions(),
                     stop: @Sendable () throws(RunFailure) -> Void = {}) throws(RunFailure) -> UnitTable {
        let builder = ColumnsBuilder(kinds: UnitField.allCases.map(\.kind), reservingCapacity: sirens.count)
        var found: [UInt64] = []
        found.reserveCapacity(sirens.count)
        do {
            switch try InputFormat.detect(path: path) {
            case .parquet: try readParquet(path, sirens: sirens, readerOptions: readerOptions, into: builder, found: &found, stop: stop)
            case .csv: try readCSV(path, sirens: sirens, into: builder, found: &found, stop: stop)
            }
        } catch let error as RunFailure {
            throw error
        } catch {
            throw RunFailure(.run, "cannot read units \(path): \(error)")
        }
        guard !found.isEmpty else { return UnitTable(sirens: SirenSet([]), columns: []) }
        let columns: [ColumnData]
        do {
            columns = try builder.finish()
        } catch {
            throw RunFailure(.run, "units \(path): more than 2 GiB of text for one niche")
        }
        // Sorted by SIREN, first occurrence kept: a SIREN (under 2^30) and its position packed in
        // one key sort without a comparison closure.
        let order = found.indices.map { UInt64(found[$0]) << 32 | UInt64($0) }.sorted()
        var positions: [Int] = []
        positions.reserveCapacity(order.count)
        for key in order {
            let position = Int(key & 0xffff_ffff)
            if positions.last.map({ found[$0] != found[position] }) ?? true { positions.append(position) }
        }
        return UnitTable(sirens: SirenSet(positions.map { found[$0] }), columns: columns.map { $0.gathering(positions) })
    }

    /// The columns a unit file must have: `siren` and one of the fields that name a unit.
    static func checkColumns(_ names: [String], path: String) throws(RunFailure) {
        let present = Set(names)
        let naming = [UnitField.denomination, .nom, .categorieJuridique].map(\.name)
        guard present.contains("siren"), naming.contains(where: present.contains) else {
            let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", ..." : "")
            throw RunFailure(.run, "units \(path): not INSEE's StockUniteLegale: expected the columns siren, "
                + "denominationUniteLegale, nomUniteLegale, categorieJuridiqueUniteLegale, ..., found "
                + (names.isEmpty ? "no columns" : shown))
        }
    }

    // MARK: Parquet

    /// The units of one row group: the SIRENs found and, per field, the values of their rows.
    private struct GroupUnits: @unchecked Sendable {
        var numbers: [UInt64] = []
        var fields: [(data: ColumnData, logicalDate: Bool)?] = []
    }

    /// Row groups on up to `ProcessInfo.activeProcessorCount` threads (each its own decoding
    /// context), merged in file order; `stop` is checked before each row group.
    private static func readParquet(_ path: String, sirens: SirenSet, readerOptions: ReaderOptions, into builder: ColumnsBuilder,
                                    found: inout [UInt64], stop: @Sendable () throws(RunFailure) -> Void) throws {
        let reader = try ParquetFileReader(path: path, options: readerOptions)
        let leaves = reader.schema.columns
        try checkColumns(leaves.filter { !$0.isNested }.map(\.name), path: path)
        let leafOf: [Int?] = UnitField.allCases.map { field in leaves.firstIndex { $0.name == field.name && !$0.isNested } }
        guard let sirenLeaf = leafOf[UnitField.siren.rawValue] else { return }
        var candidates: [Int] = []
        for group in 0..<reader.rowGroupCount {
            if let statistics = try reader.statistics(rowGroup: group, column: sirenLeaf),
               case let .bytes(minimum)? = statistics.min, case let .bytes(maximum)? = statistics.max,
               let low = minimum.withUnsafeBytes({ SirenSet.number($0) }), let high = maximum.withUnsafeBytes({ SirenSet.number($0) }),
               !sirens.intersects(minimum: low, maximum: high) {
                continue
            }
            candidates.append(group)
        }
        let groups = candidates
        let membership = sirens.membership()
        let results = GroupResults(count: groups.count)
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, groups.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let context = DecodingContext()
            while let index = results.next() {
                do {
                    try stop()
                    results.set(index, try readGroup(groups[index], reader: reader, sirenLeaf: sirenLeaf, leafOf: leafOf,
                                                     sirens: membership, path: path, context: context))
                } catch {
                    results.fail(error)
                }
            }
        }
        if let error = results.error { throw error }
        for units in results.all {
            guard let units, !units.numbers.isEmpty else { continue }
            for field in UnitField.allCases {
                if field == .siren {
                    for number in units.numbers { appendDecimal(number, width: 9, column: field.rawValue, to: builder) }
                } else if let values = units.fields[field.rawValue] {
                    try append(values.data, field: field, logicalDate: values.logicalDate, to: builder, path: path)
                } else {
                    for _ in units.numbers { builder.appendNull(field.rawValue) }
                }
            }
            found += units.numbers
        }
    }

    /// The units of `sirens` in one row group: its `siren` column decoded, the other fields for
    /// the matching rows only.
    private static func readGroup(_ group: Int, reader: ParquetFileReader, sirenLeaf: Int, leafOf: [Int?], sirens: SirenSet.Membership,
                                  path: String, context: DecodingContext) throws -> GroupUnits {
        let sirenValues = try reader.readColumn(rowGroup: group, column: sirenLeaf, context: context)
        guard case let .byteArray(values) = sirenValues.storage else {
            throw RunFailure(.run, "units \(path): column 'siren' holds \(sirenValues.column.physicalType) values, not text")
        }
        var rows: [Int32] = []
        var units = GroupUnits()
        sirens.matches(offsets: values.offsets, bytes: values.bytes, rows: &rows, numbers: &units.numbers)
        guard !rows.isEmpty else { return units }
        let selection = try RowSelection(rows: rows)
        for field in UnitField.allCases {
            guard field != .siren, let leaf = leafOf[field.rawValue] else {
                units.fields.append(nil)
                continue
            }
            let column = try reader.readColumn(rowGroup: group, column: leaf, selection: selection, context: context)
            let isDate = if case .date? = column.column.logicalType { true } else { false }
            units.fields.append((column.data, isDate))
        }
        return units
    }

    /// The row groups' results, filled by the threads, each taking the next row group when done
    /// with one (a thread slowed down by the machine takes fewer).
    private final class GroupResults: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [GroupUnits?]
        private var taken = 0
        private(set) var error: Error?

        init(count: Int) { results = Array(repeating: nil, count: count) }

        var all: [GroupUnits?] { lock.withLock { results } }

        /// The next row group to read, nil when all are taken or one failed.
        func next() -> Int? {
            lock.withLock {
                guard error == nil, taken < results.count else { return nil }
                taken += 1
                return taken - 1
            }
        }

        func set(_ index: Int, _ units: GroupUnits) { lock.withLock { results[index] = units } }
        func fail(_ failure: Error) { lock.withLock { if error == nil { error = failure } } }
    }

    /// Appends the values of one selected column to `field`'s column.
    private static func append(_ data: ColumnData, field: UnitField, logicalDate: Bool, to builder: ColumnsBuilder,
                               path: String) throws(RunFailure) {
        let index = field.rawValue
        switch (data.storage, field) {
        case let (.int32(days), .dateCreation) where logicalDate:
            for row in 0..<data.count { builder.appendInt32(index, data.isNull(row) ? nil : days[row]) }
        case let (.byteArray(values), .dateCreation):
            for row in 0..<data.count {
                builder.appendInt32(index, data.isNull(row) ? nil : values.withBytes(at: row) { DateCheck.parseISODate($0) })
            }
        case let (.int64(numbers), .categorieJuridique):
            for row in 0..<data.count {
                if data.isNull(row) || numbers[row] < 0 || numbers[row] > 9999 { builder.appendNull(index) } else {
                    appendDecimal(UInt64(numbers[row]), width: 4, column: index, to: builder)
                }
            }
        case let (.int32(numbers), .categorieJuridique):
            for row in 0..<data.count {
                if data.isNull(row) || numbers[row] < 0 || numbers[row] > 9999 { builder.appendNull(index) } else {
                    appendDecimal(UInt64(numbers[row]), width: 4, column: index, to: builder)
                }
            }
        case let (.byteArray(values), _):
            for row in 0..<data.count {
                if data.isNull(row) { builder.appendNull(index) } else { values.withBytes(at: row) { appendText($0, field: field, to: builder) } }
            }
        default:
            throw RunFailure(.run, "units \(path): column '\(field.name)' holds values of an unexpected type")
        }
    }

    /// A text value: empty and `[ND]` as nulls; a legal category as its 4 digits.
    @inline(__always)
    private static func appendText(_ bytes: UnsafeRawBufferPointer, field: UnitField, to builder: ColumnsBuilder) {
        let index = field.rawValue
        var trimmed = bytes
        while let first = trimmed.first, first == 0x20 { trimmed = UnsafeRawBufferPointer(rebasing: trimmed.dropFirst()) }
        while let last = trimmed.last, last == 0x20 { trimmed = UnsafeRawBufferPointer(rebasing: trimmed.dropLast()) }
        if SourceColumnView.readsAsNull(trimmed, maskable: true) { return builder.appendNull(index) }
        if field == .categorieJuridique {
            guard trimmed.count <= 4, trimmed.allSatisfy({ $0 &- 0x30 < 10 }) else { return builder.appendNull(index) }
            for _ in trimmed.count..<4 { builder.appendPart(index, "0") }
        }
        builder.appendText(index, trimmed)
    }

    /// `value` in decimal, zero-padded to `width` digits (a SIREN: 9, a legal category: 4), as
    /// the next value of `column`.
    private static func appendDecimal(_ value: UInt64, width: Int, column: Int, to builder: ColumnsBuilder) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let length = DecimalText.write(value, minimumWidth: width, into: raw)
            builder.appendText(column, UnsafeRawBufferPointer(rebasing: raw[0..<length]))
        }
    }

    // MARK: CSV

    private static func readCSV(_ path: String, sirens: SirenSet, into builder: ColumnsBuilder, found: inout [UInt64],
                                stop: () throws(RunFailure) -> Void) throws {
        let reader = try CSVReader(path: path)
        defer { reader.close() }
        let names = reader.header.names
        try checkColumns(names, path: path)
        let indexOf: [Int?] = UnitField.allCases.map { field in names.firstIndex(of: field.name) }
        guard let sirenIndex = indexOf[UnitField.siren.rawValue] else { return }
        let membership = sirens.membership()
        while let batch = try reader.nextBatch() {
            try stop()
            batch.withUnsafeFields { fields in
                for record in 0..<fields.recordCount {
                    guard let number = fields[record, sirenIndex].bytes.withUnsafeBytes({ SirenSet.number($0) }),
                          membership.contains(number) else { continue }
                    found.append(number)
                    for field in UnitField.allCases {
                        guard let column = indexOf[field.rawValue] else {
                            builder.appendNull(field.rawValue)
                            continue
                        }
                        let value = fields[record, column].bytes
                        if field == .dateCreation {
                            builder.appendInt32(field.rawValue, value.isEmpty ? nil : value.withUnsafeBytes { DateCheck.parseISODate($0) })
                        } else {
                            value.withUnsafeBytes { appendText($0, field: field, to: builder) }
                        }
                    }
                }
            }
        }
    }
}
