import AlgorithmCatalog
import AlignmentCore
import Testing

/// Every plugin declares its parameter roles consistently: at most one parameter per role, and a
/// regularization parameter is a number that can only be non-negative (the harness measures the
/// τ-metrics at its value).
struct ParameterRoleConformanceTests {
    /// The plugins that target the τ-regularized Nash equilibrium π*_τ (Munos et al., "Nash
    /// Learning from Human Feedback", 2023, §3), with their τ parameter's name — written here so
    /// that a dropped or added declaration fails. RLHF-PPO's and DPO's β regularize a reward
    /// objective toward μ, not the preference game, and are deliberately not τ; neither are MPO's
    /// and COMAL's τ, a proximal strength toward a moving reference (their target is the unregularized
    /// Nash equilibrium), nor self-play-pg's β (its fixed point's τ depends on the advantage: β for
    /// spo, β(G−1)/G for rloo and dr-grpo, none with the k3 KL); dno has no KL toward μ.
    static let expected: [String: String] = [
        "nash-md": "tau", "nash-md-pg": "tau", "online-mirror-descent": "tau", "extragradient": "tau",
        "mmd": "tau", "nash-ema": "tau", "omwu": "tau", "inpo": "tau",
    ]

    @Test(arguments: AlgorithmCatalog.ids)
    func rolesAreDeclaredConsistently(id: String) throws {
        let d = try #require(AlgorithmCatalog.algorithm(id: id)).descriptor
        for role in ParameterRole.allCases {
            #expect(d.parameters.filter { $0.role == role }.count <= 1, "\(id) declares \(role) twice")
        }
        #expect(d.parameter(withRole: .regularization)?.name == Self.expected[id])
        guard let tau = d.parameter(withRole: .regularization) else { return }
        guard case let .real(interval) = tau.kind else {
            Issue.record("\(id).\(tau.name) is \(tau.kind), not a real number"); return
        }
        #expect(interval.lower >= 0, "\(id).\(tau.name) admits negative values (\(interval))")
        let value = try #require(tau.defaultValue?.number, "\(id).\(tau.name) has no numeric default")
        #expect(value >= 0 && value.isFinite)
    }
}
