/// How a field's end offset is stored: the offset of the byte after the field (its comma,
/// its `\r` or `\n`, or the end of input) in the low 30 bits, and two flags.
@usableFromInline
enum FieldEnd {
    /// The field was enclosed in quotes; its content is between them.
    @usableFromInline static let quotedBit: UInt32 = 1 << 31
    /// The quoted field held `""` escapes or text after the closing quote; its unescaped
    /// content was rewritten in place and its bounds are in `irregularFields`.
    @usableFromInline static let irregularBit: UInt32 = 1 << 30
    @usableFromInline static let offsetMask: UInt32 = (1 << 30) - 1
    /// Offsets must fit in 30 bits, so a batch buffer is smaller than 1 GiB.
    static let maxBufferSize = 1 << 30 - 16
}

/// A quoted field whose content is not simply the bytes between its quotes.
@usableFromInline
struct IrregularField {
    /// Index of the field in the batch (`record * columnCount + column`).
    @usableFromInline var field: Int
    var openingQuote: Int
    var closingQuote: Int
    var rawEnd: Int
    /// The unescaped content, set when the record is complete.
    @usableFromInline var contentStart: Int = 0
    @usableFromInline var contentEnd: Int = 0
}

/// The memory behind one batch: the raw bytes of its records (plus, while reading, the start
/// of the next record) and where each field ends. The reader reuses a storage for the next
/// batch only when no `CSVBatch` refers to it any more, so a batch never changes under its
/// holder; that is why it can be marked Sendable.
final class CSVBatchStorage: @unchecked Sendable {
    private(set) var bytes: UnsafeMutableRawPointer
    private(set) var byteCapacity: Int
    /// Bytes of input held in `bytes`.
    var byteCount = 0

    private(set) var fieldEnds: UnsafeMutablePointer<UInt32>
    private(set) var fieldCapacity: Int
    var fieldCount = 0

    var recordStarts: [UInt32] = []
    var recordLines: [Int] = []
    var irregularFields: [IrregularField] = []

    static let fieldSlack = 64

    init(byteCapacity: Int) {
        self.byteCapacity = byteCapacity
        bytes = UnsafeMutableRawPointer.allocate(byteCount: byteCapacity + 1, alignment: 16)
        // Every field but the last of the input ends at a delimiter byte, so this is enough
        // for any input that fits in `bytes` (padding short records reserves more), plus the
        // slack the parser's unconditional stores may touch past the last field.
        fieldCapacity = byteCapacity + CSVBatchStorage.fieldSlack
        fieldEnds = UnsafeMutablePointer<UInt32>.allocate(capacity: fieldCapacity)
    }

    deinit {
        bytes.deallocate()
        fieldEnds.deallocate()
    }

    var recordCount: Int { recordStarts.count }

    /// Forgets the records, keeping the memory.
    func clearRecords() {
        fieldCount = 0
        recordStarts.removeAll(keepingCapacity: true)
        recordLines.removeAll(keepingCapacity: true)
        irregularFields.removeAll(keepingCapacity: true)
    }

    /// Grows the byte buffer, keeping its content.
    func growBytes(to newCapacity: Int) {
        guard newCapacity > byteCapacity else { return }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity + 1, alignment: 16)
        grown.copyMemory(from: bytes, byteCount: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = newCapacity
        reserveFields(newCapacity + CSVBatchStorage.fieldSlack)
    }

    /// Makes room for at least `count` field ends, keeping those written.
    func reserveFields(_ count: Int) {
        guard count > fieldCapacity else { return }
        let newCapacity = max(count, fieldCapacity * 2)
        let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        grown.update(from: fieldEnds, count: fieldCount)
        fieldEnds.deallocate()
        fieldEnds = grown
        fieldCapacity = newCapacity
    }

    /// Moves `bytes[from..<byteCount]` to the front (the incomplete record carried over).
    func moveTailToFront(from offset: Int) {
        let tail = byteCount - offset
        if tail > 0 && offset > 0 {
            bytes.copyMemory(from: bytes + offset, byteCount: tail)
        }
        byteCount = max(0, tail)
    }
}
