import Columns
import Parquet

/// Reads a SIRENE stock in Parquet, one row group at a time, filter columns first:
///
/// 1. Row-group statistics of the NAF column: a row group whose bounds cannot hold a matching
///    code is skipped unread.
/// 2. The NAF column as dictionary + indices: the predicate runs once per dictionary entry and
///    is mapped through the indices (a plain-encoded chunk is tested row by row). A row group
///    without a matching entry stops here.
/// 3. The other filters in `ScanStage` order (nomenclature, state, regions, headcount, creation
///    date, head office, diffusion): a stage whose column statistics rule the row group out
///    removes every candidate left; otherwise its columns are decoded for those candidates only.
///    What each stage removed is counted (`StageCounts`).
/// 4. The fields the run's steps read, decoded only for the matching rows (pages without one are
///    not even decompressed).
///
/// The scanner is immutable and `Sendable`: workers scan different row groups at the same time,
/// each with its own `DecodingContext`.
public final class ParquetStockScanner: Sendable {
    public let reader: ParquetFileReader
    public let columns: InputColumns
    public let filter: NicheFilter
    /// The leaf index of each `SourceField` in the file, nil when absent.
    private let leafIndex: [Int?]
    /// The fields read for the run's steps, present in the file.
    public let outputFields: [SourceField]
    /// When the file is an input cache: the stock it was made from, which messages name.
    public let cachedStock: String?
    /// The rows each row group keeps, when a pass over the filter columns found them already (the
    /// SIREN pass of a join): `collect` then reads the output fields of those rows without
    /// filtering again (`collect`, and `extract` for a shared scan). Row positions (4 bytes per
    /// kept row) and, with `recordsRemovals`, the removed rows' distinct NAF codes and their counts;
    /// never decoded columns.
    let presetSelections: [Int: Selection]
    /// Whether `extract` also gives the NAF codes of the rows each stage after NAF removed
    /// (`ExtractedRows.removedCodes`).
    let recordsRemovals: Bool

    public convenience init(reader: ParquetFileReader, columns: InputColumns, filter: NicheFilter, fields: [SourceField],
                            cachedStock: String? = nil) {
        self.init(reader: reader, columns: columns, filter: filter, fields: fields, cachedStock: cachedStock, presets: [:])
    }

    init(reader: ParquetFileReader, columns: InputColumns, filter: NicheFilter, fields: [SourceField],
         cachedStock: String?, presets: [Int: Selection], recordsRemovals: Bool = false) {
        self.reader = reader
        self.columns = columns
        self.filter = filter
        self.cachedStock = cachedStock
        self.recordsRemovals = recordsRemovals
        presetSelections = presets
        leafIndex = SourceField.allCases.map { field in columns.index(of: field) }
        outputFields = fields.filter { columns.has($0) }
    }

    /// Fails unless every column a filter reads holds text: the filters compare bytes, so a
    /// number in their place (`etatAdministratifEtablissement` as INT64) would match no row.
    public func checkFilterColumnTypes() throws(RunFailure) {
        for field in filter.filterFields {
            guard let name = columns.name(of: field),
                  let column = reader.schema.columns.first(where: { $0.name == name && !$0.isNested }) else { continue }
            guard column.physicalType != .byteArray else { continue }
            let use: String
            switch field {
            case .nomenclature: use = "the NAF nomenclature check"
            case .etatAdministratif: use = "filters.active_only"
            case .codePostal, .codeCommune: use = "filters.regions"
            case .trancheEffectifs: use = "filters.effectif_min/effectif_max"
            case .statutDiffusion: use = "filters.diffusible_only"
            case .dateCreation where column.physicalType == .int32: continue
            case .dateCreation: use = "filters.created_after/created_before"
            case .siege where column.physicalType == .boolean: continue
            case .siege: use = "filters.siege_only"
            default: use = "filters.naf_include"
            }
            throw RunFailure(.run, "\(reader.path): column '\(name)' holds \(column.physicalType) values, but \(use) "
                + "compares it as text (a string column is expected)")
        }
    }

    /// Every leaf column the run decodes (filters and output), without repeats.
    public var columnsRead: [String] {
        var names: [String] = []
        for field in filter.filterFields + outputFields {
            if let name = columns.name(of: field), !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Bytes one row group needs at most while decoded: compressed chunk, pages and values of
    /// the columns read (from the footer's sizes), for the memory check before the run.
    public func estimatedBytes(rowGroup: Int) -> Int {
        var total = 0
        var seen = Set<Int>()
        for field in filter.filterFields + outputFields {
            guard let leaf = leafIndex[field.rawValue], seen.insert(leaf).inserted,
                  let meta = try? reader.chunkMetadata(rowGroup: rowGroup, column: leaf) else { continue }
            let (sum, overflow) = meta.totalCompressedSize.addingReportingOverflow(meta.totalUncompressedSize)
            total = total.addingReportingOverflow(overflow ? Int.max / 4 : Int(clamping: sum)).partialValue
        }
        return total
    }

    // MARK: One row group

    /// The same scanner, told the rows each row group keeps (`presetSelections`).
    func withPresets(_ presets: [Int: Selection]) -> ParquetStockScanner {
        ParquetStockScanner(reader: reader, columns: columns, filter: filter, fields: outputFields, cachedStock: cachedStock,
                            presets: presets, recordsRemovals: recordsRemovals)
    }

    /// The matching rows of one row group, with the fields the run's steps read.
    func collect(rowGroup: Int, context: DecodingContext) throws -> CollectedRows {
        var result = CollectedRows()
        let started = Stopwatch.now()
        let selected = try presetSelections[rowGroup] ?? select(rowGroup: rowGroup, context: context)
        result.rowsInBatch = selected.rowsInBatch
        result.skipped = selected.skipped
        result.removed = selected.removed
        if !selected.rows.isEmpty {
            let batch = try read(outputFields, of: selected, rowGroup: rowGroup, context: context, dateDebutWhereNeeded: true)
            try checkUTF8(batch, rows: selected.rows, rowGroup: rowGroup)
            result.rows = batch
        }
        result.seconds = Stopwatch.now() - started
        return result
    }

    /// The SIRENs of the matching rows of one row group, and the selection without its decoded
    /// columns (for `withPresets`).
    func sirens(rowGroup: Int, context: DecodingContext) throws -> (sirens: SourceColumn?, selection: Selection) {
        var selected = try select(rowGroup: rowGroup, context: context)
        var column: SourceColumn?
        if !selected.rows.isEmpty {
            column = try read([.siren], of: selected, rowGroup: rowGroup, context: context, dateDebutWhereNeeded: false)[.siren]
        }
        if recordsRemovals { selected.removedCodes = removedCodes(of: selected) }
        // Kept for the scan (`withPresets`): the rows and the removed codes' tallies, not the
        // decoded columns or the removed rows.
        selected.filterReads = [:]
        selected.removedRows = []
        return (column, selected)
    }

    /// The matching rows of one row group with `fields` (all of them, `dateDebut` included),
    /// unstandardised and unchecked (bytes as they are): what an input cache keeps.
    func extract(_ fields: [SourceField], rowGroup: Int, context: DecodingContext) throws -> ExtractedRows {
        let selected = try presetSelections[rowGroup] ?? select(rowGroup: rowGroup, context: context)
        let removedCodes = selected.removedCodes ?? removedCodes(of: selected)
        guard !selected.rows.isEmpty else {
            return ExtractedRows(rowsInBatch: selected.rowsInBatch, skipped: selected.skipped, removed: selected.removed,
                                 removedCodes: removedCodes)
        }
        let path = reader.path, rows = selected.rows
        return ExtractedRows(rowsInBatch: selected.rowsInBatch, skipped: selected.skipped, removed: selected.removed,
                             rows: try read(fields, of: selected, rowGroup: rowGroup, context: context, dateDebutWhereNeeded: false),
                             place: { "\(path): row group \(rowGroup), row \(rows[$0])" }, removedCodes: removedCodes)
    }

    /// With `recordsRemovals`: the NAF codes of the rows each stage after NAF removed, in stage
    /// order, from the codes `selected` decoded.
    private func removedCodes(of selected: Selection) -> [RemovedCodes] {
        guard let read = selected.filterReads[filter.nafField] else { return [] }
        return selected.removedRows.compactMap { stage, removed in
            positions(of: removed, in: read.rows).map { RemovedCodes(stage: stage, column: read.column.gathering($0)) }
        }
    }

    /// The rows of a row group that pass the filters, and the filter columns decoded on the way.
    struct Selection: Sendable {
        var rowsInBatch = 0
        var skipped = false
        var rows: [Int32] = []
        var filterReads: [SourceField: FilterRead] = [:]
        /// What each stage removed.
        var removed = StageCounts()
        /// With `recordsRemovals`: the rows each stage after NAF removed, in stage order.
        var removedRows: [(stage: ScanStage, rows: [Int32])] = []
        /// Their NAF codes, kept when the decoded columns are dropped (`sirens`).
        var removedCodes: [RemovedCodes]?
    }

    func select(rowGroup: Int, context: DecodingContext) throws -> Selection {
        var result = Selection()
        result.rowsInBatch = try reader.rowCount(rowGroup: rowGroup)
        guard result.rowsInBatch > 0 else {
            result.skipped = true
            return result
        }
        guard try !nafStatisticsExclude(rowGroup: rowGroup) else {
            result.skipped = true
            result.removed[.naf] = result.rowsInBatch
            return result
        }
        // Filter columns are decoded once: what they read for the candidates is reused for the
        // output rows.
        let candidates = try nafCandidates(rowGroup: rowGroup, context: context)
        var selection = candidates.rows
        result.filterReads[filter.nafField] = candidates
        if filter.requiresRev2Nomenclature {
            selection = try refine(selection, .naf, fields: [.nomenclature], rowGroup: rowGroup, context: context,
                                   reads: &result.filterReads) { views, row in
                views[SourceField.nomenclature.rawValue]?.withText(row, NicheFilter.isRev2Nomenclature) ?? false
            }
        }
        result.removed[.naf] = result.rowsInBatch - selection.count
        for stage in filter.stages.dropFirst() {
            guard !selection.isEmpty else { break }
            if try statisticsExclude(stage, rowGroup: rowGroup) {
                result.removed[stage] = selection.count
                if recordsRemovals { result.removedRows.append((stage, selection)) }
                selection = []
                break
            }
            let fields: [SourceField] = stage == .regions
                ? [.codePostal] + (filter.regions.usesDepartements ? [.codeCommune] : []) : stage.field.map { [$0] } ?? []
            let before = selection
            selection = try refine(selection, stage, fields: fields, rowGroup: rowGroup, context: context,
                                   reads: &result.filterReads) { [filter] views, row in filter.passes(stage, views, row) }
            result.removed[stage] = before.count - selection.count
            if recordsRemovals, before.count != selection.count {
                result.removedRows.append((stage, Self.rows(of: before, notIn: selection)))
            }
        }
        if candidates.rows.isEmpty { result.skipped = true }
        result.rows = selection
        return result
    }

    /// The rows of `all` (increasing) missing from `kept` (an increasing subset of it).
    static func rows(of all: [Int32], notIn kept: [Int32]) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(all.count - kept.count)
        var index = 0
        for row in all {
            if index < kept.count && kept[index] == row {
                index += 1
            } else {
                result.append(row)
            }
        }
        return result
    }

    /// Decodes `fields` for the selected rows, reusing what the filters decoded. With
    /// `dateDebutWhereNeeded`, `dateDebut` is decoded only where the standardiser uses it.
    private func read(_ fields: [SourceField], of selected: Selection, rowGroup: Int, context: DecodingContext,
                      dateDebutWhereNeeded: Bool) throws -> SourceBatch {
        let selection = selected.rows
        let rows = try RowSelection(rows: selection)
        var columns: [SourceField: SourceColumn] = [:]
        for field in fields where !(dateDebutWhereNeeded && field == .dateDebut) {
            if let read = selected.filterReads[field], let positions = positions(of: selection, in: read.rows) {
                columns[field] = read.column.gathering(positions)
                continue
            }
            guard let leaf = leafIndex[field.rawValue] else { continue }
            let values = try reader.readColumn(rowGroup: rowGroup, column: leaf, selection: rows, context: context)
            columns[field] = try sourceColumn(values, field: field)
        }
        if dateDebutWhereNeeded && fields.contains(.dateDebut) {
            columns[.dateDebut] = try readDateDebut(selection, lastProcessing: columns[.dateDernierTraitement],
                                                    rowGroup: rowGroup, context: context)
        }
        return SourceBatch(rowCount: selection.count, columns: columns)
    }

    /// The datasets' text must be UTF-8; a BYTE_ARRAY column without the STRING annotation may
    /// hold anything. Only the kept rows and fields are checked, ASCII columns at a glance. In
    /// an input cache the stock's row is unknown: the message names the stock and the cache.
    private func checkUTF8(_ batch: SourceBatch, rows: [Int32], rowGroup: Int) throws(RunFailure) {
        guard let invalid = KeptTextCheck.firstInvalid(in: batch, fields: outputFields) else { return }
        let column = columns.name(of: invalid.field) ?? "?"
        if let cachedStock {
            throw KeptTextCheck.failure(place: cachedStock, column: column, shown: invalid.shown,
                                        remarks: ["the row came through the input cache \(reader.path)"])
        }
        let row = invalid.row < rows.count ? Int(rows[invalid.row]) : invalid.row
        throw KeptTextCheck.failure(place: "\(reader.path): row group \(rowGroup), row \(row)", column: column, shown: invalid.shown)
    }

    /// The rows a filter column was decoded for, and their values.
    struct FilterRead {
        let rows: [Int32]
        let column: SourceColumn
    }

    /// `dateDebut` only serves freshness when `dateDernierTraitementEtablissement` is null: it
    /// is decoded for those rows only (usually none, so not at all).
    private func readDateDebut(_ selection: [Int32], lastProcessing: SourceColumn?, rowGroup: Int,
                               context: DecodingContext) throws -> SourceColumn? {
        guard let leaf = leafIndex[SourceField.dateDebut.rawValue] else { return nil }
        let missing = (0..<selection.count).filter { lastProcessing?.isNull($0) ?? true }
        guard !missing.isEmpty else { return nil }
        let rows = try RowSelection(rows: missing.map { selection[$0] })
        let values = try sourceColumn(reader.readColumn(rowGroup: rowGroup, column: leaf, selection: rows, context: context),
                                      field: .dateDebut)
        return values.scattering(to: missing, count: selection.count)
    }

    /// Whether the statistics of the NAF column prove that no row of the row group can match.
    private func nafStatisticsExclude(rowGroup: Int) throws -> Bool {
        guard columns.layout == .stockEtablissement else { return false }
        let rowCount = Int64(try reader.rowCount(rowGroup: rowGroup))
        if let leaf = leafIndex[filter.nafField.rawValue], let stats = try reader.statistics(rowGroup: rowGroup, column: leaf) {
            if stats.nullCount == rowCount { return true }
            if case let .bytes(minimum)? = stats.min, case let .bytes(maximum)? = stats.max,
               !filter.naf.mayMatch(minimum: minimum, maximum: maximum) {
                return true
            }
        }
        return false
    }

    /// Whether the statistics of a later stage's column prove that no row of the row group
    /// passes it (a null never passes any of them).
    private func statisticsExclude(_ stage: ScanStage, rowGroup: Int) throws -> Bool {
        guard columns.layout == .stockEtablissement, let field = stage.field, let leaf = leafIndex[field.rawValue],
              let stats = try reader.statistics(rowGroup: rowGroup, column: leaf) else { return false }
        if stats.nullCount == Int64(try reader.rowCount(rowGroup: rowGroup)) { return true }
        func outside(_ value: [UInt8], _ minimum: [UInt8], _ maximum: [UInt8]) -> Bool {
            maximum.lexicographicallyPrecedes(value) || value.lexicographicallyPrecedes(minimum)
        }
        switch (stage, stats.min, stats.max) {
        case let (.activeOnly, .bytes(minimum)?, .bytes(maximum)?):
            return outside(NicheFilter.active, minimum, maximum)
        case let (.diffusibleOnly, .bytes(minimum)?, .bytes(maximum)?):
            return outside(Self.diffusible, minimum, maximum)
        case let (.siegeOnly, _, .boolean(maximum)?):
            return !maximum
        case let (.created, .int32(minimum)?, .int32(maximum)?):
            guard case .date? = reader.schema.columns[leaf].logicalType else { return false }
            return !filter.scan.creationMayMatch(minimum: minimum, maximum: maximum)
        case let (.created, .bytes(minimum)?, .bytes(maximum)?):
            guard minimum.count >= 10, maximum.count >= 10,
                  let low = minimum.prefix(10).withUnsafeBytes({ DateCheck.parseISODate($0) }),
                  let high = maximum.prefix(10).withUnsafeBytes({ DateCheck.parseISODate($0) }) else { return false }
            return !filter.scan.creationMayMatch(minimum: low, maximum: high)
        default:
            return false
        }
    }

    private static let diffusible: [UInt8] = [UInt8(ascii: "O")]

    /// Rows whose NAF value matches, evaluated once per dictionary entry when the chunk is
    /// dictionary-encoded.
    private func nafCandidates(rowGroup: Int, context: DecodingContext) throws -> FilterRead {
        let none = FilterRead(rows: [], column: SourceColumn(storage: .text(ByteArrayValues(offsets: [0], bytes: [])), validity: nil))
        guard let leaf = leafIndex[filter.nafField.rawValue] else { return none }
        let matcher = filter.naf
        if let encoded = try reader.readDictionaryEncoded(rowGroup: rowGroup, column: leaf, context: context) {
            guard case let .byteArray(dictionary) = encoded.dictionary.storage else {
                throw typeError(encoded.dictionary.column, field: filter.nafField)
            }
            var entryMatches = [Bool](repeating: false, count: dictionary.count)
            var anyMatch = false
            for entry in 0..<dictionary.count where dictionary.withBytes(at: entry, { matcher.matches($0) }) {
                entryMatches[entry] = true
                anyMatch = true
            }
            guard anyMatch else { return none }
            var rows: [Int32] = []
            rows.reserveCapacity(encoded.count / 16)
            entryMatches.withUnsafeBufferPointer { matches in
                encoded.indices.withUnsafeBufferPointer { indices in
                    let entryCount = matches.count
                    if let validity = encoded.validity {
                        for row in 0..<indices.count where validity.isValid(row) {
                            let entry = Int(indices[row])
                            if entry >= 0 && entry < entryCount && matches[entry] { rows.append(Int32(truncatingIfNeeded: row)) }
                        }
                    } else {
                        for row in 0..<indices.count {
                            let entry = Int(indices[row])
                            if entry >= 0 && entry < entryCount && matches[entry] { rows.append(Int32(truncatingIfNeeded: row)) }
                        }
                    }
                }
            }
            // The candidates' values, from the dictionary.
            var bytes: [UInt8] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(rows.count + 1)
            for row in rows {
                bytes.append(contentsOf: dictionary[Int(encoded.indices[Int(row)])])
                offsets.append(Int32(truncatingIfNeeded: bytes.count))
            }
            return FilterRead(rows: rows, column: SourceColumn(storage: .text(ByteArrayValues(offsets: offsets, bytes: bytes)),
                                                             validity: nil))
        }
        let values = try reader.readColumn(rowGroup: rowGroup, column: leaf, context: context)
        guard case let .byteArray(plain) = values.storage else { throw typeError(values.column, field: filter.nafField) }
        var rows: [Int32] = []
        for row in 0..<values.count where !values.isNull(row) && plain.withBytes(at: row, { matcher.matches($0) }) {
            rows.append(Int32(truncatingIfNeeded: row))
        }
        let column = try sourceColumn(values, field: filter.nafField)
        return FilterRead(rows: rows, column: column.gathering(rows.map(Int.init)))
    }

    /// Keeps the rows of `selection` that pass `predicate`, given the views of `fields` (indexed
    /// by `SourceField`) decoded for them; the columns are kept in `reads` for the output.
    private func refine(_ selection: [Int32], _ stage: ScanStage, fields: [SourceField], rowGroup: Int,
                        context: DecodingContext, reads: inout [SourceField: FilterRead],
                        _ predicate: ([SourceColumnView?], Int) -> Bool) throws -> [Int32] {
        guard !selection.isEmpty else { return selection }
        let rows = try RowSelection(rows: selection)
        var columns: [SourceField: SourceColumn] = [:]
        for field in fields {
            guard let leaf = leafIndex[field.rawValue] else { continue }
            let column = try sourceColumn(reader.readColumn(rowGroup: rowGroup, column: leaf, selection: rows, context: context),
                                          field: field)
            reads[field] = FilterRead(rows: selection, column: column)
            columns[field] = column
        }
        var kept: [Int32] = []
        kept.reserveCapacity(selection.count)
        SourceBatch(rowCount: selection.count, columns: columns).withViews { views in
            for position in 0..<selection.count where predicate(views, position) { kept.append(selection[position]) }
        }
        return kept
    }

    // MARK: Values

    /// Wraps decoded values for the standardiser, converting time units; fails on types a
    /// SIRENE field cannot have.
    func sourceColumn(_ values: Parquet.ColumnValues, field: SourceField) throws -> SourceColumn {
        let validity = values.validity
        switch values.storage {
        case let .byteArray(bytes):
            return SourceColumn(storage: .text(bytes), validity: validity)
        case let .boolean(flags):
            return SourceColumn(storage: .booleans(flags), validity: validity)
        case let .int32(numbers):
            if case .date? = values.column.logicalType {
                return SourceColumn(storage: .days(numbers), validity: validity)
            }
            return SourceColumn(storage: .integers(numbers.map(Int64.init)), validity: validity)
        case let .int64(numbers):
            if case let .timestamp(_, unit)? = values.column.logicalType {
                return SourceColumn(storage: .micros(numbers.map { Self.micros($0, unit: unit) }), validity: validity)
            }
            return SourceColumn(storage: .integers(numbers), validity: validity)
        case let .int96(stamps):
            return SourceColumn(storage: .micros(stamps.map(\.microsecondsSinceEpoch)), validity: validity)
        case let .double(numbers) where field.readsFloatingPointAsText:
            return SourceColumn(storage: .text(Self.decimalTexts(numbers, validity)), validity: validity)
        case let .float(numbers) where field.readsFloatingPointAsText:
            return SourceColumn(storage: .text(Self.decimalTexts(numbers.map(Double.init), validity)), validity: validity)
        case .float, .double, .fixedLenByteArray:
            throw typeError(values.column, field: field)
        }
    }

    /// Numbers as the decimal text `dataset.csv` writes (`652469.8`), empty for nulls.
    private static func decimalTexts(_ numbers: [Double], _ validity: Validity?) -> ByteArrayValues {
        var offsets: [Int32] = [0]
        var bytes: [UInt8] = []
        offsets.reserveCapacity(numbers.count + 1)
        for (row, number) in numbers.enumerated() {
            if validity?.isValid(row) ?? true { bytes += CellText.number(number).utf8 }
            offsets.append(Int32(truncatingIfNeeded: bytes.count))
        }
        return ByteArrayValues(offsets: offsets, bytes: bytes)
    }

    private static func micros(_ value: Int64, unit: TimeUnit) -> Int64 {
        switch unit {
        case .milliseconds: return value.multipliedReportingOverflow(by: 1000).partialValue
        case .microseconds: return value
        case .nanoseconds: return value >= 0 ? value / 1000 : (value - 999) / 1000
        }
    }

    private func typeError(_ column: ColumnDescriptor, field: SourceField) -> Error {
        RunFailure(.run, "\(reader.path): column '\(column.name)' holds \(column.physicalType) values, "
            + "which cannot be read as \(field == .siege ? "a boolean" : "text or a date")")
    }
}

/// Runs `body` with the text of row `position` of `column`, or nil when there is no column.
@inline(__always)
func withOptionalText<R>(_ column: SourceColumnView?, _ position: Int, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let column else { return body(nil) }
    return column.withText(position, body)
}
