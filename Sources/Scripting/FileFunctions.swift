#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics
import Jobs
import LuaRuntime

/// `builder.fs`: the file operations a pipeline needs. Failures raise with the path and the
/// system's reason; paths are used as given (relative to the current directory).
extension BuilderLibrary {
    static func fileFunctions(_ session: ScriptSession) -> [LuaHostFunction] {
        [
            // builder.fs.read(path) -> string (the exact bytes); a regular file of at most
            // FileSystem.maximumWholeFileBytes
            LuaHostFunction("builder.fs.read") { args in
                [.string(LuaString(bytes: try FileSystem.readBytes(args.string(1, "path"))))]
            },
            // builder.fs.write(path, data, opts?) -> absolute path; atomic, parent directories
            // created; opts.follow_links = false replaces a symbolic link instead of its target
            LuaHostFunction("builder.fs.write") { args in
                let path = try args.string(1, "path")
                guard !path.isEmpty else { throw args.error(1, "path", "empty path") }
                let data = try args.bytes(2, "data")
                let options = try args.options(3, "opts", allowed: ["follow_links"])
                let follow = try options.boolean("follow_links") ?? true
                return [LuaValue(try AtomicFile.write(data, to: path, followingLinks: follow))]
            },
            // builder.fs.exists(path) -> boolean
            LuaHostFunction("builder.fs.exists") { args in [.boolean(FileSystem.exists(try args.string(1, "path")))] },
            // builder.fs.is_dir(path) -> boolean
            LuaHostFunction("builder.fs.is_dir") { args in [.boolean(FileSystem.isDirectory(try args.string(1, "path")))] },
            // builder.fs.is_file(path) -> boolean: a regular file (a link is followed)
            LuaHostFunction("builder.fs.is_file") { args in [.boolean(FileSystem.isRegularFile(try args.string(1, "path")))] },
            // builder.fs.is_link(path) -> boolean: the path itself is a symbolic link
            LuaHostFunction("builder.fs.is_link") { args in [.boolean(FileSystem.isSymbolicLink(try args.string(1, "path")))] },
            // builder.fs.stat(path) -> {kind, size, modified_ns} | nil (links followed; builder.fs.is_link tells them)
            LuaHostFunction("builder.fs.stat") { args in
                let path = try args.string(1, "path")
                var info = stat()
                guard stat(path, &info) == 0 else { return [.nil] }
                #if os(Linux)
                let time = info.st_mtim
                #else
                let time = info.st_mtimespec
                #endif
                let kind = switch info.st_mode & S_IFMT {
                case S_IFREG: "file"
                case S_IFDIR: "directory"
                default: "other"
                }
                return [.map(["kind": LuaValue(kind), "size": .integer(Int64(info.st_size)),
                              "modified_ns": .integer(Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))])]
            },
            // builder.fs.mkdir(path) -> absolute path; parents created, an existing directory is fine
            LuaHostFunction("builder.fs.mkdir") { args in
                let path = try args.string(1, "path")
                guard !path.isEmpty else { throw args.error(1, "path", "empty path") }
                try FileSystem.createDirectories(path)
                return [LuaValue(FileSystem.absolutePath(path))]
            },
            // builder.fs.can_create_dir(path) -> true | false, reason; creates nothing
            LuaHostFunction("builder.fs.can_create_dir") { args in
                do {
                    try FileSystem.checkDirectoryCreatable(try args.string(1, "path"))
                    return [true]
                } catch let error as FileError {
                    return [false, LuaValue(error.description)]
                }
            },
            // builder.fs.list(path) -> sorted names, without "." and ".."
            LuaHostFunction("builder.fs.list") { args in
                [.array(try FileSystem.list(args.string(1, "path")).map { LuaValue($0) })]
            },
            // builder.fs.remove(path) -> true when removed, false when it did not exist
            LuaHostFunction("builder.fs.remove") { args in
                let path = try args.string(1, "path")
                if unlink(path) == 0 { return [true] }
                var code = errno
                if code == EISDIR || code == EPERM, FileSystem.isDirectory(path) {
                    if rmdir(path) == 0 { return [true] }
                    code = errno
                }
                if code == ENOENT { return [false] }
                throw FileError("remove", path, reason: String(cString: strerror(code)))
            },
            // builder.fs.dirname(path) -> "a/b" for "a/b/c", "." for "c"
            LuaHostFunction("builder.fs.dirname") { args in [LuaValue(FileSystem.parentDirectory(of: try args.string(1, "path")))] },
            // builder.fs.basename(path) -> "c" for "a/b/c"
            LuaHostFunction("builder.fs.basename") { args in [LuaValue(FileSystem.fileName(of: try args.string(1, "path")))] },
            // builder.fs.join(part, ...) -> parts joined with "/", an absolute part restarts the path
            LuaHostFunction("builder.fs.join") { args in
                var result = ""
                for position in stride(from: 1, through: args.count, by: 1) {
                    let part = try args.string(position, "part")
                    if part.hasPrefix("/") || result.isEmpty {
                        result = part
                    } else if !part.isEmpty {
                        result += (result.hasSuffix("/") ? "" : "/") + part
                    }
                }
                return [LuaValue(result)]
            },
            // builder.fs.absolute(path) -> the path made absolute against the current directory
            LuaHostFunction("builder.fs.absolute") { args in [LuaValue(FileSystem.absolutePath(try args.string(1, "path")))] },
            // builder.fs.lock(dir, opts?) -> true | false, reason; held until unlock or the end
            LuaHostFunction("builder.fs.lock") { args in
                let directory = try args.string(1, "dir")
                guard !directory.isEmpty else { throw args.error(1, "dir", "empty path") }
                let wait = try args.options(2, "opts", allowed: ["wait"]).boolean("wait") ?? false
                let key = FileSystem.absolutePath(directory)
                if session.locks[key] != nil { return [true] }
                guard FileSystem.isDirectory(directory) else {
                    throw FileError("lock", directory, reason: FileSystem.exists(directory) ? "not a directory" : "no such directory")
                }
                let owner = session.programName ?? "builder script"
                let lock: DirectoryLock?
                var busyHolder: String?
                if wait {
                    lock = try session.blocking { () throws(FileError) -> DirectoryLock? in
                        try DirectoryLock.acquire(directory, owner: owner,
                                                  shouldStop: { session.cancellation.isCancelled || args.isInterruptRequested })
                    }
                    if lock == nil { return [false, "interrupted"] }
                } else {
                    switch try DirectoryLock.tryAcquire(directory, owner: owner) {
                    case let .acquired(acquired): lock = acquired
                    case let .busy(holder):
                        lock = nil
                        busyHolder = holder
                    }
                }
                guard let lock else { return [false, LuaValue(DirectoryLock.busyMessage(directory, holder: busyHolder))] }
                session.locks[key] = lock
                return [true]
            },
            // builder.fs.unlock(dir) -> true when this script held the lock and released it
            LuaHostFunction("builder.fs.unlock") { args in
                let key = FileSystem.absolutePath(try args.string(1, "dir"))
                guard let lock = session.locks.removeValue(forKey: key) else { return [false] }
                lock.release()
                return [true]
            },
        ]
    }
}
