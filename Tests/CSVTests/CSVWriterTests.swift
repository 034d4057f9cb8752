import CSV
import Foundation
import TestSupport
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test("quotes only fields that need it, doubles quotes, CRLF by default")
    func quoting() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("out.csv")
        let writer = try CSVWriter(path: path, header: ["a", "b", "c"])
        try writer.writeRecord(["plain", " spaces kept ", "x,y"])
        try writer.writeRecord(["say \"hi\"", "line\nbreak", "cr\rhere"])
        try writer.writeRecord(["", "é,à", "\\,"])
        try writer.close()
        let text = String(decoding: try directory.bytes("out.csv"), as: UTF8.self)
        #expect(text == "a,b,c\r\n"
            + "plain, spaces kept ,\"x,y\"\r\n"
            + "\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\"\r\n"
            + ",\"é,à\",\"\\,\"\r\n")
    }

    @Test("another delimiter takes the comma's place, in the quoting rule too; a byte-order mark on request")
    func delimiterAndByteOrderMark() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("fr.csv")
        let writer = try CSVWriter(path: path, header: ["a", "b;c"], delimiter: UInt8(ascii: ";"), byteOrderMark: true)
        try writer.writeRecord(["1,5", "x;y"])
        try writer.writeRecord(["say \"hi\"", ""])
        try writer.close()
        #expect(try directory.bytes("fr.csv") == [0xEF, 0xBB, 0xBF] + Array("a;\"b;c\"\r\n1,5;\"x;y\"\r\n\"say \"\"hi\"\"\";\r\n".utf8))

        let tabs = try CSVWriter(path: directory.file("tab.csv"), header: ["a", "b"], delimiter: 0x09)
        try tabs.writeRecord(["x\ty", "p,q|r"])
        try tabs.close()
        #expect(try directory.bytes("tab.csv") == Array("a\tb\r\n\"x\ty\"\tp,q|r\r\n".utf8))
        #expect(CSVWriter.isUsableDelimiter(UInt8(ascii: "|")))
        #expect(!CSVWriter.isUsableDelimiter(UInt8(ascii: "\"")) && !CSVWriter.isUsableDelimiter(0x0A) && !CSVWriter.isUsableDelimiter(0xC3))
    }

    @Test("LF line endings on request")
    func lineFeed() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("lf.csv")
        let writer = try CSVWriter(path: path, header: ["x"], lineEnding: .lf)
        try writer.writeRecord(["1"])
        try writer.close()
        #expect(try directory.bytes("lf.csv") == Array("x\n1\n".utf8))
    }

    @Test("an empty value in a one-column file is written as \"\" so it is not an empty line")
    func singleColumnEmptyValue() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("one.csv")
        let writer = try CSVWriter(path: path, header: ["only"])
        try writer.writeRecord([""])
        try writer.writeRecord(["v"])
        try writer.close()
        #expect(try directory.bytes("one.csv") == Array("only\r\n\"\"\r\nv\r\n".utf8))
        let back = try collect(try CSVReader(path: path))
        #expect(back.rows == [[""], ["v"]])
    }

    @Test("field by field API: bytes, strings, empty and unquoted fields")
    func fieldAPI() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("fields.csv")
        let writer = try CSVWriter(path: path, header: ["a", "b", "c", "d"], lineEnding: .lf)
        writer.writeField(Array("by,tes".utf8))
        writer.writeField("str")
        writer.writeEmptyField()
        Array("2024-01-31".utf8).withUnsafeBytes { writer.writeUnquotedField($0) }
        try writer.endRecord()
        try writer.close()
        #expect(try directory.bytes("fields.csv") == Array("a,b,c,d\n\"by,tes\",str,,2024-01-31\n".utf8))
    }

    @Test("nothing appears at the destination before close()")
    func atomicUntilClose() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("data.csv")
        try directory.write("old content\n", to: "data.csv")
        let writer = try CSVWriter(path: path, header: ["a"])
        for index in 0..<10_000 { try writer.writeRecord(["row \(index)"]) }
        #expect(try directory.bytes("data.csv") == Array("old content\n".utf8))
        #expect(try directory.names().count == 2)
        try writer.close()
        #expect(try directory.names() == ["data.csv"])
        #expect(try collect(try CSVReader(path: path)).rows.count == 10_000)
    }

    @Test("an abandoned writer leaves nothing behind")
    func abandonedWriter() throws {
        let directory = try TestDirectory(prefix: "csv")
        do {
            let writer = try CSVWriter(path: directory.file("never.csv"), header: ["a", "b"])
            try writer.writeRecord(["1", "2"])
        }
        #expect(try directory.names().isEmpty)
        let discarded = try CSVWriter(path: directory.file("discarded.csv"), header: ["a"])
        try discarded.writeRecord(["1"])
        discarded.discard()
        #expect(try directory.names().isEmpty)
        #expect(throws: CSVError.self) { try discarded.close() }
    }

    @Test("a record with the wrong field count fails the writer and removes the output")
    func wrongFieldCount() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("bad.csv")
        let writer = try CSVWriter(path: path, header: ["a", "b"])
        let error = try #require(throws: CSVError.self) { try writer.writeRecord(["only one"]) }
        #expect(error.kind == .writerFieldCount(expected: 2, found: 1))
        #expect(error.description == "\(path): record written with 1 field, expected 2")
        #expect(throws: CSVError.self) { try writer.close() }
        #expect(try directory.names().isEmpty)
    }

    @Test("a missing directory is an error naming the file")
    func missingDirectory() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("no/such/dir/out.csv")
        let error = try #require(throws: CSVError.self) { try CSVWriter(path: path, header: ["a"]) }
        #expect(error.description.hasPrefix(path + ": cannot create a temporary file beside it: "), "\(error)")
        #expect(throws: CSVError.self) { try CSVWriter(path: directory.file("x.csv"), header: []) }
    }
}

@Suite("CSV round trip")
struct CSVRoundTripTests {
    static let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "é", "ü", "€", "\\", "'", ";", "\t", "😀"]

    static func randomRows(count: Int, columns: Int, seed: UInt64) -> [[String]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<columns).map { _ in
                let length = random.below(4) == 0 ? 0 : random.below(12)
                return (0..<length).map { _ in alphabet[random.below(alphabet.count)] }.joined()
            }
        }
    }

    @Test("random fields with every special character survive writer -> reader", arguments: [CSVLineEnding.crlf, .lf])
    func randomRoundTrip(lineEnding: CSVLineEnding) throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("round.csv")
        let header = ["id", "texte, avec virgule", "\"quoted\" name", "vide"]
        let rows = Self.randomRows(count: 3000, columns: header.count, seed: 42)
        let writer = try CSVWriter(path: path, header: header, lineEnding: lineEnding)
        for row in rows { try writer.writeRecord(row) }
        try writer.close()
        for blockSize in [16, 1000, 4 << 20] {
            let back = try collect(try CSVReader(path: path, options: options(blockSize: blockSize)))
            #expect(back.header == header)
            #expect(back.rows == rows, "block size \(blockSize)")
        }
    }

    @Test("a generated 100k-row file reads back exactly")
    func hundredThousandRows() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("big.csv")
        let header = ["siret", "naf", "nom", "adresse", "cp"]
        var random = SplitMix64(seed: 2026)
        var rows: [[String]] = []
        rows.reserveCapacity(100_000)
        let writer = try CSVWriter(path: path, header: header)
        for index in 0..<100_000 {
            let row = [
                String(10_000_000_000_000 + index),
                ["69.20Z", "43.29A", "47.11F", "62.01Z"][random.below(4)],
                random.below(5) == 0 ? "CAFÉ \"CHEZ \(index)\"" : "SOCIÉTÉ \(index)",
                random.below(3) == 0 ? "\(index) RUE X, BAT \(random.below(9))" : "",
                random.below(50) == 0 ? "[ND]" : String(10000 + random.below(89999)),
            ]
            rows.append(row)
            try writer.writeRecord(row)
        }
        try writer.close()
        let reader = try CSVReader(path: path, options: options(blockSize: 64 << 10))
        var index = 0
        var mismatches = 0
        var batches = 0
        while let batch = try reader.nextBatch() {
            batches += 1
            for record in 0..<batch.recordCount {
                if index >= rows.count || batch.record(record) != rows[index] { mismatches += 1 }
                #expect(batch.lineNumber(ofRecord: record) == index + 2)
                index += 1
            }
        }
        #expect(index == 100_000)
        #expect(mismatches == 0)
        #expect(batches > 10)
    }
}
