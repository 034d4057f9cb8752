import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running processes as Linux's `/proc` shows them, for tests about process lifetimes (what
/// `ps` would list). Empty where there is no `/proc`: check `ProcessTable.isAvailable`.
public enum ProcessTable {
    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/self/stat") }

    /// The live processes whose parent is `parent`.
    public static func children(of parent: pid_t) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.filter { pid in
            guard let fields = statFields(pid) else { return false }
            return fields.parent == parent && fields.state != "Z" && fields.state != "X"
        }
    }

    /// Whether `pid` is a process that has not ended (a zombie waiting to be reaped has ended).
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard let fields = statFields(pid) else { return false }
        return fields.state != "Z" && fields.state != "X"
    }

    /// The arguments `pid` runs with (empty when it has gone).
    public static func arguments(of pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    /// State letter and parent of `/proc/<pid>/stat`: `pid (name) S ppid ...`, the name possibly
    /// holding spaces and parentheses.
    private static func statFields(_ pid: pid_t) -> (state: Character, parent: pid_t)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return (state, parent)
    }
}
