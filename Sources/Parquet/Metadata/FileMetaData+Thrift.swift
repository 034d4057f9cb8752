// Decoding of the footer structs from the Thrift compact protocol.
//
// Each decoder claims the fields it knows with the wire type it expects (`case (id, type)`);
// anything else, including a known id with another wire type, falls to `default` and is
// skipped by the reader. Only the fields this package uses are enforced when missing.

private func missing(_ field: String, in structName: String) -> ParquetError {
    ParquetError.corrupt("\(structName) has no \(field)")
}

extension FileMetaData {
    init(thrift r: inout ThriftCompactReader) throws {
        var meta = FileMetaData()
        var sawSchema = false, sawNumRows = false, sawRowGroups = false
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger:
                meta.version = try r.readInt32(t)
            case (2, .list):
                guard let schema = try r.readList(of: .struct, { r, _ in try SchemaElement(thrift: &r) }) else { return true }
                meta.schema = schema
                sawSchema = true
            case (3, let t) where t.isInteger:
                meta.numRows = try r.readInt64(t)
                sawNumRows = true
            case (4, .list):
                guard let groups = try r.readList(of: .struct, { r, _ in try RowGroup(thrift: &r) }) else { return true }
                meta.rowGroups = groups
                sawRowGroups = true
            case (5, .list):
                meta.keyValueMetadata = try r.readList(of: .struct) { r, _ in try KeyValue(thrift: &r) }
            case (6, .binary):
                meta.createdBy = try r.readString()
            case (7, .list):
                meta.columnOrders = try r.readList(of: .struct) { r, _ in try ColumnOrder(thrift: &r) }
            case (8, .struct):
                meta.hasEncryptionAlgorithm = true
                return false
            default:
                return false
            }
            return true
        }
        guard sawSchema else { throw missing("schema", in: "FileMetaData") }
        guard sawNumRows else { throw missing("num_rows", in: "FileMetaData") }
        guard sawRowGroups else { throw missing("row_groups", in: "FileMetaData") }
        self = meta
    }
}

extension SchemaElement {
    init(thrift r: inout ThriftCompactReader) throws {
        var element = SchemaElement()
        var sawName = false
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: element.type = PhysicalType(rawValue: try r.readInt32(t))
            case (2, let t) where t.isInteger: element.typeLength = try r.readInt32(t)
            case (3, let t) where t.isInteger: element.repetitionType = FieldRepetitionType(rawValue: try r.readInt32(t))
            case (4, .binary):
                element.name = try r.readString()
                sawName = true
            case (5, let t) where t.isInteger: element.numChildren = try r.readInt32(t)
            case (6, let t) where t.isInteger: element.convertedType = ConvertedType(rawValue: try r.readInt32(t))
            case (7, let t) where t.isInteger: element.scale = try r.readInt32(t)
            case (8, let t) where t.isInteger: element.precision = try r.readInt32(t)
            case (9, let t) where t.isInteger: element.fieldID = try r.readInt32(t)
            case (10, .struct): element.logicalType = try LogicalType(thrift: &r)
            default: return false
            }
            return true
        }
        guard sawName else { throw missing("name", in: "SchemaElement") }
        self = element
    }
}

extension LogicalType {
    /// Returns nil for a union with no member set (some writers emit an empty struct).
    init?(thrift r: inout ThriftCompactReader) throws {
        var result: LogicalType?
        try r.readUnion { r, f in
            guard f.type == .struct else { return false }
            switch f.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enum
            case 5: result = try LogicalType.decimal(thrift: &r); return true
            case 6: result = .date
            case 7:
                let (utc, unit) = try LogicalType.timeFields(thrift: &r)
                result = unit.map { .time(isAdjustedToUTC: utc, unit: $0) } ?? .unknownMember(7)
                return true
            case 8:
                let (utc, unit) = try LogicalType.timeFields(thrift: &r)
                result = unit.map { .timestamp(isAdjustedToUTC: utc, unit: $0) } ?? .unknownMember(8)
                return true
            case 10: result = try LogicalType.integer(thrift: &r); return true
            case 11: result = .null
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            case 16: result = .variant
            case 17:
                let (crs, _) = try LogicalType.geospatialFields(thrift: &r)
                result = .geometry(crs: crs)
                return true
            case 18:
                let (crs, algorithm) = try LogicalType.geospatialFields(thrift: &r)
                result = .geography(crs: crs, algorithm: algorithm)
                return true
            default: result = .unknownMember(f.id)
            }
            return false  // the member's (empty or ignored) struct is skipped
        }
        guard let result else { return nil }
        self = result
    }

    private static func decimal(thrift r: inout ThriftCompactReader) throws -> LogicalType {
        var scale: Int32 = 0, precision: Int32 = 0
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: scale = try r.readInt32(t)
            case (2, let t) where t.isInteger: precision = try r.readInt32(t)
            default: return false
            }
            return true
        }
        return .decimal(scale: scale, precision: precision)
    }

    /// GeometryType (`1: optional string crs`) and GeographyType (the same, and
    /// `2: optional EdgeInterpolationAlgorithm algorithm`).
    private static func geospatialFields(thrift r: inout ThriftCompactReader) throws -> (String?, EdgeInterpolationAlgorithm?) {
        var crs: String?
        var algorithm: EdgeInterpolationAlgorithm?
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, .binary): crs = try r.readString()
            case (2, let t) where t.isInteger: algorithm = EdgeInterpolationAlgorithm(rawValue: try r.readInt32(t))
            default: return false
            }
            return true
        }
        return (crs, algorithm)
    }

    private static func integer(thrift r: inout ThriftCompactReader) throws -> LogicalType {
        var bitWidth: Int64 = 0, isSigned = true
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: bitWidth = try r.readInteger(t)
            case (2, let t) where t.isBoolean: isSigned = f.boolValue
            default: return false
            }
            return true
        }
        guard let width = Int8(exactly: bitWidth) else { return .unknownMember(10) }
        return .integer(bitWidth: width, isSigned: isSigned)
    }

    private static func timeFields(thrift r: inout ThriftCompactReader) throws -> (Bool, TimeUnit?) {
        var utc = false
        var unit: TimeUnit?
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isBoolean:
                utc = f.boolValue
            case (2, .struct):
                try r.readUnion { _, member in
                    guard member.type == .struct else { return false }
                    switch member.id {
                    case 1: unit = .milliseconds
                    case 2: unit = .microseconds
                    case 3: unit = .nanoseconds
                    default: break
                    }
                    return false
                }
            default:
                return false
            }
            return true
        }
        return (utc, unit)
    }
}

extension KeyValue {
    init(thrift r: inout ThriftCompactReader) throws {
        var pair = KeyValue(key: "")
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, .binary): pair.key = try r.readString()
            case (2, .binary): pair.value = try r.readString()
            default: return false
            }
            return true
        }
        self = pair
    }
}

extension ColumnOrder {
    init(thrift r: inout ThriftCompactReader) throws {
        var order = ColumnOrder.unknown(0)
        try r.readUnion { _, f in
            switch f.id {
            case 1: order = .typeDefinedOrder
            case 2: order = .ieee754TotalOrder
            case 3: order = .int96TimestampOrder
            default: order = .unknown(f.id)
            }
            return false
        }
        self = order
    }
}

extension RowGroup {
    init(thrift r: inout ThriftCompactReader) throws {
        var group = RowGroup()
        var sawColumns = false, sawNumRows = false
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, .list):
                guard let columns = try r.readList(of: .struct, { r, _ in try ColumnChunk(thrift: &r) }) else { return true }
                group.columns = columns
                sawColumns = true
            case (2, let t) where t.isInteger: group.totalByteSize = try r.readInt64(t)
            case (3, let t) where t.isInteger:
                group.numRows = try r.readInt64(t)
                sawNumRows = true
            case (4, .list): group.sortingColumns = try r.readList(of: .struct) { r, _ in try SortingColumn(thrift: &r) }
            case (5, let t) where t.isInteger: group.fileOffset = try r.readInt64(t)
            case (6, let t) where t.isInteger: group.totalCompressedSize = try r.readInt64(t)
            case (7, let t) where t.isInteger: group.ordinal = Int16(truncatingIfNeeded: try r.readInteger(t))
            default: return false
            }
            return true
        }
        guard sawColumns else { throw missing("columns", in: "RowGroup") }
        guard sawNumRows else { throw missing("num_rows", in: "RowGroup") }
        self = group
    }
}

extension SortingColumn {
    init(thrift r: inout ThriftCompactReader) throws {
        var column = SortingColumn(columnIndex: 0)
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: column.columnIndex = try r.readInt32(t)
            case (2, let t) where t.isBoolean: column.descending = f.boolValue
            case (3, let t) where t.isBoolean: column.nullsFirst = f.boolValue
            default: return false
            }
            return true
        }
        self = column
    }
}

extension ColumnChunk {
    init(thrift r: inout ThriftCompactReader) throws {
        var chunk = ColumnChunk()
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, .binary): chunk.filePath = try r.readString()
            case (2, let t) where t.isInteger: chunk.fileOffset = try r.readInt64(t)
            case (3, .struct): chunk.metaData = try ColumnMetaData(thrift: &r)
            case (4, let t) where t.isInteger: chunk.offsetIndexOffset = try r.readInt64(t)
            case (5, let t) where t.isInteger: chunk.offsetIndexLength = try r.readInt32(t)
            case (6, let t) where t.isInteger: chunk.columnIndexOffset = try r.readInt64(t)
            case (7, let t) where t.isInteger: chunk.columnIndexLength = try r.readInt32(t)
            case (8, _), (9, _):
                chunk.isEncrypted = true
                return false
            default: return false
            }
            return true
        }
        self = chunk
    }
}

extension ColumnMetaData {
    init(thrift r: inout ThriftCompactReader) throws {
        var meta = ColumnMetaData(type: PhysicalType(rawValue: -1))
        var seen = Set<Int16>()
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: meta.type = PhysicalType(rawValue: try r.readInt32(t))
            case (2, .list):
                meta.encodings = try r.readList(of: .i32) { r, t in Encoding(rawValue: try r.readInt32(t)) } ?? []
            case (3, .list):
                meta.pathInSchema = try r.readList(of: .binary) { r, _ in try r.readString() } ?? []
            case (4, let t) where t.isInteger: meta.codec = CompressionCodec(rawValue: try r.readInt32(t))
            case (5, let t) where t.isInteger: meta.numValues = try r.readInt64(t)
            case (6, let t) where t.isInteger: meta.totalUncompressedSize = try r.readInt64(t)
            case (7, let t) where t.isInteger: meta.totalCompressedSize = try r.readInt64(t)
            case (8, .list): meta.keyValueMetadata = try r.readList(of: .struct) { r, _ in try KeyValue(thrift: &r) }
            case (9, let t) where t.isInteger: meta.dataPageOffset = try r.readInt64(t)
            case (10, let t) where t.isInteger: meta.indexPageOffset = try r.readInt64(t)
            case (11, let t) where t.isInteger: meta.dictionaryPageOffset = try r.readInt64(t)
            case (12, .struct): meta.statistics = try Statistics(thrift: &r)
            case (13, .list): meta.encodingStats = try r.readList(of: .struct) { r, _ in try PageEncodingStats(thrift: &r) }
            case (14, let t) where t.isInteger: meta.bloomFilterOffset = try r.readInt64(t)
            case (15, let t) where t.isInteger: meta.bloomFilterLength = try r.readInt32(t)
            default: return false
            }
            seen.insert(f.id)
            return true
        }
        for (id, name) in [(1, "type"), (4, "codec"), (5, "num_values"), (6, "total_uncompressed_size"),
                           (7, "total_compressed_size"), (9, "data_page_offset")] where !seen.contains(Int16(id)) {
            throw missing(name, in: "ColumnMetaData")
        }
        self = meta
    }
}

extension Statistics {
    init(thrift r: inout ThriftCompactReader) throws {
        var stats = Statistics()
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, .binary): stats.max = try r.readBinary()
            case (2, .binary): stats.min = try r.readBinary()
            case (3, let t) where t.isInteger: stats.nullCount = try r.readInt64(t)
            case (4, let t) where t.isInteger: stats.distinctCount = try r.readInt64(t)
            case (5, .binary): stats.maxValue = try r.readBinary()
            case (6, .binary): stats.minValue = try r.readBinary()
            case (7, let t) where t.isBoolean: stats.isMaxValueExact = f.boolValue
            case (8, let t) where t.isBoolean: stats.isMinValueExact = f.boolValue
            case (9, let t) where t.isInteger: stats.nanCount = try r.readInt64(t)
            default: return false
            }
            return true
        }
        self = stats
    }
}

extension PageEncodingStats {
    init(thrift r: inout ThriftCompactReader) throws {
        var stats = PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 0)
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: stats.pageType = PageType(rawValue: try r.readInt32(t))
            case (2, let t) where t.isInteger: stats.encoding = Encoding(rawValue: try r.readInt32(t))
            case (3, let t) where t.isInteger: stats.count = try r.readInt32(t)
            default: return false
            }
            return true
        }
        self = stats
    }
}

extension PageHeader {
    init(thrift r: inout ThriftCompactReader) throws {
        var header = PageHeader(type: PageType(rawValue: -1), uncompressedPageSize: 0, compressedPageSize: 0)
        var seen: (type: Bool, uncompressed: Bool, compressed: Bool) = (false, false, false)
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger:
                header.type = PageType(rawValue: try r.readInt32(t))
                seen.type = true
            case (2, let t) where t.isInteger:
                header.uncompressedPageSize = try r.readInt32(t)
                seen.uncompressed = true
            case (3, let t) where t.isInteger:
                header.compressedPageSize = try r.readInt32(t)
                seen.compressed = true
            case (4, let t) where t.isInteger: header.crc = try r.readInt32(t)
            case (5, .struct): header.dataPageHeader = try DataPageHeader(thrift: &r)
            case (7, .struct): header.dictionaryPageHeader = try DictionaryPageHeader(thrift: &r)
            case (8, .struct): header.dataPageHeaderV2 = try DataPageHeaderV2(thrift: &r)
            default: return false
            }
            return true
        }
        guard seen.type else { throw missing("type", in: "PageHeader") }
        guard seen.uncompressed else { throw missing("uncompressed_page_size", in: "PageHeader") }
        guard seen.compressed else { throw missing("compressed_page_size", in: "PageHeader") }
        self = header
    }
}

extension DataPageHeader {
    init(thrift r: inout ThriftCompactReader) throws {
        var header = DataPageHeader(numValues: 0, encoding: .plain)
        var sawNumValues = false, sawEncoding = false
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger:
                header.numValues = try r.readInt32(t)
                sawNumValues = true
            case (2, let t) where t.isInteger:
                header.encoding = Encoding(rawValue: try r.readInt32(t))
                sawEncoding = true
            case (3, let t) where t.isInteger: header.definitionLevelEncoding = Encoding(rawValue: try r.readInt32(t))
            case (4, let t) where t.isInteger: header.repetitionLevelEncoding = Encoding(rawValue: try r.readInt32(t))
            case (5, .struct): header.statistics = try Statistics(thrift: &r)
            default: return false
            }
            return true
        }
        guard sawNumValues else { throw missing("num_values", in: "DataPageHeader") }
        guard sawEncoding else { throw missing("encoding", in: "DataPageHeader") }
        self = header
    }
}

extension DictionaryPageHeader {
    init(thrift r: inout ThriftCompactReader) throws {
        var header = DictionaryPageHeader(numValues: 0)
        var sawNumValues = false
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger:
                header.numValues = try r.readInt32(t)
                sawNumValues = true
            case (2, let t) where t.isInteger: header.encoding = Encoding(rawValue: try r.readInt32(t))
            case (3, let t) where t.isBoolean: header.isSorted = f.boolValue
            default: return false
            }
            return true
        }
        guard sawNumValues else { throw missing("num_values", in: "DictionaryPageHeader") }
        self = header
    }
}

extension DataPageHeaderV2 {
    init(thrift r: inout ThriftCompactReader) throws {
        var header = DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                      definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)
        var seen = Set<Int16>()
        try r.readStruct { r, f in
            switch (f.id, f.type) {
            case (1, let t) where t.isInteger: header.numValues = try r.readInt32(t)
            case (2, let t) where t.isInteger: header.numNulls = try r.readInt32(t)
            case (3, let t) where t.isInteger: header.numRows = try r.readInt32(t)
            case (4, let t) where t.isInteger: header.encoding = Encoding(rawValue: try r.readInt32(t))
            case (5, let t) where t.isInteger: header.definitionLevelsByteLength = try r.readInt32(t)
            case (6, let t) where t.isInteger: header.repetitionLevelsByteLength = try r.readInt32(t)
            case (7, let t) where t.isBoolean: header.isCompressed = f.boolValue
            case (8, .struct): header.statistics = try Statistics(thrift: &r)
            default: return false
            }
            seen.insert(f.id)
            return true
        }
        for (id, name) in [(1, "num_values"), (4, "encoding"), (5, "definition_levels_byte_length"),
                           (6, "repetition_levels_byte_length")] where !seen.contains(Int16(id)) {
            throw missing(name, in: "DataPageHeaderV2")
        }
        self = header
    }
}
