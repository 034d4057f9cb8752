#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

private let comma: UInt8 = 0x2C
private let quote: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

/// The byte-level state machine: finds records and field boundaries in a buffer.
///
/// Rules (RFC 4180, lenient where real files are not):
/// - A record ends at `\n`; a `\r` just before it is dropped, so LF and CRLF files read the same.
///   A lone `\r` elsewhere is data.
/// - A field that starts with `"` is quoted: commas and line breaks inside are data, `""` is one
///   quote. Text between the closing quote and the next delimiter is kept literally
///   (`"ab"c` reads `abc`).
/// - A `"` inside an unquoted field is kept literally (`ab"c` reads `ab"c`). Backslashes are
///   data: `\,` is a backslash and a field separator, as INSEE's files need.
/// - Empty lines are skipped (so a one-column file writes an empty value as `""`).
/// - UTF-8 is not validated here; `CSVField.string` repairs invalid sequences.
struct CSVRecordParser {
    let fileName: String
    /// Fields per record; 0 until the first record sets it.
    var expectedFields: Int
    let policy: CSVReadOptions.FieldCountPolicy

    struct Progress {
        /// Offset just after the last complete record parsed.
        var consumed: Int
        /// Physical line number at `consumed`.
        var line: Int
    }

    /// Parses the complete records of `storage.bytes[start..<end]`, appending them to the
    /// storage. Unless `isFinal`, a record cut by `end` is left for the next call.
    mutating func parse(
        _ storage: CSVBatchStorage, from start: Int, to end: Int,
        isFinal: Bool, line startLine: Int, maxRecords: Int = .max
    ) throws -> Progress {
        let base = UnsafeMutablePointer<UInt8>(storage.bytes.assumingMemoryBound(to: UInt8.self))
        var ends = storage.fieldEnds
        var fieldCount = storage.fieldCount
        var line = startLine
        var position = start
        var records = 0
        // Work on local arrays (moved out, so still uniquely referenced): appending to the
        // storage's own properties would cost an exclusivity check per record.
        var recordStarts = storage.recordStarts
        var recordLines = storage.recordLines
        var irregularFields = storage.irregularFields
        storage.recordStarts = []
        storage.recordLines = []
        storage.irregularFields = []
        defer {
            storage.fieldCount = fieldCount
            storage.recordStarts = recordStarts
            storage.recordLines = recordLines
            storage.irregularFields = irregularFields
        }

        recordLoop: while position < end && records < maxRecords {
            let recordStart = position
            let recordLine = line
            let recordFirstField = fieldCount
            let irregularMark = irregularFields.count
            var newlinesInQuotes = 0

            func abandonRecord() {
                fieldCount = recordFirstField
                irregularFields.removeSubrange(irregularMark...)
                position = recordStart
                line = recordLine
            }

            func commitRecord() throws {
                let found = fieldCount - recordFirstField
                if expectedFields == 0 {
                    expectedFields = found
                } else if found != expectedFields {
                    switch policy {
                    case .strict:
                        throw CSVError(
                            .fieldCountMismatch(expected: expectedFields, found: found),
                            file: fileName, line: recordLine)
                    case .padOrTruncate:
                        storage.fieldCount = fieldCount
                        fieldCount = normalizeFieldCount(
                            storage, recordFirstField: recordFirstField, fieldCount: fieldCount,
                            remainingBytes: end - position, irregularFields: &irregularFields)
                        ends = storage.fieldEnds
                    }
                }
                if irregularFields.count > irregularMark {
                    unescapeFields(&irregularFields, from: irregularMark, base: base)
                }
                recordStarts.append(UInt32(truncatingIfNeeded: recordStart))
                recordLines.append(recordLine)
                records += 1
                line += 1 + newlinesInQuotes
            }

            fieldLoop: while true {
                // Here `position` is the first byte of a field.
                if position < end && base[position] == quote {
                    let scan = scanQuotedField(base, openingQuote: position, end: end, isFinal: isFinal)
                    switch scan {
                    case .needMoreData:
                        abandonRecord()
                        break recordLoop
                    case .unterminated:
                        throw CSVError(.unterminatedQuote, file: fileName, line: recordLine)
                    case let .complete(field):
                        var endValue = UInt32(truncatingIfNeeded: field.end) | FieldEnd.quotedBit
                        if field.isIrregular {
                            endValue |= FieldEnd.irregularBit
                            irregularFields.append(IrregularField(
                                field: fieldCount, openingQuote: position,
                                closingQuote: field.closingQuote, rawEnd: field.end))
                        }
                        ends[fieldCount] = endValue
                        fieldCount += 1
                        newlinesInQuotes += field.newlines
                        position = field.next
                        switch field.terminator {
                        case .comma:
                            continue fieldLoop
                        case .lineFeed:
                            try commitRecord()
                            continue recordLoop
                        case .endOfInput:
                            try commitRecord()
                            break recordLoop
                        }
                    }
                }

                // An unquoted run: up to a line feed, a quote or the end of the buffer.
                var cursor = position
                while true {
                    cursor = scanUnquoted(base, from: cursor, to: end, ends: ends, fieldCount: &fieldCount)
                    guard cursor < end && base[cursor] == quote else { break }
                    let fieldStart = fieldCount > recordFirstField
                        ? Int(ends[fieldCount - 1] & FieldEnd.offsetMask) + 1 : recordStart
                    if cursor == fieldStart {
                        position = cursor
                        continue fieldLoop
                    }
                    // A stray quote inside an unquoted field is data.
                    ends[fieldCount] = UInt32(truncatingIfNeeded: cursor)
                    cursor += 1
                }

                let fieldStart = fieldCount > recordFirstField
                    ? Int(ends[fieldCount - 1] & FieldEnd.offsetMask) + 1 : recordStart
                if cursor == end && !isFinal {
                    abandonRecord()
                    break recordLoop
                }
                var fieldEnd = cursor
                if fieldEnd > fieldStart && base[fieldEnd - 1] == carriageReturn {
                    fieldEnd -= 1
                }
                position = cursor == end ? end : cursor + 1
                if fieldCount == recordFirstField && fieldEnd == recordStart {
                    // An empty line: not a record.
                    if cursor < end { line += 1 }
                    continue recordLoop
                }
                ends[fieldCount] = UInt32(truncatingIfNeeded: fieldEnd)
                fieldCount += 1
                try commitRecord()
                if cursor == end { break recordLoop }
                continue recordLoop
            }
        }
        return Progress(consumed: position, line: line)
    }

    /// Pads a short record with empty fields or drops the extra fields of a long one.
    private func normalizeFieldCount(
        _ storage: CSVBatchStorage, recordFirstField: Int, fieldCount: Int, remainingBytes: Int,
        irregularFields: inout [IrregularField]
    ) -> Int {
        let wanted = recordFirstField + expectedFields
        if fieldCount > wanted {
            irregularFields.removeAll { $0.field >= wanted }
            return wanted
        }
        storage.reserveFields(wanted + remainingBytes + CSVBatchStorage.fieldSlack)
        // A padded field ends where the last real one ends; its computed start lies one past
        // its end, which the accessors read as empty.
        let lastEnd = storage.fieldEnds[fieldCount - 1] & FieldEnd.offsetMask
        for index in fieldCount..<wanted {
            storage.fieldEnds[index] = lastEnd
        }
        return wanted
    }

    /// Rewrites the content of irregular quoted fields in place, without escapes.
    private func unescapeFields(_ irregularFields: inout [IrregularField], from first: Int, base: UnsafeMutablePointer<UInt8>) {
        for index in first..<irregularFields.count {
            var field = irregularFields[index]
            var write = field.openingQuote + 1
            var read = write
            // Inside the quotes every `"` is the first of a `""` pair.
            while read < field.closingQuote {
                let byte = base[read]
                base[write] = byte
                write += 1
                read += byte == quote ? 2 : 1
            }
            read = field.closingQuote + 1
            while read < field.rawEnd {
                base[write] = base[read]
                write += 1
                read += 1
            }
            field.contentStart = field.openingQuote + 1
            field.contentEnd = write
            irregularFields[index] = field
        }
    }
}

// MARK: - Unquoted runs

/// Scans unquoted bytes from `start`, recording the offset of every comma as a field end, and
/// returns the offset of the first line feed or quote, or `end`. Sixteen bytes at a time: one
/// vector compare per delimiter, the matches turned into bit masks, then one store per comma.
@inline(__always)
private func scanUnquoted(
    _ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int,
    ends: UnsafeMutablePointer<UInt32>, fieldCount: inout Int
) -> Int {
    let raw = UnsafeRawPointer(base)
    var cursor = start
    while end &- cursor >= 16 {
        let chunk = raw.loadUnaligned(fromByteOffset: cursor, as: SIMD16<UInt8>.self)
        let stops = bitMask(chunk .== SIMD16(repeating: lineFeed) .| chunk .== SIMD16(repeating: quote))
        var commas = bitMask(chunk .== SIMD16(repeating: comma))
        if stops != 0 {
            let stop = stops.trailingZeroBitCount
            commas &= (1 << stop) &- 1
            storeOffsets(of: commas, at: cursor, ends: ends, fieldCount: &fieldCount)
            return cursor &+ stop
        }
        storeOffsets(of: commas, at: cursor, ends: ends, fieldCount: &fieldCount)
        cursor &+= 16
    }
    // The last few bytes, one at a time: every byte stores its offset as a candidate field
    // end and only a comma keeps it.
    while cursor < end {
        let byte = base[cursor]
        if byte == lineFeed || byte == quote { return cursor }
        ends[fieldCount] = UInt32(truncatingIfNeeded: cursor)
        fieldCount &+= byte == comma ? 1 : 0
        cursor &+= 1
    }
    return end
}

/// One bit per byte lane (bit i set when lane i matched), without a movemask instruction:
/// each 8-lane half is gathered into its top byte by a multiplication.
@inline(__always)
private func bitMask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
    let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self) & SIMD2(repeating: 0x8080_8080_8080_8080)
    let low = (lanes[0] &* 0x0002_0408_1020_4081) >> 56
    let high = (lanes[1] &* 0x0002_0408_1020_4081) >> 56
    return UInt32(truncatingIfNeeded: low | high << 8)
}

/// Appends `offset + i` for every bit i of `bits`. The first four stores are unconditional
/// (one past the last lands after the count and is overwritten later), which spares a
/// hard-to-predict branch for the usual zero to four commas per chunk. (No popcount: it is not
/// in the baseline x86-64 instruction set.)
@inline(__always)
private func storeOffsets(of bits: UInt32, at offset: Int, ends: UnsafeMutablePointer<UInt32>, fieldCount: inout Int) {
    var bits = bits
    var index = fieldCount
    let base = UInt32(truncatingIfNeeded: offset)
    for _ in 0..<4 {
        ends[index] = base &+ UInt32(truncatingIfNeeded: bits.trailingZeroBitCount)
        index &+= bits != 0 ? 1 : 0
        bits &= bits &- 1
    }
    while bits != 0 {
        ends[index] = base &+ UInt32(truncatingIfNeeded: bits.trailingZeroBitCount)
        index &+= 1
        bits &= bits &- 1
    }
    fieldCount = index
}

// MARK: - Quoted fields

enum FieldTerminator {
    case comma, lineFeed, endOfInput
}

struct QuotedField {
    /// Offset of the byte after the field (delimiter, `\r`, or end of input).
    var end: Int
    /// Offset where the next field or record starts.
    var next: Int
    var terminator: FieldTerminator
    var closingQuote: Int
    var newlines: Int
    var isIrregular: Bool
}

enum QuotedFieldScan {
    case complete(QuotedField)
    /// The field (or its terminator) is cut by the end of the buffer.
    case needMoreData
    /// End of input inside the quotes.
    case unterminated
}

/// Scans a quoted field starting at `openingQuote`, with memchr to jump between quotes.
func scanQuotedField(
    _ base: UnsafeMutablePointer<UInt8>, openingQuote: Int, end: Int, isFinal: Bool
) -> QuotedFieldScan {
    var cursor = openingQuote + 1
    var newlines = 0
    var escaped = false
    while true {
        guard let found = memchr(base + cursor, Int32(quote), end - cursor) else {
            return isFinal ? .unterminated : .needMoreData
        }
        let quoteAt = UnsafeMutableRawPointer(found) - UnsafeMutableRawPointer(base)
        newlines += countLineFeeds(base, from: cursor, to: quoteAt)
        let after = quoteAt + 1
        if after < end {
            if base[after] == quote {
                escaped = true
                cursor = after + 1
                continue
            }
        } else if !isFinal {
            return .needMoreData
        }
        return finishQuotedField(base, closingQuote: quoteAt, end: end, isFinal: isFinal,
                                 newlines: newlines, escaped: escaped)
    }
}

/// Classifies what follows a closing quote: a delimiter, or text kept literally up to one.
private func finishQuotedField(
    _ base: UnsafeMutablePointer<UInt8>, closingQuote: Int, end: Int, isFinal: Bool,
    newlines: Int, escaped: Bool
) -> QuotedFieldScan {
    var field = QuotedField(end: end, next: end, terminator: .endOfInput, closingQuote: closingQuote,
                            newlines: newlines, isIrregular: escaped)
    let after = closingQuote + 1
    if after == end { return .complete(field) }
    switch base[after] {
    case comma:
        field.end = after
        field.next = after + 1
        field.terminator = .comma
        return .complete(field)
    case lineFeed:
        field.end = after
        field.next = after + 1
        field.terminator = .lineFeed
        return .complete(field)
    case carriageReturn where after + 1 < end && base[after + 1] == lineFeed:
        field.end = after
        field.next = after + 2
        field.terminator = .lineFeed
        return .complete(field)
    case carriageReturn where after + 1 == end:
        if !isFinal { return .needMoreData }
        field.end = after
        return .complete(field)
    default:
        break
    }
    // Text after the closing quote.
    field.isIrregular = true
    var cursor = after
    while cursor < end && base[cursor] != comma && base[cursor] != lineFeed {
        cursor += 1
    }
    if cursor == end {
        if !isFinal { return .needMoreData }
        field.end = base[end - 1] == carriageReturn ? end - 1 : end
        return .complete(field)
    }
    if base[cursor] == comma {
        field.end = cursor
        field.next = cursor + 1
        field.terminator = .comma
    } else {
        field.end = base[cursor - 1] == carriageReturn && cursor - 1 > closingQuote ? cursor - 1 : cursor
        field.next = cursor + 1
        field.terminator = .lineFeed
    }
    return .complete(field)
}

private func countLineFeeds(_ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> Int {
    var count = 0
    var cursor = start
    while cursor < end {
        count += base[cursor] == lineFeed ? 1 : 0
        cursor += 1
    }
    return count
}
