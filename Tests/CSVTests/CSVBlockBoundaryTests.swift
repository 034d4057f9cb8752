import CSV
import Foundation
import TestSupport
import Testing

/// The same input must read identically whatever the block size, so every record and every
/// quote, CRLF and escape lands on a block boundary at least once.
@Suite("CSVReader block boundaries")
struct CSVBlockBoundaryTests {
    static let tricky = "\u{FEFF}id,texte,vide,fin\r\n"
        + "1,simple,,x\r\n"
        + "2,\"virgule, dedans\",\"\",y\r\n"
        + "3,\"saut\r\nde ligne\",,\"z\"\r\n"
        + "\r\n"
        + "4,\"\"\"guillemets\"\"\",,\"a\"\"b\"\n"
        + "5,stray\"quote,\\,\"c\"junk\n"
        + "6,\"\",\"\",\"\"\r\n"
        + "7,été,àçü,\"ÉÈ\"\n"
        + "8,last,,no newline"

    @Test("every block size from 8 to 200 gives the same records", arguments: [true, false])
    func everyBlockSize(crlf: Bool) throws {
        let text = crlf ? Self.tricky : Self.tricky.replacingOccurrences(of: "\r\n", with: "\n")
        let reference = try readAll(text)
        #expect(reference.rows.count == 8)
        #expect(reference.rows[1] == ["2", "virgule, dedans", "", "y"])
        #expect(reference.rows[3] == ["4", "\"guillemets\"", "", "a\"b"])
        #expect(reference.rows[4] == ["5", "stray\"quote", "\\", "cjunk"])
        #expect(reference.rows[7] == ["8", "last", "", "no newline"])
        #expect(reference.lines == [2, 3, 4, 7, 8, 9, 10, 11])
        for blockSize in 8...200 {
            let result = try readAll(text, options: options(blockSize: blockSize))
            #expect(result.header == reference.header, "block size \(blockSize)")
            #expect(result.rows == reference.rows, "block size \(blockSize)")
            #expect(result.quoted == reference.quoted, "block size \(blockSize)")
            #expect(result.lines == reference.lines, "block size \(blockSize)")
        }
    }

    @Test("small blocks produce many batches with the same content")
    func manyBatches() throws {
        var text = "a,b,c\n"
        var random = SplitMix64(seed: 7)
        var expected: [[String]] = []
        for index in 0..<2000 {
            let row = ["\(index)", String(repeating: "x", count: random.below(30)), "\"q\(random.below(9))\""]
            expected.append([row[0], row[1], "q" + row[2].dropFirst(2).dropLast()])
            text += row.joined(separator: ",") + "\n"
        }
        let result = try readAll(text, options: options(blockSize: 100))
        #expect(result.batchCount > 100)
        #expect(result.rows == expected)
    }

    @Test("long runs of empty fields (many commas per 16-byte chunk) keep every field")
    func runsOfEmptyFields() throws {
        let columns = 40
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        var text = header + "\n"
        var expected: [[String]] = []
        for row in 0..<300 {
            var fields = [String](repeating: "", count: columns)
            fields[row % columns] = "v\(row)"
            if row % 7 == 0 { fields[(row + 3) % columns] = "\"q,\(row)\"" }
            text += fields.joined(separator: ",") + (row % 2 == 0 ? "\n" : "\r\n")
            expected.append(fields.map { $0.hasPrefix("\"") ? String($0.dropFirst().dropLast()) : $0 })
        }
        for blockSize in [8, 17, 33, 64, 100, 4096] {
            let result = try readAll(text, options: options(blockSize: blockSize))
            #expect(result.rows == expected, "block size \(blockSize)")
        }
    }
}
