import AlignmentCore
/// Shared learning blocks for algorithm plugins (reward models, preference models, optimizers).
public enum PreferenceLearning {}
