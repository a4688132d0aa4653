import AlignmentCore
import Environments
import AlgorithmCatalog
/// Sweep placeholder.
public enum SweepInfo {}
