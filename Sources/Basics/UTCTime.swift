#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The current time in UTC, as logs write it.
public enum UTCTime {
    /// `2026-08-01T08:30:12.345Z`: ISO 8601 with milliseconds.
    public static func timestamp() -> String {
        let (parts, nanoseconds) = now()
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(nanoseconds / 1_000_000), 3))Z"
    }

    /// `20260801T083012Z`: the compact form, for identifiers and file names.
    public static func compactStamp() -> String {
        let (parts, _) = now()
        return "\(pad(parts.tm_year + 1900, 4))\(pad(parts.tm_mon + 1, 2))\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2))\(pad(parts.tm_min, 2))\(pad(parts.tm_sec, 2))Z"
    }

    private static func now() -> (tm, Int) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts, Int(now.tv_nsec))
    }

    private static func pad(_ value: Int32, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
