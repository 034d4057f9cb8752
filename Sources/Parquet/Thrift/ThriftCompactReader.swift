/// A decoder for the Thrift compact protocol that needs no generated code.
///
/// Structs are read with `readStruct`, which resolves field-id deltas against the last id of
/// *that* struct (the Swift call stack is the per-struct "last field id" stack) and skips every
/// field the caller does not claim: unknown ids, unknown wire types, and known ids that arrive
/// with an unexpected wire type (`dict-page-offset-zero.parquet` has a list where the spec now
/// has an i32). Strings, containers and nesting depth are capped by `ThriftLimits`, and every
/// length is checked against the bytes left before anything is allocated.
struct ThriftCompactReader {
    private(set) var cursor: ByteCursor
    let limits: ThriftLimits
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, limits: ThriftLimits = .default) {
        self.cursor = ByteCursor(bytes)
        self.limits = limits
    }

    var position: Int { cursor.position }

    // MARK: Structs

    /// Reads one struct. `field` is called for each field header and returns true when it
    /// consumed the value; otherwise the value is skipped.
    mutating func readStruct(_ field: (inout ThriftCompactReader, ThriftField) throws -> Bool) throws {
        try enter()
        defer { depth -= 1 }
        var lastFieldID: Int16 = 0
        while true {
            let header = try cursor.readByte()
            let typeNibble = header & 0x0f
            if typeNibble == 0 { return }  // STOP
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                let raw = try cursor.readZigZag()
                guard let value = Int16(exactly: raw) else {
                    throw ParquetError.corrupt("Thrift field id \(raw) does not fit in 16 bits")
                }
                id = value
            } else {
                let (sum, overflow) = lastFieldID.addingReportingOverflow(Int16(delta))
                if overflow { throw ParquetError.corrupt("Thrift field id overflows after \(lastFieldID)") }
                id = sum
            }
            lastFieldID = id
            guard let type = ThriftCompactType(rawValue: typeNibble) else {
                throw ParquetError.corrupt("unknown Thrift wire type \(typeNibble) for field \(id)")
            }
            if try !field(&self, ThriftField(id: id, type: type)) {
                try skip(type, inList: false)
            }
        }
    }

    /// Reads a union member by member like a struct; the caller records which member it saw.
    mutating func readUnion(_ member: (inout ThriftCompactReader, ThriftField) throws -> Bool) throws {
        try readStruct(member)
    }

    private mutating func enter() throws {
        depth += 1
        if depth > limits.maxDepth {
            depth -= 1
            throw ParquetError.limit("Thrift nesting deeper than \(limits.maxDepth)")
        }
    }

    // MARK: Scalars

    /// Any integer wire type read as Int64 (byte is a plain signed byte, the others zigzag).
    mutating func readInteger(_ type: ThriftCompactType) throws -> Int64 {
        switch type {
        case .byte: return Int64(Int8(bitPattern: try cursor.readByte()))
        case .i16, .i32, .i64: return try cursor.readZigZag()
        default: throw ParquetError.corrupt("Thrift value of type \(type) is not an integer")
        }
    }

    mutating func readInt32(_ type: ThriftCompactType) throws -> Int32 {
        let value = try readInteger(type)
        guard let narrow = Int32(exactly: value) else {
            throw ParquetError.corrupt("Thrift value \(value) does not fit in 32 bits")
        }
        return narrow
    }

    mutating func readInt64(_ type: ThriftCompactType) throws -> Int64 {
        try readInteger(type)
    }

    mutating func readDouble() throws -> Double {
        Double(bitPattern: try cursor.readLittleEndian(UInt64.self))
    }

    /// A bool inside a list is one byte; 1 is true, and writers disagree on 0 or 2 for false.
    mutating func readListBool() throws -> Bool {
        let byte = try cursor.readByte()
        switch byte {
        case 1: return true
        case 0, 2: return false
        default: throw ParquetError.corrupt("invalid Thrift bool byte \(byte)")
        }
    }

    /// A binary value, not copied: valid as long as the underlying buffer.
    mutating func readBinaryBytes() throws -> UnsafeRawBufferPointer {
        let length = try readLength(limit: limits.maxStringLength, what: "binary")
        return try cursor.readBytes(length)
    }

    mutating func readBinary() throws -> [UInt8] {
        Array(try readBinaryBytes())
    }

    /// A string field; invalid UTF-8 is repaired rather than rejected (names are informative).
    mutating func readString() throws -> String {
        String(decoding: try readBinaryBytes(), as: UTF8.self)
    }

    private mutating func readLength(limit: Int, what: String) throws -> Int {
        let raw = try cursor.readULEB128()
        guard raw <= UInt64(limit) else {
            throw ParquetError.limit("Thrift \(what) of \(raw) bytes exceeds the limit of \(limit)")
        }
        let length = Int(raw)
        guard length <= cursor.remaining else {
            throw ParquetError.corrupt(
                "Thrift \(what) of \(length) bytes at offset \(cursor.position) but only \(cursor.remaining) left")
        }
        return length
    }

    // MARK: Containers

    /// A list or set header: element type and count. The count is checked against the limit
    /// and against the bytes left (every element takes at least one byte).
    mutating func readListHeader() throws -> (elementType: ThriftCompactType?, count: Int) {
        let header = try cursor.readByte()
        var count = Int(header >> 4)
        if count == 15 {
            let raw = try cursor.readULEB128()
            guard raw <= UInt64(Int32.max) else {
                throw ParquetError.corrupt("Thrift list size \(raw) is larger than 2^31-1")
            }
            count = Int(raw)
        }
        let typeNibble = header & 0x0f
        // Some writers emit 0x00 for an empty list.
        if count == 0 { return (ThriftCompactType(rawValue: typeNibble), 0) }
        guard let type = ThriftCompactType(rawValue: typeNibble) else {
            throw ParquetError.corrupt("unknown Thrift list element type \(typeNibble)")
        }
        guard count <= limits.maxContainerCount else {
            throw ParquetError.limit("Thrift list of \(count) elements exceeds the limit of \(limits.maxContainerCount)")
        }
        let minimumElementSize = type == .double ? 8 : (type == .uuid ? 16 : 1)
        guard count <= cursor.remaining / minimumElementSize else {
            throw ParquetError.corrupt("Thrift list of \(count) elements but only \(cursor.remaining) bytes left")
        }
        return (type, count)
    }

    /// Reads a list whose elements should have wire type `expected` (both boolean nibbles are
    /// accepted for bool lists, any integer type for integer lists; `element` gets the actual
    /// wire type). Returns nil, after skipping the list, when the element type is another one.
    mutating func readList<Element>(
        of expected: ThriftCompactType,
        _ element: (inout ThriftCompactReader, ThriftCompactType) throws -> Element
    ) throws -> [Element]? {
        try enter()
        defer { depth -= 1 }
        let (type, count) = try readListHeader()
        if count == 0 { return [] }
        guard let type else { return [] }
        let matches = type == expected || (type.isBoolean && expected.isBoolean)
            || (type.isInteger && expected.isInteger)
        guard matches else {
            for _ in 0..<count { try skip(type, inList: true) }
            return nil
        }
        var result: [Element] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self, type)) }
        return result
    }

    // MARK: Skipping

    /// Skips one value of `type`. Booleans take no byte as struct fields, one inside lists.
    mutating func skip(_ type: ThriftCompactType, inList: Bool) throws {
        switch type {
        case .booleanTrue, .booleanFalse:
            if inList { _ = try cursor.readByte() }
        case .byte:
            try cursor.skip(1)
        case .i16, .i32, .i64:
            _ = try cursor.readULEB128()
        case .double:
            try cursor.skip(8)
        case .uuid:
            try cursor.skip(16)
        case .binary:
            _ = try readBinaryBytes()
        case .list, .set:
            try enter()
            defer { depth -= 1 }
            let (elementType, count) = try readListHeader()
            if count > 0, let elementType {
                for _ in 0..<count { try skip(elementType, inList: true) }
            }
        case .map:
            try enter()
            defer { depth -= 1 }
            let raw = try cursor.readULEB128()
            guard raw <= UInt64(limits.maxContainerCount) else {
                throw ParquetError.limit("Thrift map of \(raw) entries exceeds the limit of \(limits.maxContainerCount)")
            }
            let count = Int(raw)
            if count == 0 { return }
            guard count <= cursor.remaining else {
                throw ParquetError.corrupt("Thrift map of \(count) entries but only \(cursor.remaining) bytes left")
            }
            let types = try cursor.readByte()
            guard let keyType = ThriftCompactType(rawValue: types >> 4),
                  let valueType = ThriftCompactType(rawValue: types & 0x0f) else {
                throw ParquetError.corrupt("unknown Thrift map key/value types \(types)")
            }
            for _ in 0..<count {
                try skip(keyType, inList: true)
                try skip(valueType, inList: true)
            }
        case .struct:
            try readStruct { _, _ in false }
        }
    }
}
