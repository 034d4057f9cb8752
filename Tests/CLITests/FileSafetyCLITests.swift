import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the batch and the scripts read and write, through the real binary: nothing written
/// through a symbolic link or deleted that the batch did not make, no FIFO or device that blocks
/// or never ends, no file read whole past the limit, no log line cut in half.
@Suite struct FileSafetyCLITests {
    /// A workspace with a small CSV stock, `stock.csv`.
    static func stockWorkspace(rows: Int = 300) throws -> TestDirectory {
        let workspace = try TestDirectory(prefix: "cli")
        let made = try workspace.run(["sample-data", "--rows", String(rows), "--out", "stock.csv", "--seed", "3"])
        #expect(made.status == 0, "\(made.stderr)")
        return workspace
    }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    static let twoNiches = ["--naf", "6920Z", "--naf", "43"]

    // MARK: The input cache

    /// `.input-cache` as a link to a user's directory: the batch neither uses nor empties it.
    @Test func anInputCacheLinkedToAUserDirectoryIsLeftAlone() throws {
        let workspace = try Self.stockWorkspace()
        // Names the batch itself would make, to be sure they are not removed either.
        try workspace.write("precious", to: "mine/notes.txt")
        try workspace.write("{}", to: "mine/filter.json")
        try workspace.write("PAR1", to: "mine/input-0123abcd.parquet")
        try FileManager.default.createDirectory(atPath: workspace.file("out"), withIntermediateDirectories: true)
        #expect(symlink("../mine", workspace.file("out/.input-cache")) == 0)
        let run = try workspace.run(["batch", "--scan-per-job", "--input", "stock.csv", "--output-dir", "out"] + Self.twoNiches)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: no input cache: out/.input-cache is a symbolic link"), "\(run.stderr)")
        #expect(try workspace.names("mine") == ["filter.json", "input-0123abcd.parquet", "notes.txt"])
        #expect(try workspace.contents("mine/filter.json") == "{}")
        #expect(Self.isLink(workspace.file("out/.input-cache")))
    }

    /// A real `.input-cache` directory holding a file the batch did not make: left as it was.
    @Test func anInputCacheDirectoryWithOtherFilesIsLeftAlone() throws {
        let workspace = try Self.stockWorkspace()
        try workspace.write("mine", to: "out/.input-cache/notes.txt")
        try workspace.write("{}", to: "out/.input-cache/filter.json")
        let run = try workspace.run(["batch", "--scan-per-job", "--input", "stock.csv", "--output-dir", "out"] + Self.twoNiches)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: no input cache: out/.input-cache holds notes.txt, which the batch did not make"),
                "\(run.stderr)")
        #expect(try workspace.names("out/.input-cache") == ["filter.json", "notes.txt"])
        #expect(try workspace.contents("out/.input-cache/filter.json") == "{}")
    }

    /// The leftover of a batch stopped before its clean-up (only names a batch makes) is used and
    /// removed; a `filter.json` that is a link makes the directory someone else's.
    @Test func aLeftoverCacheIsReusedButALinkInsideItIsNot() throws {
        let workspace = try Self.stockWorkspace()
        try workspace.write("{}", to: "out/.input-cache/filter.json")
        try workspace.write("stale", to: "out/.input-cache/input-0123abcd.parquet")
        let reused = try workspace.run(["batch", "--scan-per-job", "--input", "stock.csv", "--output-dir", "out", "--verbose"] + Self.twoNiches)
        #expect(reused.status == 0, "\(reused.stderr)")
        #expect(reused.stderr.contains("input cache out/.input-cache for 6920Z, 43"), "\(reused.stderr)")
        #expect(!workspace.exists("out/.input-cache"))

        try workspace.write("victim", to: "victim.json")
        try FileManager.default.createDirectory(atPath: workspace.file("out/.input-cache"), withIntermediateDirectories: true)
        #expect(symlink("../../victim.json", workspace.file("out/.input-cache/filter.json")) == 0)
        let linked = try workspace.run(["batch", "--scan-per-job", "--input", "stock.csv", "--output-dir", "out"] + Self.twoNiches)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linked.stderr.contains("warning: no input cache: out/.input-cache holds filter.json"), "\(linked.stderr)")
        #expect(try workspace.contents("victim.json") == "victim")
        #expect(Self.isLink(workspace.file("out/.input-cache/filter.json")))
    }

    // MARK: Files written through links

    /// A job file that is a link (even in a dry run) is replaced, its target untouched.
    @Test func aJobFileLinkIsReplacedNotWrittenThrough() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("victim", to: "victim.yaml")
        try FileManager.default.createDirectory(atPath: workspace.file("jobs_generated"), withIntermediateDirectories: true)
        #expect(symlink("../victim.yaml", workspace.file("jobs_generated/naf_43.yaml")) == 0)
        let run = try workspace.run(["batch", "--naf", "43", "--input", "in.csv", "--output-dir", "out", "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.contents("victim.yaml") == "victim")
        #expect(!Self.isLink(workspace.file("jobs_generated/naf_43.yaml")))
        #expect(try workspace.contents("jobs_generated/naf_43.yaml").contains("naf_43"))
    }

    /// `batch.jsonl` as a link or a FIFO: a usage error before anything is written, no hang.
    @Test(arguments: ["link", "fifo"])
    func aBatchLogThatIsNotARegularFileIsRefusedFirst(_ kind: String) throws {
        let workspace = try Self.stockWorkspace(rows: 10)
        try workspace.write("victim", to: "victim.txt")
        try FileManager.default.createDirectory(atPath: workspace.file("out"), withIntermediateDirectories: true)
        if kind == "link" {
            #expect(symlink("../victim.txt", workspace.file("out/batch.jsonl")) == 0)
        } else {
            #expect(mkfifo(workspace.file("out/batch.jsonl"), 0o600) == 0)
        }
        let run = try workspace.run(["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out"], timeout: 20)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("the batch log out/batch.jsonl is a"), "\(run.stderr)")
        #expect(try workspace.contents("victim.txt") == "victim")
        #expect(!workspace.exists("jobs_generated"))
    }

    /// A script's own log (`builder.open_log`) refuses a link and a FIFO without blocking.
    @Test(arguments: ["link", "fifo"])
    func openLogRefusesALinkOrAFIFO(_ kind: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("victim", to: "victim.txt")
        if kind == "link" {
            #expect(symlink("victim.txt", workspace.file("run.jsonl")) == 0)
        } else {
            #expect(mkfifo(workspace.file("run.jsonl"), 0o600) == 0)
        }
        try workspace.write("print(pcall(builder.open_log, 'run.jsonl'))\n", to: "log.lua")
        let run = try workspace.run(["script", "log.lua"], timeout: 20)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = kind == "link" ? "it is a symbolic link, which builder does not write through" : "it is a FIFO, not a regular file"
        #expect(run.stdout == "false\tbuilder.open_log: cannot open log file run.jsonl: \(expected)\n")
        #expect(try workspace.contents("victim.txt") == "victim")
    }

    /// A job's `runner.log` as a link or a FIFO: the job is an ERROR naming it; nothing written
    /// through the link, no hang.
    @Test(arguments: ["link", "fifo"])
    func aRunnerLogThatIsNotARegularFileFailsTheJob(_ kind: String) throws {
        let workspace = try Self.stockWorkspace(rows: 10)
        try workspace.write("victim", to: "victim.txt")
        try FileManager.default.createDirectory(atPath: workspace.file("out/naf_43/logs"), withIntermediateDirectories: true)
        let log = workspace.file("out/naf_43/logs/runner.log")
        if kind == "link" {
            #expect(symlink("../../../victim.txt", log) == 0)
        } else {
            #expect(mkfifo(log, 0o600) == 0)
        }
        let run = try workspace.run(["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out", "--json"], timeout: 30)
        #expect(run.status == 1, "\(run.stderr)")
        let result = try #require(try results(jsonObject(run.stdout)).first)
        #expect(result["status"] as? String == "ERROR")
        let expected = kind == "link" ? "it is a symbolic link" : "it is a FIFO"
        #expect((result["error"] as? String)?.contains("runner.log: \(expected)") == true, "\(result)")
        #expect(try workspace.contents("victim.txt") == "victim")
    }

    // MARK: FIFOs and devices

    /// A FIFO or a device as the template or the script: a usage error naming it, at once.
    @Test(arguments: [
        (["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out", "--template", "fifo"],
         "builder batch: template: cannot read fifo: it is a FIFO, not a regular file"),
        (["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out", "--template", "/dev/zero"],
         "builder batch: template: cannot read /dev/zero: it is a character device, not a regular file"),
        (["create-job", "job.yaml", "--naf", "43", "--template", "fifo"],
         "builder create-job: template: cannot read fifo: it is a FIFO, not a regular file"),
        (["script", "fifo"], "builder script: cannot run 'fifo': it is a FIFO, not a regular file"),
        (["script", "/dev/zero"], "builder script: cannot run '/dev/zero': it is a character device, not a regular file"),
        (["batch", "--naf", "43", "--input", "fifo", "--output-dir", "out"],
         "builder batch: input fifo is not a regular file"),
    ])
    func aFIFOOrADeviceIsRefusedAtOnce(_ arguments: [String], _ expected: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "stock.csv")
        #expect(mkfifo(workspace.file("fifo"), 0o600) == 0)
        let run = try workspace.run(arguments, timeout: 20)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(expected), "\(run.stderr)")
        #expect(workspace.tree() == ["fifo", "stock.csv"])
    }

    /// `inspect` and `convert` refuse a FIFO (they already refused devices) instead of blocking.
    @Test(arguments: [(["inspect", "fifo"], "builder inspect: fifo: not a regular file"),
                      (["convert", "fifo", "out.csv"], "builder convert: fifo: not a regular file")])
    func inspectAndConvertRefuseAFIFOAtOnce(_ arguments: [String], _ expected: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(mkfifo(workspace.file("fifo"), 0o600) == 0)
        let run = try workspace.run(arguments, timeout: 20)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(expected), "\(run.stderr)")
        #expect(workspace.tree() == ["fifo"])
    }

    /// `builder.fs.read` of a device or a FIFO raises an error that `pcall` catches.
    @Test func fsReadOfADeviceOrAFIFOIsACatchableError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        #expect(mkfifo(workspace.file("fifo"), 0o600) == 0)
        try workspace.write("""
            print(pcall(builder.fs.read, "/dev/zero"))
            print(pcall(builder.fs.read, "fifo"))
            """, to: "read.lua")
        let run = try workspace.run(["script", "read.lua"], timeout: 20)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == """
            false\tbuilder.fs.read: cannot read /dev/zero: it is a character device, not a regular file
            false\tbuilder.fs.read: cannot read fifo: it is a FIFO, not a regular file

            """)
    }

    /// A file over the limit of files read whole (16 MiB) is refused, naming its size, without
    /// reading it: a template, a script, `builder.fs.read`.
    @Test func aFileTooLargeToReadWholeIsRefusedNamingItsSize() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "stock.csv")
        for name in ["big.yaml", "big.lua"] {
            try workspace.write("", to: name)
            #expect(truncate(workspace.file(name), 200 << 20) == 0)  // sparse: no disk used
        }
        let limit = "over the limit of 16 MiB for a file read whole"
        let template = try workspace.run(["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out",
                                          "--template", "big.yaml"], timeout: 30)
        #expect(template.status == 2, "\(template.stderr)")
        #expect(template.stderr.contains("template: cannot read big.yaml: it is 209715200 bytes, \(limit)"), "\(template.stderr)")
        let script = try workspace.run(["script", "big.lua"], timeout: 30)
        #expect(script.status == 1, "\(script.stderr)")
        #expect(script.stderr.contains("cannot read 'big.lua': it is 209715200 bytes, \(limit)"), "\(script.stderr)")
        try workspace.write("print(pcall(builder.fs.read, 'big.yaml'))\n", to: "read.lua")
        let read = try workspace.run(["script", "read.lua"], timeout: 30)
        #expect(read.stdout == "false\tbuilder.fs.read: cannot read big.yaml: it is 209715200 bytes, \(limit)\n", "\(read.stderr)")
    }

    /// A runner that leaves a FIFO as its manifest: the batch reads no row count from it, and
    /// does not hang.
    @Test func aManifestThatIsAFIFOIsNotRead() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "stock.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out", "--json",
                                     "--runner", "mkfifo {out}/manifest.json"], timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try results(jsonObject(run.stdout)).first)
        #expect(result["status"] as? String == "SUCCESS")
        #expect(result["rows"] is NSNull)
    }

    // MARK: Checks before writing, whole log lines

    /// An output directory that cannot be created even by root (`/sys`): a usage error before
    /// any job file is written.
    @Test func anOutputDirectoryThatCannotBeCreatedIsAUsageError() throws {
        try #require(FileManager.default.fileExists(atPath: "/sys/kernel"), "needs Linux's /sys")
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "stock.csv")
        let run = try workspace.run(["batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "/sys/kernel/builder-test"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("builder batch: --output-dir: cannot create directory /sys/kernel/builder-test: "
            + "/sys/kernel is not writable"), "\(run.stderr)")
        #expect(workspace.tree() == ["stock.csv"])
    }

    /// When the batch log cannot take a whole line (the file size limit stands for a full disk),
    /// the part written is taken back: every line of the file stays one JSON object.
    @Test func aLogLineThatDoesNotFitIsNotLeftInPart() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("siren\n", to: "stock.csv")
        var earlier = ""
        while earlier.utf8.count < 3900 { earlier += "{\"n\": \(earlier.utf8.count)}\n" }
        try workspace.write(earlier, to: "out/batch.jsonl")
        let binary = try #require(builderBinaryPath)
        // At most 8 blocks of 512 bytes (4096) per file; SIGXFSZ ignored, so writes fail with EFBIG.
        let run = try runProcess("/bin/sh", ["-c", "ulimit -f 8; trap '' XFSZ; exec \"$@\"", "sh", binary,
                                             "batch", "--naf", "43", "--input", "stock.csv", "--output-dir", "out",
                                             "--runner", "true"], in: workspace.path, timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: cannot write the log"), "\(run.stderr)")
        let text = try workspace.contents("out/batch.jsonl")
        #expect(text.hasPrefix(earlier))
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not a whole JSON line: \(line)")
        }
    }
}
