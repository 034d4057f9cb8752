import Foundation

/// The text of entry `name` of the zip file at `path` (an `.xlsx` part such as
/// `xl/worksheets/sheet1.xml`), read by Python's zipfile module: the tests' independent reader.
public func zipEntry(_ path: String, _ name: String) throws -> String {
    let script = "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode('utf-8'))"
    let run = try runProcess("/usr/bin/env", ["python3", "-c", script, path, name], timeout: 60)
    guard run.status == 0 else { throw ZipEntryError(message: "\(path): \(name): \(run.stderr)") }
    return run.stdout
}

public struct ZipEntryError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
