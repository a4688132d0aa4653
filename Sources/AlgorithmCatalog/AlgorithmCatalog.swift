import AlignmentCore
import NashMD
import OnlineMirrorDescent
import Extragradient
import MMD
import NashEMA
import SPPO
import RLHFPPO
import DPO
import ReST
import BestOfN
import OMWU
import MPO
import COMAL
import SelfPlayPG
import DNO
import INPO

/// The one list of algorithm plugins. The CLI, the sweep and the conformance tests read it.
///
/// Adding an algorithm: create `Sources/Algorithms/<Name>/`, add `"<Name>"` to `algorithmPlugins`
/// in Package.swift, and add its type here (docs/PLUGINS.md).
public enum AlgorithmCatalog {
    /// Every registered plugin, in listing order.
    public static let all: [any Algorithm.Type] = [
        NashMDAlgorithm.self,
        NashMDPGAlgorithm.self,
        OnlineMirrorDescentAlgorithm.self,
        ExtragradientAlgorithm.self,
        MagneticMirrorDescentAlgorithm.self,
        NashEMAAlgorithm.self,
        SPPOAlgorithm.self,
        RLHFPPOAlgorithm.self,
        DirectPreferenceOptimization.self,
        ReinforcedSelfTraining.self,
        BestOfNSampling.self,
        OptimisticMultiplicativeWeightsAlgorithm.self,
        MagneticPreferenceOptimizationAlgorithm.self,
        COMALAlgorithm.self,
        SelfPlayPolicyGradient.self,
        DirectNashOptimization.self,
        INPOAlgorithm.self,
    ]

    /// The plugin with the given id.
    public static func algorithm(id: String) -> (any Algorithm.Type)? {
        all.first { $0.descriptor.id == id }
    }

    /// Every registered id, in listing order.
    public static var ids: [String] { all.map { $0.descriptor.id } }
}
