/// The NAF part of a job's filters: a stock value is kept when it falls under one of the included
/// codes and under none of the excluded ones, and belongs to the chosen nomenclature.
public struct NAFFilter: Sendable, Equatable {
    public let include: [NAFCode]
    public let exclude: [NAFCode]
    /// The nomenclature of the column being filtered. Stock values of the other nomenclature never
    /// match: after 2027 classes were renumbered, so `62` in rév. 2 is not `62` in NAF 2025.
    public let nomenclature: NAFNomenclature

    private let includePatterns: [NAFStockPattern]
    private let excludePatterns: [NAFStockPattern]

    /// Fails with `NAFError.nomenclatureMismatch` naming the first code (includes first) whose
    /// subclass letter belongs to the other nomenclature.
    public init(include: [NAFCode], exclude: [NAFCode] = [], nomenclature: NAFNomenclature = .rev2) throws(NAFError) {
        if let mismatch = (include + exclude).first(where: { !$0.isCompatible(with: nomenclature) }) {
            throw .nomenclatureMismatch(code: mismatch, expected: nomenclature)
        }
        self.include = include
        self.exclude = exclude
        self.nomenclature = nomenclature
        self.includePatterns = include.map { $0.pattern }
        self.excludePatterns = exclude.map { $0.pattern }
    }

    /// The test on the raw UTF-8 bytes of a stock value (`69.20Z`): no allocation, meant to be
    /// called once per row or per dictionary entry.
    public func matches(stockBytes bytes: UnsafeRawBufferPointer) -> Bool {
        guard let value = NAFStockValue.pack(bytes), value.nomenclature == nomenclature else { return false }
        var included = false
        for pattern in includePatterns where pattern.matches(packed: value.bits) {
            included = true
            break
        }
        guard included else { return false }
        for pattern in excludePatterns where pattern.matches(packed: value.bits) {
            return false
        }
        return true
    }

    /// The same test on bytes held in an array or a slice of one.
    public func matches<Bytes: Collection>(stockBytes bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        NAFStockValue.withBytes(of: bytes) { matches(stockBytes: $0) }
    }

    public func matches(stockValue: String) -> Bool {
        NAFStockValue.withBytes(of: stockValue) { matches(stockBytes: $0) }
    }

    public static func == (lhs: NAFFilter, rhs: NAFFilter) -> Bool {
        lhs.include == rhs.include && lhs.exclude == rhs.exclude && lhs.nomenclature == rhs.nomenclature
    }
}
