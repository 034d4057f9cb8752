import Basics

/// A company's name read word by word, as both the domain guesses and the name proof read it.
///
/// Reading rules, in order:
/// 1. text in parentheses (or brackets) is dropped when something is left without it (SIRENE's
///    `nom_complet` is `DENOMINATION (SIGLE)`; an individual's is `NOM (PRENOM)`... the part
///    outside is the name);
/// 2. words are folded (`TextFolding`: lower case, accents removed, `œ` → `oe`), apostrophes,
///    hyphens and punctuation separate words, digits are kept;
/// 3. dotted abbreviations are joined (`S.A.R.L.` → `sarl`, `J.M.` → `jm`);
/// 4. legal forms are dropped wherever they are (`legalFormWords`: `sarl`, `sas`, `sasu`, `sa`,
///    `eurl`, `sci`, `snc`, `scp`, `selarl`, ... and `&`), with `et fils`, `& fils`, `et cie`,
///    `& cie` and `et compagnie`; the descriptive forms `societe`/`ste`,
///    `etablissements`/`ets` and `entreprise` are dropped too but remembered (`descriptor`);
/// 5. `withoutArticles` also drops the articles and small words of `articleWords` (`le`,
///    `la`, `les`, `l`, `du`, `de`, `des`, `d`, `au`, `aux`, `et`, `a`, ...).
struct CompanyName: Equatable {
    /// The words left after steps 1 to 4.
    let words: [String]
    /// `words` without articles; equal to `words` when that would leave fewer than two words
    /// (a lone `moulin` is no company's name).
    let withoutArticles: [String]
    /// The first descriptive form of the name (`ets`, `societe`), if any.
    let descriptor: String?

    init(_ name: String) {
        var tokens = Self.tokens(of: Self.withoutParentheses(name))
        tokens = Self.joiningDottedAbbreviations(tokens)
        var words: [String] = []
        var descriptor: String?
        var index = 0
        while index < tokens.count {
            let word = tokens[index].text
            if word == "et" || word == "&", index + 1 < tokens.count, Self.companionWords.contains(tokens[index + 1].text) {
                index += 2
                continue
            }
            if Self.descriptorWords.contains(word) {
                if descriptor == nil { descriptor = word }
            } else if !Self.legalFormWords.contains(word) {
                words.append(word)
            }
            index += 1
        }
        self.words = words
        self.descriptor = descriptor
        let reduced = words.filter { !Self.articleWords.contains($0) }
        self.withoutArticles = reduced.count >= 2 ? reduced : words
    }

    /// Legal forms and their abbreviations (folded), dropped wherever they are in a name.
    static let legalFormWords: Set<String> = [
        "sarl", "sarlu", "sas", "sasu", "sa", "eurl", "sci", "snc", "scp", "scs", "sca", "sc", "se",
        "selarl", "selas", "selasu", "selafa", "selca", "selurl", "scm", "scea", "earl", "gaec", "gfa", "gie",
        "scop", "scic", "sem", "seml", "spl", "sccv", "ei", "eirl", "sprl", "gmbh", "ltd", "llc", "inc",
        "cie", "&",
    ]

    /// Descriptive forms: dropped, but a name reduced to one word by dropping them keeps a
    /// variant with them (`ETS MARTIN` → `martin`, then `ets-martin`).
    static let descriptorWords: Set<String> = ["societe", "ste", "etablissements", "etablissement", "ets", "entreprise"]

    /// Words that follow `et` or `&` in a legal form (`ET FILS`, `& CIE`).
    static let companionWords: Set<String> = ["fils", "cie", "compagnie"]

    /// Articles and small linking words, optional in a domain and in the name proof.
    static let articleWords: Set<String> = [
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "et", "a", "en",
        "the", "of", "and",
    ]

    private struct Token {
        var text: String
        /// The token is followed at once by a dot (`S.` in `S.A.R.L.`).
        var dotAfter: Bool
    }

    private static func withoutParentheses(_ name: String) -> String {
        var outside = ""
        var depth = 0
        for character in name {
            if character == "(" || character == "[" {
                depth += 1
            } else if character == ")" || character == "]" {
                depth = max(0, depth - 1)
                outside.append(" ")
            } else if depth == 0 {
                outside.append(character)
            }
        }
        return TextFolding.words(outside).isEmpty ? name.replacingAll("(", with: " ").replacingAll(")", with: " ") : outside
    }

    private static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var current: [UInt8] = []
        func flush(dot: Bool) {
            if !current.isEmpty {
                tokens.append(Token(text: String(decoding: current, as: UTF8.self), dotAfter: dot))
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in text.unicodeScalars {
            if TextFolding.appendFolded(scalar, to: &current) { continue }
            flush(dot: scalar == ".")
            if scalar == "&" || scalar == "+" { tokens.append(Token(text: "&", dotAfter: false)) }
        }
        flush(dot: false)
        return tokens
    }

    /// `s. a. r. l.` read as one word when the letters are separated by dots only.
    private static func joiningDottedAbbreviations(_ tokens: [Token]) -> [Token] {
        var output: [Token] = []
        var index = 0
        while index < tokens.count {
            var token = tokens[index]
            var next = index + 1
            if token.text.utf8.count == 1, token.dotAfter {
                while next < tokens.count, tokens[next].text.utf8.count == 1, tokens[next - 1].dotAfter,
                      tokens[next].text != "&" {
                    token.text += tokens[next].text
                    token.dotAfter = tokens[next].dotAfter
                    next += 1
                }
            }
            output.append(token)
            index = next
        }
        return output
    }
}
