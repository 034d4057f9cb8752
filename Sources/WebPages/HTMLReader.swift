import Basics

/// The tokenizer behind `HTMLPage`: one forward pass over UTF-8 bytes. Every search moves
/// forward from where the previous one stopped, so the work is linear in the input whatever
/// its shape (unclosed comments, quotes or scripts end the page, as in a browser).
struct HTMLReader {
    struct Anchor {
        var href: String
        var text: String
    }

    let limits: HTMLLimits
    var text: TextSink
    var title: String?
    var baseHref: String?
    var meta: [String: String] = [:]
    var linkedData: [String] = []
    var anchors: [Anchor] = []
    var truncated = false

    private var openAnchor: (href: String, textStart: Int, fallback: String?)?
    private var svgDepth = 0
    private var scratch: [UInt8] = []

    init(limits: HTMLLimits) {
        self.limits = limits
        self.text = TextSink(limit: limits.maximumTextBytes)
    }

    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
        let end = bytes.count
        var index = 0
        while index < end {
            if bytes[index] != UInt8(ascii: "<") {
                var runEnd = index + 1
                while runEnd < end, bytes[runEnd] != UInt8(ascii: "<") { runEnd += 1 }
                appendText(bytes, from: index, to: runEnd)
                index = runEnd
                continue
            }
            guard index + 1 < end else {
                text.append(UInt8(ascii: "<"))
                break
            }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "!") {
                if Self.hasPrefix(bytes, at: index, "<!--") {
                    index = Self.index(after: "-->", in: bytes, from: index + 2) ?? end
                } else {
                    index = Self.index(after: ">", in: bytes, from: index + 2) ?? end
                }
            } else if next == UInt8(ascii: "?") {
                index = Self.index(after: ">", in: bytes, from: index + 2) ?? end
            } else if next == UInt8(ascii: "/") {
                if index + 2 < end, ASCII.isLetter(bytes[index + 2]) {
                    let (tag, nameEnd) = Self.readName(bytes, from: index + 2)
                    guard let after = Self.index(after: ">", in: bytes, from: nameEnd) else { break }
                    endTag(tag)
                    index = after
                } else {
                    index = Self.index(after: ">", in: bytes, from: index + 2) ?? end
                }
            } else if ASCII.isLetter(next) {
                guard let after = startTag(bytes, nameStart: index + 1) else { break }
                index = after
            } else {
                text.append(UInt8(ascii: "<"))
                index += 1
            }
        }
        closeAnchor()
        if text.isFull { truncated = true }
    }

    // MARK: Text

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        var index = start
        while index < end {
            var plainEnd = index
            while plainEnd < end, bytes[plainEnd] != UInt8(ascii: "&") { plainEnd += 1 }
            if plainEnd > index { text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<plainEnd])) }
            index = plainEnd
            guard index < end else { break }
            scratch.removeAll(keepingCapacity: true)
            if let next = HTMLEntities.decode(bytes, at: index, end: end, into: &scratch) {
                scratch.withUnsafeBufferPointer { text.append(contentsOf: $0) }
                index = next
            } else {
                text.append(UInt8(ascii: "&"))
                index += 1
            }
        }
    }

    // MARK: Tags

    /// Reads a start tag whose name starts at `nameStart`; returns the index after it (after the
    /// element's content for raw-text elements), nil when the input ends inside it.
    private mutating func startTag(_ bytes: UnsafeBufferPointer<UInt8>, nameStart: Int) -> Int? {
        let (tag, nameEnd) = Self.readName(bytes, from: nameStart)
        var attributes = TagAttributes()
        let anchorsFull = anchors.count >= limits.maximumLinks
        let keeping = tag.readsAttributes && !(anchorsFull && (tag == .a || tag == .area || tag == .img))
        guard let after = Self.readAttributes(bytes, from: nameEnd, keeping: keeping, into: &attributes) else { return nil }
        switch tag {
        case .a:
            closeAnchor()
            if anchorsFull {
                truncated = true
            } else if let href = attributes.href {
                openAnchor = (href, text.count, attributes.label)
            }
        case .area:
            if let href = attributes.href { record(Anchor(href: href, text: attributes.label ?? "")) }
        case .img:
            if let alt = attributes.label, openAnchor != nil, openAnchor?.fallback == nil { openAnchor?.fallback = alt }
        case .base:
            if baseHref == nil, let href = attributes.href { baseHref = href }
        case .meta:
            if let key = attributes.metaKey, let content = attributes.content {
                let lowered = key.trimmingWhitespace().lowercased()
                if meta[lowered] == nil {
                    if meta.count < limits.maximumMeta { meta[lowered] = Self.collapsed(content, limit: 2000) } else { truncated = true }
                }
            }
        case .block:
            text.lineBreak()
        case .cell:
            text.space()
        case .svg:
            if !attributes.selfClosing { svgDepth += 1 }
        case .title, .script, .style, .textarea, .skipped:
            guard !(attributes.selfClosing && tag == .skipped) else { return after }
            let name = Array(bytes[nameStart..<nameEnd]).map(ASCII.lower)
            let (contentEnd, afterEnd) = Self.rawText(bytes, from: after, closing: name)
            if tag == .title, title == nil, svgDepth == 0 {
                let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[after..<contentEnd]), as: UTF8.self)
                title = Self.collapsed(HTMLEntities.decode(raw), limit: 1000)
            } else if tag == .script, attributes.isLinkedData {
                if linkedData.count < limits.maximumLinkedDataBlocks, contentEnd - after <= limits.maximumLinkedDataBytes {
                    linkedData.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[after..<contentEnd]), as: UTF8.self))
                } else {
                    truncated = true
                }
            }
            if tag == .textarea || tag == .title { text.space() }
            return afterEnd
        case .other:
            break
        }
        return after
    }

    private mutating func endTag(_ tag: Tag) {
        switch tag {
        case .a: closeAnchor()
        case .block: text.lineBreak()
        case .cell: text.space()
        case .svg: svgDepth = max(0, svgDepth - 1)
        default: break
        }
    }

    private mutating func closeAnchor() {
        guard let anchor = openAnchor else { return }
        openAnchor = nil
        let start = min(anchor.textStart, text.count)
        let shown = text.bytes[start..<min(text.count, start + 2000)]  // a label is short; the rest is not read twice
        var label = Self.collapsed(String(decoding: shown, as: UTF8.self), limit: 300)
        if label.isEmpty { label = anchor.fallback.map { Self.collapsed($0, limit: 300) } ?? "" }
        record(Anchor(href: anchor.href, text: label))
    }

    private mutating func record(_ anchor: Anchor) {
        if anchors.count < limits.maximumLinks { anchors.append(anchor) } else { truncated = true }
    }

    // MARK: Lexing helpers

    enum Tag: Equatable {
        case a, area, img, base, meta, title, script, style, textarea, svg, block, cell, skipped, other

        var readsAttributes: Bool {
            switch self {
            case .a, .area, .img, .base, .meta, .script, .svg, .skipped: true
            default: false
            }
        }
    }

    /// Tag names of up to 8 letters packed into an integer (lower case), to classify a tag
    /// without making a string.
    private static let tags: [UInt64: Tag] = {
        var table: [UInt64: Tag] = [:]
        func add(_ names: [String], _ tag: Tag) { for name in names { table[pack(Array(name.utf8)[...])] = tag } }
        add(["a"], .a)
        add(["area"], .area)
        add(["img"], .img)
        add(["base"], .base)
        add(["meta"], .meta)
        add(["title"], .title)
        add(["script"], .script)
        add(["style"], .style)
        add(["textarea"], .textarea)
        add(["svg"], .svg)
        add(["template", "iframe", "noembed", "noframes", "xmp"], .skipped)
        add(["p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody", "tfoot",
             "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "aside", "main",
             "address", "form", "hr", "pre", "figure", "option", "body", "head", "html", "center", "fieldset",
             "legend", "details", "summary", "caption", "menu", "label", "button", "select"], .block)
        add(["td", "th"], .cell)
        return table
    }()

    private static func pack(_ name: ArraySlice<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for byte in name { key = key << 8 | UInt64(ASCII.lower(byte)) }
        return key
    }

    /// The tag name starting at `start` (up to whitespace, `/` or `>`) and the index after it.
    private static func readName(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Tag, Int) {
        var index = start
        var key: UInt64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if ASCII.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { break }
            if index - start < 8 { key = key << 8 | UInt64(ASCII.lower(byte)) }
            index += 1
        }
        let tag = index - start <= 8 ? tags[key] ?? .other : .other
        return (tag, index)
    }

    struct TagAttributes {
        var href: String?
        var label: String?
        var metaKey: String?
        var content: String?
        var isLinkedData = false
        var selfClosing = false
    }

    /// Reads attributes up to the closing `>`; returns the index after it, nil when the input
    /// ends first. Values are made into strings only when `keeping` (the tag needs them).
    private static func readAttributes(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, keeping: Bool,
                                       into attributes: inout TagAttributes) -> Int? {
        let end = bytes.count
        var index = start
        while true {
            var sawSlash = false
            while index < end, ASCII.isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") {
                sawSlash = bytes[index] == UInt8(ascii: "/")
                index += 1
            }
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: ">") {
                attributes.selfClosing = sawSlash
                return index + 1
            }
            let nameStart = index
            index += 1  // the first character may be `=`
            while index < end, !ASCII.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
                  bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "=") {
                index += 1
            }
            let nameEnd = index
            while index < end, ASCII.isSpace(bytes[index]) { index += 1 }
            guard index < end else { return nil }
            guard bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < end, ASCII.isSpace(bytes[index]) { index += 1 }
            guard index < end else { return nil }
            let valueStart: Int
            let valueEnd: Int
            let quote = bytes[index]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                valueStart = index + 1
                var close = valueStart
                while close < end, bytes[close] != quote { close += 1 }
                guard close < end else { return nil }
                valueEnd = close
                index = close + 1
            } else {
                valueStart = index
                while index < end, !ASCII.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                valueEnd = index
            }
            guard keeping, valueEnd - valueStart <= WebAddress.maximumLength else { continue }
            let key = nameEnd - nameStart <= 8 ? pack(bytes, nameStart..<nameEnd) : 0
            let isAriaLabel = nameEnd - nameStart == 10 && pack(bytes, nameStart..<(nameStart + 8)) == Self.ariaLabe
                && ASCII.lower(bytes[nameStart + 8]) == UInt8(ascii: "l") && ASCII.lower(bytes[nameStart + 9]) == UInt8(ascii: "l")
            let value = valueStart..<valueEnd
            switch key {
            case Self.hrefKey:
                if attributes.href == nil { attributes.href = decodedValue(bytes, value) }
            case Self.titleKey, Self.altKey:
                if attributes.label == nil { attributes.label = nonEmpty(decodedValue(bytes, value).trimmingWhitespace()) }
            case Self.nameKey, Self.propertyKey:
                if attributes.metaKey == nil { attributes.metaKey = decodedValue(bytes, value) }
            case Self.contentKey:
                if attributes.content == nil { attributes.content = decodedValue(bytes, value) }
            case Self.typeKey:
                attributes.isLinkedData = decodedValue(bytes, value).trimmingWhitespace().lowercased().hasPrefix("application/ld+json")
            default:
                if isAriaLabel, let label = nonEmpty(decodedValue(bytes, value).trimmingWhitespace()) { attributes.label = label }
            }
        }
    }

    /// The end of a raw-text element's content (where `</name` starts, or the input's end) and
    /// the index after its end tag.
    private static func rawText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, closing name: [UInt8]) -> (Int, Int) {
        let end = bytes.count
        var index = start
        while index < end {
            if bytes[index] == UInt8(ascii: "<"), index + 1 + name.count < end, bytes[index + 1] == UInt8(ascii: "/") {
                var matches = true
                for offset in 0..<name.count where ASCII.lower(bytes[index + 2 + offset]) != name[offset] {
                    matches = false
                    break
                }
                if matches {
                    let following = index + 2 + name.count
                    if following >= end || ASCII.isSpace(bytes[following]) || bytes[following] == UInt8(ascii: ">")
                        || bytes[following] == UInt8(ascii: "/") {
                        return (index, Self.index(after: ">", in: bytes, from: following) ?? end)
                    }
                }
            }
            index += 1
        }
        return (end, end)
    }

    private static let hrefKey = pack("href"), titleKey = pack("title"), altKey = pack("alt"), nameKey = pack("name")
    private static let propertyKey = pack("property"), contentKey = pack("content"), typeKey = pack("type")
    private static let ariaLabe = pack("aria-lab")

    private static func pack(_ name: String) -> UInt64 { pack(Array(name.utf8)[...]) }

    @inline(__always)
    private static func pack(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var key: UInt64 = 0
        for index in range { key = key << 8 | UInt64(ASCII.lower(bytes[index])) }
        return key
    }

    private static func decodedValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        HTMLEntities.decode(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            index + expected.count <= bytes.count && (0..<expected.count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
    }

    /// The index after the first `marker` at or after `start`.
    private static func index(after marker: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        marker.withUTF8Buffer { expected in
            let first = expected[0]
            var index = start
            while index + expected.count <= bytes.count {
                if bytes[index] == first, (1..<expected.count).allSatisfy({ bytes[index + $0] == expected[$0] }) {
                    return index + expected.count
                }
                index += 1
            }
            return nil
        }
    }

    /// Entities already decoded; whitespace runs to one space, trimmed, cut at `limit` bytes.
    static func collapsed(_ text: String, limit: Int) -> String {
        var output: [UInt8] = []
        var pendingSpace = false
        for byte in text.utf8 {
            if ASCII.isSpace(byte) {
                pendingSpace = !output.isEmpty
                continue
            }
            if output.count >= limit { break }
            if pendingSpace { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// The visible text being built: whitespace collapsed, line breaks between blocks, at most
/// `limit` bytes.
struct TextSink {
    private(set) var bytes: [UInt8] = []
    let limit: Int
    private var pendingSpace = false
    private var pendingBreak = false
    private(set) var isFull = false

    init(limit: Int) { self.limit = limit }

    var count: Int { bytes.count }

    mutating func append(_ byte: UInt8) {
        withUnsafePointer(to: byte) { append(contentsOf: UnsafeBufferPointer(start: $0, count: 1)) }
    }

    mutating func append(contentsOf run: UnsafeBufferPointer<UInt8>) {
        for byte in run {
            if ASCII.isSpace(byte) {
                pendingSpace = true
                continue
            }
            guard !isFull else { return }
            if !bytes.isEmpty {
                if pendingBreak { bytes.append(0x0A) } else if pendingSpace { bytes.append(0x20) }
            }
            pendingBreak = false
            pendingSpace = false
            guard bytes.count < limit else {
                isFull = true
                return
            }
            bytes.append(byte)
        }
    }

    mutating func lineBreak() { pendingBreak = true }
    mutating func space() { pendingSpace = true }
}
