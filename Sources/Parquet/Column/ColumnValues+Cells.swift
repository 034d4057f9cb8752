import Columns
extension ColumnValues {
    /// Builds a column from one `ParquetValue` per row, stored as `column`'s physical type
    /// asks (the per-value path, for tests and small outputs; bulk writers build the storage
    /// arrays directly). The inverse of `value(at:)`: `.date` for DATE, `.timestamp` for
    /// TIMESTAMP and INT96 (converted to Julian day and nanoseconds), `.decimal` with the
    /// column's scale, `.float` for FLOAT16, `.uuid` or `.bytes` for fixed-width bytes, and so on.
    /// Throws `invalidArgument` naming the row for a value the column cannot hold.
    public init(column: ColumnDescriptor, cells: [ParquetValue]) throws {
        let count = cells.count
        var valid = [Bool](repeating: true, count: count)
        for (row, cell) in cells.enumerated() where cell == .null {
            guard column.isOptional else {
                throw ParquetError(.invalidArgument, "row \(row) is null but column '\(column.name)' is required")
            }
            valid[row] = false
        }
        func mismatch(_ row: Int, _ cell: ParquetValue) -> ParquetError {
            ParquetError(.invalidArgument, "row \(row): \(cell) does not fit column '\(column.name)' (\(column.physicalType)\(column.logicalType.map { " \($0)" } ?? ""))")
        }
        let storage: ColumnStorage
        switch column.physicalType {
        case .boolean:
            storage = .boolean(try cells.enumerated().map { row, cell in
                switch cell {
                case .null: return false
                case let .boolean(value): return value
                default: throw mismatch(row, cell)
                }
            })
        case .int32:
            storage = .int32(try cells.enumerated().map { row, cell in
                let wide: Int64
                switch cell {
                case .null: return 0
                case let .int(value): wide = value
                case let .uint(value):
                    guard let narrow = UInt32(exactly: value) else { throw mismatch(row, cell) }
                    return Int32(bitPattern: narrow)
                case let .date(days): return days
                case let .time(value, .milliseconds): wide = value
                case let .decimal(value):
                    guard value.scale == column.decimalScale, let unscaled = value.unscaledInt64 else { throw mismatch(row, cell) }
                    wide = unscaled
                default: throw mismatch(row, cell)
                }
                guard let narrow = Int32(exactly: wide) else { throw mismatch(row, cell) }
                return narrow
            })
        case .int64:
            storage = .int64(try cells.enumerated().map { row, cell in
                switch cell {
                case .null: return 0
                case let .int(value): return value
                case let .uint(value): return Int64(bitPattern: value)
                case let .time(value, unit) where unit != .milliseconds: return value
                case let .timestamp(value, unit, _):
                    guard case let .timestamp(_, columnUnit)? = column.logicalType, columnUnit == unit else { throw mismatch(row, cell) }
                    return value
                case let .decimal(value):
                    guard value.scale == column.decimalScale, let unscaled = value.unscaledInt64 else { throw mismatch(row, cell) }
                    return unscaled
                default: throw mismatch(row, cell)
                }
            })
        case .int96:
            storage = .int96(try cells.enumerated().map { row, cell in
                switch cell {
                case .null: return Int96(nanosecondsOfDay: 0, julianDay: 0)
                case let .timestamp(value, unit, _):
                    guard let timestamp = Int96(value, unit: unit) else { throw mismatch(row, cell) }
                    return timestamp
                default: throw mismatch(row, cell)
                }
            })
        case .float:
            storage = .float(try cells.enumerated().map { row, cell in
                switch cell {
                case .null: return 0
                case let .float(value): return value
                default: throw mismatch(row, cell)
                }
            })
        case .double:
            storage = .double(try cells.enumerated().map { row, cell in
                switch cell {
                case .null: return 0
                case let .double(value): return value
                default: throw mismatch(row, cell)
                }
            })
        case .byteArray:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var bytes: [UInt8] = []
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: break
                case let .string(text): bytes.append(contentsOf: text.utf8)
                case let .bytes(value), let .uuid(value): bytes.append(contentsOf: value)
                case let .decimal(value):
                    guard value.scale == column.decimalScale else { throw mismatch(row, cell) }
                    bytes.append(contentsOf: value.unscaled)
                default: throw mismatch(row, cell)
                }
                guard let end = Int32(exactly: bytes.count) else {
                    throw ParquetError(.limitExceeded, "column '\(column.name)': more than 2 GiB of byte arrays")
                }
                offsets.append(end)
            }
            storage = .byteArray(ByteArrayValues(offsets: offsets, bytes: bytes))
        case .fixedLenByteArray:
            let width = column.typeLength ?? 0
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count * width)
            for (row, cell) in cells.enumerated() {
                var value: [UInt8]
                switch cell {
                case .null: value = [UInt8](repeating: 0, count: width)
                case let .bytes(raw), let .uuid(raw): value = raw
                case let .float(number) where width == 2:
                    let bits = Float16Conversion.bits(number)
                    value = [UInt8(bits & 0xff), UInt8(bits >> 8)]
                case let .decimal(decimal):
                    guard decimal.scale == column.decimalScale, let extended = decimal.signExtended(to: width) else {
                        throw mismatch(row, cell)
                    }
                    value = extended
                default: throw mismatch(row, cell)
                }
                guard value.count == width else { throw mismatch(row, cell) }
                bytes.append(contentsOf: value)
            }
            storage = .fixedLenByteArray(FixedLenByteArrayValues(width: width, bytes: bytes))
        default:
            throw ParquetError(.invalidArgument, "column '\(column.name)' has unknown physical type \(column.physicalType.rawValue)")
        }
        self.init(column: column, count: count, validity: .ofNullable(valid), storage: storage)
    }
}

extension Int96 {
    /// The INT96 (Julian day, nanoseconds of day) of `value` `unit`s since the Unix epoch; nil
    /// when the day does not fit.
    public init?(_ value: Int64, unit: TimeUnit) {
        let perDay = 86_400 * unit.perSecond
        var days = value / perDay
        var rest = value % perDay
        if rest < 0 {
            days -= 1
            rest += perDay
        }
        guard let julian = Int32(exactly: days + Self.julianDayOfEpoch) else { return nil }
        self.init(nanosecondsOfDay: rest * (1_000_000_000 / unit.perSecond), julianDay: julian)
    }
}

extension DecimalValue {
    /// The unscaled value as `width` big-endian bytes, or nil when it does not fit.
    public func signExtended(to width: Int) -> [UInt8]? {
        let pad: UInt8 = isNegative ? 0xff : 0
        if unscaled.count <= width {
            return [UInt8](repeating: pad, count: width - unscaled.count) + unscaled
        }
        // Longer: the extra leading bytes must be pure sign extension.
        let extra = unscaled.count - width
        guard unscaled[0..<extra].allSatisfy({ $0 == pad }), (unscaled[extra] & 0x80 != 0) == isNegative else { return nil }
        return Array(unscaled[extra...])
    }
}
