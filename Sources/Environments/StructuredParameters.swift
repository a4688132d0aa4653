import AlignmentCore

/// Decoding of structured (nested-array) environment parameters, with errors that name the
/// parameter and the offending entry in index notation, e.g. `utilities[1][2]`.
enum StructuredParameters {
    /// A finite number; `path` names the entry.
    static func number(_ v: ParameterValue, _ name: String, _ path: String) throws -> Double {
        guard let x = v.number, x.isFinite else {
            throw AlignmentCoreError.invalidParameter(name: name, reason: "\(path) is a \(v.typeName) (\(v)), expected a finite number")
        }
        return x
    }

    /// A non-empty list of finite numbers.
    static func vector(_ v: ParameterValue, _ name: String, _ path: String? = nil) throws -> [Double] {
        let path = path ?? name
        guard let a = v.array, !a.isEmpty else {
            throw AlignmentCoreError.invalidParameter(name: name, reason: "\(path) must be a non-empty array of numbers, got \(v.typeName) \(v)")
        }
        return try a.enumerated().map { try number($0.element, name, "\(path)[\($0.offset)]") }
    }

    /// A non-empty list of non-empty lists of finite numbers (rows may differ in length).
    static func rows(_ v: ParameterValue, _ name: String, _ path: String? = nil) throws -> [[Double]] {
        let path = path ?? name
        guard let a = v.array, !a.isEmpty else {
            throw AlignmentCoreError.invalidParameter(name: name, reason: "\(path) must be a non-empty array of arrays of numbers, got \(v.typeName)")
        }
        return try a.enumerated().map { try vector($0.element, name, "\(path)[\($0.offset)]") }
    }

    /// A square n×n matrix of finite numbers.
    static func squareMatrix(_ v: ParameterValue, _ name: String, _ path: String? = nil) throws -> [[Double]] {
        let path = path ?? name
        let m = try rows(v, name, path)
        for (i, r) in m.enumerated() where r.count != m.count {
            throw AlignmentCoreError.invalidParameter(
                name: name, reason: "\(path)[\(i)] has \(r.count) entries but there are \(m.count) rows (the matrix must be square)")
        }
        return m
    }

    /// A non-empty list of square matrices.
    static func matrices(_ v: ParameterValue, _ name: String) throws -> [[[Double]]] {
        guard let a = v.array, !a.isEmpty else {
            throw AlignmentCoreError.invalidParameter(name: name, reason: "expected a non-empty array of square matrices, got \(v.typeName)")
        }
        return try a.enumerated().map { try squareMatrix($0.element, name, "\(name)[\($0.offset)]") }
    }
}
