import AlignmentCore
import Testing
@testable import Figures

/// Figure labels of metrics come from the registry (`Metric.all`); other columns (plugin
/// diagnostics, the x-axis names) keep their own rule.
struct MetricLabelTests {
    /// The axis labels and title names of every metric, written out (they were FigureStyle's own
    /// table before the registry; scripts must not change).
    @Test(arguments: [
        ("exploitability", "exploitability  max_y P(y ≻ π) − 1/2", "Exploitability"),
        ("regularized_gap", "regularized duality gap", "Regularized duality gap"),
        ("win_rate_vs_reference", "win rate vs reference  P(π ≻ μ)", "Win rate vs reference"),
        ("kl_to_reference", "KL(π ‖ μ)  [nats]", "KL to reference"),
        ("true_reward", "true reward  E_π[r]", "True reward"),
        ("kl_from_regularized_equilibrium", "KL(π*_τ ‖ π)  [nats]", "KL from the regularized equilibrium"),
        ("nash_distance", "TV distance to the Nash equilibrium", "Distance to the Nash equilibrium"),
        ("restricted_gap", "regularized gap − that of π*_Φ", "Restricted gap"),
        ("kl_from_restricted_equilibrium", "KL(π*_Φ ‖ π)  [nats]", "KL from the restricted equilibrium"),
    ])
    func metricLabels(id: String, axis: String, title: String) throws {
        #expect(FigureStyle.metricLabel(id) == axis)
        #expect(FigureStyle.metricName(id) == title)
        let entry = try #require(Metric.named(id))
        #expect(FigureStyle.metricLabel(id) == entry.axisLabel && FigureStyle.metricName(id) == entry.title)
    }

    @Test func everyRegistryMetricIsLabelledFromItsEntry() {
        for metric in Metric.all {
            #expect(FigureStyle.metricLabel(metric.id) == metric.axisLabel)
            #expect(FigureStyle.metricName(metric.id) == metric.title)
        }
    }

    /// Columns that are not harness metrics: plugin diagnostics and the curves' x axes.
    @Test func otherColumns() {
        #expect(FigureStyle.metricLabel("preference_model_accuracy") == "preference model accuracy")
        #expect(FigureStyle.metricName("preference_model_accuracy") == "Preference model accuracy")
        #expect(FigureStyle.metricLabel("iteration") == "iteration")
        #expect(FigureStyle.metricLabel("queries") == "preference queries (mean over seeds)")
    }
}
