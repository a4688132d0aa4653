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

    // MARK: every kind of the catalogue, through its declared options

    /// A valid value of each kind of option value, for `spec` (environments lo/hi with epsilon,
    /// labels a and b with hyperparameter eta).
    static func valid(_ value: FigureOption.Value) -> String {
        switch value {
        case .boolean: return "true"
        case let .choice(values): return "\"\(values.last!)\""
        case .metric: return #""kl_to_reference""#
        case .hyperparameter: return #""eta""#
        case .environmentParameter: return #""epsilon""#
        case .participants: return #"["b", "reference"]"#
        case let .groupings(values): return "[" + values.reversed().map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .guides: return #"[{"label": "g", "scale": 2}]"#
        }
    }

    /// A value out of each kind of option value's range, with the JSON path suffix its error names.
    static func invalid(_ value: FigureOption.Value) -> (json: String, at: String) {
        switch value {
        case .boolean: return ("1", "")
        case .choice: return (#""sideways""#, "")
        case .metric: return (#""no_such_metric""#, "")
        case .hyperparameter: return (#""no_such_parameter""#, "")
        case .environmentParameter: return (#""no_such_parameter""#, "")
        case .participants: return (#"["nobody"]"#, "[0]")
        case .groupings: return (#"["seed"]"#, "[0]")
        case .guides: return (#"[{"label": "g", "scale": "big"}]"#, "[0].scale")
        }
    }

    /// A figure entry of `kind` with every required option valid, then `extra` keys (replacing
    /// required ones of the same name), without `omit`.
    static func entry(_ kind: FigureKind, _ extra: [(String, String)] = [], omit: String? = nil) -> String {
        var members = [#""id": "f""#, "\"kind\": \"\(kind.id)\"", #""metric": "exploitability""#]
        for o in kind.options where o.isRequired && o.name != omit && !extra.contains(where: { $0.0 == o.name }) {
            members.append("\"\(o.name)\": \(valid(o.value))")
        }
        members += extra.map { "\"\($0.0)\": \($0.1)" }
        return "[{" + members.joined(separator: ", ") + "}]"
    }

    static func error(_ text: String) -> String? {
        do { _ = try testSpec(text); return nil } catch { return "\(error)" }
    }

    @Test("every kind validates its declared defaults, and a default means the same as giving it", arguments: FigureKind.catalogue)
    func defaults(_ kind: FigureKind) throws {
        let bare = try testSpec(Self.spec(Self.entry(kind))).figures[0]
        #expect(bare.kind == kind)
        for o in kind.options {
            let given = try testSpec(Self.spec(Self.entry(kind, [(o.name, o.defaultValue ?? Self.valid(o.value))]))).figures[0]
            if o.defaultValue != nil { #expect(given == bare, "\(kind.id).\(o.name): default \(o.defaultValue!)") }
        }
        // The defaults as the spec model holds them (independently written here).
        switch kind.id {
        case "curves": #expect(bare.x == "iteration" && bare.guides.isEmpty && !bare.logX && !bare.logY)
        case "bars": #expect(bare.by == ["environment", "algorithm"] && !bare.logY)
        case "aggregate", "profile": #expect(bare.normalize == "none" && !bare.logX && !bare.logY && bare.by.isEmpty)
        default: #expect(!bare.logX && !bare.logY && bare.guides.isEmpty && bare.by.isEmpty)
        }
    }

    @Test("every declared option accepts a valid value and rejects an out-of-range one with a message naming it", arguments: FigureKind.catalogue)
    func ranges(_ kind: FigureKind) throws {
        for o in kind.options {
            #expect(Self.error(Self.spec(Self.entry(kind, [(o.name, Self.valid(o.value))]))) == nil, "\(kind.id).\(o.name)")
            let (json, suffix) = Self.invalid(o.value)
            let message = try #require(Self.error(Self.spec(Self.entry(kind, [(o.name, json)]))), "\(kind.id).\(o.name) accepted \(json)")
            #expect(message.hasPrefix("spec.json: $.figures[0].\(o.name)\(suffix): "), "\(message)")
            #expect(message.contains("; allowed: ") && !message.contains("\n"), "\(message)")
        }
    }

    @Test("a missing required option and a key of another kind are one-line errors", arguments: FigureKind.catalogue)
    func requiredAndForeign(_ kind: FigureKind) throws {
        for o in kind.options where o.isRequired {
            let message = try #require(Self.error(Self.spec(Self.entry(kind, omit: o.name))))
            #expect(message.hasPrefix("spec.json: $.figures[0]: missing required key \"\(o.name)\""), "\(message)")
        }
        for other in FigureKind.catalogue {
            for o in other.options where kind.option(o.name) == nil {
                let message = try #require(Self.error(Self.spec(Self.entry(kind, [(o.name, Self.valid(o.value))]))))
                let takers = FigureKind.kinds(taking: o.name)
                let list = takers.count == 1 ? takers[0] : takers.dropLast().joined(separator: ", ") + " and " + takers.last!
                #expect(message == "spec.json: $.figures[0].\(o.name): \(kind.id) figures have no \(o.name); allowed: \(o.name) only for \(list) figures")
            }
        }
    }

    @Test("bars refuses by: config, which it cannot draw (the validator used to accept it)")
    func barsByConfig() {
        #expect(Self.error(Self.spec(#"[{"id": "b", "kind": "bars", "metric": "exploitability", "by": ["config"]}]"#))
                == #"spec.json: $.figures[0].by[0]: unknown value "config"; allowed: "environment", "algorithm""#)
    }
}
