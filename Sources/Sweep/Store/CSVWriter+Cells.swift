import AlignmentCore
import ResultFiles

extension CSVWriter {
    /// A number cell via `CanonicalNumber.format` (shortest round-trip form); empty for nil.
    static func cell(_ x: Double?) -> String { x.map(CanonicalNumber.format) ?? "" }
    /// An integer cell.
    static func cell(_ i: Int) -> String { String(i) }
}

extension CSVRow {
    /// A number field with the bytes of `CSVWriter.cell(x)` (`CanonicalNumber.append`, no
    /// intermediate `String`); empty for nil.
    mutating func number(_ x: Double?) {
        unquotedField { out in
            if let x { CanonicalNumber.append(x, to: &out) }
        }
    }
}

extension SweepError {
    /// The sweep's error for a result-file error: file-system errors stay `io`, the others
    /// (missing or malformed files, missing columns, bad cells) are `store` errors.
    init(_ error: ResultFilesError) {
        switch error {
        case let .io(path, message): self = .io(path: path, message: message)
        case let .missingFile(path): self = .store("\(path): cannot read the file; run `bench sweep` first")
        default: self = .store(error.description)
        }
    }

    /// Runs `body`, turning a `ResultFilesError` into the sweep's error.
    /// - Throws: what `body` throws, result-file errors as `SweepError`.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ResultFilesError { throw SweepError(e) }
    }
}
