import ArgumentParser

struct SampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-data",
        abstract: "Write a synthetic SIRENE-shaped file."
    )

    func run() throws {
        throw NotImplemented(command: "sample-data")
    }
}
