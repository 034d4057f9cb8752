// The footer model: the structs of `parquet.thrift` that a flat-table reader and writer use,
// with the format's field names in Swift case. Fields the format marks `required` are
// non-optional here; a reader fills them with a neutral value when a lenient file omits one it
// does not need. Decoding lives in `FileMetaData+Thrift.swift`; an encoder can sit beside it.

/// The file footer.
public struct FileMetaData: Sendable, Equatable {
    public var version: Int32
    /// The schema tree, flattened depth-first; element 0 is the root.
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroup]
    public var keyValueMetadata: [KeyValue]?
    public var createdBy: String?
    /// One per leaf column, in leaf order, when the writer declared sort orders.
    public var columnOrders: [ColumnOrder]?
    /// Set when the footer announces an encryption algorithm (plaintext-footer encryption).
    public var hasEncryptionAlgorithm: Bool

    public init(version: Int32 = 1, schema: [SchemaElement] = [], numRows: Int64 = 0,
                rowGroups: [RowGroup] = [], keyValueMetadata: [KeyValue]? = nil,
                createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
                hasEncryptionAlgorithm: Bool = false) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
        self.hasEncryptionAlgorithm = hasEncryptionAlgorithm
    }
}

/// One node of the schema tree.
public struct SchemaElement: Sendable, Hashable {
    /// Set for leaves only.
    public var type: PhysicalType?
    public var typeLength: Int32?
    /// Absent on the root.
    public var repetitionType: FieldRepetitionType?
    public var name: String
    /// Set for groups only.
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldID: Int32?
    public var logicalType: LogicalType?

    public init(type: PhysicalType? = nil, typeLength: Int32? = nil,
                repetitionType: FieldRepetitionType? = nil, name: String = "",
                numChildren: Int32? = nil, convertedType: ConvertedType? = nil,
                scale: Int32? = nil, precision: Int32? = nil, fieldID: Int32? = nil,
                logicalType: LogicalType? = nil) {
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }
}

public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }
}

public struct RowGroup: Sendable, Equatable {
    /// One per leaf column, in leaf order.
    public var columns: [ColumnChunk]
    public var totalByteSize: Int64
    public var numRows: Int64
    public var sortingColumns: [SortingColumn]?
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?

    public init(columns: [ColumnChunk] = [], totalByteSize: Int64 = 0, numRows: Int64 = 0,
                sortingColumns: [SortingColumn]? = nil, fileOffset: Int64? = nil,
                totalCompressedSize: Int64? = nil, ordinal: Int16? = nil) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }
}

public struct SortingColumn: Sendable, Equatable {
    public var columnIndex: Int32
    public var descending: Bool
    public var nullsFirst: Bool

    public init(columnIndex: Int32, descending: Bool = false, nullsFirst: Bool = false) {
        self.columnIndex = columnIndex
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

public struct ColumnChunk: Sendable, Equatable {
    /// Set only by "summary" files whose data lives elsewhere; this reader refuses it.
    public var filePath: String?
    public var fileOffset: Int64
    public var metaData: ColumnMetaData?
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?
    /// Set when the chunk carries crypto metadata or encrypted column metadata.
    public var isEncrypted: Bool

    public init(filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil,
                offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil,
                columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil,
                isEncrypted: Bool = false) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
        self.isEncrypted = isEncrypted
    }
}

public struct ColumnMetaData: Sendable, Equatable {
    public var type: PhysicalType
    /// Unreliable (DuckDB omits level encodings): decide per page from the page header.
    public var encodings: [Encoding]
    public var pathInSchema: [String]
    public var codec: CompressionCodec
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var keyValueMetadata: [KeyValue]?
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    /// May be absent (polars) or 0 without a dictionary: the reader sniffs the first page.
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?
    public var encodingStats: [PageEncodingStats]?
    public var bloomFilterOffset: Int64?
    public var bloomFilterLength: Int32?

    public init(type: PhysicalType, encodings: [Encoding] = [], pathInSchema: [String] = [],
                codec: CompressionCodec = .uncompressed, numValues: Int64 = 0,
                totalUncompressedSize: Int64 = 0, totalCompressedSize: Int64 = 0,
                keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64 = 0,
                indexPageOffset: Int64? = nil, dictionaryPageOffset: Int64? = nil,
                statistics: Statistics? = nil, encodingStats: [PageEncodingStats]? = nil,
                bloomFilterOffset: Int64? = nil, bloomFilterLength: Int32? = nil) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
    }
}

/// Chunk or page statistics as stored: values are PLAIN-encoded bytes (byte arrays without
/// their length prefix). `ColumnStatistics` gives the typed, trust-checked view.
public struct Statistics: Sendable, Equatable {
    /// Deprecated fields, ordered by signed comparison whatever the type.
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    /// Ordered by the column's `ColumnOrder`.
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?
    public var isMaxValueExact: Bool?
    public var isMinValueExact: Bool?
    public var nanCount: Int64?

    public init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil,
                distinctCount: Int64? = nil, maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil,
                isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil, nanCount: Int64? = nil) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }
}

public struct PageEncodingStats: Sendable, Equatable {
    public var pageType: PageType
    public var encoding: Encoding
    public var count: Int32

    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }
}

/// The sort order that `min_value`/`max_value` follow.
public enum ColumnOrder: Sendable, Hashable {
    case typeDefinedOrder
    case ieee754TotalOrder
    case int96TimestampOrder
    /// A union member this reader does not know: statistics must then be ignored.
    case unknown(Int16)
}
