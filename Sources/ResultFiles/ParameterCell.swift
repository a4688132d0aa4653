/// A hyperparameter value as parameters.csv records it, typed: the cell's text (JSON numbers,
/// `true`/`false`, JSON lists such as `[0,0.7,0.8]`, strings as themselves) and its number when
/// the cell is one — what figures draw on an axis, read from the file, never parsed out of a
/// configuration key.
public struct ParameterCell: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The cell's text, exactly as written.
    public let text: String
    /// The value when the cell is a finite number (the writers print numbers in the shortest
    /// round-trip form, so every bit is restored); nil otherwise.
    public let number: Double?

    /// Types a parameters.csv `value` cell.
    public init(_ text: String) {
        self.text = text
        number = Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The cell's text.
    public var description: String { text }

    /// Natural order: numbers by value and before text; text cells by their text.
    public static func < (a: ParameterCell, b: ParameterCell) -> Bool {
        switch (a.number, b.number) {
        case let (x?, y?): return x != y ? x < y : a.text < b.text
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.text < b.text
        }
    }
}

extension ParametersFile {
    /// Every run's parameters from a parameters.csv reader: run id → (name, value) in file order
    /// (the plugin's declared order).
    /// - Throws: `ResultFilesError.malformed`.
    /// - Complexity: O(rows); the file is read record by record.
    public static func values(_ reader: ResultFileReader<ParametersFile>) throws -> [String: [(name: String, value: ParameterCell)]] {
        var out: [String: [(name: String, value: ParameterCell)]] = [:]
        while let r = try reader.next() {
            out[r[.runID], default: []].append((r[.parameter], ParameterCell(r[.value])))
        }
        return out
    }
}
