import Parquet
import Testing

/// The calendar behind DATE and TIMESTAMP text, also used by the pipeline for SIRENE dates.
@Suite("CivilCalendar")
struct CivilCalendarTests {
    @Test("known days since the epoch")
    func knownDays() {
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.days(year: 1950, month: 1, day: 1) == -7305)
        #expect(CivilCalendar.days(year: 2026, month: 8, day: 1) == 20_666)
    }

    @Test("date inverts days over 1900-2100, one day after the other")
    func roundTrip() {
        var day = CivilCalendar.days(year: 1900, month: 1, day: 1)
        let last = CivilCalendar.days(year: 2100, month: 12, day: 31)
        var previous: (year: Int64, month: Int64, day: Int64) = (1899, 12, 31)
        var failures = 0
        while day <= last {
            let parts = CivilCalendar.date(days: day)
            let inverts = CivilCalendar.days(year: parts.year, month: parts.month, day: parts.day) == day
            let nextDay = parts.day == previous.day + 1 && parts.month == previous.month
            let nextMonth = parts.day == 1 && (parts.month == previous.month + 1 || (parts.month == 1 && previous.month == 12))
            if !inverts || !(nextDay || nextMonth) { failures += 1 }
            previous = parts
            day += 1
        }
        #expect(failures == 0)
        #expect(CivilCalendar.date(days: CivilCalendar.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    }

    @Test("month lengths and floor division")
    func monthLengthsAndSplit() {
        #expect(CivilCalendar.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilCalendar.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilCalendar.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilCalendar.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilCalendar.split(-1, by: 86_400) == (-1, 86_399))
        #expect(CivilCalendar.split(86_400, by: 86_400) == (1, 0))
    }
}
