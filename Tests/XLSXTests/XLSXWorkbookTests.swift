import Foundation
import TestSupport
import Testing
@testable import XLSX

@Suite struct XLSXWorkbookTests {
    static func prepared(_ bytes: [UInt8]) -> [UInt8] {
        var output: [CChar] = []
        bytes.withUnsafeBytes { XLSXText.prepare($0, into: &output) }
        #expect(output.last == 0)
        return output.dropLast().map { UInt8(bitPattern: $0) }
    }

    static func prepared(_ text: String) -> String {
        String(decoding: prepared(Array(text.utf8)), as: UTF8.self)
    }

    @Test func textThatXMLCannotHoldIsEscapedAsOOXMLSays() {
        #expect(Self.prepared("Café de l'Église, 01000 Bourg") == "Café de l'Église, 01000 Bourg")
        #expect(Self.prepared("tab\tand\nline") == "tab\tand\nline")
        #expect(Self.prepared("a\u{1}b\rc\u{1F}") == "a_x0001_b_x000D_c_x001F_")
        #expect(Self.prepared([0x61, 0x00, 0x62]) == Array("a_x0000_b".utf8))
        // A literal escape is escaped itself, so that Excel shows it as written.
        #expect(Self.prepared("x_x0041_y_xab12_") == "x_x005F_x0041_y_x005F_xab12_")
        #expect(Self.prepared("snake_case_x41_ _xZZZZ_") == "snake_case_x41_ _xZZZZ_")
        #expect(Self.prepared("\u{FFFE}\u{FFFF}\u{FFFD}") == "_xFFFE__xFFFF_\u{FFFD}")
        // Not UTF-8: repaired, then escaped.
        #expect(Self.prepared([0x41, 0xE9, 0x01]) == Array("A\u{FFFD}_x0001_".utf8))
    }

    @Test func daysBecomeExcelSerialNumbers() {
        #expect(XLSXWorkbook.serialNumber(days: 0) == 25_569)  // 1970-01-01
        #expect(XLSXWorkbook.serialNumber(days: -25_508) == 61)  // 1900-03-01
        #expect(XLSXWorkbook.serialNumber(days: -25_509) == 59)  // 1900-02-28: Excel's 60 is its 1900-02-29
        #expect(XLSXWorkbook.serialNumber(days: -25_567) == 1)  // 1900-01-01
        #expect(XLSXWorkbook.serialNumber(days: -25_568) == nil)  // 1899-12-31
        #expect(XLSXWorkbook.serialNumber(days: 2_932_896) == 2_958_465)  // 9999-12-31
        #expect(XLSXWorkbook.serialNumber(days: 2_932_897) == nil)
        #expect(XLSXWorkbook.holdsExactly(1 << 53) && XLSXWorkbook.holdsExactly(-(1 << 53)))
        #expect(!XLSXWorkbook.holdsExactly(1 << 53 + 1) && !XLSXWorkbook.holdsExactly(.min))
    }

    func sample(_ path: String) throws {
        let workbook = try XLSXWorkbook(path: path, temporaryDirectory: FileManager.default.temporaryDirectory.path)
        let sheet = try workbook.addSheet("dataset")
        let other = try workbook.addSheet("KPI")
        try sheet.write(text: "siren", row: 0, column: 0, style: .bold)
        try sheet.write(text: "date", row: 0, column: 1, style: .bold)
        try sheet.write(text: "ok", row: 0, column: 2, style: .bold)
        try sheet.freezeRows(1)
        try sheet.write(text: "012345678", row: 1, column: 0)
        try sheet.write(number: 45_000, row: 1, column: 1, style: .date)
        try sheet.write(boolean: true, row: 1, column: 2)
        try sheet.write(text: "a<b&c", row: 2, column: 0)
        try sheet.write(number: 48.8566, row: 2, column: 1)
        try sheet.setWidth(12, columns: 0...0)
        try sheet.autofilter(lastRow: 2, lastColumn: 2)
        try other.write(number: 80, row: 0, column: 0, style: .atLeast)
        try workbook.close(created: 1_780_000_000)
    }

    @Test func aWorkbookHoldsTypedCellsAFrozenHeaderAnAutofilterAndWidths() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        try sample(directory.file("a.xlsx"))
        let sheet = try zipEntry(directory.file("a.xlsx"), "xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="A2" t="inlineStr"><is><t>012345678</t></is></c>"#), "\(sheet)")
        #expect(sheet.contains(#"<c r="C2" t="b"><v>1</v></c>"#))
        #expect(sheet.contains(#"<c r="A3" t="inlineStr"><is><t>a&lt;b&amp;c</t></is></c>"#))
        #expect(sheet.contains(#"<c r="B3"><v>48.8566</v></c>"#))
        #expect(sheet.contains(#"state="frozen""#))
        #expect(sheet.contains(#"<autoFilter ref="A1:C3"/>"#))
        #expect(sheet.contains(#"<col min="1" max="1" width="12.7109375" customWidth="1"/>"#))
        let workbook = try zipEntry(directory.file("a.xlsx"), "xl/workbook.xml")
        #expect(workbook.contains(#"<sheet name="dataset" sheetId="1""#) && workbook.contains(#"<sheet name="KPI" sheetId="2""#))
        let styles = try zipEntry(directory.file("a.xlsx"), "xl/styles.xml")
        #expect(styles.contains(#"formatCode="yyyy-mm-dd""#) && styles.contains("<b/>"))
        #expect(try zipEntry(directory.file("a.xlsx"), "docProps/core.xml").contains("2026-05-28T20:26:40Z"))

        // The same content and creation time: the same bytes.
        try sample(directory.file("b.xlsx"))
        #expect(try directory.bytes("a.xlsx") == directory.bytes("b.xlsx"))
        // Its temporary files are gone.
        #expect(try directory.names().sorted() == ["a.xlsx", "b.xlsx"])
    }

    @Test func cellsExcelCannotHoldAreRefused() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let workbook = try XLSXWorkbook(path: directory.file("x.xlsx"), temporaryDirectory: directory.path)
        let sheet = try workbook.addSheet("s")
        #expect(throws: XLSXCellError.textTooLong) {
            try sheet.write(text: String(repeating: "é", count: XLSXWorkbook.maxCellCharacters + 1), row: 0, column: 0)
        }
        try sheet.write(text: String(repeating: "é", count: XLSXWorkbook.maxCellCharacters), row: 0, column: 0)
        #expect(throws: XLSXCellError.outOfRange) { try sheet.write(number: 1, row: XLSXWorkbook.maxRows, column: 0) }
        try sheet.write(number: 1, row: XLSXWorkbook.maxRows - 1, column: 0)
        // Constant memory: a row left cannot be written again.
        #expect(throws: XLSXCellError.outOfRange) { try sheet.write(number: 1, row: 1, column: 0) }
        #expect(throws: XLSXError.self) { _ = try workbook.addSheet("bad/name") }
        workbook.discard()
        #expect(throws: XLSXCellError.closed) { try sheet.write(number: 1, row: XLSXWorkbook.maxRows - 1, column: 1) }
        #expect(try directory.names().isEmpty)
    }

    @Test func aFileThatCannotBeWrittenIsAnErrorNamingItAndLeavesNothing() throws {
        let directory = try TestDirectory(prefix: "xlsx")
        defer { directory.remove() }
        let path = directory.file("missing/x.xlsx")
        let workbook = try XLSXWorkbook(path: path, temporaryDirectory: directory.path)
        try workbook.addSheet("s").write(number: 1, row: 0, column: 0)
        let error = try #require(throws: XLSXError.self) { try workbook.close(created: 0) }
        #expect(error.description.hasPrefix(path + ": "), "\(error)")
        #expect(try directory.names().isEmpty)
    }
}
