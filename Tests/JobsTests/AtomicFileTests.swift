import Foundation
import Basics
import Jobs

import TestSupport
import Testing

@Suite("Atomic files and job files")
struct AtomicFileTests {
    @Test func writesAndCreatesParentDirectories() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let path = try AtomicFile.write("hello\n", to: directory.file("a/b/c.txt"))
        #expect(path == directory.file("a/b/c.txt"))
        #expect(try directory.contents("a/b/c.txt") == "hello\n")
        #expect(try directory.names("a/b") == ["c.txt"], "no temporary file left")
    }

    @Test func replacesAnExistingFileWhole() throws {
        let directory = try TestDirectory(prefix: "jobs")
        try directory.write("old contents that are longer", to: "f.txt")
        try AtomicFile.write(Array("new".utf8), to: directory.file("f.txt"))
        #expect(try directory.contents("f.txt") == "new")
    }

    @Test func failedRenameRemovesTheTemporaryFile() throws {
        let directory = try TestDirectory(prefix: "jobs")
        // The destination is a non-empty directory: rename fails after the data is written.
        try directory.write("x", to: "target/inside.txt")
        let error = try #require(throws: FileError.self) { try AtomicFile.write("data", to: directory.file("target")) }
        #expect(error.description.hasPrefix("cannot write \(directory.file("target")): "), "\(error)")
        #expect(try directory.names() == ["target"])
        #expect(try directory.names("target") == ["inside.txt"])
    }

    @Test func unwritableDirectoryIsAnErrorNamingThePath() throws {
        let directory = try TestDirectory(prefix: "jobs")
        try directory.write("a file, not a directory", to: "blocker")
        let error = try #require(throws: FileError.self) { try AtomicFile.write("x", to: directory.file("blocker/sub/f.txt")) }
        #expect(error.description.contains(directory.file("blocker")), "\(error)")
    }

    @Test func aPathEndingWithASlashIsAnErrorNamingThePath() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let target = directory.file("out") + "/"
        let error = try #require(throws: FileError.self) { try AtomicFile.write("x", to: target) }
        #expect(error.description == "cannot write \(target): output path names a directory")
        #expect(try directory.names() == [], "nothing created")
    }

    @Test func relativePathsAreMadeAbsolute() {
        // No chdir here: tests run in parallel and share the working directory.
        let cwd = FileSystem.currentDirectory()
        #expect(cwd.hasPrefix("/"))
        #expect(FileSystem.absolutePath("./jobs/naf_43.yaml") == FileSystem.absolutePath(cwd) + "/jobs/naf_43.yaml")
    }

    // MARK: Job files

    static let validJob = "niche: naf_43\nfilters:\n  naf_include: [\"43\"]\nprofile: quick\n"

    @Test func writesAValidJobAsItIs() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let path = try JobFile.write(yaml: Self.validJob, to: directory.file("jobs/naf_43.yaml"))
        #expect(path == directory.file("jobs/naf_43.yaml"))
        #expect(try directory.contents("jobs/naf_43.yaml") == Self.validJob)
        #expect(try JobSpec(contentsOfFile: path).niche == "naf_43")
    }

    @Test func invalidJobIsRefusedBeforeWriting() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let target = directory.file("jobs/naf_43.yaml")
        do {
            try JobFile.write(yaml: "niche: naf_43\nprofile: fast\n", to: target)
            Issue.record("an invalid job was written")
        } catch let error as JobSpecError {
            #expect(error.description.hasPrefix(target + ": field '"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("jobs")), "nothing created")
    }

    @Test func writesAStructuredJobAsYAML() throws {
        let directory = try TestDirectory(prefix: "jobs")
        let job: StructuredValue = [
            "niche": "naf_6920Z",
            "filters": ["naf_include": ["6920Z"], "regions": ["75"]],
            "profile": "quick",
            "http": ["retries": 3],
        ]
        let path = try JobFile.write(job, to: directory.file("naf_6920Z.yaml"))
        let text = try directory.contents("naf_6920Z.yaml")
        #expect(text == "niche: naf_6920Z\nfilters:\n  naf_include: [\"6920Z\"]\n  regions: [\"75\"]\nprofile: quick\nhttp:\n  retries: 3\n")
        #expect(try YAML.decode(text) == job)
        #expect(try JobSpec(contentsOfFile: path).otherSections["http"] == ["retries": 3])
        #expect(throws: JobSpecError.self) { try JobFile.write(["niche": "n"], to: directory.file("bad.yaml")) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("bad.yaml")))
    }

    @Test func readingAMissingJobNamesThePath() throws {
        let error = try #require(throws: JobSpecError.self) { try JobSpec(contentsOfFile: "no/such/job.yaml") }
        #expect(error.description == "cannot read no/such/job.yaml: No such file or directory")
    }

    @Test func fileSystemHelpers() {
        #expect(FileSystem.parentDirectory(of: "a/b/c") == "a/b")
        #expect(FileSystem.parentDirectory(of: "c") == ".")
        #expect(FileSystem.parentDirectory(of: "/c") == "/")
        #expect(FileSystem.parentDirectory(of: "a/b/") == "a")
        #expect(FileSystem.absolutePath("/x/./y//z") == "/x/y/z")
        #expect(FileSystem.fileName(of: "a/b.yaml") == "b.yaml")
    }

    @Test func listingAndReading() throws {
        let directory = try TestDirectory(prefix: "jobs")
        try directory.write("b", to: "b.txt")
        try directory.write("a", to: "sub/a.txt")
        #expect(try FileSystem.list(directory.path) == ["b.txt", "sub"])
        #expect(FileSystem.isDirectory(directory.file("sub")))
        #expect(!FileSystem.isDirectory(directory.file("b.txt")))
        #expect(FileSystem.exists(directory.file("b.txt")))
        #expect(try FileSystem.readText(directory.file("sub/a.txt")) == "a")
        let missing = try #require(throws: FileError.self) { try FileSystem.list(directory.file("none")) }
        #expect(missing.description == "cannot list \(directory.file("none")): No such file or directory")
        try AtomicFile.write([0xFF, 0xFE], to: directory.file("binary"))
        #expect(try FileSystem.readBytes(directory.file("binary")) == [0xFF, 0xFE])
        let invalid = try #require(throws: FileError.self) { try FileSystem.readText(directory.file("binary")) }
        #expect(invalid.reason == "not valid UTF-8 text")
    }
}
