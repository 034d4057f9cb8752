import Columns

/// A batch of consecutive records read by `CSVReader`: the raw bytes of the records and the
/// bounds of every field, with no per-field allocation. Field `(record, column)` is read as
/// bytes (`withUnsafeFields`, `bytes(record:column:)`) or as a `String` on demand.
///
/// Empty fields and empty quoted fields (`""`) are both empty; `isQuoted` tells them apart.
public struct CSVBatch: @unchecked Sendable {
    let storage: CSVBatchStorage
    public let recordCount: Int
    public let columnCount: Int
    /// The file the batch was read from, for error messages.
    public let fileName: String

    init(storage: CSVBatchStorage, columnCount: Int, fileName: String) {
        self.storage = storage
        recordCount = storage.recordCount
        self.columnCount = columnCount
        self.fileName = fileName
    }

    /// The physical line (1-based) where record `record` starts.
    public func lineNumber(ofRecord record: Int) -> Int {
        storage.recordLines[record]
    }

    /// Gives fast, unchecked-lifetime access to the fields: the view and the buffers it
    /// hands out are valid only inside `body`.
    public func withUnsafeFields<Result>(_ body: (CSVFields) throws -> Result) rethrows -> Result {
        try storage.recordStarts.withUnsafeBufferPointer { starts in
            try storage.irregularFields.withUnsafeBufferPointer { irregular in
                let view = CSVFields(
                    bytes: UnsafeRawPointer(storage.bytes), ends: storage.fieldEnds,
                    recordStarts: starts, irregular: irregular,
                    recordCount: recordCount, columnCount: columnCount)
                return try withExtendedLifetime(storage) { try body(view) }
            }
        }
    }

    /// Field content as UTF-8 bytes (copied).
    public func bytes(record: Int, column: Int) -> [UInt8] {
        withUnsafeFields { Array($0[record, column].bytes) }
    }

    /// Field content as a String; invalid UTF-8 is repaired with U+FFFD.
    public func string(record: Int, column: Int) -> String {
        withUnsafeFields { $0[record, column].string }
    }

    /// Whether the field was written between quotes.
    public func isQuoted(record: Int, column: Int) -> Bool {
        withUnsafeFields { $0[record, column].isQuoted }
    }

    /// All fields of one record as Strings.
    public func record(_ record: Int) -> [String] {
        withUnsafeFields { fields in (0..<columnCount).map { fields[record, $0].string } }
    }

    /// All values of one column as Strings.
    public func column(_ column: Int) -> [String] {
        withUnsafeFields { fields in (0..<recordCount).map { fields[$0, column].string } }
    }

    /// One column's fields in the layout every part of builder shares (`ColumnData` byte
    /// arrays, copied out of the batch through a `ColumnsBuilder`): an empty field is a null,
    /// an empty quoted field (`""`) the empty string. Bytes are as read (UTF-8 is not checked).
    public func columnData(_ column: Int) throws(ColumnsBuilderError) -> ColumnData {
        let builder = ColumnsBuilder(kinds: [.byteArray], reservingCapacity: recordCount)
        withUnsafeFields { fields in
            for record in 0..<recordCount {
                let field = fields[record, column]
                builder.appendText(0, field.isEmpty && !field.isQuoted ? nil : field.bytes)
            }
        }
        return try builder.finish()[0]
    }
}

/// A view of a batch's fields, valid inside `CSVBatch.withUnsafeFields` only.
///
/// Field access is inlinable so a filter loop over one column compiles to a few loads.
public struct CSVFields {
    @usableFromInline let bytes: UnsafeRawPointer
    @usableFromInline let ends: UnsafePointer<UInt32>
    @usableFromInline let recordStarts: UnsafeBufferPointer<UInt32>
    @usableFromInline let irregular: UnsafeBufferPointer<IrregularField>
    public let recordCount: Int
    public let columnCount: Int

    init(bytes: UnsafeRawPointer, ends: UnsafeMutablePointer<UInt32>,
         recordStarts: UnsafeBufferPointer<UInt32>, irregular: UnsafeBufferPointer<IrregularField>,
         recordCount: Int, columnCount: Int) {
        self.bytes = bytes
        self.ends = UnsafePointer(ends)
        self.recordStarts = recordStarts
        self.irregular = irregular
        self.recordCount = recordCount
        self.columnCount = columnCount
    }

    /// The field at `record`, `column` (both must be in range).
    @inlinable
    public subscript(record: Int, column: Int) -> CSVField {
        precondition(record >= 0 && record < recordCount && column >= 0 && column < columnCount,
                     "CSV field index out of range")
        let index = record &* columnCount &+ column
        let endValue = ends[index]
        var end = Int(endValue & FieldEnd.offsetMask)
        var start = column == 0
            ? Int(recordStarts[record]) : Int(ends[index &- 1] & FieldEnd.offsetMask) &+ 1
        let quoted = endValue & FieldEnd.quotedBit != 0
        if quoted {
            if endValue & FieldEnd.irregularBit != 0 {
                (start, end) = irregularBounds(field: index)
            } else {
                start &+= 1
                end &-= 1
            }
        }
        // Padded fields (see `FieldCountPolicy.padOrTruncate`) have start past end.
        let count = max(0, end &- start)
        return CSVField(UnsafeRawBufferPointer(start: bytes + start, count: count), isQuoted: quoted)
    }

    @usableFromInline
    func irregularBounds(field: Int) -> (Int, Int) {
        var low = 0
        var high = irregular.count
        while low < high {
            let middle = (low + high) / 2
            if irregular[middle].field < field { low = middle + 1 } else { high = middle }
        }
        guard low < irregular.count, irregular[low].field == field else { return (0, 0) }
        return (irregular[low].contentStart, irregular[low].contentEnd)
    }
}

/// One field's content, borrowed from its batch (see `CSVFields`).
public struct CSVField {
    /// The field's bytes, without enclosing quotes and with `""` unescaped.
    public let bytes: UnsafeRawBufferPointer
    /// Whether the field was written between quotes (`""` is an empty quoted field).
    public let isQuoted: Bool

    @inlinable
    init(_ bytes: UnsafeRawBufferPointer, isQuoted: Bool) {
        self.bytes = bytes
        self.isQuoted = isQuoted
    }

    public var isEmpty: Bool { bytes.isEmpty }
    public var count: Int { bytes.count }

    /// The content decoded as UTF-8 (invalid sequences become U+FFFD).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the content is exactly `other`'s bytes.
    @inlinable
    public func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        guard other.count == bytes.count else { return false }
        guard let lhs = bytes.baseAddress, let rhs = other.baseAddress else { return true }
        return memcmpBytes(lhs, rhs, other.count)
    }

    /// Whether the content is exactly `other` (compared as UTF-8).
    public func equals(_ other: [UInt8]) -> Bool {
        other.withUnsafeBytes { equals($0) }
    }

    /// Whether the content starts with `prefix`.
    @inlinable
    public func starts(with prefix: UnsafeRawBufferPointer) -> Bool {
        guard prefix.count <= bytes.count else { return false }
        guard let lhs = bytes.baseAddress, let rhs = prefix.baseAddress else { return true }
        return memcmpBytes(lhs, rhs, prefix.count)
    }

    public func starts(with prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBytes { starts(with: $0) }
    }
}

@inlinable
func memcmpBytes(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    while index < count {
        if lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        index += 1
    }
    return true
}
