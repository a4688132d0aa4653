import CGLPK
import Foundation

/// Serialised access to GLPK.
///
/// GLPK keeps process-wide state (its environment block, terminal hooks) and is not documented to
/// be thread-safe, so every GLPK call in the process goes through `GLPKSession.run`, which holds
/// one lock for the whole life of the problem object it creates.
enum GLPKSession {
    private static let lock = NSLock()

    /// Creates a GLPK problem object, runs `body` with it while holding the process-wide GLPK lock,
    /// and deletes the object afterwards (also when `body` throws).
    /// - Throws: whatever `body` throws.
    static func run<T>(_ body: (LinearProgram) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        glp_term_out(GLP_OFF)
        guard let raw = glp_create_prob() else { fatalError("glp_create_prob failed (out of memory)") }
        defer { glp_delete_prob(raw) }
        return try body(LinearProgram(raw))
    }
}

/// A thin, non-escaping view of a GLPK problem object (valid only inside `GLPKSession.run`).
struct LinearProgram {
    /// The `glp_prob *`.
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }

    /// Row bound kinds (GLPK's GLP_FR, GLP_LO, GLP_UP, GLP_FX).
    enum Bound {
        case free, lower(Double), upper(Double), fixed(Double)
        var glpk: (Int32, Double, Double) {
            switch self {
            case .free: return (GLP_FR, 0, 0)
            case let .lower(v): return (GLP_LO, v, 0)
            case let .upper(v): return (GLP_UP, 0, v)
            case let .fixed(v): return (GLP_FX, v, v)
            }
        }
    }

    /// Adds `rows` rows and `columns` columns (GLPK indices are 1-based).
    func resize(rows: Int, columns: Int) {
        glp_add_rows(raw, Int32(rows))
        glp_add_cols(raw, Int32(columns))
    }

    /// Sets the bounds of row `i` (1-based).
    func setRow(_ i: Int, _ b: Bound) {
        let (k, lo, up) = b.glpk
        glp_set_row_bnds(raw, Int32(i), k, lo, up)
    }

    /// Sets the bounds of column `j` (1-based).
    func setColumn(_ j: Int, _ b: Bound) {
        let (k, lo, up) = b.glpk
        glp_set_col_bnds(raw, Int32(j), k, lo, up)
    }

    /// Sets the objective direction (minimise when `minimize`).
    func setDirection(minimize: Bool) {
        glp_set_obj_dir(raw, minimize ? GLP_MIN : GLP_MAX)
    }

    /// Sets the objective coefficient of column `j` (1-based).
    func setObjective(_ j: Int, _ c: Double) {
        glp_set_obj_coef(raw, Int32(j), c)
    }

    /// Loads the constraint matrix from (row, column, value) triplets with 1-based indices.
    func load(_ triplets: [(Int, Int, Double)]) {
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        ia.reserveCapacity(triplets.count + 1)
        ja.reserveCapacity(triplets.count + 1)
        ar.reserveCapacity(triplets.count + 1)
        for (i, j, v) in triplets where v != 0 {
            ia.append(Int32(i)); ja.append(Int32(j)); ar.append(v)
        }
        glp_load_matrix(raw, Int32(ia.count - 1), ia, ja, ar)
    }

    /// Runs the primal simplex method (tight tolerances, no presolve, silent; warm-starts from the
    /// current basis when it is valid) and requires an optimal solution.
    /// - Parameter what: a description for error messages.
    /// - Throws: `AlignmentCoreError.linearProgram` when GLPK fails or the LP is not solved to optimality.
    func simplex(_ what: String) throws {
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.tol_bnd = 1e-10
        parm.tol_dj = 1e-10
        parm.presolve = GLP_OFF
        let rc = glp_simplex(raw, &parm)
        guard rc == 0 else {
            throw AlignmentCoreError.linearProgram("\(what): glp_simplex returned code \(rc)")
        }
        let status = glp_get_status(raw)
        guard status == GLP_OPT else {
            throw AlignmentCoreError.linearProgram("\(what): the LP is not solved to optimality (GLPK status \(status))")
        }
    }

    /// The primal value of column `j` (1-based).
    func columnValue(_ j: Int) -> Double { glp_get_col_prim(raw, Int32(j)) }

    /// The objective value.
    var objectiveValue: Double { glp_get_obj_val(raw) }
}
