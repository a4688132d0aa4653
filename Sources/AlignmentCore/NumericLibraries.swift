import CGLPK
import CGSL
#if canImport(Glibc)
import Glibc
#endif

/// The versions of the C numeric libraries linked at run time.
///
/// They are part of every run's fingerprint (a GSL or GLPK upgrade may change a run's bytes, so
/// runs computed under other versions are re-run) and of each results directory's provenance.
public enum NumericLibraries {
    /// GSL's version string, e.g. "2.7.1" (`gsl_version`, GNU Scientific Library).
    public static var gsl: String { String(cString: cgsl_version()) }

    /// GLPK's version string, e.g. "5.0" (`glp_version()`, GNU Linear Programming Kit).
    public static var glpk: String { String(cString: glp_version()) }

    /// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen
    /// MAX_THREADS=64" (`openblas_get_config()`): its version and the kernel it chose for this
    /// processor, which fix the summation order of every P·π (`PreferenceMatrix.times`) and of the
    /// π*_τ solver's LU.
    public static var openblas: String { DenseLinearAlgebra.configuration }

    /// The C library and processor, e.g. "glibc 2.36 x86_64": `exp`/`log` come from it, and their
    /// last bits may differ across versions and processors.
    public static var platform: String {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "other"
        #endif
        #if canImport(Glibc)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count)
        let libc = n > 0 ? String(decoding: buffer.prefix(n - 1).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "libc"
        return "\(libc) \(arch)"
        #else
        return "libc \(arch)"
        #endif
    }
}
