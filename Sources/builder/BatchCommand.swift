import ArgumentParser

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run the default batch (the embedded batch.lua)."
    )

    func run() throws {
        throw NotImplemented(command: "batch")
    }
}
