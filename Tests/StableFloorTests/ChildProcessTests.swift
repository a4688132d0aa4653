import Foundation
import StableFloor
import Testing

/// `ChildProcess.run` returns the body's result after the child has exited, with its exit status
/// set, calls a termination handler the process already had, and throws without calling the body
/// when the child cannot start.
struct ChildProcessTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    @Test(arguments: [0, 3, 42])
    func bodyResultAndExitStatus(status: Int32) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "echo out; echo err >&2; exit \(status)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let earlier = Flag()
        process.terminationHandler = { _ in earlier.set() }
        let text = try ChildProcess.run(process) { String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        #expect(text == "out\n")
        #expect(!process.isRunning)
        #expect(process.terminationStatus == status)
        #expect(earlier.isSet)
    }

    @Test func aChildThatCannotStartThrowsBeforeTheBody() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/nonexistent/program")
        let called = Flag()
        #expect(throws: (any Error).self) { try ChildProcess.run(process) { called.set() } }
        #expect(!called.isSet)
    }
}
