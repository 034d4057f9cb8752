import CXLSXWriter

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An XLSX workbook written with libxlsxwriter in its constant-memory mode: each sheet's rows
/// go, in order, to an unlinked temporary file (in `temporaryDirectory`), and `close()` zips
/// the sheets into `path`. Memory stays bounded whatever the number of rows; a row, once left,
/// cannot be written again (rows and, within a row, columns in increasing order).
///
/// Nothing exists at `path` before `close()`; `discard()` (or a failed `close()`) leaves
/// nothing there. Sheets are in the order they are added.
public final class XLSXWorkbook {
    /// Rows of a sheet, header included: Excel opens no more.
    public static let maxRows = Int(LXW_ROW_MAX)
    /// Columns of a sheet.
    public static let maxColumns = Int(LXW_COL_MAX)
    /// Characters of a text cell.
    public static let maxCellCharacters = 32_767

    /// How a cell is shown.
    public enum Style {
        /// Excel's default.
        case plain
        /// Bold: the header rows.
        case bold
        /// A day: `yyyy-mm-dd`.
        case date
        /// A minimum to reach, shown `≥ 80` (the value stays a number).
        case atLeast
        /// A maximum not to pass, shown `≤ 1.5`.
        case atMost
    }

    public let path: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [Style: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheets: [XLSXSheet] = []
    /// The temporary directory, kept alive for libxlsxwriter (it keeps the pointer).
    private let temporaryDirectory: UnsafeMutablePointer<CChar>?

    /// Starts a workbook that `close()` writes at `path`; its temporary files go to
    /// `temporaryDirectory` (the system's when nil).
    public init(path: String, temporaryDirectory: String?) throws(XLSXError) {
        self.path = path
        self.temporaryDirectory = temporaryDirectory.map { strdup($0) }
        var options = lxw_workbook_options()
        options.constant_memory = 1
        options.tmpdir = self.temporaryDirectory
        options.use_zip64 = 1
        guard let workbook = workbook_new_opt(path, &options) else {
            free(self.temporaryDirectory)
            throw XLSXError(path: path, message: "cannot start the workbook (out of memory)")
        }
        self.workbook = workbook
        for style in [Style.bold, .date, .atLeast, .atMost] {
            guard let format = workbook_add_format(workbook) else {
                throw XLSXError(path: path, message: "cannot add a cell format (out of memory)")
            }
            switch style {
            case .plain: break
            case .bold: format_set_bold(format)
            case .date: format_set_num_format(format, "yyyy-mm-dd")
            case .atLeast: format_set_num_format(format, "\"≥ \"0.##")
            case .atMost: format_set_num_format(format, "\"≤ \"0.##")
            }
            formats[style] = format
        }
    }

    deinit { discard() }

    /// Adds a sheet after the others. `name`: 1 to 31 characters, none of `[]:*?/\`.
    public func addSheet(_ name: String) throws(XLSXError) -> XLSXSheet {
        guard let workbook else { throw XLSXError(path: path, message: "the workbook is closed") }
        let error = workbook_validate_sheet_name(workbook, name)
        guard error == LXW_NO_ERROR, let sheet = workbook_add_worksheet(workbook, name) else {
            throw XLSXError(path: path, message: "sheet name \(name.debugDescription): " + Self.message(error))
        }
        let added = XLSXSheet(sheet, name: name, workbook: self)
        sheets.append(added)
        return added
    }

    /// Writes the file at `path`. `created` (seconds since 1970) is the creation time recorded in
    /// its properties: a fixed time gives the same bytes for the same content. On failure nothing
    /// is left at `path`.
    public func close(created: Int) throws(XLSXError) {
        guard let workbook else { throw XLSXError(path: path, message: "the workbook is closed") }
        var properties = lxw_doc_properties()
        properties.created = time_t(created)
        let propertiesError = workbook_set_properties(workbook, &properties)
        guard propertiesError == LXW_NO_ERROR else {
            discard()
            unlink(path)
            throw XLSXError(path: path, message: Self.message(propertiesError))
        }
        // libxlsxwriter does not check its writes to the sheets' temporary files: a full disk
        // there would go unnoticed until the file is assembled, so check them first.
        for sheet in sheets {
            if let problem = sheet.temporaryFileProblem() {
                discard()
                unlink(path)
                throw XLSXError(path: path, message: "the temporary file of sheet \(sheet.name) could not be written: \(problem)")
            }
        }
        self.workbook = nil
        for sheet in sheets { sheet.detach() }
        // workbook_close frees the workbook, whatever it returns.
        let error = workbook_close(workbook)
        free(temporaryDirectory)
        guard error == LXW_NO_ERROR else {
            unlink(path)
            throw XLSXError(path: path, message: Self.message(error))
        }
    }

    /// Gives up: frees the workbook and its temporary files; nothing is written at `path`.
    public func discard() {
        guard let workbook else { return }
        self.workbook = nil
        for sheet in sheets { sheet.detach() }
        lxw_workbook_free(workbook)
        free(temporaryDirectory)
    }

    func format(_ style: Style) -> UnsafeMutablePointer<lxw_format>? {
        style == .plain ? nil : formats[style]
    }

    static func message(_ error: lxw_error) -> String {
        guard let text = lxw_strerror(error) else { return "libxlsxwriter error \(error.rawValue)" }
        var message = String(cString: text)
        if message.hasSuffix(".") { message.removeLast() }
        return message.prefix(1).lowercased() + message.dropFirst()
    }

    // MARK: Values

    /// The Excel serial number (days since 1899-12-30 in Excel's 1900 system) of `days` since
    /// 1970-01-01, for a date cell; nil outside Excel's calendar (before 1900-01-01, after
    /// 9999-12-31). Excel counts a 1900-02-29 that never was: days before March 1900 are one less.
    public static func serialNumber(days: Int64) -> Double? {
        let firstOfMarch1900: Int64 = -25_508
        let firstOf1900: Int64 = -25_567
        let lastOf9999: Int64 = 2_932_896
        guard days >= firstOf1900, days <= lastOf9999 else { return nil }
        return Double(days >= firstOfMarch1900 ? days + 25_569 : days + 25_568)
    }

    /// Whether `value` is an integer a number cell holds exactly (Excel's numbers are doubles).
    public static func holdsExactly(_ value: Int64) -> Bool {
        value.magnitude <= 1 << 53
    }
}

/// One sheet of an `XLSXWorkbook`. Rows are 0-based, the header being row 0.
public final class XLSXSheet {
    public let name: String
    private var sheet: UnsafeMutablePointer<lxw_worksheet>?
    private unowned let workbook: XLSXWorkbook
    /// The text of the cell being written, escaped and NUL-terminated.
    private var scratch: [CChar] = []

    init(_ sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, workbook: XLSXWorkbook) {
        self.sheet = sheet
        self.name = name
        self.workbook = workbook
        scratch.reserveCapacity(256)
    }

    func detach() { sheet = nil }

    /// Why the sheet's temporary file (constant-memory mode) failed, if it did: flushed and
    /// checked for a write error.
    func temporaryFileProblem() -> String? {
        guard let file = sheet?.pointee.optimize_tmpfile else { return nil }
        if fflush(file) != 0 { return String(cString: strerror(errno)) }
        return ferror(file) != 0 ? "write error" : nil
    }

    private func live() throws(XLSXCellError) -> UnsafeMutablePointer<lxw_worksheet> {
        guard let sheet else { throw .closed }
        return sheet
    }

    /// A text cell from UTF-8 bytes (see `XLSXText` for what is escaped or repaired).
    public func write(text bytes: UnsafeRawBufferPointer, row: Int, column: Int, style: XLSXWorkbook.Style = .plain) throws(XLSXCellError) {
        let sheet = try live()
        XLSXText.prepare(bytes, into: &scratch)
        let error = scratch.withUnsafeBufferPointer { worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), $0.baseAddress, workbook.format(style)) }
        try Self.check(error)
    }

    public func write(text: String, row: Int, column: Int, style: XLSXWorkbook.Style = .plain) throws(XLSXCellError) {
        var text = text
        let failure = text.withUTF8 { bytes -> XLSXCellError? in
            do throws(XLSXCellError) { try write(text: UnsafeRawBufferPointer(bytes), row: row, column: column, style: style) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    public func write(number: Double, row: Int, column: Int, style: XLSXWorkbook.Style = .plain) throws(XLSXCellError) {
        try Self.check(worksheet_write_number(try live(), lxw_row_t(row), lxw_col_t(column), number, workbook.format(style)))
    }

    public func write(boolean: Bool, row: Int, column: Int) throws(XLSXCellError) {
        try Self.check(worksheet_write_boolean(try live(), lxw_row_t(row), lxw_col_t(column), boolean ? 1 : 0, nil))
    }

    /// The width of columns `first...last`, in characters of the default font.
    public func setWidth(_ width: Double, columns: ClosedRange<Int>) throws(XLSXCellError) {
        try Self.check(worksheet_set_column(try live(), lxw_col_t(columns.lowerBound), lxw_col_t(columns.upperBound), width, nil))
    }

    /// Keeps the first `rows` rows in view when scrolling.
    public func freezeRows(_ rows: Int) throws(XLSXCellError) {
        worksheet_freeze_panes(try live(), lxw_row_t(rows), 0)
    }

    /// An autofilter over rows `0...lastRow` (the header row first) and columns `0...lastColumn`.
    public func autofilter(lastRow: Int, lastColumn: Int) throws(XLSXCellError) {
        try Self.check(worksheet_autofilter(try live(), 0, 0, lxw_row_t(lastRow), lxw_col_t(lastColumn)))
    }

    private static func check(_ error: lxw_error) throws(XLSXCellError) {
        switch error {
        case LXW_NO_ERROR: return
        case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED: throw .textTooLong
        case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: throw .outOfRange
        default: throw .library(XLSXWorkbook.message(error))
        }
    }
}

/// What writing a cell can meet.
public enum XLSXCellError: Error, Equatable, CustomStringConvertible {
    /// A text above `XLSXWorkbook.maxCellCharacters` characters.
    case textTooLong
    /// A row or column past the sheet's limits, or a row already left.
    case outOfRange
    /// The workbook is closed or discarded.
    case closed
    case library(String)

    public var description: String {
        switch self {
        case .textTooLong: "text longer than the \(XLSXWorkbook.maxCellCharacters) characters an Excel cell holds"
        case .outOfRange: "cell out of the sheet's range"
        case .closed: "the workbook is closed"
        case let .library(message): message
        }
    }
}

/// A workbook that cannot be written: the file and the reason.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
