/// The leaf columns of a file, in column-chunk order, built from the flattened schema tree.
public struct Schema: Sendable {
    /// The schema elements as stored (element 0 is the root).
    public let elements: [SchemaElement]
    /// Every leaf, flat or not; `columns[i]` describes the i-th chunk of each row group.
    public let columns: [ColumnDescriptor]

    /// Deeper trees than this are refused (the recursion would be the stack's risk).
    static let maxDepth = 100

    init(elements: [SchemaElement]) throws {
        guard let root = elements.first else {
            throw ParquetError.corrupt("the schema is empty (no root element)")
        }
        self.elements = elements
        var columns: [ColumnDescriptor] = []
        var next = 1
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0 else {
            throw ParquetError.corrupt("schema root has \(rootChildren) children")
        }
        for _ in 0..<rootChildren {
            try Self.walk(elements, &next, path: [], definitionLevel: 0, repetitionLevel: 0,
                          topLevel: nil, depth: 1, into: &columns)
        }
        guard next == elements.count else {
            throw ParquetError.corrupt("schema has \(elements.count) elements but its tree uses \(next)")
        }
        self.columns = columns
    }

    private static func walk(_ elements: [SchemaElement], _ next: inout Int, path: [String],
                             definitionLevel: Int, repetitionLevel: Int, topLevel: String?, depth: Int,
                             into columns: inout [ColumnDescriptor]) throws {
        guard depth <= maxDepth else { throw ParquetError.corrupt("schema deeper than \(maxDepth) levels") }
        guard next < elements.count else {
            throw ParquetError.corrupt("schema declares more children than its \(elements.count) elements")
        }
        let element = elements[next]
        next += 1
        let repetition = element.repetitionType ?? .required
        let definition = definitionLevel + (repetition == .required ? 0 : 1)
        let repeated = repetitionLevel + (repetition == .repeated ? 1 : 0)
        let fieldPath = path + [element.name]
        if let childCount = element.numChildren, element.type == nil || childCount > 0 {
            guard childCount >= 0, childCount <= elements.count - next else {
                throw ParquetError.corrupt("schema element '\(element.name)' declares \(childCount) children")
            }
            for _ in 0..<childCount {
                try walk(elements, &next, path: fieldPath, definitionLevel: definition, repetitionLevel: repeated,
                         topLevel: topLevel ?? element.name, depth: depth + 1, into: &columns)
            }
        } else {
            columns.append(ColumnDescriptor(index: columns.count, path: fieldPath, element: element,
                                            maxDefinitionLevel: definition, maxRepetitionLevel: repeated))
        }
    }

    /// The index of the leaf whose dotted path (its name, for flat columns) is `name`.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }
}

/// One leaf column: where it sits in the schema and how to interpret its values.
public struct ColumnDescriptor: Sendable, Hashable {
    /// Position among the leaves, which is also the chunk's position in each row group.
    public let index: Int
    /// Names from the top-level field down to the leaf.
    public let path: [String]
    public let element: SchemaElement
    public let maxDefinitionLevel: Int
    public let maxRepetitionLevel: Int

    /// The dotted path; for a flat column, its name.
    public var name: String { path.joined(separator: ".") }
    /// The physical type (an unknown raw value when the schema is corrupt).
    public var physicalType: PhysicalType { element.type ?? PhysicalType(rawValue: -1) }
    public var repetition: FieldRepetitionType { element.repetitionType ?? .required }
    /// FIXED_LEN_BYTE_ARRAY width.
    public var typeLength: Int? { element.typeLength.map(Int.init) }
    public var convertedType: ConvertedType? { element.convertedType }
    /// Inside a group or repeated: this reader only reads flat columns.
    public var isNested: Bool { path.count > 1 || maxRepetitionLevel > 0 }
    /// May hold nulls.
    public var isOptional: Bool { maxDefinitionLevel > 0 }

    /// The interpretation to apply: the LogicalType annotation, else the one the legacy
    /// ConvertedType implies (LogicalTypes.md "backward compatibility"); nil means "use the
    /// physical type", including for logical types this reader does not know.
    public var logicalType: LogicalType? {
        if let logical = element.logicalType {
            if case .unknownMember = logical { return nil }
            return logical
        }
        guard let converted = element.convertedType else { return nil }
        switch converted {
        case .utf8: return .string
        case .enum: return .enum
        case .json: return .json
        case .bson: return .bson
        case .decimal: return .decimal(scale: element.scale ?? 0, precision: element.precision ?? 0)
        case .date: return .date
        case .timeMillis: return .time(isAdjustedToUTC: true, unit: .milliseconds)
        case .timeMicros: return .time(isAdjustedToUTC: true, unit: .microseconds)
        case .timestampMillis: return .timestamp(isAdjustedToUTC: true, unit: .milliseconds)
        case .timestampMicros: return .timestamp(isAdjustedToUTC: true, unit: .microseconds)
        case .uint8: return .integer(bitWidth: 8, isSigned: false)
        case .uint16: return .integer(bitWidth: 16, isSigned: false)
        case .uint32: return .integer(bitWidth: 32, isSigned: false)
        case .uint64: return .integer(bitWidth: 64, isSigned: false)
        case .int8: return .integer(bitWidth: 8, isSigned: true)
        case .int16: return .integer(bitWidth: 16, isSigned: true)
        case .int32: return .integer(bitWidth: 32, isSigned: true)
        case .int64: return .integer(bitWidth: 64, isSigned: true)
        default: return nil
        }
    }

    /// DECIMAL precision and scale, when the column is a decimal.
    public var decimalPrecision: Int? {
        if case let .decimal(_, precision) = logicalType { return Int(precision) }
        return nil
    }

    public var decimalScale: Int? {
        if case let .decimal(scale, _) = logicalType { return Int(scale) }
        return nil
    }

    /// Bytes per value in the decoded storage, or nil for BYTE_ARRAY.
    var storageWidth: Int? {
        switch physicalType {
        case .boolean: return 1
        case .fixedLenByteArray: return typeLength
        default: return physicalType.fixedByteWidth
        }
    }
}
