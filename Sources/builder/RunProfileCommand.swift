import ArgumentParser

struct RunProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-profile",
        abstract: "Run one job: filter, clean, score and export a niche."
    )

    func run() throws {
        throw NotImplemented(command: "run-profile")
    }
}
