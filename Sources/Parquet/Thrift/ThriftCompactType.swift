/// Wire type ids of the Thrift compact protocol (the low nibble of a field header, and the
/// element types of lists, sets and maps). Shared by the decoder and a future encoder.
enum ThriftCompactType: UInt8, Sendable {
    case booleanTrue = 1
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13

    var isInteger: Bool {
        switch self {
        case .byte, .i16, .i32, .i64: return true
        default: return false
        }
    }

    var isBoolean: Bool { self == .booleanTrue || self == .booleanFalse }
}

/// A field header: its id (already resolved from the delta) and its wire type.
struct ThriftField {
    let id: Int16
    let type: ThriftCompactType

    /// For boolean struct fields the value is the wire type itself.
    var boolValue: Bool { type == .booleanTrue }
}

/// Caps that stop a hostile footer or page header from making us allocate or recurse without
/// bound (the Arrow C++ defaults for strings and containers, arrow-rs's depth).
struct ThriftLimits: Sendable {
    var maxStringLength = 100_000_000
    var maxContainerCount = 1_000_000
    var maxDepth = 64

    static let `default` = ThriftLimits()
}
