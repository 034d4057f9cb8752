import CSV
import Foundation
import TestSupport
import Testing

/// `CSVWriter.writeRecords` (columns of bytes, many records per call) writes the bytes the field
/// by field API writes for the same values.
@Suite("CSVWriter.writeRecords")
struct CSVWriteRecordsTests {
    /// Columns of random values: nulls, empty values, every length around the copy's cases
    /// (under 4, 4 to 7, 8 to 16, longer, longer than the write buffer) and every byte that needs
    /// quotes, in some columns only.
    struct Columns {
        var values: [[String?]]  // per column, per row
        var bytes: [[UInt8]] = []
        var offsets: [[Int32]] = []
        var validity: [[UInt64]] = []

        init(rows: Int, columns: Int, seed: UInt64) {
            var random = SplitMix64(seed: seed)
            let plain = Array("abcdefghijklmnopqrstuvwxyzé0123456789 -").map(String.init)
            let special = plain + [",", ";", "\"", "\r", "\n", "\t"]
            values = (0..<columns).map { column in
                let letters = column % 2 == 0 ? plain : special
                return (0..<rows).map { _ -> String? in
                    if random.below(10) == 0 { return nil }
                    let length = random.below(200) == 0 ? 6000 : [0, 1, 3, 4, 7, 8, 12, 16, 17, 40][random.below(10)]
                    return (0..<length).map { _ in letters[random.below(letters.count)] }.joined()
                }
            }
            for column in values {
                var bytes: [UInt8] = []
                var offsets: [Int32] = [0]
                var validity = [UInt64](repeating: 0, count: (rows + 63) / 64)
                for (row, value) in column.enumerated() {
                    if let value {
                        bytes += Array(value.utf8)
                        validity[row >> 6] |= 1 << UInt64(row & 63)
                    }
                    offsets.append(Int32(bytes.count))
                }
                self.bytes.append(bytes)
                self.offsets.append(offsets)
                self.validity.append(validity)
            }
        }

        func write(to writer: CSVWriter, keep: [Bool]?) throws {
            // Copies with addresses stable for the call.
            let copies = (0..<values.count).map { column in
                (bytes: UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes[column].count, 1)),
                 offsets: UnsafeMutableBufferPointer<Int32>.allocate(capacity: offsets[column].count),
                 validity: UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(validity[column].count, 1)))
            }
            defer {
                for copy in copies {
                    copy.bytes.deallocate()
                    copy.offsets.deallocate()
                    copy.validity.deallocate()
                }
            }
            let fields = copies.enumerated().map { column, copy in
                _ = copy.bytes.initialize(from: bytes[column])
                _ = copy.offsets.initialize(from: offsets[column])
                _ = copy.validity.initialize(from: validity[column])
                return CSVColumnBytes(bytes: UnsafePointer(copy.bytes.baseAddress), offsets: UnsafePointer(copy.offsets.baseAddress!),
                                      validity: UnsafePointer(copy.validity.baseAddress))
            }
            if let keep {
                try keep.withUnsafeBufferPointer { try writer.writeRecords(fields, rows: 0..<values[0].count, keep: $0.baseAddress) }
            } else {
                try writer.writeRecords(fields, rows: 0..<values[0].count)
            }
        }

        func writeFieldByField(to writer: CSVWriter, keep: [Bool]?) throws {
            for row in 0..<values[0].count where keep?[row] ?? true {
                for column in values {
                    if let value = column[row] { writer.writeField(value) } else { writer.writeEmptyField() }
                }
                try writer.endRecord()
            }
        }
    }

    @Test("the same bytes as field by field", arguments: [
        (columns: 5, delimiter: UInt8(ascii: ","), lineEnding: CSVLineEnding.crlf, keeping: false),
        (columns: 5, delimiter: UInt8(ascii: ";"), lineEnding: .lf, keeping: true),
        (columns: 1, delimiter: UInt8(ascii: ","), lineEnding: .crlf, keeping: true),
        (columns: 2, delimiter: 0x09, lineEnding: .crlf, keeping: false),
    ])
    func sameBytes(columns: Int, delimiter: UInt8, lineEnding: CSVLineEnding, keeping: Bool) throws {
        let directory = try TestDirectory(prefix: "csv-records")
        let data = Columns(rows: 1500, columns: columns, seed: UInt64(columns) * 31 + UInt64(delimiter))
        var random = SplitMix64(seed: 7)
        let keep = keeping ? (0..<1500).map { _ in random.below(3) != 0 } : nil
        let header = (0..<columns).map { "c\($0)" }
        // The smallest write buffer (4 KiB), so that fields longer than it and buffer ends are met.
        let together = try CSVWriter(path: directory.file("together.csv"), header: header, lineEnding: lineEnding,
                                     delimiter: delimiter, bufferSize: 0)
        try data.write(to: together, keep: keep)
        try together.writeRecord(header)  // field by field after records: the writer's state is whole
        try together.close()
        let apart = try CSVWriter(path: directory.file("apart.csv"), header: header, lineEnding: lineEnding,
                                  delimiter: delimiter, bufferSize: 0)
        try data.writeFieldByField(to: apart, keep: keep)
        try apart.writeRecord(header)
        try apart.close()
        let written = try directory.bytes("together.csv")
        #expect(written == (try directory.bytes("apart.csv")))
        #expect(written.count > columns * 20_000)
        if columns == 1 {
            // A null or empty value alone on its line is written "" (not an empty line).
            #expect(String(decoding: written, as: UTF8.self).contains("\r\n\"\"\r\n"))
        }
    }

    @Test("columns that are not one per column of the file fail the writer and leave nothing")
    func wrongColumnCount() throws {
        let directory = try TestDirectory(prefix: "csv-records")
        let data = Columns(rows: 10, columns: 2, seed: 1)
        let writer = try CSVWriter(path: directory.file("out.csv"), header: ["a", "b", "c"])
        #expect(throws: CSVError.self) { try data.write(to: writer, keep: nil) }
        #expect(throws: CSVError.self) { try writer.close() }
        #expect(!FileManager.default.fileExists(atPath: directory.file("out.csv")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
