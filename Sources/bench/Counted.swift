/// "1 run", "2 runs": `n` and the noun, plural unless n is 1 — for the commands' summary lines.
/// (Here rather than in the sweep's spec module, whose sources are part of every run's harness
/// fingerprint: a change of wording must not make recorded runs stale.)
/// - Parameters:
///   - n: the count.
///   - noun: the singular.
///   - plural: the plural (default: the singular + "s").
func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
}
