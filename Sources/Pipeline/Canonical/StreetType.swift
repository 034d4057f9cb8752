/// INSEE's street-type abbreviations (`typeVoieEtablissement`) and the words they stand for,
/// upper case like the rest of INSEE's address fields. Unknown codes are kept as written.
enum StreetType {
    /// Codes packed in a UInt32 (at most 4 ASCII bytes), so a lookup allocates nothing.
    static let words: [UInt32: [UInt8]] = {
        let table: [(String, String)] = [
            ("ALL", "ALLEE"), ("AV", "AVENUE"), ("BD", "BOULEVARD"), ("CAR", "CARREFOUR"), ("CHE", "CHEMIN"),
            ("CHS", "CHAUSSEE"), ("CITE", "CITE"), ("COR", "CORNICHE"), ("CRS", "COURS"), ("DOM", "DOMAINE"),
            ("DSC", "DESCENTE"), ("ECA", "ECART"), ("ESP", "ESPLANADE"), ("FG", "FAUBOURG"), ("GR", "GRANDE RUE"),
            ("HAM", "HAMEAU"), ("HLE", "HALLE"), ("IMP", "IMPASSE"), ("LD", "LIEU-DIT"), ("LOT", "LOTISSEMENT"),
            ("MAR", "MARCHE"), ("MTE", "MONTEE"), ("PAS", "PASSAGE"), ("PL", "PLACE"), ("PLN", "PLAINE"),
            ("PLT", "PLATEAU"), ("PRO", "PROMENADE"), ("PRV", "PARVIS"), ("QUA", "QUARTIER"), ("QUAI", "QUAI"),
            ("RES", "RESIDENCE"), ("RLE", "RUELLE"), ("ROC", "ROCADE"), ("RPT", "ROND-POINT"), ("RTE", "ROUTE"),
            ("RUE", "RUE"), ("SEN", "SENTIER"), ("SQ", "SQUARE"), ("TPL", "TERRE-PLEIN"), ("TRA", "TRAVERSE"),
            ("VLA", "VILLA"), ("VLGE", "VILLAGE"), ("ZA", "ZONE ARTISANALE"), ("ZAC", "ZONE D'AMENAGEMENT CONCERTE"),
            ("ZI", "ZONE INDUSTRIELLE"),
        ]
        return Dictionary(uniqueKeysWithValues: table.map { code, word in
            (Array(code.utf8).withUnsafeBytes { pack($0) }, Array(word.utf8))
        })
    }()

    @inline(__always)
    static func pack(_ code: UnsafeRawBufferPointer) -> UInt32 {
        var key: UInt32 = 0
        for (index, byte) in code.enumerated() { key |= UInt32(byte) << UInt32(index * 8) }
        return key
    }

    /// The word for `code`, or nil when the code is not in the table.
    static func word(for code: UnsafeRawBufferPointer) -> [UInt8]? {
        guard (1...4).contains(code.count) else { return nil }
        return words[pack(code)]
    }
}
