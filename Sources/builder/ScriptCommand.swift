import ArgumentParser
import Scripting

/// `builder script FILE.lua [-- ARGS...]`, `builder script --list`, `builder script --print NAME`.
struct ScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Run a Lua pipeline (a file, or an embedded script such as batch.lua).",
        discussion: "See 'builder script --help'."
    )

    @Argument(parsing: .captureForPassthrough, help: "FILE.lua and the script's arguments.")
    var arguments: [String] = []

    static func run(arguments: [String]) -> Int32 {
        ScriptLauncher.script(arguments)
    }

    func run() throws {
        throw ExitCode(Self.run(arguments: arguments))
    }
}
