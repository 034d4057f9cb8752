import Parquet

/// The INSEE text forms of dates: `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS` (no fraction, no
/// zone), years clamped to 0...9999 so the width never changes. The calendar is Parquet's
/// `CivilCalendar` (days since 1970-01-01, the Parquet DATE unit).
public enum DateText {
    /// Writes `YYYY-MM-DD` (10 bytes) for `days` since 1970-01-01 into `buffer`; returns 10.
    @discardableResult
    public static func writeDate(days: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (year, month, day) = CivilCalendar.date(days: days)
        DecimalText.write(UInt64(max(0, min(year, 9999))), minimumWidth: 4, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<4]))
        buffer[4] = 0x2D
        DecimalText.write(UInt64(month), minimumWidth: 2, into: UnsafeMutableRawBufferPointer(rebasing: buffer[5..<7]))
        buffer[7] = 0x2D
        DecimalText.write(UInt64(day), minimumWidth: 2, into: UnsafeMutableRawBufferPointer(rebasing: buffer[8..<10]))
        return 10
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS` (19 bytes) for `micros` since the epoch; returns 19.
    @discardableResult
    public static func writeTimestamp(micros: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let seconds = CivilCalendar.split(micros, by: 1_000_000).quotient
        let (days, secondOfDay) = CivilCalendar.split(seconds, by: 86_400)
        writeDate(days: days, into: buffer)
        buffer[10] = 0x54
        writeTwoDigits(secondOfDay / 3600, at: 11, into: buffer)
        buffer[13] = 0x3A
        writeTwoDigits(secondOfDay / 60 % 60, at: 14, into: buffer)
        buffer[16] = 0x3A
        writeTwoDigits(secondOfDay % 60, at: 17, into: buffer)
        return 19
    }

    @inline(__always)
    private static func writeTwoDigits(_ value: Int64, at start: Int, into buffer: UnsafeMutableRawBufferPointer) {
        DecimalText.write(UInt64(value), minimumWidth: 2, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + 2]))
    }
}
