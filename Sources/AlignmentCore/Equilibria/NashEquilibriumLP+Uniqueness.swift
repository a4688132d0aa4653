import CGSL
import Foundation
import StableFloor

extension NashEquilibriumLP {
    /// Whether a cheap sufficient condition certifies that the equilibrium π of P is the only one.
    ///
    /// With A = P − ½, S = supp(π) and T = {y : (Aπ)(y) = 0}: every equilibrium π' is supported on
    /// T and satisfies (Aπ')(y) = 0 for y ∈ S (from π'ᵀAπ = 0 = πᵀAπ' with all terms ≤ 0). If
    /// T = S (strict complementarity, with a margin of 1e-9) and the (|S|+1)×|S| matrix [A_SS; 1ᵀ]
    /// has full column rank (smallest singular value above 1e-9 of the largest), the only solution
    /// is π. When the condition fails, uniqueness is decided by the min/max LPs instead.
    /// - Complexity: O(|S|³) (one SVD).
    static func certifiesUniqueness(_ p: PreferenceMatrix, _ pi: [Double]) throws -> Bool {
        let payoff = p.times(pi).map { $0 - 0.5 }
        let support = pi.indices.filter { pi[$0] > 0 }
        for y in pi.indices where pi[y] == 0 && payoff[y] > -1e-9 { return false }
        let s = support.count
        if s == 1 { return true }
        GSLSetup.configure()
        guard let m = gsl_matrix_alloc(s + 1, s), let v = gsl_matrix_alloc(s, s),
              let sv = gsl_vector_alloc(s), let work = gsl_vector_alloc(s) else {
            throw AlignmentCoreError.gsl(status: Int32(GSL_ENOMEM), routine: "gsl_matrix_alloc", message: "out of memory")
        }
        defer { gsl_matrix_free(m); gsl_matrix_free(v); gsl_vector_free(sv); gsl_vector_free(work) }
        for (a, i) in support.enumerated() {
            for (b, j) in support.enumerated() { gsl_matrix_set(m, a, b, p[i, j] - 0.5) }
            gsl_matrix_set(m, s, a, 1)
        }
        try GSLRuntime.check(gsl_linalg_SV_decomp(m, v, sv, work), "gsl_linalg_SV_decomp")
        let values = (0..<s).map { gsl_vector_get(sv, $0) }
        guard let largest = values.max(), let smallest = values.min(), largest > 0 else { return false }
        return smallest > 1e-9 * largest
    }
}
