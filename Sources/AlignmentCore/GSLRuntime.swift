import CGSL

/// GSL status-code mapping (the set-up is `GSLSetup.configure()` in StableFloor).
public enum GSLRuntime {
    /// Converts a GSL status code into a Swift error.
    /// - Parameters:
    ///   - status: the value returned by a GSL routine.
    ///   - routine: the routine's name, for the message.
    /// - Throws: `AlignmentCoreError.gsl` when `status != GSL_SUCCESS`.
    public static func check(_ status: Int32, _ routine: String) throws {
        guard status != GSL_SUCCESS else { return }
        let message = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        throw AlignmentCoreError.gsl(status: status, routine: routine, message: message)
    }
}
