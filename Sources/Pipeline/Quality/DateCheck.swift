import Parquet

/// Dates as the pipeline checks and prints them: days since 1970-01-01.
public enum DateCheck {
    /// 1800-01-01: older creation dates are data-entry errors.
    public static let earliestPlausible = Int(CivilCalendar.days(year: 1800, month: 1, day: 1))
    /// 1900-01-01: INSEE's placeholder for an unknown date (it forces it to null in recent files).
    public static let placeholder = Int(CivilCalendar.days(year: 1900, month: 1, day: 1))

    /// A creation date is valid when it is from 1800 on, is not the 1900-01-01 placeholder and is
    /// not after the reference date.
    public static func isValidCreationDate(_ days: Int32, referenceDay: Int32) -> Bool {
        let value = Int(days)
        return value >= earliestPlausible && value != placeholder && days <= referenceDay
    }

    /// Parses `YYYY-MM-DD` (also the date part of `YYYY-MM-DDTHH:MM:SS`) into days; nil when
    /// the text is not a real calendar date.
    public static func parseISODate(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard bytes.count == 10 || (bytes.count >= 19 && bytes[10] == UInt8(ascii: "T")) else { return nil }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: Int64(year), month: Int64(month)) else { return nil }
        return Int32(CivilCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    public static func parseISODate(_ text: String) -> Int32? {
        Array(text.utf8).withUnsafeBytes { parseISODate($0) }
    }

    /// `YYYY-MM-DD` of a day count.
    public static func isoText(days: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 10)
        buffer.withUnsafeMutableBytes { _ = DateText.writeDate(days: Int64(days), into: $0) }
        return String(decoding: buffer, as: UTF8.self)
    }
}
