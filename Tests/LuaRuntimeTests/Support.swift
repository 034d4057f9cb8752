import Foundation
import LuaRuntime

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        // Short, so that chunk names stay under Lua's 60-byte limit and are not shortened.
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/lua-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` at `relativePath` (creating directories) and returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> String {
        let fullPath = path + "/" + relativePath
        let directory = (fullPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try contents.write(toFile: fullPath, atomically: true, encoding: .utf8)
        return fullPath
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension LuaState {
    /// Passes `value` to Lua and back through a Lua function (`return ...`).
    func roundTrip(_ value: LuaValue) throws -> LuaValue {
        let identity = try load(source: "return ...", chunkName: "=identity")
        let results = try identity.call([value])
        return results.first ?? .nil
    }

    /// The error a snippet raises, or nil when it succeeds.
    func failure(of source: String, chunkName: String = "=test") -> LuaError? {
        do {
            try evaluate(source, chunkName: chunkName)
            return nil
        } catch {
            return error
        }
    }
}
