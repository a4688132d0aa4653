import ArgumentParser
import Foundation
import Sweep

/// Checks of the values `bench slurm` writes into `#SBATCH` lines, which sbatch reads without a
/// shell: no quoting is possible, so a value is refused unless it is in the form sbatch(1) takes.
enum SlurmValue {
    /// `--partition`: one name or a comma-separated list of names.
    static func partition(_ text: String) throws -> String {
        try matching(text, #"^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$"#, what: "partition", allowed: "partition names (letters, digits, _ . -) separated by commas")
    }

    /// `--account`: one account name.
    static func account(_ text: String) throws -> String {
        try matching(text, #"^[A-Za-z0-9_.-]+$"#, what: "account", allowed: "letters, digits, _ . -")
    }

    /// `--time`: sbatch's time formats.
    static func time(_ text: String) throws -> String {
        try matching(text, #"^([0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]{1,2}|[0-9]+-[0-9]+:[0-9]{1,2}:[0-9]{1,2})$"#,
                     what: "time limit", allowed: "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS")
    }

    /// `--mem`: a whole number with an optional unit.
    static func memory(_ text: String) throws -> String {
        try matching(text, #"^[1-9][0-9]*[KMGTkmgt]?$"#, what: "memory", allowed: "a whole number with an optional K, M, G or T suffix (e.g. 4G)")
    }

    /// A path sbatch reads from an `#SBATCH` line: no white space, quotes, backslashes or `%`
    /// (sbatch's file-name pattern character).
    /// - Throws: `SweepError.usage` naming `option`.
    static func requireSBATCHPath(_ path: String, option: String) throws {
        let bad = path.unicodeScalars.first { CharacterSet.whitespacesAndNewlines.contains($0) || "'\"\\%$`".unicodeScalars.contains($0) }
        if let bad {
            throw SweepError.usage("\(option): the path \(path) contains \(bad.debugDescription), which an #SBATCH line cannot hold; "
                + "allowed: paths without white space, quotes, backslashes, $, ` or %")
        }
    }

    private static func matching(_ text: String, _ pattern: String, what: String, allowed: String) throws -> String {
        guard text.range(of: pattern, options: .regularExpression) != nil else {
            throw ValidationError("\(SpecText.quoted(text)) is not a \(what); allowed: \(allowed)")
        }
        return text
    }
}
