import Foundation

/// The `builder` binary the end-to-end tests run: `BUILDER` when set, else the one built beside
/// the tests (the test bundle's folder on Linux, four levels up from its executable in a macOS
/// bundle), else `.build/debug/builder` in the package. Nil when none of them is executable.
public let builderBinaryPath: String? = {
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["BUILDER"] {
        candidates.append(URL(fileURLWithPath: override))
    }
    let bundle = Bundle.main.bundleURL
    candidates.append(bundle.appendingPathComponent("builder"))
    candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("builder"))
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    candidates.append(testBinary.appendingPathComponent("builder"))
    candidates.append(testBinary.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("builder"))
    candidates.append(packageRoot.appendingPathComponent(".build/debug/builder"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
}()
