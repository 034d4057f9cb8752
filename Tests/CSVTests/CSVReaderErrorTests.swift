import CSV
import TestSupport
import Testing

@Suite("CSVReader errors")
struct CSVReaderErrorTests {
    @Test("a record with too few fields is an error naming file and line")
    func tooFewFields() throws {
        let error = try #require(throws: CSVError.self) {
            try readAll("a,b,c\n1,2,3\n4,5\n6,7,8\n", name: "stock.csv")
        }
        #expect(error.kind == .fieldCountMismatch(expected: 3, found: 2))
        #expect(error.line == 3)
        #expect(error.description == "stock.csv:3: record has 2 fields, expected 3 like the header")
    }

    @Test("a record with too many fields is an error; the line counts quoted line breaks")
    func tooManyFields() throws {
        let error = try #require(throws: CSVError.self) {
            try readAll("a,b\n\"x\ny\",1\n1,2,3\n", name: "f.csv")
        }
        #expect(error.kind == .fieldCountMismatch(expected: 2, found: 3))
        #expect(error.line == 4)
    }

    @Test("padOrTruncate pads short records and drops extra fields")
    func padOrTruncate() throws {
        let text = "a,b,c\n1\n1,2,3,4,\"5,5\"\n\"x\",\"y\"\n7,8,9\n"
        let result = try readAll(text, options: options(blockSize: 4 << 20, policy: .padOrTruncate))
        #expect(result.rows == [["1", "", ""], ["1", "2", "3"], ["x", "y", ""], ["7", "8", "9"]])
        let small = try readAll(text, options: options(blockSize: 9, policy: .padOrTruncate))
        #expect(small.rows == result.rows)
    }

    @Test("an unterminated quote is reported at the line where the record starts")
    func unterminatedQuote() throws {
        let error = try #require(throws: CSVError.self) {
            try readAll("a,b\n1,2\n3,\"open\nstill open\nto the end\n", name: "q.csv")
        }
        #expect(error.kind == .unterminatedQuote)
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("q.csv:3: quoted field"))
    }

    @Test("an unterminated quote with a tiny block size is found the same way")
    func unterminatedQuoteSmallBlocks() throws {
        let error = try #require(throws: CSVError.self) {
            try readAll("a,b\n1,2\n3,\"open\nstill open\nto the end\n", name: "q.csv", options: options(blockSize: 8))
        }
        #expect(error.kind == .unterminatedQuote)
        #expect(error.line == 3)
    }

    @Test("a record larger than maxRecordSize is an error, not unbounded memory")
    func recordTooLarge() throws {
        let text = "a,b\n1,\"" + String(repeating: "x", count: 5000) + "\n"
        let error = try #require(throws: CSVError.self) {
            try readAll(text, name: "big.csv",
                        options: CSVReadOptions(blockSize: 256, maxRecordSize: 1024))
        }
        #expect(error.kind == .recordTooLarge(limit: 1024, cause: .openQuote))
        #expect(error.line == 2)
        #expect(error.description.contains("is still open after 1024 bytes"), "\(error)")
    }

    @Test("a line longer than maxRecordSize without a quote says so, not that a quote is open")
    func lineTooLong() throws {
        let text = "a,b\n1," + String(repeating: "x", count: 5000) + "\n"
        let error = try #require(throws: CSVError.self) {
            try readAll(text, name: "long.csv", options: CSVReadOptions(blockSize: 256, maxRecordSize: 1024))
        }
        #expect(error.kind == .recordTooLarge(limit: 1024, cause: .noRecordEnd))
        #expect(error.description == "long.csv:2: a record longer than 1024 bytes (no line end found outside quotes)")
        // A closed quoted field with an escaped quote and a line break does not count as open.
        let closed = "a,b\n\"x\"\"\ny\"," + String(repeating: "x", count: 5000) + "\n"
        let error2 = try #require(throws: CSVError.self) {
            try readAll(closed, name: "long.csv", options: CSVReadOptions(blockSize: 256, maxRecordSize: 1024))
        }
        #expect(error2.kind == .recordTooLarge(limit: 1024, cause: .noRecordEnd))
    }

    @Test("CR-only line ends are refused by name, in a small file and past the record limit")
    func carriageReturnLineEnds() throws {
        let text = "a,b\r1,2\r3,4\r"
        let small = try #require(throws: CSVError.self) { try readAll(text, name: "mac.csv") }
        #expect(small.kind == .carriageReturnLineEnds)
        #expect(small.description.hasPrefix("mac.csv:1: lines end with a carriage return alone (CR"), "\(small)")
        let tiny = try #require(throws: CSVError.self) { try readAll(text, name: "mac.csv", options: options(blockSize: 8)) }
        #expect(tiny.kind == .carriageReturnLineEnds)
        let large = "a,b\r" + String(repeating: "1,2\r", count: 2000)
        let big = try #require(throws: CSVError.self) {
            try readAll(large, name: "mac.csv", options: CSVReadOptions(blockSize: 256, maxRecordSize: 1024))
        }
        #expect(big.kind == .carriageReturnLineEnds)
        // CRLF, a one-line file ending in CR, and a CR inside a data field stay readable.
        #expect(try readAll("a,b\r\n1,2\r\n").rows == [["1", "2"]])
        #expect(try readAll("a,b\r").rows == [])
        #expect(try readAll("a,b\n1,x\ry\n").rows == [["1", "x\ry"]])
    }

    @Test("an empty input has no header")
    func emptyInput() throws {
        let error = try #require(throws: CSVError.self) { try readAll("", name: "empty.csv") }
        #expect(error.kind == .missingHeader)
        #expect(error.description == "empty.csv: no header row (the input is empty)")
        let onlyBOM = try #require(throws: CSVError.self) { try readAll(bytes: [0xEF, 0xBB, 0xBF]) }
        #expect(onlyBOM.kind == .missingHeader)
    }

    @Test("a missing file is an error naming it")
    func missingFile() throws {
        let directory = try TestDirectory(prefix: "csv")
        let path = directory.file("absent.csv")
        let error = try #require(throws: CSVError.self) { try CSVReader(path: path) }
        #expect(error.description.hasPrefix("\(path): open failed"))
    }
}
