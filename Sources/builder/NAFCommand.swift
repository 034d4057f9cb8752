import ArgumentParser
import Basics
import Foundation
import INSEECodes
import NAF

/// `builder naf show|search|list`: INSEE's NAF labels, compiled into the binary.
struct NAFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "naf",
        abstract: "Look up NAF codes and INSEE's labels: show a code, search labels, list a level.",
        discussion: """
            The NAF rév. 2 table (21 sections, 88 divisions, 272 groups, 615 classes, 732 \
            subclasses) and the NAF 2025 table (22 sections, 87 divisions, 287 groups, 651 \
            classes, 747 subclasses) are compiled into builder; their sources are described in \
            Data/README.md. Codes are written as everywhere else (69.20Z, 6920z, 69.2, 69) and \
            sections by their letter (M); a subclass letter names its nomenclature (A-F, Z: NAF \
            rév. 2; G-L, Y: NAF 2025). A code that does not exist is refused with the nearest real \
            ones. English labels are NACE's titles (a subclass that is its class undivided, Z or \
            Y, has its class's); where an entry has a label in one language only, that one is \
            printed.

            Exit status: 0 ok (a search that matches nothing prints nothing, [] with --json), \
            2 bad usage or a code that does not exist.
            """,
        subcommands: [Show.self, Search.self, List.self]
    )

    struct Options: ParsableArguments {
        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Option(help: "Label language: fr or en (the other one where the table has no label in it).")
        var lang: String = "fr"

        @Option(help: "Nomenclature of sections and of codes without a subclass letter: NAFRev2 or NAF2025.")
        var nomenclature: String = "NAFRev2"

        func validate() throws {
            guard LabelLanguage(rawValue: lang) != nil else {
                throw ValidationError("--lang: expected fr or en, got \(lang.debugDescription)")
            }
            guard NAFNomenclature(rawValue: nomenclature) != nil else {
                throw ValidationError("--nomenclature: expected NAFRev2 or NAF2025, got \(nomenclature.debugDescription)")
            }
        }

        var language: LabelLanguage { LabelLanguage(rawValue: lang) ?? .fr }

        /// The chosen nomenclature and its table; exit 2 when this build has no such table.
        func table(_ command: String) throws -> (NAFNomenclature, NAFTable) {
            let chosen = NAFNomenclature(rawValue: nomenclature) ?? .rev2
            guard let table = NAFTable.table(for: chosen) else {
                throw usageError(command, "the \(chosen.displayName) table is not part of this build (see Data/README.md)")
            }
            return (chosen, table)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a code: its label, the levels above it and the ones below.",
            discussion: """
                Text: the chain from the section down to the code, one "level code label" line \
                each, then the code's children indented. JSON: {"code", "dotted", "level", \
                "nomenclature", "label", "parents": [...], "children": [...]}, each entry \
                {"code", "dotted", "level", "label"}.
                """
        )

        @Argument(help: "A NAF code (69.20Z, 6920z, 69.2, 69) or a section letter (M).")
        var code: String

        @OptionGroup var options: Options

        func run() throws {
            let language = options.language
            let (nomenclature, _) = try options.table("show")
            let (table, entry) = try lookUp(code, nomenclature, "show")
            let parents = table.ancestors(of: entry)
            let children = table.children(of: entry)
            if options.json {
                var document = StructuredMap()
                document["code"] = .string(entry.code)
                document["dotted"] = .string(entry.dotted)
                document["level"] = .string(entry.level.rawValue)
                document["nomenclature"] = .string(table.nomenclature.rawValue)
                document["label"] = .string(entry.label(language))
                document["parents"] = .array(parents.map { describe($0, language) })
                document["children"] = .array(children.map { describe($0, language) })
                print(try JSON.encode(.map(document), pretty: true))
            } else {
                for item in parents + [entry] { print(line(item, language)) }
                for child in children { print("  " + line(child, language)) }
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search labels: every word must appear, accents and case ignored.",
            discussion: """
                Words match whole label words first, then word beginnings, then parts of words; \
                shorter labels and finer levels come first among equals. Text: one "code label" \
                line per match. JSON: [{"code", "dotted", "level", "label"}, ...].
                """
        )

        @Argument(help: "Words to look for (comptable, boulangerie, ...).")
        var words: [String]

        @Option(help: "At most this many results.")
        var limit: Int = 20

        @OptionGroup var options: Options

        func validate() throws {
            guard !words.joined().trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give at least one word") }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000, got \(limit)") }
        }

        func run() throws {
            let language = options.language
            let (_, table) = try options.table("search")
            let found = table.search(words.joined(separator: " "), limit: limit)
            if options.json {
                print(try JSON.encode(.array(found.map { describe($0, language) }), pretty: true))
            } else {
                for entry in found { print(line(entry, language, withLevel: false)) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the codes directly under a code (the sections without one).",
            discussion: """
                Text: one "code label" line per child. JSON: [{"code", "dotted", "level", \
                "label"}, ...].
                """
        )

        @Argument(help: "A NAF code or a section letter; the sections when omitted.")
        var code: String?

        @OptionGroup var options: Options

        func run() throws {
            let language = options.language
            let (nomenclature, table) = try options.table("list")
            let children: [NAFEntry]
            if let code {
                let (found, entry) = try lookUp(code, nomenclature, "list")
                children = found.children(of: entry)
            } else {
                children = table.children(of: nil)
            }
            if options.json {
                print(try JSON.encode(.array(children.map { describe($0, language) }), pretty: true))
            } else {
                for entry in children { print(line(entry, language, withLevel: false)) }
            }
        }
    }
}

/// The table and entry of a code, or a usage error (exit 2) naming the problem.
private func lookUp(_ text: String, _ nomenclature: NAFNomenclature, _ command: String) throws -> (NAFTable, NAFEntry) {
    let found: (table: NAFTable, entry: NAFEntry)?
    do {
        found = try NAFLookup.entry(text, nomenclature: nomenclature)
    } catch {
        throw usageError(command, error.description)
    }
    guard let found else {
        throw usageError(command, "\(text.debugDescription): the table of its nomenclature is not part of this build (see Data/README.md)")
    }
    return found
}

/// Prints `builder naf COMMAND: message` and the hint on standard error; the exit status 2 to throw.
private func usageError(_ command: String, _ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("builder naf \(command): \(message)\nRun 'builder naf \(command) --help' for usage.\n".utf8))
    return ExitCode(2)
}

private func line(_ entry: NAFEntry, _ language: LabelLanguage, withLevel: Bool = true) -> String {
    let code = entry.dotted.padding(toLength: 7, withPad: " ", startingAt: 0)
    return withLevel
        ? entry.level.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + code + " " + entry.label(language)
        : code + " " + entry.label(language)
}

private func describe(_ entry: NAFEntry, _ language: LabelLanguage) -> StructuredValue {
    var map = StructuredMap()
    map["code"] = .string(entry.code)
    map["dotted"] = .string(entry.dotted)
    map["level"] = .string(entry.level.rawValue)
    map["label"] = .string(entry.label(language))
    return .map(map)
}
