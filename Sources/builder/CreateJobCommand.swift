import ArgumentParser

struct CreateJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-job",
        abstract: "Generate job files from a template."
    )

    func run() throws {
        throw NotImplemented(command: "create-job")
    }
}
