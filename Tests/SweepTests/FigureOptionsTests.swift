import Figures
import Foundation
import Testing
@testable import Sweep

/// The figure keys of the paper's figure kinds: `policy` (x = an environment parameter),
/// `versus` (x = a hyperparameter, `opponents`) and `guides` on curves.
struct FigureOptionsTests {
    static let environments = #"[{"id": "lo", "kind": "annotator-mixture", "preset": "three-rater", "epsilon": -0.1}, {"id": "hi", "kind": "annotator-mixture", "preset": "three-rater", "epsilon": 0.2}]"#
    static let algorithms = #"[{"id": "exact-only", "label": "a", "params": {"eta": 0.1}}, {"id": "exact-only", "label": "b", "params": {"eta": 0.5}}]"#

    static func spec(_ figures: String, environments: String = environments) -> String {
        SpecValidationTests.spec(top: #" "figures": "# + figures + ",", environments: environments, algorithms: algorithms)
    }

    @Test("policy: x is read from every environment entry; versus: opponents and x; curves: guides")
    func valid() throws {
        let s = try testSpec(Self.spec(#"""
            [{"id": "p", "kind": "policy", "metric": "exploitability", "x": "epsilon"},
             {"id": "v", "kind": "versus", "metric": "exploitability", "x": "eta", "opponents": ["b", "reference"], "algorithms": ["a"]},
             {"id": "c", "kind": "curves", "metric": "regularized_gap", "guides": [{"label": "8/(t+1)", "scale": 8, "shift": 1, "power": -1}, {"label": "flat", "scale": 0.5}]}]
            """#))
        #expect(s.figures[0].kind == .policy && s.figures[0].x == "epsilon")
        #expect(s.figures[0].parameterValues == ["lo": -0.1, "hi": 0.2])
        #expect(s.figures[1].opponents == ["b", "reference"] && s.figures[1].x == "eta")
        #expect(s.figures[2].guides == [FigureSpec.Guide(label: "8/(t+1)", scale: 8, shift: 1, power: -1),
                                        FigureSpec.Guide(label: "flat", scale: 0.5, shift: 0, power: 1)])
    }

    static let cases: [(String, String)] = [
        (spec(#"[{"id": "p", "kind": "policy", "metric": "exploitability"}]"#),
         "spec.json: $.figures[0]: missing required key \"x\" (the environment parameter on the x axis); allowed: the name of a numeric parameter given in every environment entry the figure draws (e.g. \"epsilon\")"),
        (spec(#"[{"id": "p", "kind": "policy", "metric": "exploitability", "x": "epsilon"}]"#,
              environments: #"[{"id": "lo", "kind": "annotator-mixture", "preset": "three-rater", "epsilon": -0.1}, {"id": "rps", "kind": "cyclic"}]"#),
         "spec.json: $.figures[0].x: environment \"rps\" has no numeric parameter \"epsilon\"; allowed: a numeric parameter given in every environment entry the figure draws (restrict them with \"environments\")"),
        (spec(#"[{"id": "v", "kind": "versus", "metric": "exploitability", "x": "eta"}]"#),
         "spec.json: $.figures[0]: missing required key \"opponents\"; allowed: an array of algorithm labels or \"reference\" (μ): reference, a, b"),
        (spec(#"[{"id": "v", "kind": "versus", "metric": "exploitability", "x": "eta", "opponents": ["c"]}]"#),
         "spec.json: $.figures[0].opponents[0]: unknown value \"c\" (did you mean \"a\"?); allowed: \"reference\", \"a\", \"b\""),
        (spec(#"[{"id": "v", "kind": "versus", "metric": "exploitability", "x": "eta", "opponents": []}]"#),
         "spec.json: $.figures[0].opponents: empty array; allowed: a non-empty array of algorithm labels or \"reference\" (μ): reference, a, b"),
        (spec(#"[{"id": "v", "kind": "versus", "metric": "exploitability", "x": "eta", "opponents": ["a", "a"]}]"#),
         "spec.json: $.figures[0].opponents[1]: duplicate \"a\"; allowed: a non-empty array of algorithm labels or \"reference\" (μ): reference, a, b"),
        (spec(#"[{"id": "b", "kind": "bars", "metric": "exploitability", "opponents": ["a"]}]"#),
         "spec.json: $.figures[0].opponents: bars figures have no opponents; allowed: opponents only for versus figures"),
        (spec(#"[{"id": "b", "kind": "lines", "metric": "exploitability", "x": "eta", "guides": []}]"#),
         "spec.json: $.figures[0].guides: lines figures have no guides; allowed: guides only for curves figures"),
        (spec(#"[{"id": "c", "kind": "curves", "metric": "exploitability", "guides": [{"label": "g"}]}]"#),
         "spec.json: $.figures[0].guides[0]: missing required key \"scale\"; allowed: label, scale, shift, power"),
    ]

    @Test("invalid figure options are one-line errors naming the JSON path", arguments: cases)
    func invalid(_ text: String, _ message: String) throws {
        do {
            _ = try testSpec(text)
            Issue.record("expected an error: \(message)")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
