import Foundation
import Sweep

/// The fuzz target of the spec parser and validator (issue 6).
///
/// Built by scripts/fuzz.sh with `-Xswiftc -sanitize=fuzzer,address -Xswiftc -DLIBFUZZER`: libFuzzer
/// (`LLVMFuzzerRunDriver`) then drives the check. Built normally (as by `swift build`), it is a replayer:
/// `SpecFuzz <file or directory>…` runs the same check on each file (e.g. a crash reproducer).
enum SpecFuzzCheck {
    /// Parses and validates one input with the standard catalogues; a valid spec is also planned.
    /// Traps (so that libFuzzer reports the input) when a refusal is not a one-line `SweepError`
    /// naming the file, or when planning a valid spec fails.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let spec = try ExperimentSpec.parse(text, file: "fuzz.json")
            let runs = spec.algorithms.reduce(0) { $0 + $1.points.count } * spec.environments.count * spec.seeds
            if runs <= 10_000 {
                let plans = try GridExpansion.plan(spec)
                guard plans.count == runs, Set(plans.map(\.runID)).count == runs else { fatalError("inconsistent plan") }
            }
        } catch let error as SweepError {
            let message = "\(error)"
            guard !message.contains("\n"), message.hasPrefix("fuzz.json"),
                  error.exitCode == .invalidSpec || error.exitCode == .tooLarge else {
                fatalError("bad refusal: \(message)")
            }
        } catch {
            fatalError("not a SweepError: \(error)")
        }
    }
}

#if LIBFUZZER
/// libFuzzer's driver (in the runtime linked by `-sanitize=fuzzer`). SwiftPM names the executable's
/// entry point itself, so the fuzzer is started from `main` instead of libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// libFuzzer's per-input entry point (used when the runtime's own `main` is linked).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SpecFuzzCheck.check(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// Runs libFuzzer on the spec check.
@main
struct SpecFuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
        exit(status)
    }
}
#else
/// Replays files through the fuzz check.
@main
struct SpecFuzzReplay {
    static func main() throws {
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
                files += names.map { url.appendingPathComponent($0) }.filter {
                    (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.type] as? FileAttributeType == .typeRegular
                }
            } else {
                files.append(url)
            }
        }
        for file in files {
            let data = try Data(contentsOf: file)
            data.withUnsafeBytes { SpecFuzzCheck.check($0.bindMemory(to: UInt8.self)) }
        }
        print("SpecFuzz: \(files.count) input(s) checked")
    }
}
#endif
