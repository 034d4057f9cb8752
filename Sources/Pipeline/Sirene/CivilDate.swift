/// Proleptic Gregorian dates as days since 1970-01-01 (the Parquet DATE unit), and the INSEE
/// text forms `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS`.
public enum CivilDate {
    /// Days since 1970-01-01 of `year`-`month`-`day`.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        // Count years from March so the leap day ends the year.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of `days` since 1970-01-01.
    public static func components(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Writes `YYYY-MM-DD` (10 bytes) into `buffer`; returns 10.
    @discardableResult
    public static func writeDate(days: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (year, month, day) = components(days: days)
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
        let seconds = Int(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        writeDate(days: days, into: buffer)
        buffer[10] = 0x54
        let parts = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60]
        for (index, part) in parts.enumerated() {
            let start = 11 + index * 3
            DecimalText.write(UInt64(part), minimumWidth: 2, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + 2]))
            if index < 2 { buffer[start + 2] = 0x3A }
        }
        return 19
    }
}
