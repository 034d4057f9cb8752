/// An encoder for the Thrift compact protocol, the mirror of `ThriftCompactReader`.
///
/// Structs are written with `writeStruct`, which keeps the "last field id" of *that* struct
/// (saved and restored around nested structs) so field headers use the short delta form
/// whenever the id grows by 1 to 15, and the long form otherwise. Fields must be written in
/// increasing id order within a struct, as every generated Thrift encoder does.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastFieldID: Int16 = 0

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the output for reuse (page headers are written one after another).
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        lastFieldID = 0
    }

    // MARK: Structs

    /// Writes one struct: `body` writes its fields, then the STOP byte ends it.
    mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        let saved = lastFieldID
        lastFieldID = 0
        body(&self)
        bytes.append(0)
        lastFieldID = saved
    }

    /// A field header: the id as a delta in the high nibble when it fits, else the long form
    /// (type byte, then the id as a zigzag varint).
    mutating func fieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta << 4) | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    // MARK: Fields

    /// A boolean struct field: the value is the wire type itself, no payload.
    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeI32(value)
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeI64(value)
    }

    mutating func field(_ id: Int16, byte value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, double value: Double) {
        fieldHeader(id, .double)
        writeDouble(value)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func field(_ id: Int16, string value: String) {
        fieldHeader(id, .binary)
        writeString(value)
    }

    mutating func field(_ id: Int16, struct body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .struct)
        writeStruct(body)
    }

    /// A list field of `elements`, each written by `element` (which must write one value of
    /// wire type `elementType`).
    mutating func field<Element>(_ id: Int16, list elementType: ThriftCompactType, _ elements: [Element],
                                 _ element: (inout ThriftCompactWriter, Element) -> Void) {
        fieldHeader(id, .list)
        writeListHeader(elementType, count: elements.count)
        for value in elements { element(&self, value) }
    }

    // MARK: Values (list elements and field payloads)

    mutating func writeI32(_ value: Int32) {
        writeVarint(zigzag(Int64(value)))
    }

    mutating func writeI64(_ value: Int64) {
        writeVarint(zigzag(value))
    }

    mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        writeVarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A bool inside a list: one byte, 1 for true and 2 for false (the compact protocol's type
    /// ids, as the C++ and Java encoders write them).
    mutating func writeListBool(_ value: Bool) {
        bytes.append(value ? 1 : 2)
    }

    /// Bytes already encoded by another writer (whole values: structs are self-delimiting).
    mutating func writeEncoded(_ encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    /// A list or set header: the size in the high nibble up to 14, else 15 and a varint.
    mutating func writeListHeader(_ elementType: ThriftCompactType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count << 4) | elementType.rawValue)
        } else {
            bytes.append(0xf0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    private mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: remaining))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
