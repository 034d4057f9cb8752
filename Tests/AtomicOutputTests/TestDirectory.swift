import Foundation

/// A fresh directory under the system's temporary directory, removed when released.
final class TestDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/atomic-output-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: file(name)))) }

    func contents(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    func names(_ subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : file(subdirectory)).sorted()
    }

    func write(_ text: String, to name: String) throws {
        try FileManager.default.createDirectory(atPath: (file(name) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: file(name), atomically: false, encoding: .utf8)
    }
}
