#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock times of a run: its id, ISO timestamps, and the reference date of scores.
public enum RunClock {
    /// Seconds since the epoch.
    public static func now() -> Int { time(nil) }

    /// `2026-08-01T08:30:12Z`.
    public static func isoTimestamp(_ seconds: Int) -> String {
        let (date, hour, minute, second) = split(seconds)
        return "\(date)T\(pad(hour)):\(pad(minute)):\(pad(second))Z"
    }

    /// A run id: the UTC start time and the process id, `20260801T083012Z-p4242` (the process
    /// id lets a later run recognise files left by a killed one).
    public static func runID(_ seconds: Int, processID: Int32 = getpid()) -> String {
        let (date, hour, minute, second) = split(seconds)
        return String(date.filter { $0 != "-" }) + "T\(pad(hour))\(pad(minute))\(pad(second))Z-p\(processID)"
    }

    /// The reference day of freshness and date checks: `SOURCE_DATE_EPOCH` (seconds, the
    /// reproducible-builds convention) when set and valid, else today (UTC).
    public static func referenceDay(environment: [String: String]) -> Int32 {
        if let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int(text), seconds >= 0 {
            return Int32(clamping: seconds / 86_400)
        }
        return Int32(clamping: now() / 86_400)
    }

    private static func split(_ seconds: Int) -> (String, Int, Int, Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        return (DateCheck.isoText(days: Int32(clamping: days)), rest / 3600, rest / 60 % 60, rest % 60)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
