import Foundation

/// A command line as a hint shows it, so that the user can paste it: the words joined by spaces,
/// each quoted for a POSIX shell when needed.
public enum ShellCommand {
    /// The words joined by spaces; a word holding anything but ASCII letters, digits and
    /// `_ . / = : , + - @ %` (or an empty word) is single-quoted, a `'` inside written `'\''`.
    /// - Parameter words: the command and its arguments, e.g. ["bench", "figures", "x", "--out", "my dir"].
    /// - Complexity: O(total length).
    public static func line(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    /// One word, quoted when needed (see `line`).
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "_./=:,+-@%".unicodeScalars.contains(u))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `["--out", directory]` unless `directory` is the default `Results/<name>` (as displayed).
    public static func outOption(_ directory: String, name: String) -> [String] {
        directory == "Results/\(name)" ? [] : ["--out", directory]
    }
}
