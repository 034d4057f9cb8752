/// How `CSVReader` reads a file.
public struct CSVReadOptions: Sendable {
    /// What to do with a record whose field count differs from the header's.
    public enum FieldCountPolicy: Sendable {
        /// Throw `CSVError.Kind.fieldCountMismatch` naming the line (the default: a short or
        /// long record in a registry extract almost always means a broken file).
        case strict
        /// Pad short records with empty fields and drop the extra fields of long ones.
        case padOrTruncate
    }

    /// Bytes read per batch; a batch holds the complete records of one block. Larger blocks
    /// mean fewer, bigger batches. At least 8 bytes.
    public var blockSize: Int = 4 << 20
    /// The largest single record accepted before failing with `.recordTooLarge`; bounds the
    /// memory a missing closing quote can make the reader use.
    public var maxRecordSize: Int = 64 << 20
    /// Whether the first record names the columns (otherwise columns are named `column1`, ...).
    public var hasHeader: Bool = true
    public var fieldCountPolicy: FieldCountPolicy = .strict

    public init(
        blockSize: Int = 4 << 20,
        maxRecordSize: Int = 64 << 20,
        hasHeader: Bool = true,
        fieldCountPolicy: FieldCountPolicy = .strict
    ) {
        self.blockSize = blockSize
        self.maxRecordSize = maxRecordSize
        self.hasHeader = hasHeader
        self.fieldCountPolicy = fieldCountPolicy
    }
}
