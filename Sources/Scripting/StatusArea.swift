#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Basics

/// Lines kept at the bottom of a terminal and redrawn in place (`builder.status`): a batch's live
/// progress. Log lines written while it shows are printed above it (`ScriptLog` clears it, writes,
/// redraws). Off a terminal (a file, a pipe, `TERM=dumb`) it shows nothing.
final class StatusArea {
    /// Whether standard error is a terminal that understands cursor movement.
    let isTerminal: Bool
    private let write: (String) -> Void
    private var lines: [String] = []
    /// Lines currently on screen.
    private var shown = 0

    init(isTerminal: Bool, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Standard error's: a terminal unless `TERM` is unset or `dumb`.
    static func standardErrorIsTerminal() -> Bool {
        guard isatty(STDERR_FILENO) == 1 else { return false }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return !term.isEmpty && term != "dumb"
    }

    /// Replaces the lines (an empty list removes them).
    func set(_ newLines: [String]) {
        guard isTerminal else { return }
        let width = Self.terminalWidth()
        // One screen line each: a line that wrapped would break the count of lines to go back up.
        lines = newLines.map { Self.fit($0, width: width) }
        write(eraseText() + drawText())
    }

    /// Runs `body` (which writes ordinary lines) with the status lines out of the way.
    func around(_ body: () -> Void) {
        guard isTerminal, shown > 0 else { return body() }
        write(eraseText())
        body()
        write(drawText())
    }

    private func eraseText() -> String {
        guard shown > 0 else { return "" }
        // Up to the first status line, then clear to the end of the screen.
        let text = "\r" + String(repeating: "\u{1B}[1A", count: shown) + "\u{1B}[J"
        shown = 0
        return text
    }

    private func drawText() -> String {
        shown = lines.count
        return lines.map { $0 + "\n" }.joined()
    }

    /// The line cut to fit `width` columns (escape sequences take none).
    static func fit(_ line: String, width: Int) -> String {
        var visible = 0, result = "", inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                result.append(character)
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\n" || character == "\r" { continue }
            if visible >= width - 1 {
                result += "…"
                return result + (line.contains("\u{1B}") ? "\u{1B}[0m" : "")
            }
            result.append(character)
            visible += 1
        }
        return result
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }
}
