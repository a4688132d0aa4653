import CGSL

/// Process-wide GSL set-up and status-code mapping.
public enum GSLRuntime {
    /// Turns GSL's aborting error handler off (idempotent; call once at start-up).
    ///
    /// Every entry point that uses GSL calls this, so library users need not remember to.
    public static func configure() { _ = configured }

    private static let configured: Bool = {
        cgsl_disable_abort()
        return true
    }()

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
