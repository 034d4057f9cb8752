/// One column of a flat file to write: its name, physical type, logical annotation and whether
/// it may hold nulls. `Schema(fields:)` turns a list of them into the schema a
/// `ParquetFileWriter` writes, with the legacy ConvertedType derived from the logical type.
///
///     let fields: [ParquetField] = [
///         .string("siret", optional: false),
///         .date("dateCreationEtablissement"),
///         .timestamp("dateDernierTraitementEtablissement", unit: .microseconds, isAdjustedToUTC: false),
///         .decimal("price", precision: 12, scale: 2),
///     ]
public struct ParquetField: Sendable, Hashable {
    public var name: String
    public var physicalType: PhysicalType
    /// Nil: the physical type alone (no annotation).
    public var logicalType: LogicalType?
    public var isOptional: Bool
    /// The width of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int?

    public init(name: String, physicalType: PhysicalType, logicalType: LogicalType? = nil,
                isOptional: Bool = true, typeLength: Int? = nil) {
        self.name = name
        self.physicalType = physicalType
        self.logicalType = logicalType
        self.isOptional = isOptional
        self.typeLength = typeLength
    }

    /// The field of a column read from a file (a flat one), to write its values back: same
    /// physical type, width and repetition, and the logical type it is read with (a legacy
    /// ConvertedType becomes the equivalent LogicalType).
    public init(_ column: ColumnDescriptor) {
        self.init(name: column.name, physicalType: column.physicalType, logicalType: column.logicalType,
                  isOptional: column.repetition != .required, typeLength: column.typeLength)
    }

    // MARK: Conveniences

    public static func boolean(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .boolean, isOptional: optional)
    }

    public static func int32(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .int32, isOptional: optional)
    }

    public static func int64(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .int64, isOptional: optional)
    }

    /// INT(8, 16, 32 or 64), signed or not: INT32 storage up to 32 bits, INT64 for 64.
    public static func integer(_ name: String, bitWidth: Int8, isSigned: Bool, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: bitWidth == 64 ? .int64 : .int32,
                     logicalType: .integer(bitWidth: bitWidth, isSigned: isSigned), isOptional: optional)
    }

    /// Legacy INT96 timestamps (Spark's default); prefer `timestamp`.
    public static func int96(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .int96, isOptional: optional)
    }

    public static func float(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .float, isOptional: optional)
    }

    public static func double(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .double, isOptional: optional)
    }

    /// FLOAT16: FIXED_LEN_BYTE_ARRAY(2), IEEE half precision, little-endian.
    public static func float16(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .fixedLenByteArray, logicalType: .float16, isOptional: optional, typeLength: 2)
    }

    /// BYTE_ARRAY without annotation.
    public static func binary(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .byteArray, isOptional: optional)
    }

    public static func fixedLenByteArray(_ name: String, length: Int, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .fixedLenByteArray, isOptional: optional, typeLength: length)
    }

    /// UTF-8 text (STRING).
    public static func string(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .byteArray, logicalType: .string, isOptional: optional)
    }

    public static func `enum`(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .byteArray, logicalType: .enum, isOptional: optional)
    }

    public static func json(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .byteArray, logicalType: .json, isOptional: optional)
    }

    public static func bson(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .byteArray, logicalType: .bson, isOptional: optional)
    }

    public static func uuid(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .fixedLenByteArray, logicalType: .uuid, isOptional: optional, typeLength: 16)
    }

    /// Days since 1970-01-01 in INT32.
    public static func date(_ name: String, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .int32, logicalType: .date, isOptional: optional)
    }

    /// Time of day: INT32 for milliseconds, INT64 for micro- and nanoseconds.
    public static func time(_ name: String, unit: TimeUnit, isAdjustedToUTC: Bool = false, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: unit == .milliseconds ? .int32 : .int64,
                     logicalType: .time(isAdjustedToUTC: isAdjustedToUTC, unit: unit), isOptional: optional)
    }

    /// INT64 count of `unit` since 1970-01-01T00:00:00 (UTC when `isAdjustedToUTC`).
    public static func timestamp(_ name: String, unit: TimeUnit, isAdjustedToUTC: Bool, optional: Bool = true) -> ParquetField {
        ParquetField(name: name, physicalType: .int64,
                     logicalType: .timestamp(isAdjustedToUTC: isAdjustedToUTC, unit: unit), isOptional: optional)
    }

    /// DECIMAL(precision, scale) in the smallest storage: INT32 up to 9 digits, INT64 up to 18,
    /// else FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold `precision` digits.
    public static func decimal(_ name: String, precision: Int, scale: Int, optional: Bool = true) -> ParquetField {
        let logical = LogicalType.decimal(scale: Int32(clamping: scale), precision: Int32(clamping: precision))
        if precision <= 9 { return ParquetField(name: name, physicalType: .int32, logicalType: logical, isOptional: optional) }
        if precision <= 18 { return ParquetField(name: name, physicalType: .int64, logicalType: logical, isOptional: optional) }
        var length = 9
        while length < 64 && DecimalLimits.maxDigits(byteCount: length) < precision { length += 1 }
        return ParquetField(name: name, physicalType: .fixedLenByteArray, logicalType: logical, isOptional: optional,
                           typeLength: length)
    }
}

enum DecimalLimits {
    /// floor(log10(2^(8n-1) - 1)): the digits a signed n-byte integer always holds.
    static func maxDigits(byteCount: Int) -> Int {
        guard byteCount > 0 else { return 0 }
        // log10(2) * (8n - 1), floored; exact enough for n < 1000.
        return Int((Double(8 * byteCount - 1) * 0.301_029_995_663_981_2).rounded(.down))
    }
}

extension Schema {
    /// The schema of a flat file with these columns, in order: a root named `schema` and one
    /// leaf per field, annotated with its LogicalType and, where the format defines one, the
    /// equivalent ConvertedType (LogicalTypes.md asks writers for both, including the legacy
    /// TIME_*/TIMESTAMP_* annotations on local times). Throws `invalidArgument` naming the
    /// field for an empty or duplicate name, a logical type the physical type cannot carry,
    /// or a bad width, precision or scale.
    public init(fields: [ParquetField]) throws {
        var elements = [SchemaElement(repetitionType: .required, name: "schema", numChildren: Int32(clamping: fields.count))]
        var names = Set<String>()
        for field in fields {
            guard !field.name.isEmpty else { throw ParquetError(.invalidArgument, "a column has an empty name") }
            guard names.insert(field.name).inserted else {
                throw ParquetError(.invalidArgument, "column '\(field.name)' is defined twice")
            }
            elements.append(try Self.element(for: field))
        }
        try self.init(elements: elements)
    }

    private static func element(for field: ParquetField) throws -> SchemaElement {
        func invalid(_ problem: String) -> ParquetError {
            ParquetError(.invalidArgument, "column '\(field.name)': \(problem)")
        }
        let physical = field.physicalType
        guard physical.isKnown else { throw invalid("unknown physical type \(physical.rawValue)") }
        var element = SchemaElement(type: physical, repetitionType: field.isOptional ? .optional : .required,
                                    name: field.name, logicalType: field.logicalType)
        if physical == .fixedLenByteArray {
            guard let length = field.typeLength, length > 0, length <= 1 << 24 else {
                throw invalid("FIXED_LEN_BYTE_ARRAY needs a length between 1 and \(1 << 24)")
            }
            element.typeLength = Int32(length)
        } else if field.typeLength != nil {
            throw invalid("a length is only for FIXED_LEN_BYTE_ARRAY, not \(physical)")
        }
        guard let logical = field.logicalType else { return element }
        func requires(_ types: [PhysicalType]) throws {
            guard types.contains(physical) else {
                throw invalid("\(logical) cannot annotate \(physical) (it needs \(types.map(\.description).joined(separator: " or ")))")
            }
        }
        switch logical {
        case .string:
            try requires([.byteArray])
            element.convertedType = .utf8
        case .enum:
            try requires([.byteArray])
            element.convertedType = .enum
        case .json:
            try requires([.byteArray])
            element.convertedType = .json
        case .bson:
            try requires([.byteArray])
            element.convertedType = .bson
        case .uuid:
            try requires([.fixedLenByteArray])
            guard field.typeLength == 16 else { throw invalid("UUID needs FIXED_LEN_BYTE_ARRAY(16)") }
        case .float16:
            try requires([.fixedLenByteArray])
            guard field.typeLength == 2 else { throw invalid("FLOAT16 needs FIXED_LEN_BYTE_ARRAY(2)") }
        case .date:
            try requires([.int32])
            element.convertedType = .date
        case let .time(_, unit):
            try requires([unit == .milliseconds ? .int32 : .int64])
            switch unit {
            case .milliseconds: element.convertedType = .timeMillis
            case .microseconds: element.convertedType = .timeMicros
            case .nanoseconds: break
            }
        case let .timestamp(_, unit):
            try requires([.int64])
            switch unit {
            case .milliseconds: element.convertedType = .timestampMillis
            case .microseconds: element.convertedType = .timestampMicros
            case .nanoseconds: break
            }
        case let .integer(bitWidth, isSigned):
            guard [8, 16, 32, 64].contains(bitWidth) else { throw invalid("INT bit width \(bitWidth) is not 8, 16, 32 or 64") }
            try requires([bitWidth == 64 ? .int64 : .int32])
            let signed: [Int8: ConvertedType] = [8: .int8, 16: .int16, 32: .int32, 64: .int64]
            let unsigned: [Int8: ConvertedType] = [8: .uint8, 16: .uint16, 32: .uint32, 64: .uint64]
            element.convertedType = isSigned ? signed[bitWidth] : unsigned[bitWidth]
        case let .decimal(scale, precision):
            try requires([.int32, .int64, .fixedLenByteArray, .byteArray])
            let limit: Int
            switch physical {
            case .int32: limit = 9
            case .int64: limit = 18
            case .fixedLenByteArray: limit = DecimalLimits.maxDigits(byteCount: field.typeLength ?? 0)
            default: limit = Int(Int32.max)
            }
            guard precision >= 1, Int(precision) <= limit else {
                throw invalid("DECIMAL precision \(precision) must be between 1 and \(limit) for \(physical)")
            }
            guard scale >= 0, scale <= precision else {
                throw invalid("DECIMAL scale \(scale) must be between 0 and the precision \(precision)")
            }
            element.convertedType = .decimal
            element.scale = scale
            element.precision = precision
        case .geometry, .geography:
            try requires([.byteArray])  // WKB; no ConvertedType
        case .null:
            break  // NullType ("UNKNOWN"): any physical type, only nulls (pyarrow's null columns)
        case .map, .list, .variant, .unknownMember:
            throw invalid("\(logical) columns cannot be written (flat columns of the types in ParquetField only)")
        }
        return element
    }
}
