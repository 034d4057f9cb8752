import ArgumentParser

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert Parquet to CSV and CSV to Parquet."
    )

    func run() throws {
        throw NotImplemented(command: "convert")
    }
}
