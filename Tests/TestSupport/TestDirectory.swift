import Foundation

/// A fresh directory under the system's temporary directory, removed when released.
///
/// Its name is `<prefix>-<8 hex digits>`: recognisable by the tests that made it, and short, so
/// that paths below it stay under limits some tests depend on (Lua shortens chunk names longer
/// than 60 bytes).
public final class TestDirectory: Sendable {
    public let path: String

    public init(prefix: String) throws {
        path = FileManager.default.temporaryDirectory.path + "/" + prefix + "-" + UUID().uuidString.prefix(8)
        // Not `withIntermediateDirectories`: an existing directory of the same name is an error,
        // never silently shared with another test.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Removes the directory now (it is also removed when released).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The full path of `name`, relative to the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` as UTF-8 at `name` (creating directories); returns the full path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        try write(bytes: Array(text.utf8), to: name)
    }

    /// Writes `bytes` at `name` (creating directories); returns the full path.
    @discardableResult
    public func write(bytes: [UInt8], to name: String) throws -> String {
        let full = file(name)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// The text of `name`, decoded as UTF-8.
    public func contents(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    public func data(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: file(name))) }

    public func bytes(_ name: String) throws -> [UInt8] { Array(try data(name)) }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    /// The names in the directory (or in `subdirectory` of it), sorted.
    public func names(_ subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : file(subdirectory)).sorted()
    }

    /// Every file and directory below the directory, relative, sorted.
    public func tree() -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).sorted()
    }
}
