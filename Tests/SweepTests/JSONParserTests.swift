import Testing
@testable import Sweep

struct JSONParserTests {
    @Test func keepsKeyOrderLiteralsAndTypes() throws {
        let v = try JSONParser.parse(#"{"b": 1, "a": [true, null, "x\u00e9\n\ud83d\ude00"], "c": 1e-3, "d": {}}"#, file: "t.json")
        #expect(v.objectMembers?.map(\.key) == ["b", "a", "c", "d"])
        #expect(v["b"] == .number(1, literal: "1"))
        #expect(v["c"] == .number(0.001, literal: "1e-3"))
        #expect(v["a"] == .array([.bool(true), .null, .string("xé\n😀")]))
        #expect(v["d"] == .object([]))
        #expect(v["b"]?.integerValue == 1)
        #expect(v["c"]?.integerValue == nil)
    }

    @Test func largeIntegersKeepTheirLiteral() throws {
        let v = try JSONParser.parse("18446744073709551615", file: "t.json")
        #expect(v.unsignedValue == UInt64.max)
    }

    /// Each malformed document and its exact message; columns count characters from 1.
    @Test(arguments: [
        ("{\n  \"a\": 1,\n}", "t.json:3:1: invalid JSON: trailing comma before '}'"),
        ("{\"a\" 1}", "t.json:1:6: invalid JSON: unexpected '1'; expected ':' after the key \"a\""),
        ("[1, 2", "t.json:1:6: invalid JSON: unexpected end of file inside an array; expected ',' or ']'"),
        ("{\"a\": 01}", "t.json:1:7: invalid JSON: invalid number: leading zeros are not allowed"),
        ("{\"a\": 1, \"a\": 2}", "t.json:1:10: invalid JSON: duplicate key \"a\""),
        ("{\"é\": x}", "t.json:1:7: invalid JSON: unexpected 'x'; expected a value (object, array, string, number, true, false or null)"),
        ("{\"a\": 1} 2", "t.json:1:10: invalid JSON: unexpected '2' after the end of the document"),
        ("{\"a\": \"b}", "t.json:1:7: invalid JSON: unterminated string"),
        ("// c\n{}", "t.json:1:1: invalid JSON: comments are not allowed in JSON"),
        ("{\"a\": tru}", "t.json:1:7: invalid JSON: invalid literal; expected 'true'"),
        ("", "t.json:1:1: invalid JSON: unexpected end of file; expected a value"),
    ])
    func syntaxErrorsNameLineAndColumn(text: String, message: String) {
        #expect(throws: SweepError.self) { try JSONParser.parse(text, file: "t.json") }
        do {
            _ = try JSONParser.parse(text, file: "t.json")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func canonicalTextSortsKeysAndNormalisesNumbers() throws {
        let a = try JSONParser.parse(#"{"b": 1.0, "a": [2.50, "x"]}"#, file: "t")
        let b = try JSONParser.parse(#"{ "a": [2.5, "x"], "b": 1 }"#, file: "t")
        #expect(a.canonicalText == #"{"a":[2.5,"x"],"b":1}"#)
        #expect(a.canonicalText == b.canonicalText)
        #expect(a.compactText == #"{"b":1.0,"a":[2.50,"x"]}"#)
    }

    @Test func compactTextRoundTripsEveryDoubleBit() throws {
        let values: [Double] = [0.1, 1.0 / 3.0, 1e-300, 123456789.123456789, -2.5e-8, 0.30000000000000004]
        let v = JSONValue.array(values.map { JSONValue.number($0) })
        let back = try JSONParser.parse(v.compactText, file: "t").arrayElements!.map { $0.numberValue! }
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func quotedEscapesControlCharacters() {
        #expect(JSONValue.quoted("a\"b\\c\n\u{01}") == #""a\"b\\c\n\u0001""#)
    }
}
