#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Basics

/// The directory an output file goes in, created when missing, as `builder batch` creates its
/// output directory: `builder sample-data --out data/sirene.parquet` works in an empty directory.
/// Checked first (a file in the way, a directory that cannot be written: exit 2, nothing created);
/// the directories made are removed again when the command writes nothing (`removeIfUnused`).
struct OutputParent {
    /// The directories this made, outermost first.
    private(set) var created: [String] = []

    /// Creates the missing directories of `path`'s parent; `program` (`builder convert`) and
    /// `option` (`--out`) name them in the message of a failure.
    static func prepare(for path: String, program: String, option: String) throws -> OutputParent {
        let parent = FileSystem.parentDirectory(of: path)
        var made = OutputParent()
        guard !FileSystem.isDirectory(parent) else { return made }
        do {
            try FileSystem.checkDirectoryCreatable(parent)
        } catch {
            StandardStreams.printError("\(program): \(option) \(path): \(error)")
            throw ExitCode(2)
        }
        // The missing directories, innermost first, then made outermost first.
        var missing: [String] = []
        var current = parent
        while !FileSystem.isDirectory(current) {
            missing.append(current)
            let up = FileSystem.parentDirectory(of: current)
            if up == current { break }
            current = up
        }
        for directory in missing.reversed() {
            guard mkdir(directory, 0o777) == 0 || (errno == EEXIST && FileSystem.isDirectory(directory)) else {
                let error = FileError("create directory", directory, errno: errno)
                made.removeIfUnused()
                StandardStreams.printError("\(program): \(option) \(path): \(error)")
                throw ExitCode(1)
            }
            made.created.append(directory)
        }
        return made
    }

    /// Removes the directories `prepare` made, innermost first, as long as they are empty.
    func removeIfUnused() {
        for directory in created.reversed() where rmdir(directory) != 0 { return }
    }
}
