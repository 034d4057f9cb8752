/// Accumulates generated StockEtablissement rows column by column.
struct StockBatchBuilder {
    /// One slot per schema column; only the string columns' slots are used.
    private var strings: [StringColumn]
    var dateCreation: FixedWidthColumn<Int32>
    var anneeEffectifs: FixedWidthColumn<Int64>
    var dateDernierTraitement: FixedWidthColumn<Int64>
    var siege: FixedWidthColumn<Bool>
    var nombrePeriodes: FixedWidthColumn<Int64>
    var dateDebut: FixedWidthColumn<Int32>

    init(reservingCapacity rows: Int) {
        strings = StockColumn.allCases.map { column in
            column.column.type == .string ? StringColumn(reservingCapacity: rows, bytesPerValue: 8) : StringColumn()
        }
        dateCreation = FixedWidthColumn(reservingCapacity: rows)
        anneeEffectifs = FixedWidthColumn(reservingCapacity: rows)
        dateDernierTraitement = FixedWidthColumn(reservingCapacity: rows)
        siege = FixedWidthColumn(reservingCapacity: rows)
        nombrePeriodes = FixedWidthColumn(reservingCapacity: rows)
        dateDebut = FixedWidthColumn(reservingCapacity: rows)
    }

    mutating func append(_ column: StockColumn, _ value: [UInt8]?) {
        if let value {
            strings[column.rawValue].append(value)
        } else {
            strings[column.rawValue].appendNull()
        }
    }

    mutating func appendNull(_ column: StockColumn) {
        strings[column.rawValue].appendNull()
    }

    mutating func appendDigits(_ column: StockColumn, _ value: Int) {
        strings[column.rawValue].appendDigits(value)
        strings[column.rawValue].endValue()
    }

    mutating func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8]) {
        strings[column.rawValue].appendPart(first)
        strings[column.rawValue].appendPart(second)
        strings[column.rawValue].endValue()
    }

    mutating func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8], _ third: [UInt8]) {
        strings[column.rawValue].appendPart(first)
        strings[column.rawValue].appendPart(second)
        strings[column.rawValue].appendPart(third)
        strings[column.rawValue].endValue()
    }

    mutating func appendParts(_ column: StockColumn, _ first: [UInt8], _ second: [UInt8], _ third: [UInt8],
                              _ fourth: [UInt8], _ fifth: [UInt8]) {
        for part in [first, second, third, fourth, fifth] {
            strings[column.rawValue].appendPart(part)
        }
        strings[column.rawValue].endValue()
    }

    func finish() -> ColumnBatch {
        let columns: [ColumnValues] = StockColumn.allCases.map { column in
            switch column {
            case .dateCreation: return .date(dateCreation)
            case .anneeEffectifs: return .int64(anneeEffectifs)
            case .dateDernierTraitement: return .timestampMicros(dateDernierTraitement)
            case .etablissementSiege: return .boolean(siege)
            case .nombrePeriodes: return .int64(nombrePeriodes)
            case .dateDebut: return .date(dateDebut)
            default: return .string(strings[column.rawValue])
            }
        }
        return ColumnBatch(schema: SireneSchema.stockEtablissement, columns: columns)
    }
}
