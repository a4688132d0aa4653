import AlignmentCore
@testable import Environments
import Foundation
import Testing

/// One bad battles file and the one-line message it must give (file, line, column or key, what is
/// wrong, what is allowed).
struct BadBattles: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var ext: String
    var message: String
    var testDescription: String { name }
}

/// Every way a battles file can be wrong gives its one-line error.
struct BattleFileErrorTests {
    static let verdicts = #"allowed: "model_a", "model_b", "tie", "tie (bothbad)""#
    static let header = "model_a,model_b,winner"
    static let cases: [BadBattles] = [
        BadBattles(name: "unknown winner (near miss shown)", file: "\(header)\nx,y,tie(bothbad)\n", ext: "csv",
                   message: #"line 2, column winner: "tie(bothbad)" is not a verdict; "# + verdicts),
        BadBattles(name: "unknown winner (content not echoed)", file: "\(header)\nx,y,model_a\nx,y,root:$6$saltsalt$hash:19000\n", ext: "csv",
                   message: "line 3, column winner: a value of 27 bytes is not a verdict; " + verdicts),
        BadBattles(name: "empty winner", file: "\(header)\nx,y,\n", ext: "csv",
                   message: "line 2, column winner: an empty field is not a verdict; " + verdicts),
        BadBattles(name: "same model twice", file: "\(header)\nx,y,model_a\nx,x,tie\n", ext: "csv",
                   message: "line 3: model_a and model_b are the same model; allowed: two different models"),
        BadBattles(name: "missing column", file: "model_a,model_b,judge\nx,y,j\n", ext: "csv",
                   message: #"line 1: missing column "winner" (the header has 3 columns); allowed: a header with model_a, model_b, winner and optionally judge, turn"#),
        BadBattles(name: "misspelt column", file: "model_a,model_b,winer\nx,y,model_a\n", ext: "csv",
                   message: #"line 1: missing column "winner" (the header has "winer"; did you mean "winner"?); allowed: a header with model_a, model_b, winner and optionally judge, turn"#),
        BadBattles(name: "column twice", file: "model_a,model_b,winner,winner\nx,y,model_a,model_a\n", ext: "csv",
                   message: #"line 1: column "winner" appears 2 times; allowed: each column once"#),
        BadBattles(name: "empty file", file: "", ext: "csv",
                   message: "line 1: empty file (a header row is required); allowed: CSV with a header row model_a,model_b,winner[,judge][,turn]"),
        BadBattles(name: "header only", file: "\(header)\n", ext: "csv",
                   message: "has no votes; allowed: at least one vote (a row with model_a, model_b, winner)"),
        BadBattles(name: "empty model name", file: "\(header)\nx,,model_b\n", ext: "csv",
                   message: "line 2, column model_b: the model_b name is empty; allowed: a non-empty name"),
        BadBattles(name: "turn not a positive integer", file: "\(header),turn\nx,y,model_a,1\nx,y,model_b,0\n", ext: "csv",
                   message: #"line 3, column turn: "0" is not a turn count; allowed: a positive integer or empty"#),
        BadBattles(name: "ragged row", file: "\(header)\nx,y\n", ext: "csv",
                   message: "line 2: 2 fields, but the header has 3; allowed: one vote per row with as many fields as the header"),
        BadBattles(name: "bad quoting", file: "\(header)\n\"x,y,model_a\n", ext: "csv",
                   message: "line 2: unterminated quoted field; allowed: one vote per row with as many fields as the header"),
        BadBattles(name: "JSON line not an object", file: "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\"}\n[1, 2]\n", ext: "jsonl",
                   message: "line 2: not a JSON object; allowed: one object per line with keys model_a, model_b, winner and optionally judge, turn"),
        BadBattles(name: "JSON missing key", file: "\n{\"model_a\": \"x\", \"model_b\": \"y\"}\n", ext: "jsonl",
                   message: #"line 2: missing key "winner"; allowed: an object with keys model_a, model_b, winner and optionally judge, turn"#),
        BadBattles(name: "JSON model not a string", file: "{\"model_a\": 3, \"model_b\": \"y\", \"winner\": \"tie\"}\n", ext: "jsonl",
                   message: "line 1, key model_a: a number, not a string; allowed: a string"),
        BadBattles(name: "JSON turn a string", file: "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\", \"turn\": \"2\"}\n", ext: "jsonl",
                   message: "line 1, key turn: a string, not a turn count; allowed: a positive integer or null"),
        BadBattles(name: "JSON unknown winner", file: "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"model_c\"}\n", ext: "jsonl",
                   message: #"line 1, key winner: "model_c" is not a verdict; "# + verdicts),
        BadBattles(name: "control character in a judge", file: "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\", \"judge\": \"a\\u0007b\"}\n", ext: "jsonl",
                   message: "line 1, key judge: the judge name contains a control character; allowed: printable text"),
    ]

    @Test(arguments: cases)
    func badFileGivesItsMessage(_ c: BadBattles) throws {
        let path = try BattlesEnvironmentTests.write(c.file, name: "bad.\(c.ext)")
        #expect(throws: AlignmentCoreError.invalidParameter(name: "path", reason: "battles file \(path): " + c.message)) {
            try BattlesEnvironmentTests.make(path)
        }
    }

    /// Extra columns and keys (Arena exports carry many) are ignored; spaces around fields are dropped;
    /// a quoted model name may hold a comma; the format follows the extension, else the first character.
    @Test func extraColumnsQuotingAndFormatDetection() throws {
        let csv = try BattlesEnvironmentTests.write("question_id,model_a,model_b,winner,language\nq1,\"m, large\", small ,model_a,en\n")
        let f = try BattlesEnvironmentTests.make(csv).file
        #expect(f.models == ["m, large", "small"])
        let json = try BattlesEnvironmentTests.write("{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"tie\", \"conversation_a\": [1]}\n", name: "votes.txt")
        #expect(try BattlesEnvironmentTests.make(json).file.votes == [BattleVote(a: 0, b: 1, outcome: .tie)])
    }
}
