// Encoding of the footer structs and page headers into the Thrift compact protocol, the mirror
// of `FileMetaData+Thrift.swift`.
//
// Every field the IDL marks `required` is written, even where a reader would not miss it
// (parquet-java fails without DataPageHeader's level encodings, nanoparquet #98); optional
// fields are written when set. Fields go in increasing id order, as the protocol's delta
// headers expect.

extension FileMetaData {
    /// The footer as bytes, ready to be followed by its length and `PAR1`; with `encoded`, the
    /// row groups are those (and `rowGroups` is empty).
    func thriftEncoded(rowGroups encoded: EncodedRowGroups? = nil) -> [UInt8] {
        let groups = encoded ?? EncodedRowGroups(rowGroups)
        var writer = ThriftCompactWriter(capacity: 4096 + groups.byteCount)
        writer.writeStruct { w in
            w.field(1, i32: version)
            w.field(2, list: .struct, schema) { w, element in element.write(to: &w) }
            w.field(3, i64: numRows)
            w.fieldHeader(4, .list)
            w.writeListHeader(.struct, count: groups.count)
            w.writeEncoded(groups.bytes)
            if let keyValueMetadata {
                w.field(5, list: .struct, keyValueMetadata) { w, pair in pair.write(to: &w) }
            }
            if let createdBy { w.field(6, string: createdBy) }
            if let columnOrders {
                w.field(7, list: .struct, columnOrders) { w, order in order.write(to: &w) }
            }
        }
        return writer.bytes
    }
}

extension SchemaElement {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            if let type { w.field(1, i32: type.rawValue) }
            if let typeLength { w.field(2, i32: typeLength) }
            if let repetitionType { w.field(3, i32: repetitionType.rawValue) }
            w.field(4, string: name)
            if let numChildren { w.field(5, i32: numChildren) }
            if let convertedType { w.field(6, i32: convertedType.rawValue) }
            if let scale { w.field(7, i32: scale) }
            if let precision { w.field(8, i32: precision) }
            if let fieldID { w.field(9, i32: fieldID) }
            if let logicalType { w.field(10, struct: { w in logicalType.writeMember(to: &w) }) }
        }
    }
}

extension LogicalType {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in writeMember(to: &w) }
    }

    /// The union's member: the set one as a field whose struct holds the parameters.
    fileprivate func writeMember(to w: inout ThriftCompactWriter) {
        switch self {
        case .string: w.field(1, struct: { _ in })
        case .map: w.field(2, struct: { _ in })
        case .list: w.field(3, struct: { _ in })
        case .enum: w.field(4, struct: { _ in })
        case let .decimal(scale, precision):
            w.field(5, struct: { w in
                w.field(1, i32: scale)
                w.field(2, i32: precision)
            })
        case .date: w.field(6, struct: { _ in })
        case let .time(utc, unit):
            w.field(7, struct: { w in LogicalType.writeTimeFields(&w, utc: utc, unit: unit) })
        case let .timestamp(utc, unit):
            w.field(8, struct: { w in LogicalType.writeTimeFields(&w, utc: utc, unit: unit) })
        case let .integer(bitWidth, isSigned):
            w.field(10, struct: { w in
                w.field(1, byte: bitWidth)
                w.field(2, bool: isSigned)
            })
        case .null: w.field(11, struct: { _ in })
        case .json: w.field(12, struct: { _ in })
        case .bson: w.field(13, struct: { _ in })
        case .uuid: w.field(14, struct: { _ in })
        case .float16: w.field(15, struct: { _ in })
        case .variant: w.field(16, struct: { _ in })
        case let .geometry(crs):
            w.field(17, struct: { w in
                if let crs { w.field(1, string: crs) }
            })
        case let .geography(crs, algorithm):
            w.field(18, struct: { w in
                if let crs { w.field(1, string: crs) }
                if let algorithm { w.field(2, i32: algorithm.rawValue) }
            })
        case let .unknownMember(id): w.field(id, struct: { _ in })
        }
    }

    private static func writeTimeFields(_ w: inout ThriftCompactWriter, utc: Bool, unit: TimeUnit) {
        w.field(1, bool: utc)
        w.field(2, struct: { w in
            switch unit {
            case .milliseconds: w.field(1, struct: { _ in })
            case .microseconds: w.field(2, struct: { _ in })
            case .nanoseconds: w.field(3, struct: { _ in })
            }
        })
    }
}

extension KeyValue {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, string: key)
            if let value { w.field(2, string: value) }
        }
    }
}

extension ColumnOrder {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            switch self {
            case .typeDefinedOrder: w.field(1, struct: { _ in })
            case .ieee754TotalOrder: w.field(2, struct: { _ in })
            case .int96TimestampOrder: w.field(3, struct: { _ in })
            case let .unknown(id): w.field(id, struct: { _ in })
            }
        }
    }
}

/// Row groups encoded one by one as a writer closes them, for the footer it writes at the end:
/// a file of thousands of row groups (a niche of a batch writes small ones) keeps their bytes,
/// about a fifth of what their structs take (each chunk's encodings, path and statistics are
/// arrays of their own).
struct EncodedRowGroups {
    private(set) var count = 0
    private var encoded = ThriftCompactWriter(capacity: 0)

    init(_ groups: [RowGroup] = []) {
        for group in groups { append(group) }
    }

    /// The row groups' structs, one after the other (the elements of the footer's list).
    var bytes: [UInt8] { encoded.bytes }
    var byteCount: Int { encoded.bytes.count }

    mutating func append(_ group: RowGroup) {
        group.write(to: &encoded)
        count += 1
    }
}

extension RowGroup {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, list: .struct, columns) { w, chunk in chunk.write(to: &w) }
            w.field(2, i64: totalByteSize)
            w.field(3, i64: numRows)
            if let sortingColumns {
                w.field(4, list: .struct, sortingColumns) { w, column in column.write(to: &w) }
            }
            if let fileOffset { w.field(5, i64: fileOffset) }
            if let totalCompressedSize { w.field(6, i64: totalCompressedSize) }
            if let ordinal { w.field(7, i16: ordinal) }
        }
    }
}

extension SortingColumn {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, i32: columnIndex)
            w.field(2, bool: descending)
            w.field(3, bool: nullsFirst)
        }
    }
}

extension ColumnChunk {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            if let filePath { w.field(1, string: filePath) }
            w.field(2, i64: fileOffset)
            if let metaData { w.field(3, struct: { w in metaData.writeFields(to: &w) }) }
            if let offsetIndexOffset { w.field(4, i64: offsetIndexOffset) }
            if let offsetIndexLength { w.field(5, i32: offsetIndexLength) }
            if let columnIndexOffset { w.field(6, i64: columnIndexOffset) }
            if let columnIndexLength { w.field(7, i32: columnIndexLength) }
        }
    }
}

extension ColumnMetaData {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in writeFields(to: &w) }
    }

    fileprivate func writeFields(to w: inout ThriftCompactWriter) {
        w.field(1, i32: type.rawValue)
        w.field(2, list: .i32, encodings) { w, encoding in w.writeI32(encoding.rawValue) }
        w.field(3, list: .binary, pathInSchema) { w, name in w.writeString(name) }
        w.field(4, i32: codec.rawValue)
        w.field(5, i64: numValues)
        w.field(6, i64: totalUncompressedSize)
        w.field(7, i64: totalCompressedSize)
        if let keyValueMetadata {
            w.field(8, list: .struct, keyValueMetadata) { w, pair in pair.write(to: &w) }
        }
        w.field(9, i64: dataPageOffset)
        if let indexPageOffset { w.field(10, i64: indexPageOffset) }
        if let dictionaryPageOffset { w.field(11, i64: dictionaryPageOffset) }
        if let statistics { w.field(12, struct: { w in statistics.writeFields(to: &w) }) }
        if let encodingStats {
            w.field(13, list: .struct, encodingStats) { w, stats in stats.write(to: &w) }
        }
        if let bloomFilterOffset { w.field(14, i64: bloomFilterOffset) }
        if let bloomFilterLength { w.field(15, i32: bloomFilterLength) }
    }
}

extension Statistics {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in writeFields(to: &w) }
    }

    fileprivate func writeFields(to w: inout ThriftCompactWriter) {
        if let max { w.field(1, binary: max) }
        if let min { w.field(2, binary: min) }
        if let nullCount { w.field(3, i64: nullCount) }
        if let distinctCount { w.field(4, i64: distinctCount) }
        if let maxValue { w.field(5, binary: maxValue) }
        if let minValue { w.field(6, binary: minValue) }
        if let isMaxValueExact { w.field(7, bool: isMaxValueExact) }
        if let isMinValueExact { w.field(8, bool: isMinValueExact) }
        if let nanCount { w.field(9, i64: nanCount) }
    }
}

extension PageEncodingStats {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, i32: pageType.rawValue)
            w.field(2, i32: encoding.rawValue)
            w.field(3, i32: count)
        }
    }
}

extension PageHeader {
    func write(to w: inout ThriftCompactWriter) {
        w.writeStruct { w in
            w.field(1, i32: type.rawValue)
            w.field(2, i32: uncompressedPageSize)
            w.field(3, i32: compressedPageSize)
            if let crc { w.field(4, i32: crc) }
            if let dataPageHeader { w.field(5, struct: { w in dataPageHeader.writeFields(to: &w) }) }
            if let dictionaryPageHeader { w.field(7, struct: { w in dictionaryPageHeader.writeFields(to: &w) }) }
            if let dataPageHeaderV2 { w.field(8, struct: { w in dataPageHeaderV2.writeFields(to: &w) }) }
        }
    }
}

extension DataPageHeader {
    fileprivate func writeFields(to w: inout ThriftCompactWriter) {
        w.field(1, i32: numValues)
        w.field(2, i32: encoding.rawValue)
        w.field(3, i32: definitionLevelEncoding.rawValue)
        w.field(4, i32: repetitionLevelEncoding.rawValue)
        if let statistics { w.field(5, struct: { w in statistics.writeFields(to: &w) }) }
    }
}

extension DictionaryPageHeader {
    fileprivate func writeFields(to w: inout ThriftCompactWriter) {
        w.field(1, i32: numValues)
        w.field(2, i32: encoding.rawValue)
        if let isSorted { w.field(3, bool: isSorted) }
    }
}

extension DataPageHeaderV2 {
    fileprivate func writeFields(to w: inout ThriftCompactWriter) {
        w.field(1, i32: numValues)
        w.field(2, i32: numNulls)
        w.field(3, i32: numRows)
        w.field(4, i32: encoding.rawValue)
        w.field(5, i32: definitionLevelsByteLength)
        w.field(6, i32: repetitionLevelsByteLength)
        w.field(7, bool: isCompressed)
        if let statistics { w.field(8, struct: { w in statistics.writeFields(to: &w) }) }
    }
}
