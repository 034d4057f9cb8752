import ArgumentParser

struct ScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Run a Lua pipeline."
    )

    func run() throws {
        throw NotImplemented(command: "script")
    }
}
