import Basics
import Jobs
import NAF
import TestSupport
import Testing

@Suite("Job templates")
struct TemplateTests {
    let standard: [String: TemplateValue] = ["niche_name": "naf_6920Z", "naf_code": "6920Z", "profile": "quick"]

    @Test func substitutesPlaceholders() throws {
        let template = JobTemplate("niche: \"{niche_name}\"\nfilters:\n  naf_include: [\"{naf_code}\"]\nprofile: {profile}\n")
        let rendered = try template.render(standard)
        #expect(rendered == "niche: \"naf_6920Z\"\nfilters:\n  naf_include: [\"6920Z\"]\nprofile: quick\n")
    }

    @Test func doubledBracesAreLiteralBraces() throws {
        let template = JobTemplate("scoring: {{weights: {{contactability: 50}} }}\nname: \"{{niche_name}}\"\n")
        #expect(try template.render(standard) == "scoring: {weights: {contactability: 50} }\nname: \"{niche_name}\"\n")
        #expect(try JobTemplate("a: \"{{{niche_name}}}\"").render(standard) == "a: \"{naf_6920Z}\"")
    }

    @Test func flowMappingsAreLeftAlone() throws {
        let text = """
            output: {dir: "out/{niche_name}", lang: "fr"}
            dedupe: {keys: ["siret"], fuzzy: false}
            scoring: {weights: {contactability: 50, unicity: 20, completeness: 20, freshness: 10} }
            empty: {}
            list: []
            """
        let rendered = try JobTemplate(text).render(standard)
        #expect(rendered == text.replacingAll("{niche_name}", with: "naf_6920Z"))
        let parsed = try YAML.decode(rendered)
        #expect(parsed["scoring"]?["weights"]?["unicity"] == .integer(20))
        #expect(parsed["output"]?["dir"] == "out/naf_6920Z")
    }

    @Test func nestedFlowMappingsInBothStyles() throws {
        let plain = "scoring: {weights: {contactability: 50, unicity: 20}}\n"
        let python = "scoring: {{weights: {{contactability: 50, unicity: 20}}}}\n"
        #expect(try JobTemplate(plain).render(standard) == plain)
        #expect(try JobTemplate(python).render(standard) == plain)
        let mixed = "a: {{b: {c: \"{niche_name}\"}}}\nd: {{{profile}}}\ne: }}\n"
        #expect(try JobTemplate(mixed).renderText(standard) == "a: {b: {c: \"naf_6920Z\"}}\nd: {quick}\ne: }\n")
    }

    /// The job file of docs/job-file.md as a template, written as plain YAML.
    static let specTemplate = """
        # Generated for {naf_code}
        niche: "{niche_name}"
        filters:
          naf_include: ["{naf_code}"]     # codes at any level, prefix semantics by level
          naf_exclude: []            # optional
          active_only: true          # etatAdministratifEtablissement == "A"
          regions: ["75", "92"]      # optional: department codes or postal-code prefixes
        profile: "{profile}"
        output: {dir: "out/{niche_name}", lang: "fr"}
        dedupe: {keys: ["siret"], fuzzy: false}
        scoring: {weights: {contactability: 50, unicity: 20, completeness: 20, freshness: 10}}
        kpi_targets: {min_quality_score: 80, max_dup_pct: 1.5}
        budgets: {time_budget_min: 30, ram_mb: 2048}
        retention_days: 30

        """

    @Test(arguments: ["69.20Z", "43", "4329a", "01.1", "53.20G"])
    func specTemplateRendersToAValidJob(_ naf: String) throws {
        let code = try NAFCode(parsing: naf)
        let variables = JobTemplate.standardVariables(code: code, profile: .standard)
        let rendered = try JobTemplate(Self.specTemplate, source: "job_template.yaml").render(variables)
        if code.nomenclature == .naf2025 {
            let error = try #require(throws: JobSpecError.self) { try JobSpec(yaml: rendered, source: "jobs/\(code.nicheName).yaml") }
            #expect(error.field == "filters.naf_include[0]")
            return
        }
        let job = try JobSpec(yaml: rendered, source: "jobs/\(code.nicheName).yaml")
        #expect(job.niche == code.nicheName)
        #expect(job.filters.naf.include == [code])
        #expect(job.profile == .standard)
        #expect(job.output.dir == "out/" + code.nicheName)
        #expect(job.scoring.weights.map(\.value) == [50, 20, 20, 10])
        #expect(job.kpiTargets.maxDupPct == 1.5)
    }

    @Test func unknownPlaceholderNamesItAndItsLine() throws {
        let text = "# job\nniche: x\nfilters:\n  naf_include: [x]\nprofile: quick\noutput:\n  dir: \"{nich_name}\"\n"
        let error = try #require(throws: TemplateError.self) {
            try JobTemplate(text, source: "job_template.yaml").render(standard)
        }
        #expect(error.description
            == "template job_template.yaml, line 7: unknown placeholder {nich_name}; known: naf_code, niche_name, profile")
        #expect(error.line == 7)
        let textError = try #require(throws: TemplateError.self) { try JobTemplate("{a}\n{b}").renderText(["a": "1"]) }
        #expect(textError.description == "template, line 2: unknown placeholder {b}; known: a")
    }

    @Test func nonIdentifierBracesAreNotPlaceholders() throws {
        let template = JobTemplate("a: { b: 1 }\nc: {0}\nd: {}\ne: '{ x }'\n")
        #expect(template.placeholderNames.isEmpty)
        #expect(try template.renderText([:]) == "a: { b: 1 }\nc: {0}\nd: {}\ne: '{ x }'\n")
    }

    @Test func placeholderNamesInOrder() {
        let template = JobTemplate("a: {profile}\nb: {niche_name}\nc: {profile}\nd: {{naf_code}}")
        #expect(template.placeholderNames == ["profile", "niche_name"])
    }

    @Test func nonStringValuesAreWrittenPlainly() throws {
        let template = JobTemplate("kpi: {min: {score}, ratio: {ratio}}\nactive: {active}\nquoted: \"{score}\"\nbig: {big}\n")
        let rendered = try template.render(["score": 80, "ratio": 1.5, "active": true, "big": .double(1e16)])
        let parsed = try YAML.decode(rendered)
        #expect(parsed["kpi"]?["min"] == .integer(80))
        #expect(parsed["kpi"]?["ratio"] == .double(1.5))
        #expect(parsed["active"] == .bool(true))
        #expect(parsed["quoted"] == "80")
        #expect(parsed["big"] == .double(1e16))
    }

    @Test func stringsStayStringsInPlainContext() throws {
        let template = JobTemplate("codes: [{a}, {b}, {c}, {d}, {e}]\nplain: {a}\nword: {f}\n")
        let rendered = try template.render(["a": "43", "b": "true", "c": "", "d": "1e3", "e": "~", "f": "naf_43"])
        let parsed = try YAML.decode(rendered)
        #expect(parsed["codes"] == ["43", "true", "", "1e3", "~"])
        #expect(parsed["plain"] == "43")
        #expect(rendered.contains("word: naf_43\n"), "safe strings stay plain: \(rendered)")
    }

    // MARK: Injection

    static let hostileValues: [String] = [
        "6920Z\"\nprofile: deep", "a: b", "a:b", "'", "''", "\"", "\\", "\\n", "- x", "-", ":", "?", "? x", "#c", "a #c",
        "[1, 2]", "{a: 1}", "}", "]", ",", "*alias", "&anchor x", "!tag x", "!!int 5", "---", "...", "%YAML 1.2",
        "", " leading", "trailing ", "true", "null", "~", "123", "-5", "1e3", "0x1F", ".inf", "yes", "no", "on",
        "\t", "a\tb", "line1\nline2", "a\r\nb", "\r", "\u{85}", "\u{2028}", "\u{2029}", "x\u{FEFF}", "\u{7F}", "\u{1B}[31m",
        "\u{0}", "émoji 🎉", "|", ">", "@x", "`x", "{niche_name}", "{{", "a\n  b: c", "x\n- y", "<<",
    ]

    /// Each context: a template line, the path to the value, and what surrounds the placeholder.
    static let contexts: [(template: String, key: String, prefix: String, suffix: String)] = [
        ("v: \"{x}\"\nprofile: quick\n", "v", "", ""),
        ("v: \"pre {x} post\"\nprofile: quick\n", "v", "pre ", " post"),
        ("v: '{x}'\nprofile: quick\n", "v", "", ""),
        ("v: 'it''s {x}!'\nprofile: quick\n", "v", "it's ", "!"),
        ("v: {x}\nprofile: quick\n", "v", "", ""),
        ("v: out/{x}\nprofile: quick\n", "v", "out/", ""),
        ("v: {x} # comment\nprofile: quick\n", "v", "", ""),
        ("v: [{x}]\nprofile: quick\n", "v", "", ""),
        ("v: {{k: {x}}}\nprofile: quick\n", "v", "", ""),
        ("v: [\"{x}\", '{x}']\nprofile: quick\n", "v", "", ""),
        ("v:\n  - {x}\nprofile: quick\n", "v", "", ""),
        ("- {x}\n- quick\n", "", "", ""),
    ]

    @Test(arguments: hostileValues)
    func valuesNeverInjectStructure(_ value: String) throws {
        for context in Self.contexts {
            let rendered = try JobTemplate(context.template).render(["x": .string(value)])
            let parsed = try YAML.decode(rendered)
            let expected = StructuredValue.string(context.prefix + value + context.suffix)
            switch parsed {
            case let .map(map):
                #expect(map.keys == [context.key, "profile"], "template \(context.template.debugDescription) gave \(rendered.debugDescription)")
                #expect(map["profile"] == "quick")
                var found = map[context.key]
                if case let .array(elements)? = found { found = elements.first }
                if case let .map(inner)? = found { found = inner["k"] }
                #expect(found == expected, "template \(context.template.debugDescription) gave \(rendered.debugDescription)")
            case let .array(elements):
                #expect(elements == [expected, "quick"], "gave \(rendered.debugDescription)")
            default:
                Issue.record("unexpected document \(parsed) from \(rendered.debugDescription)")
            }
        }
    }

    /// Random values over an alphabet of YAML indicators, in every context: each value comes back
    /// exactly (never a different value, never a different structure).
    @Test func randomValuesRoundTripInEveryContext() throws {
        let alphabet: [String] = [":", "#", "'", "\"", "\n", "-", "[", "]", "{", "}", ",", " ", "\t", "a", "1", "&", "*",
                                  "!", "|", ">", "%", "@", "\\", "?", "\u{2028}", ".", "~", "é", "\r", "0x", "e"]
        var generator = SplitMix64(seed: 42)
        for _ in 0..<400 {
            let length = Int(generator.next() % 8)
            let value = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
            for context in Self.contexts {
                let rendered = try JobTemplate(context.template).render(["x": .string(value)])
                let parsed = try YAML.decode(rendered)
                var found: StructuredValue? = parsed.mapValue?[context.key] ?? parsed.arrayValue?.first
                if case let .array(elements)? = found { found = elements.first }
                if case let .map(inner)? = found { found = inner["k"] }
                #expect(found == .string(context.prefix + value + context.suffix),
                        "\(value.debugDescription) in \(context.template.debugDescription) gave \(rendered.debugDescription)")
            }
        }
    }

    @Test(arguments: hostileValues)
    func hostileValuesAsKeysStayOneKey(_ value: String) throws {
        let rendered = try JobTemplate("{x}: 1\nprofile: quick\n").render(["x": .string(value)])
        let parsed = try #require(try YAML.decode(rendered).mapValue)
        #expect(parsed.keys == [value, "profile"], "gave \(rendered.debugDescription)")
    }

    @Test func commentsKeepValuesOnTheirLine() throws {
        let rendered = try JobTemplate("# job for {x}\nprofile: quick\n").render(["x": "a\nprofile: deep"])
        #expect(rendered == "# job for a\\nprofile: deep\nprofile: quick\n")
        #expect(try YAML.decode(rendered) == ["profile": "quick"])
    }

    @Test func blockScalarsTakeSingleLineValues() throws {
        let template = JobTemplate("description: |\n  Leads for {naf_code}\n  in {profile} mode\nprofile: quick\n")
        let parsed = try YAML.decode(try template.render(standard))
        #expect(parsed["description"] == "Leads for 6920Z\nin quick mode\n")
        let error = try #require(throws: TemplateError.self) {
            try template.render(["naf_code": "x\nprofile: deep", "profile": "quick"])
        }
        #expect(error.line == 2)
        #expect(error.description.contains("{naf_code}"))
        for value in ["a\u{2028}profile: deep", "a\u{85}b", " indented", "\tx"] {
            #expect(throws: TemplateError.self, "\(value.debugDescription)") {
                try JobTemplate("d: |\n  {x}\n  next\nprofile: quick\n").render(["x": .string(value)])
            }
        }
        #expect(try YAML.decode(JobTemplate("d: |\n  a{x}\n").render(["x": "  b"])) == ["d": "a  b\n"])
    }

    @Test func placeholdersInTagsAndAnchorsAreRefused() throws {
        let error = try #require(throws: TemplateError.self) { try JobTemplate("a: &{x} 1\n").render(["x": "y"]) }
        #expect(error.description == "template, line 1: placeholder {x} cannot be part of a tag, anchor or alias")
    }

    @Test func invalidTemplateYAMLIsReportedWithItsLine() throws {
        let error = try #require(throws: TemplateError.self) {
            try JobTemplate("a: 1\nb: [1, 2\nc: {x}\n", source: "t.yaml").render(["x": "y"])
        }
        #expect(error.description.hasPrefix("template t.yaml, line "))
        #expect(error.description.contains("not valid YAML"))
    }

    @Test func multiLineSingleQuotedScalarRefusesLineBreakValues() throws {
        let template = JobTemplate("a: 'first\n  {x}'\n")
        #expect(try YAML.decode(template.render(["x": "it's"])) == ["a": "first it's"])
        #expect(throws: TemplateError.self) { try template.render(["x": "a\nb"]) }
    }

    @Test func renderTextSubstitutesVerbatim() throws {
        let template = JobTemplate("Hello {name}, {{literal}} {count} {ratio}\n")
        #expect(try template.renderText(["name": "a: \"b\"", "count": 3, "ratio": 0.5])
            == "Hello a: \"b\", {literal} 3 0.5\n")
    }

    @Test func standardVariables() throws {
        let variables = JobTemplate.standardVariables(code: try NAFCode(parsing: "69.20z"), profile: .deep)
        #expect(variables == ["niche_name": "naf_6920Z", "naf_code": "6920Z", "profile": "deep"])
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
