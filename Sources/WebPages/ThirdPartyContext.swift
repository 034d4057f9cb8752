/// Contacts on a company's pages that are someone else's: a legal notice must name the site's
/// host (with its address and phone), and footers credit the web agency that made the site.
///
/// A phone number or an e-mail address of the visible text is taken as a third party's when
/// the `window` bytes before it (the same paragraph, roughly) hold one of `phrases` (folded
/// words: `hebergeur`, `heberge par`, `hebergement du site`, `hosting`, `realise par`,
/// `conception du site`, `webmaster`, `agence web`...). A hotel's "hébergement" alone is not
/// one. Links (`mailto:`, `tel:`) and JSON-LD are not filtered: the site's owner put them there.
enum ThirdPartyContext {
    static let window = 160

    static let phrases = [
        "hebergeur", "hebergeurs", "heberge par", "hebergee par", "hebergement du site", "hebergement web",
        "hebergement site", "hebergement et nom de domaine", "hosting", "hosted by", "host",
        "realise par", "realisee par", "site realise", "conception du site", "conception et realisation",
        "creation du site", "site cree par", "webmaster", "agence web", "developpe par", "design by", "made by",
        "powered by",
    ]

    static func isThirdParty(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        var start = max(0, index - window)
        while start < index, bytes[start] & 0xC0 == 0x80 { start += 1 }
        let words = TextFolding.words(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        return phrases.contains { TextFolding.contains(words, phrase: $0) }
    }
}
