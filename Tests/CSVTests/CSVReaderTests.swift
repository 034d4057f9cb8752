import Columns
import CSV
import Testing

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("a column as ColumnData: byte arrays, empty fields null, \"\" the empty string")
    func columnData() throws {
        let reader = try CSVReader(bytes: Array("a,b\nx,\"\"\n,\"q,\"\"r\"\nlong text,\n".utf8))
        let batch = try #require(try reader.nextBatch())
        let first = try batch.columnData(0)
        #expect(first.count == 3 && first.nullCount == 1 && first.isNull(1))
        guard case let .byteArray(values) = first.storage else { Issue.record("not byte arrays"); return }
        #expect(values.string(at: 0) == "x" && values.string(at: 2) == "long text" && values[1].isEmpty)
        let second = try batch.columnData(1)
        #expect(second.isNull(2) && !second.isNull(0))
        guard case let .byteArray(quoted) = second.storage else { Issue.record("not byte arrays"); return }
        #expect(quoted[0].isEmpty && quoted.string(at: 1) == "q,\"r")
    }

    @Test("header names, lookup by name, values with LF endings")
    func simpleFile() throws {
        let reader = try CSVReader(bytes: Array("siren,naf,ville\n123,69.20Z,PARIS\n456,43.29A,LYON\n".utf8))
        #expect(reader.header.names == ["siren", "naf", "ville"])
        #expect(reader.header.index(of: "naf") == 1)
        #expect(reader.header.index(of: "missing") == nil)
        #expect(reader.columnCount == 3)
        let result = try collect(reader)
        #expect(result.rows == [["123", "69.20Z", "PARIS"], ["456", "43.29A", "LYON"]])
        #expect(result.lines == [2, 3])
    }

    @Test("CRLF and LF files read the same; a missing final newline is fine")
    func lineEndings() throws {
        let lf = try readAll("a,b\n1,2\n3,4\n")
        let crlf = try readAll("a,b\r\n1,2\r\n3,4\r\n")
        let noFinalNewline = try readAll("a,b\r\n1,2\r\n3,4")
        let noFinalNewlineLF = try readAll("a,b\n1,2\n3,4")
        #expect(lf.rows == [["1", "2"], ["3", "4"]])
        #expect(crlf.rows == lf.rows)
        #expect(noFinalNewline.rows == lf.rows)
        #expect(noFinalNewlineLF.rows == lf.rows)
        #expect(crlf.header == ["a", "b"])
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() throws {
        let result = try readAll(bytes: [0xEF, 0xBB, 0xBF] + Array("siren,nom\n1,Élodie\n".utf8))
        #expect(result.header == ["siren", "nom"])
        #expect(result.rows == [["1", "Élodie"]])
    }

    @Test("quoted fields hold commas, line breaks, CRLF and doubled quotes")
    func quotedFields() throws {
        let text = "id,adresse,note\r\n"
            + "1,\"12, rue de la Paix\",\"dit \"\"le grand\"\"\"\r\n"
            + "2,\"ligne 1\nligne 2\",\"a\r\nb\"\r\n"
            + "3,\"\"\"\",\"\"\r\n"
            + "4,x,y\r\n"
        let result = try readAll(text)
        #expect(result.rows == [
            ["1", "12, rue de la Paix", "dit \"le grand\""],
            ["2", "ligne 1\nligne 2", "a\r\nb"],
            ["3", "\"", ""],
            ["4", "x", "y"],
        ])
        #expect(result.quoted[0] == [false, true, true])
        #expect(result.quoted[2] == [false, true, true])
        // Record 3 starts on line 6 because record 2 spans lines 3 to 5.
        #expect(result.lines == [2, 3, 6, 7])
    }

    @Test("empty fields and empty quoted fields are both empty; isQuoted tells them apart")
    func emptyFields() throws {
        let result = try readAll("a,b,c,d\n,\"\",,\"\"\n")
        #expect(result.rows == [["", "", "", ""]])
        #expect(result.quoted == [[false, true, false, true]])
    }

    @Test("a backslash is data: \\, is a backslash then a separator")
    func backslashIsNotAnEscape() throws {
        let result = try readAll("a,b,c\nC:\\,x\\\\,\"q\\\"\n")
        #expect(result.rows == [["C:\\", "x\\\\", "q\\"]])
    }

    @Test("a stray quote inside an unquoted field is kept literally")
    func strayQuote() throws {
        let result = try readAll("a,b\nab\"c,d\"\nx,\"y\"\n")
        #expect(result.rows == [["ab\"c", "d\""], ["x", "y"]])
        #expect(result.quoted == [[false, false], [false, true]])
    }

    @Test("text after a closing quote is appended to the field")
    func textAfterClosingQuote() throws {
        let result = try readAll("a,b\n\"ab\"c,\"x\"\"y\"z\r\n")
        #expect(result.rows == [["abc", "x\"yz"]])
    }

    @Test("empty lines are skipped and still counted as lines")
    func emptyLines() throws {
        let result = try readAll("a,b\n\n1,2\r\n\r\n\n3,4\n\n")
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [3, 6])
    }

    @Test("a lone CR inside a field is data")
    func loneCarriageReturn() throws {
        let result = try readAll("a,b\nx\ry,z\n")
        #expect(result.rows == [["x\ry", "z"]])
    }

    @Test("UTF-8 is not validated while reading; String access repairs it")
    func invalidUTF8() throws {
        let bytes = Array("a,b\n".utf8) + [0x41, 0xFF, 0x42] + Array(",ok\n".utf8)
        let reader = try CSVReader(bytes: bytes)
        let batch = try #require(try reader.nextBatch())
        #expect(batch.bytes(record: 0, column: 0) == [0x41, 0xFF, 0x42])
        #expect(batch.string(record: 0, column: 0) == "A\u{FFFD}B")
    }

    @Test("without a header, columns are named column1...")
    func noHeader() throws {
        let result = try readAll("1,2\n3,4\n", options: CSVReadOptions(hasHeader: false))
        #expect(result.header == ["column1", "column2"])
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [1, 2])
    }

    @Test("a header with only a header row gives no batch")
    func headerOnly() throws {
        let result = try readAll("a,b,c\n")
        #expect(result.header == ["a", "b", "c"])
        #expect(result.rows.isEmpty)
        #expect(result.batchCount == 0)
    }

    @Test("field access through the unsafe view: equals and starts(with:)")
    func fieldView() throws {
        let reader = try CSVReader(bytes: Array("naf,x\n69.20Z,1\n43.29A,2\n\"69.20Z\",3\n".utf8))
        let batch = try #require(try reader.nextBatch())
        let matches = batch.withUnsafeFields { fields in
            (0..<fields.recordCount).filter { fields[$0, 0].equals(Array("69.20Z".utf8)) }
        }
        #expect(matches == [0, 2])
        let division43 = batch.withUnsafeFields { fields in
            (0..<fields.recordCount).filter { fields[$0, 0].starts(with: Array("43".utf8)) }
        }
        #expect(division43 == [1])
        batch.withUnsafeFields { fields in
            #expect(fields[1, 1].string == "2")
            #expect(fields[0, 0].count == 6)
            #expect(!fields[0, 0].isEmpty)
        }
    }

    @Test("duplicate column names: lookup finds the first")
    func duplicateNames() throws {
        let reader = try CSVReader(bytes: Array("a,b,a\n1,2,3\n".utf8))
        #expect(reader.header.index(of: "a") == 0)
        #expect(reader.header[2] == "a")
    }

    @Test("a batch kept by the caller stays intact while later batches are read")
    func keptBatchesStayValid() throws {
        var text = "n,label\n"
        for index in 0..<500 { text += "\(index),\"label \(index), quoted\"\n" }
        let reader = try CSVReader(bytes: Array(text.utf8), options: options(blockSize: 256))
        var batches: [CSVBatch] = []
        while let batch = try reader.nextBatch() { batches.append(batch) }
        #expect(batches.count > 10)
        var expected = 0
        for batch in batches {
            for record in 0..<batch.recordCount {
                #expect(batch.record(record) == ["\(expected)", "label \(expected), quoted"])
                expected += 1
            }
        }
        #expect(expected == 500)
    }
}
