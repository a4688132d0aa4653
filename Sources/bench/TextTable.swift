import Foundation

/// A table as text: rows padded to their columns' widths (in characters), two spaces apart, numbers right-aligned.
func textTable(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    let widths = first.indices.map { k in rows.map { $0[k].count }.max()! }
    let numeric = first.indices.map { k in rows.dropFirst().allSatisfy { Double($0[k]) != nil || $0[k].isEmpty || ["inf", "-inf", "nan"].contains($0[k]) } }
    return rows.map { row in
        row.indices.map { k in
            let pad = String(repeating: " ", count: widths[k] - row[k].count)
            return numeric[k] ? pad + row[k] : row[k] + pad
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
    }.joined()
}
