import Foundation
import TestSupport
import Testing

/// The scripting commands' answers to unusual input, end to end through the binary.
@Suite struct ScriptingRobustnessTests {
    @Test func helpForAnUnknownCommandIsAUsageError() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["help", "nonexistent"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("builder help: 'nonexistent' is not a command (commands: "), "\(run.stderr)")
        for name in ["batch", "run-profile", "inspect"] {
            let known = try workspace.run(["help", name])
            #expect(known.status == 0, "\(name): \(known.stderr)")
            #expect(known.stdout.contains("Usage:") || known.stdout.contains("USAGE:"), "\(name)")
        }
    }

    @Test func createJobTakesTheNomenclatureFromTheSubclassWhateverTheOrder() throws {
        let workspace = try TestDirectory(prefix: "cli")
        for (name, codes) in [("a.yaml", ["43", "6920Y"]), ("b.yaml", ["6920Y", "43"])] {
            let run = try workspace.run(["create-job", name] + codes.flatMap { ["--naf", $0] })
            #expect(run.status == 0, "\(codes): \(run.stderr)")
            #expect(try workspace.contents(name).contains("naf_nomenclature: NAF2025"), "\(codes)")
        }
    }

    @Test func createJobRefusesAMixOfNomenclaturesNamingBoth() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let run = try workspace.run(["create-job", "j.yaml", "--naf", "43", "--naf", "6920Y", "--naf", "6920Z"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("6920Y is a NAF2025 subclass but 6920Z is a NAFRev2 subclass"), "\(run.stderr)")
        #expect(!workspace.exists("j.yaml"))
    }

    /// `os.exit` in a finalizer: when the state closes at the end of the script, or during a
    /// collection in the middle of it (nothing after it runs).
    @Test(arguments: [
        "setmetatable({}, {__gc = function() os.exit(6) end})\nprint('end')",
        "setmetatable({}, {__gc = function() os.exit(6) end})\ncollectgarbage()\nprint('survived')",
    ])
    func osExitInAFinalizerIsTheExitStatus(_ source: String) throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(source, to: "gc.lua")
        let run = try workspace.run(["script", "gc.lua"])
        #expect(run.status == 6, "\(run.stderr)")
        #expect(!run.stdout.contains("survived"))
        #expect(run.stderr == "")
    }

    @Test func aFinalizerDoesNotOverrideTheScriptsOwnExit() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("setmetatable({}, {__gc = function() os.exit(6) end})\nos.exit(3)", to: "gc.lua")
        let run = try workspace.run(["script", "gc.lua"])
        #expect(run.status == 3, "\(run.stderr)")
    }

    @Test func aScriptStartingWithABOMRuns() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write(bytes: [0xEF, 0xBB, 0xBF] + Array("print('bom ok')\n".utf8), to: "bom.lua")
        let run = try workspace.run(["script", "bom.lua"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "bom ok\n")
    }

    @Test func aTemplateStartingWithABOMGivesJobsWithoutIt() throws {
        let workspace = try TestDirectory(prefix: "cli")
        let template = try workspace.run(["script", "--print", "job_template.yaml"]).stdout
        try workspace.write(bytes: [0xEF, 0xBB, 0xBF] + Array(template.utf8), to: "t.yaml")
        let run = try workspace.run(["create-job", "j.yaml", "--naf", "6920Z", "--template", "t.yaml"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.bytes("j.yaml").prefix(3) != [0xEF, 0xBB, 0xBF])
    }

    @Test func osExitInsidePcallEndsTheScript() throws {
        let workspace = try TestDirectory(prefix: "cli")
        try workspace.write("pcall(os.exit, 3)\nprint('survived')\n", to: "exit.lua")
        let run = try workspace.run(["script", "exit.lua"])
        #expect(run.status == 3)
        #expect(run.stdout == "")
    }
}
