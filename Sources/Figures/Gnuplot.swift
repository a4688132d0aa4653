import Foundation
import StableFloor

/// Runs gnuplot on generated scripts.
public enum Gnuplot {
    /// The output formats a script can render, with the gnuplot terminal each needs.
    public static let terminals: [String: String] = ["png": "pngcairo", "svg": "svg", "pdf": "pdfcairo"]

    /// The gnuplot executable: `$GNUPLOT` when set, else the first `gnuplot` on `PATH`.
    public static var executable: URL? {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        if let explicit = env["GNUPLOT"], !explicit.isEmpty, fm.isExecutableFile(atPath: explicit) {
            return URL(fileURLWithPath: explicit)
        }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("gnuplot")
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Whether gnuplot is installed (on `PATH` or at `$GNUPLOT`).
    public static var isAvailable: Bool { executable != nil }

    /// The terminals this gnuplot supports (`GPVAL_TERMINALS`).
    /// - Throws: `FiguresError.gnuplotNotFound` or `.renderFailed` when gnuplot cannot be run.
    public static func availableTerminals() throws -> Set<String> {
        let (status, stderr) = try run(["-e", "print GPVAL_TERMINALS"])
        guard status == 0 else { throw FiguresError.renderFailed(script: "-e 'print GPVAL_TERMINALS'", status: status, stderr: stderr) }
        return Set(stderr.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }

    /// Renders a script written by `FigureWriter` into the given formats, next to the script.
    ///
    /// Runs `gnuplot -e "formats='png svg'" <script>` as a subprocess and checks that each
    /// `<stem>.<format>` exists and is non-empty afterwards.
    /// - Parameters:
    ///   - script: the `.gp` file.
    ///   - formats: any of "png", "svg", "pdf" (non-empty).
    /// - Throws: `FiguresError.unsupportedFormat`, `.gnuplotNotFound`, `.terminalUnavailable`, or
    ///   `.renderFailed` with gnuplot's stderr when it fails or leaves an output missing.
    public static func render(script: URL, formats: [String]) throws {
        guard !formats.isEmpty else { throw FiguresError.unsupportedFormat("(none)") }
        for f in formats where terminals[f] == nil { throw FiguresError.unsupportedFormat(f) }
        let available = try availableTerminals()
        for f in formats {
            let terminal = terminals[f]!
            if !available.contains(terminal) { throw FiguresError.terminalUnavailable(terminal: terminal, format: f) }
        }
        let stem = script.deletingPathExtension()
        let outputs = formats.map { stem.appendingPathExtension($0) }
        // Remove stale outputs so a silent failure cannot pass for success.
        for url in outputs { try? FileManager.default.removeItem(at: url) }
        let (status, stderr) = try run(["-e", "formats='\(formats.joined(separator: " "))'", script.path])
        guard status == 0 else { throw FiguresError.renderFailed(script: script.path, status: status, stderr: stderr) }
        for url in outputs {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size > 0 else {
                throw FiguresError.renderFailed(script: script.path, status: status,
                                                stderr: "no output \(url.lastPathComponent)\n" + stderr)
            }
        }
    }

    /// Runs gnuplot with `arguments`, returning its exit status and stderr (stdout is discarded).
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        guard let exe = executable else { throw FiguresError.gnuplotNotFound }
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let data: Data
        do {
            data = try ChildProcess.run(process) { errPipe.fileHandleForReading.readDataToEndOfFile() }
        } catch {
            throw FiguresError.renderFailed(script: arguments.last ?? "", status: -1, stderr: error.localizedDescription)
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension Gnuplot {
    /// The first non-blank line of `gnuplot --version`, trimmed (e.g. "gnuplot 5.4 patchlevel 4"), or nil when gnuplot
    /// is not installed or does not answer.
    public static var version: String? {
        guard let exe = executable else { return nil }
        let process = Process()
        process.executableURL = exe
        process.arguments = ["--version"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard let data = try? ChildProcess.run(process, whileRunning: { out.fileHandleForReading.readDataToEndOfFile() }),
              process.terminationStatus == 0 else { return nil }
        // The first non-blank line, without its line break ("\r\n" is one Character, so split on
        // every kind of newline) or surrounding spaces.
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }
}

extension Gnuplot {
    /// `Gnuplot.version`, asked of gnuplot on a background thread from the moment the probe is
    /// made, so that a sweep does not wait for gnuplot to start when it writes its provenance
    /// (about 14 ms of wall clock on the README's machine: `gnuplot --version` loads every library
    /// of its terminals). The answer is what `version` would have returned at that moment.
    public final class VersionProbe: @unchecked Sendable {
        // Written once on the probe's thread before `done.leave()`; read after `done.wait()`,
        // which orders the write before the read.
        private var answer: String?
        private let done = DispatchGroup()

        /// Starts `gnuplot --version` on a global queue.
        public init() {
            done.enter()
            DispatchQueue.global(qos: .utility).async { [self] in
                answer = Gnuplot.version
                done.leave()
            }
        }

        /// The first line of `gnuplot --version`, or nil when gnuplot is not installed or does
        /// not answer; waits for the probe the first time.
        /// - Complexity: O(1) once the probe has finished.
        public var version: String? {
            done.wait()
            return answer
        }
    }
}
