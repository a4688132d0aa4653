import StableFloor
import Testing

/// `JSONString.quoted` against Python's `json.dumps(s, ensure_ascii=False)` (the expected texts
/// below were printed by CPython 3.11's json module, an independent implementation of RFC 8259 §7).
struct JSONStringTests {
    @Test(arguments: [
        ("a b", #""a b""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"back\slash"#, #""back\\slash""#),
        ("tab\there", #""tab\there""#),
        ("nl\nx", #""nl\nx""#),
        ("\u{08}\u{0C}\r", #""\b\f\r""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#),
        ("é→✓", #""é→✓""#),
        ("", #""""#),
    ])
    func quotedMatchesPythonsJSON(text: String, expected: String) {
        #expect(JSONString.quoted(text) == expected)
    }
}
