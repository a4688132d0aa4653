import AlignmentCore

/// One labelled comparison: in context `context`, response `chosen` was preferred to `rejected`.
public struct LabelledPair: Sendable, Hashable {
    /// The context x.
    public var context: Int
    /// The preferred response y_w.
    public var chosen: Int
    /// The dispreferred response y_l.
    public var rejected: Int

    /// Creates a labelled pair.
    public init(context: Int, chosen: Int, rejected: Int) {
        self.context = context
        self.chosen = chosen
        self.rejected = rejected
    }
}
