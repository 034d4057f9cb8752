/// The reference lists the sample generator draws from. Codes are real NAF rév. 2 subclasses,
/// INSEE commune codes and COG country codes; names and streets are typical, not real records.
enum SampleVocabulary {
    /// NAF rév. 2 subclasses, most frequent first (the order sets the Zipf ranks). The head is
    /// an assumption (research: no public per-code counts): real-estate SCI, consulting,
    /// associations, micro-entrepreneur trades; it also makes sure the codes the examples and
    /// tests use (69.20Z, 43.29A, 47.11F, 62.01Z, 56.10A, division 43) are well represented.
    static let nafRev2: [String] = [
        // Head.
        "68.20B", "70.22Z", "94.99Z", "68.20A", "47.91B", "84.11Z", "56.10A", "43.99C", "96.02A",
        "62.01Z", "69.20Z", "43.32A", "43.22A", "43.21A", "86.90E", "85.59A", "49.32Z", "41.20A",
        "43.29A", "81.21Z", "86.21Z", "45.20A", "74.90B", "56.30Z", "47.11F", "43.34Z", "01.11Z",
        "90.01Z", "93.19Z", "73.11Z", "43.31Z", "47.73Z", "69.10Z", "71.12B", "62.02A", "43.11Z",
        "82.99Z", "47.71Z", "86.23Z", "43.12A", "49.41A", "10.71C", "56.10C", "43.39Z", "64.20Z",
        "43.91B", "43.29B", "43.99D", "96.09Z", "47.11B", "47.11D", "43.13Z", "43.32B", "43.22B",
        // Tail, in code order.
        "01.13Z", "01.21Z", "01.24Z", "01.41Z", "01.45Z", "01.47Z", "01.50Z", "01.61Z", "01.62Z",
        "02.10Z", "02.20Z", "03.11Z", "03.21Z", "10.11Z", "10.13A", "10.13B", "10.51A", "10.51C",
        "10.71A", "10.71B", "10.71D", "10.82Z", "10.89Z", "11.02A", "11.02B", "11.05Z", "13.92Z",
        "14.13Z", "14.19Z", "15.12Z", "16.10A", "16.23Z", "16.24Z", "16.29Z", "17.21A", "18.12Z",
        "18.13Z", "20.41Z", "20.42Z", "20.59Z", "22.22Z", "22.29A", "22.29B", "23.61Z", "23.70Z",
        "25.11Z", "25.12Z", "25.50A", "25.61Z", "25.62A", "25.62B", "25.99B", "26.11Z", "26.20Z",
        "26.51B", "27.12Z", "27.90Z", "28.29B", "28.99B", "29.32Z", "30.11Z", "31.01Z", "31.09A",
        "31.09B", "32.12Z", "32.13Z", "32.50A", "32.99Z", "33.12Z", "33.14Z", "33.20A", "33.20C",
        "35.11Z", "35.14Z", "36.00Z", "37.00Z", "38.11Z", "38.21Z", "38.32Z", "39.00Z", "41.10A",
        "41.10B", "41.10C", "41.10D", "41.20B", "42.11Z", "42.21Z", "42.22Z", "42.91Z", "42.99Z",
        "43.12B", "43.21B", "43.32C", "43.33Z", "43.91A", "43.99A", "43.99B", "43.99E", "45.11Z",
        "45.19Z", "45.20B", "45.31Z", "45.32Z", "45.40Z", "46.11Z", "46.13Z", "46.14Z", "46.18Z",
        "46.19A", "46.19B", "46.21Z", "46.31Z", "46.34Z", "46.38B", "46.39B", "46.41Z", "46.42Z",
        "46.45Z", "46.46Z", "46.49Z", "46.51Z", "46.52Z", "46.69B", "46.69C", "46.73A", "46.74A",
        "46.90Z", "47.11A", "47.11C", "47.11E", "47.19A", "47.19B", "47.21Z", "47.22Z", "47.23Z",
        "47.24Z", "47.25Z", "47.26Z", "47.29Z", "47.30Z", "47.41Z", "47.42Z", "47.43Z", "47.51Z",
        "47.52A", "47.52B", "47.53Z", "47.54Z", "47.59A", "47.59B", "47.61Z", "47.62Z", "47.64Z",
        "47.65Z", "47.72A", "47.72B", "47.74Z", "47.75Z", "47.76Z", "47.77Z", "47.78A", "47.78B",
        "47.78C", "47.79Z", "47.81Z", "47.82Z", "47.89Z", "47.91A", "47.99A", "47.99B", "49.10Z",
        "49.39A", "49.39B", "49.41B", "49.41C", "49.42Z", "50.10Z", "51.10Z", "52.10B", "52.29A",
        "52.29B", "53.10Z", "53.20Z", "55.10Z", "55.20Z", "55.30Z", "55.90Z", "56.10B", "56.21Z",
        "56.29A", "56.29B", "58.11Z", "58.13Z", "58.14Z", "58.19Z", "58.21Z", "58.29C", "59.11A",
        "59.11B", "59.11C", "59.12Z", "59.20Z", "60.10Z", "61.10Z", "61.20Z", "61.90Z", "62.02B",
        "62.03Z", "62.09Z", "63.11Z", "63.12Z", "63.91Z", "63.99Z", "64.19Z", "64.30Z", "64.92Z",
        "64.99Z", "65.11Z", "65.12Z", "66.12Z", "66.19B", "66.22Z", "66.30Z", "68.10Z", "68.31Z",
        "68.32A", "68.32B", "70.10Z", "70.21Z", "71.11Z", "71.12A", "71.20B", "72.19Z", "72.20Z",
        "73.12Z", "73.20Z", "74.10Z", "74.20Z", "74.30Z", "74.90A", "75.00Z", "77.11A", "77.11B",
        "77.12Z", "77.21Z", "77.29Z", "77.32Z", "77.39Z", "78.10Z", "78.20Z", "78.30Z", "79.11Z",
        "79.12Z", "79.90Z", "80.10Z", "80.20Z", "81.10Z", "81.22Z", "81.29A", "81.29B", "81.30Z",
        "82.11Z", "82.19Z", "82.20Z", "82.30Z", "82.91Z", "84.12Z", "84.13Z", "84.24Z", "84.25Z",
        "84.30A", "85.10Z", "85.20Z", "85.31Z", "85.32Z", "85.41Z", "85.42Z", "85.51Z", "85.52Z",
        "85.53Z", "85.59B", "85.60Z", "86.10Z", "86.22A", "86.22B", "86.22C", "86.90A", "86.90B",
        "86.90C", "86.90D", "86.90F", "87.10A", "87.10B", "87.20A", "87.30A", "87.90A", "87.90B",
        "88.10A", "88.10B", "88.10C", "88.91A", "88.91B", "88.99A", "88.99B", "90.02Z", "90.03A",
        "90.03B", "90.04Z", "91.01Z", "91.02Z", "91.03Z", "91.04Z", "92.00Z", "93.11Z", "93.12Z",
        "93.13Z", "93.21Z", "93.29Z", "94.11Z", "94.12Z", "94.20Z", "94.91Z", "94.92Z", "95.11Z",
        "95.12Z", "95.21Z", "95.22Z", "95.23Z", "95.24Z", "95.25Z", "95.29Z", "96.01A", "96.01B",
        "96.02B", "96.03Z", "96.04Z", "97.00Z", "98.10Z", "98.20Z", "99.00Z",
    ]

    /// NAF rév. 1 (2003) / NAF 1993 codes, `NN.NL`, kept by establishments closed before 2008.
    static let nafRev1: [String] = [
        "52.1D", "74.1A", "55.3A", "45.2B", "70.2A", "52.4C", "93.0D", "80.4D", "85.1C", "74.1C",
        "50.1Z", "60.2E", "55.4A", "52.2C", "45.4A", "45.2A", "74.8K", "72.2Z", "51.7A", "52.6B",
        "45.3A", "52.4Z", "74.1G", "93.0B", "01.1A", "52.7C", "55.3B", "85.1G", "74.4B", "50.2Z",
    ]

    /// NAP (before 1993) codes, written `NN.NN` without a letter (format uncertain, research §3).
    static let nap: [String] = [
        "64.21", "67.01", "77.03", "81.01", "55.10", "19.01", "64.11", "66.01", "69.11", "83.01",
        "55.31", "64.31", "72.02", "82.03", "79.01",
    ]

    /// A big-city commune: INSEE code, postal code, label (INSEE writes labels upper-case
    /// without accents), relative weight.
    struct Commune {
        let code: String
        let postalCode: String
        let label: String
        let weight: Double
    }

    static let cities: [Commune] = {
        var list: [Commune] = []
        for arrondissement in 1...20 {
            list.append(Commune(code: "751\(twoDigits(arrondissement))", postalCode: "750\(twoDigits(arrondissement))",
                                label: "PARIS \(arrondissement)", weight: 9))
        }
        for arrondissement in 1...16 {
            list.append(Commune(code: "132\(twoDigits(arrondissement))", postalCode: "130\(twoDigits(arrondissement))",
                                label: "MARSEILLE \(arrondissement)", weight: 4))
        }
        for arrondissement in 1...9 {
            list.append(Commune(code: "6938\(arrondissement)", postalCode: "6900\(arrondissement)",
                                label: "LYON \(arrondissement)", weight: 5))
        }
        let others: [(String, String, String, Double)] = [
            ("31555", "31000", "TOULOUSE", 30), ("06088", "06000", "NICE", 22), ("44109", "44000", "NANTES", 20),
            ("34172", "34000", "MONTPELLIER", 20), ("67482", "67000", "STRASBOURG", 18), ("33063", "33000", "BORDEAUX", 20),
            ("59350", "59000", "LILLE", 17), ("35238", "35000", "RENNES", 14), ("51454", "51100", "REIMS", 9),
            ("42218", "42000", "SAINT-ETIENNE", 9), ("83137", "83000", "TOULON", 9), ("76351", "76600", "LE HAVRE", 8),
            ("38185", "38000", "GRENOBLE", 10), ("21231", "21000", "DIJON", 8), ("49007", "49000", "ANGERS", 8),
            ("30189", "30000", "NIMES", 8), ("69266", "69100", "VILLEURBANNE", 7), ("63113", "63000", "CLERMONT-FERRAND", 8),
            ("72181", "72000", "LE MANS", 7), ("13001", "13100", "AIX-EN-PROVENCE", 10), ("29019", "29200", "BREST", 6),
            ("37261", "37000", "TOURS", 7), ("80021", "80000", "AMIENS", 6), ("87085", "87000", "LIMOGES", 6),
            ("74010", "74000", "ANNECY", 7), ("66136", "66000", "PERPIGNAN", 7), ("92012", "92100", "BOULOGNE-BILLANCOURT", 9),
            ("57463", "57000", "METZ", 6), ("25056", "25000", "BESANCON", 6), ("45234", "45000", "ORLEANS", 6),
            ("76540", "76000", "ROUEN", 7), ("68224", "68100", "MULHOUSE", 5), ("14118", "14000", "CAEN", 6),
            ("54395", "54000", "NANCY", 6), ("95018", "95100", "ARGENTEUIL", 5), ("93066", "93200", "SAINT-DENIS", 6),
            ("93048", "93100", "MONTREUIL", 6), ("59512", "59100", "ROUBAIX", 5), ("84007", "84000", "AVIGNON", 5),
            ("86194", "86000", "POITIERS", 4), ("64445", "64000", "PAU", 4), ("17300", "17000", "LA ROCHELLE", 5),
            ("92050", "92000", "NANTERRE", 5), ("94028", "94000", "CRETEIL", 4), ("78646", "78000", "VERSAILLES", 4),
            ("2A004", "20000", "AJACCIO", 4), ("2B033", "20200", "BASTIA", 3), ("2A247", "20137", "PORTO-VECCHIO", 2),
            ("2B050", "20260", "CALVI", 1),
            ("97120", "97110", "POINTE-A-PITRE", 2), ("97101", "97139", "LES ABYMES", 2), ("97209", "97200", "FORT-DE-FRANCE", 3),
            ("97302", "97300", "CAYENNE", 2), ("97411", "97400", "SAINT-DENIS", 4), ("97416", "97410", "SAINT-PIERRE", 2),
            ("97611", "97600", "MAMOUDZOU", 1), ("97502", "97500", "SAINT-PIERRE", 0.2), ("97701", "97133", "SAINT-BARTHELEMY", 0.3),
            ("97801", "97150", "SAINT-MARTIN", 0.4), ("98735", "98714", "PAPEETE", 0.3), ("98727", "98770", "FAA'A", 0.1),
            ("98818", "98800", "NOUMEA", 0.3),
        ]
        for (code, postalCode, label, weight) in others {
            list.append(Commune(code: code, postalCode: postalCode, label: label, weight: weight))
        }
        return list
    }()

    /// Metropolitan departments for the synthetic small communes (Corsica as 2A/2B).
    static let departments: [String] = {
        var list = (1...95).filter { $0 != 20 }.map { twoDigits($0) }
        list.append(contentsOf: ["2A", "2B"])
        return list
    }()

    static let communePrefixes = ["SAINT-", "SAINTE-", "LE ", "LA ", "LES ", "", "", "", "", "VILLE", "MONT", "BEAU"]
    static let communeRoots = [
        "MARTIN", "GERMAIN", "JULIEN", "VILLERS", "FONTAINE", "CHATEAU", "NEUVILLE", "BOIS", "PONT", "ROCHE",
        "VAL", "CLAIR", "MAISON", "CHAMP", "BOURG", "MESNIL", "PLESSIS", "ROUVRE", "AUBIN", "LAURENT", "DENIS",
        "QUENTIN", "PIERRE", "ETIENNE", "VINCENT", "CROIX", "FERTE", "MOULIN", "CHAPELLE", "FORGE", "BRUYERE",
    ]
    static let communeSuffixes = [
        "", "", "", "", "-SUR-MER", "-SUR-LOIRE", "-EN-BRESSE", "-LES-BAINS", "-LE-CHATEL", "VILLE", "COURT",
        "-SUR-SAONE", "-D'ARMAGNAC", "-EN-VEXIN", "-DU-BOIS",
    ]

    /// Street types (INSEE abbreviations) with weights.
    static let streetTypes: [(String, Double)] = [
        ("RUE", 45), ("AV", 15), ("CHE", 8), ("RTE", 7), ("BD", 5), ("PL", 4), ("IMP", 4), ("ALL", 4),
        ("LD", 3), ("QUA", 2), ("CRS", 1), ("ZA", 1), ("ZI", 1),
    ]

    static let streetNames = [
        "DE LA REPUBLIQUE", "VICTOR HUGO", "DU GENERAL DE GAULLE", "JEAN JAURES", "DES LILAS", "PASTEUR",
        "DE LA GARE", "DU MOULIN", "DE L'EGLISE", "DU 8 MAI 1945", "NATIONALE", "DES ECOLES", "DU STADE",
        "DE PARIS", "FOCH", "GAMBETTA", "DES CHENES", "DU CHATEAU", "DE LA MAIRIE", "SAINT-MARTIN",
        "DE LA LIBERATION", "DU COMMERCE", "DES ACACIAS", "DE VERDUN", "CARNOT", "DU PORT", "DES VIGNES",
        "DE LA PAIX", "EMILE ZOLA", "DU MARECHAL LECLERC", "DES TILLEULS", "DE LA FONTAINE", "LOUIS PASTEUR",
        "DU PRESIDENT WILSON", "ARISTIDE BRIAND", "DES PRES", "DU BOURG", "DE LA POSTE", "MARCEL PAGNOL",
    ]

    /// Street names that need CSV quoting (commas, quotes), drawn now and then.
    static let awkwardStreetNames = [
        "DES PINS, BATIMENT B", "DU \"PETIT\" BOIS", "DE LA GARE, ESCALIER 2", "DITE \"LA GRANDE RUE\"",
    ]

    static let addressComplements = [
        "BATIMENT A", "RESIDENCE LES PINS", "ZI DES BRUYERES", "CENTRE COMMERCIAL LES ARCADES", "2EME ETAGE",
        "LIEU DIT LE BOURG", "ZA DU MOULIN, LOT 4", "CHEZ M. DUPONT", "IMMEUBLE LE FORUM", "PARC D'ACTIVITES DES CHAMPS",
        "LE \"CLOS\" FLEURI",
    ]

    static let tradeWords = [
        "BOULANGERIE", "CAFÉ", "GARAGE", "CABINET", "L'ATELIER", "PÂTISSERIE", "HÔTEL", "RESTAURANT", "PHARMACIE",
        "BOUCHERIE", "COIFFURE", "BRASSERIE", "ÉPICERIE", "FLEURS", "AUTO-ÉCOLE", "PRESSING", "TABAC", "OPTIQUE",
        "CRÈCHE", "BIJOUTERIE", "CAVE", "LIBRAIRIE", "PIZZERIA", "SALON", "MENUISERIE", "PLOMBERIE", "ÉLECTRICITÉ",
    ]

    static let nameWords = [
        "DE LA GARE", "DU CENTRE", "DES SPORTS", "DE LA PLACE", "DU MARCHÉ", "SAINT-ÉLOI", "DU PORT", "DES HALLES",
        "DE FRANCE", "DU SOLEIL", "LE MÉRIDIEN", "LES DÉLICES", "CHEZ FRANÇOISE", "CHEZ JOSÉ", "DE L'ÉGLISE",
        "DES ARTS", "DU LAC", "BELLEVUE", "DU PARC", "LA BELLE ÉPOQUE", "MONTAGNE", "L'OLIVIER", "LES TILLEULS",
    ]

    /// Names that need CSV quoting.
    static let awkwardNames = [
        "DUPONT, FILS ET CIE", "LE \"PETIT\" ZINC", "MARTIN, DURAND & ASSOCIÉS", "CHEZ \"LULU\"", "A, B, C IMMOBILIER",
    ]

    static let foreignCountries: [(code: String, label: String, city: String)] = [
        ("99132", "ROYAUME-UNI", "LONDRES"), ("99109", "ALLEMAGNE", "BERLIN"), ("99131", "BELGIQUE", "BRUXELLES"),
        ("99140", "SUISSE", "GENEVE"), ("99134", "ESPAGNE", "MADRID"), ("99127", "ITALIE", "MILAN"),
        ("99137", "LUXEMBOURG", "LUXEMBOURG"), ("99404", "ETATS-UNIS", "NEW YORK"), ("99350", "MAROC", "CASABLANCA"),
    ]

    /// INSEE tranche codes of employers with weights (research §3).
    static let employerTranches: [(String, Double)] = [
        ("01", 35), ("02", 22), ("03", 14), ("11", 12), ("12", 9), ("21", 3.5), ("22", 2), ("31", 0.6),
        ("32", 0.7), ("41", 0.4), ("42", 0.2), ("51", 0.1), ("52", 0.03), ("53", 0.02),
    ]

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension SampleVocabulary {
    static let surnames = [
        "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
        "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD",
        "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "LEFÈVRE", "FAURE", "ANDRÉ",
        "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "N'DIAYE",
    ]
    static let firstNamesFemale = [
        "MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "SANDRINE", "CHRISTINE", "VÉRONIQUE", "SOPHIE", "CÉLINE",
        "JULIE", "CAMILLE", "LÉA", "CHLOÉ", "MANON", "INÈS", "EMMA", "SARAH", "AÏCHA", "HÉLÈNE",
    ]
    static let firstNamesMale = [
        "JEAN", "PHILIPPE", "MICHEL", "ALAIN", "PATRICK", "NICOLAS", "CHRISTOPHE", "PIERRE", "FRANÇOIS", "LAURENT",
        "THOMAS", "JULIEN", "LUCAS", "HUGO", "MATHIS", "KARIM", "MOHAMED", "JÉRÔME", "STÉPHANE", "GÉRARD",
    ]
    /// Words companies put after a founder's name.
    static let companySuffixes = ["CONSEIL", "ET FILS", "ET ASSOCIÉS", "SERVICES", "GROUPE", "FRÈRES", "& CIE", "INVEST",
                                  "EXPERTISE", "DÉVELOPPEMENT"]
    /// Legal forms of companies (categorieJuridiqueUniteLegale) and their weights; natural persons
    /// are 1000.
    static let companyLegalForms: [(Int64, Double)] = [
        (5499, 28), (5710, 20), (5720, 12), (5498, 9), (6540, 9), (9220, 8), (5599, 3), (5202, 2), (6599, 3),
        (5485, 2), (5785, 1.5), (7210, 0.5), (9150, 0.5),
    ]
    /// Head-count bands of legal units and their weights.
    static let unitTranches: [(String, Double)] = [
        ("NN", 40), ("00", 14), ("01", 14), ("02", 9), ("03", 7), ("11", 7), ("12", 5), ("21", 2), ("22", 1),
        ("31", 0.4), ("32", 0.3), ("41", 0.15), ("42", 0.08), ("51", 0.04), ("52", 0.02), ("53", 0.01),
    ]
}
