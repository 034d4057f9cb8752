import ArgumentParser

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the schema, row groups and statistics of a Parquet file."
    )

    func run() throws {
        throw NotImplemented(command: "inspect")
    }
}
