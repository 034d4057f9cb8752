import Basics
@testable import Jobs

import Testing

/// A UTF-8 byte-order mark at the start of a job file or a template is skipped, never copied.
@Suite struct ByteOrderMarkTests {
    static let job = """
        niche: naf_6920Z
        filters:
          naf_include: ["6920Z"]
        profile: quick
        """

    @Test func aJobStartingWithABOMDecodes() throws {
        let spec = try JobSpec(yaml: "\u{FEFF}" + Self.job, source: "job.yaml")
        #expect(spec.niche == "naf_6920Z")
        #expect(try YAML.decode("\u{FEFF}a: 1") == ["a": 1])
    }

    @Test func aTemplateStartingWithABOMRendersWithoutIt() throws {
        for text in ["\u{FEFF}niche: {niche_name}\n", "\u{FEFF}# a comment\nniche: {niche_name}\n"] {
            let rendered = try JobTemplate(text, source: "t.yaml").render(["niche_name": .string("naf_43")])
            #expect(rendered.unicodeScalars.first != "\u{FEFF}", "\(text.debugDescription)")
            #expect(rendered.hasSuffix("niche: naf_43\n"))
        }
    }
}
