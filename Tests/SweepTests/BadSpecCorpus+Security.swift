import AlignmentCore
import Foundation
@testable import Sweep

/// The security part of the corpus (issue 9 §4): a spec is data, never code. Text that could
/// split, hide or reorder a line is refused wherever it appears; error messages quote user text
/// bounded (60 characters, then "…(N bytes)") and escaped; a `matrix` path's errors never echo the
/// content of an arbitrary file; every environment's size is bounded before it is built.
extension BadSpecCorpus {
    /// What `SpecText.checkStrings` allows, written out here independently of the source.
    static let allowedText = "text without control characters (U+0000–U+001F, U+007F–U+009F), line or paragraph separators (U+2028, U+2029) or format characters such as bidirectional overrides (U+202A–U+202E, U+2066–U+2069)"

    static let longKey = String(repeating: "k", count: 1_000_000)
    static let longKind = String(repeating: "x", count: 300_000)
    static let sixtyK = String(repeating: "k", count: 60)
    static let sixtyX = String(repeating: "x", count: 60)
    static let dice300k = "[" + Array(repeating: "[" + Array(repeating: "1", count: 300_000).joined(separator: ",") + "]", count: 3).joined(separator: ", ") + "]"
    static let dice1000 = "[" + Array(repeating: "[" + Array(repeating: "2", count: 11).joined(separator: ",") + "]", count: 1000).joined(separator: ", ") + "]"
    static let grid200k = "[" + (0..<200_000).map { String($0 + 1) }.joined(separator: ", ") + ", 17]"

    static let figures50k = "[" + (0..<50_000).map { #"{"id": "f\#($0)", "kind": "bars", "metric": "exploitability", "environments": ["rps"]}"# }.joined(separator: ", ")
        + #", {"id": "f7", "kind": "bars", "metric": "exploitability"}]"#

    static func figure(title: String) -> String {
        S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "title": "\#(title)"}],"#)
    }

    static var securityCases: [Case] {
        [
            // Strings that would reach a gnuplot script, a CSV or a message as code or hidden text.
            Case(name: "title with a shell escape line", text: figure(title: #"Gap\n! touch PWNED"#), message: #"spec.json: $.figures[0].title: the text "Gap\n! touch PWNED" contains the character U+000A; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "title with a carriage return and system()", text: figure(title: #"Gap\rsystem(\"touch PWNED\")"#), message: #"spec.json: $.figures[0].title: the text "Gap\rsystem(\"touch PWNED\")" contains the character U+000D; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "title with a right-to-left override", text: figure(title: "Gap \u{202E}txt.exe"), message: #"spec.json: $.figures[0].title: the text "Gap \u202etxt.exe" contains the character U+202E; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "title with a bidi isolate", text: figure(title: "a\u{2066}b\u{2069}"), message: #"spec.json: $.figures[0].title: the text "a\u2066b\u2069" contains the character U+2066; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "title with a line separator", text: figure(title: "a\u{2028}b"), message: #"spec.json: $.figures[0].title: the text "a\u2028b" contains the character U+2028; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "title with ESC and DEL", text: figure(title: #"\u001b[31mred\u007f"#), message: #"spec.json: $.figures[0].title: the text "\u001b[31mred\u007f" contains the character U+001B; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "guide label with a newline", text: S.spec(top: #" "figures": [{"id": "f", "kind": "curves", "metric": "exploitability", "guides": [{"label": "x\nload \"< touch P\"", "scale": 1}]}],"#), message: #"spec.json: $.figures[0].guides[0].label: the text "x\nload \"< touch P\"" contains the character U+000A; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "description with a zero-width joiner", text: S.spec(top: " \"description\": \"a\u{200D}b\","), message: #"spec.json: $.description: the text "a\u200db" contains the character U+200D; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "matrix path with a newline", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": "m.csv\n! touch P"}]"#), message: #"spec.json: $.environments[0].path: the text "m.csv\n! touch P" contains the character U+000A; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "key with a bell character", text: S.spec(top: #" "seeds\u0007": 3,"#), message: #"spec.json: $: the key "seeds\u0007" contains the character U+0007; allowed: \#(allowedText)"#, code: .invalidSpec),
            Case(name: "key with a right-to-left override", text: S.spec(top: " \"see\u{202E}ds\": 3,"), message: #"spec.json: $: the key "see\u202eds" contains the character U+202E; allowed: \#(allowedText)"#, code: .invalidSpec),
            // Backquotes, '@' and quotes are plain text in a single-line title (gnuplot never sees them raw).
            // Unbounded text in messages: a megabyte-long key, a long unknown value, a long name.
            Case(name: "megabyte-long unknown key", text: S.spec(top: " \"\(longKey)\": 1,"), message: #"spec.json: $["\#(sixtyK)"…(1000000 bytes)]: unknown key "\#(sixtyK)"…(1000000 bytes); allowed: \#(S.topKeys)"#, code: .invalidSpec),
            Case(name: "long unknown environment kind", text: S.spec(environments: #"[{"id": "e", "kind": "\#(longKind)"}]"#), message: #"spec.json: $.environments[0].kind: unknown environment kind "\#(sixtyX)"…(300000 bytes); allowed: \#(testCatalog.environmentKinds.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "long environment id", text: S.spec(environments: #"[{"id": "\#(longKind)", "kind": "cyclic"}]"#), message: #"spec.json: $.environments[0].id: invalid name "\#(sixtyX)"…(300000 bytes); allowed: a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.'"#, code: .invalidSpec),
            // A matrix path naming a file that is not a matrix: its content is never echoed.
            Case(name: "matrix path to a shadow-like file", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("shadow") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/shadow: line 1, field 0: a field of 50 bytes is not a finite number; allowed: \#(matrixHint)"#, code: .invalidSpec),
            Case(name: "matrix path to a JSON file with a foreign key", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("secret.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/secret.json: an unknown key of 8 bytes; allowed: preference, reference, log_reference, reward, context_weights, id, actions, contexts"#, code: .invalidSpec),
            Case(name: "matrix JSON with a string entry", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("secretvalue.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/secretvalue.json: preference[0][0] is a string, not a number; allowed: \#(matrixHint)"#, code: .invalidSpec),
            // Sizes bounded from the parameters or the file before anything is built.
            Case(name: "matrix CSV of 5000 actions", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("wide.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/wide.csv: row 0 has 5000 entries; allowed: at most 4096 actions"#, code: .invalidSpec),
            Case(name: "matrix JSON of 4097 actions", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("wide.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/wide.json: row 0 has 4097 entries; allowed: at most 4096 actions"#, code: .invalidSpec),
            Case(name: "dice with 300000 faces each", text: S.spec(environments: #"[{"id": "d", "kind": "intransitive-dice", "dice": \#(dice300k)}]"#), message: #"spec.json: $.environments[0].dice: dice[0] has 300000 faces; allowed: at most 100000 faces per die"#, code: .invalidSpec),
            Case(name: "1000 dice of 11 faces", text: S.spec(environments: #"[{"id": "d", "kind": "intransitive-dice", "dice": \#(dice1000)}]"#), message: #"spec.json: $.environments[0].dice: 1000 dice with 11000 faces in all need (dice − 1) × faces = 10989000 comparisons; allowed: at most 10000000"#, code: .invalidSpec),
            Case(name: "cyclic payoffs of 4097 actions", text: S.spec(environments: #"[{"id": "c", "kind": "cyclic", "payoffs": \#(payoffs(4097))}]"#), message: #"spec.json: $.environments[0].payoffs: needs between 2 and 4096 actions, got 4097; allowed: an n×n antisymmetric array of numbers, not all 0"#, code: .invalidSpec),
            Case(name: "duplicate id at the end of 50001 figures", text: S.spec(top: #" "figures": \#(figures50k),"#), message: #"spec.json: $.figures[50000].id: duplicate figure id "f7" (also at $.figures[7]); allowed: unique ids"#, code: .invalidSpec),
            Case(name: "duplicate at the end of a 200001-value grid", text: S.spec(algorithms: #"[{"id": "exact-only", "grid": {"eta": \#(grid200k)}}]"#), message: #"spec.json: $.algorithms[0].grid.eta[200000]: duplicate value 17 (also at index 16); allowed: distinct values"#, code: .invalidSpec, limits: .forced),
        ]
    }

    /// An n×n antisymmetric payoff matrix: 1 above the diagonal, −1 below.
    static func payoffs(_ n: Int) -> String {
        "[" + (0..<n).map { i in "[" + (0..<n).map { j in i < j ? "1" : i > j ? "-1" : "0" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }
}
