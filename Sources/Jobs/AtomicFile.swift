import AtomicOutput

/// Files that appear complete or not at all, written through `AtomicOutputFile` (a temporary
/// file beside the destination, synced, then renamed over it). On failure the temporary file is
/// removed and the destination is left as it was.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating missing parent directories; returns the
    /// absolute path.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) -> String {
        try FileSystem.createDirectories(FileSystem.parentDirectory(of: path))
        do throws(AtomicOutputError) {
            // One write of the whole content: no buffer needed.
            let output = try AtomicOutputFile(path: path, bufferSize: 0)
            try output.write(bytes)
            try output.commit()
        } catch {
            throw FileError(error)
        }
        return FileSystem.absolutePath(path)
    }

    @discardableResult
    public static func write(_ text: String, to path: String) throws(FileError) -> String {
        try write(Array(text.utf8), to: path)
    }
}

extension FileError {
    /// `cannot write PATH: REASON`, the reason being the system's message when there is one.
    init(_ error: AtomicOutputError) {
        if let code = error.code {
            self.init("write", error.path, errno: code)
        } else {
            self.init("write", error.path, reason: error.message)
        }
    }
}
