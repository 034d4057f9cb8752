import Foundation
import PackagePlugin

/// Compiles the package's Lua scripts (`scripts/*.lua`) and templates (`Templates/*.yaml`) into
/// the target as Swift string constants, so an installed `builder` needs no checkout beside it.
@main
struct EmbedScripts: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for (folder, suffix) in [("scripts", ".lua"), ("Templates", ".yaml")] {
            let dir = root.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            inputs += names.filter { $0.hasSuffix(suffix) }.sorted().map { dir.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) scripts and templates",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
