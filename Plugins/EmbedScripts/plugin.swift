import Foundation
import PackagePlugin

/// Compiles the package's files into a target as Swift string constants, so an installed `builder`
/// needs no checkout beside it: the Lua scripts (`scripts/*.lua`) and templates (`Templates/*.yaml`)
/// into `Scripting`, the INSEE tables (`Data/*.tsv`, see `Data/README.md`) into the targets that
/// own them, the département outlines (`Data/departements.tsv`) into `Report`.
@main
struct EmbedScripts: BuildToolPlugin {
    /// Per target, the files it embeds: folder, file-name prefix, file-name suffix.
    static let embedded: [String: [(folder: String, prefix: String, suffix: String)]] = [
        "Scripting": [("scripts", "", ".lua"), ("Templates", "", ".yaml")],
        "NAF": [("Data", "naf_", ".tsv")],
        "INSEECodes": [("Data", "categories_juridiques", ".tsv"), ("Data", "tranches_effectifs", ".tsv")],
        "Report": [("Data", "departements", ".tsv")],
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let selection = Self.embedded[target.name] else {
            throw PluginError("EmbedScripts: no files are declared for target \(target.name)")
        }
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for (folder, prefix, suffix) in selection {
            let dir = root.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            inputs += names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted().map { dir.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
