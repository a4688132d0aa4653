import Foundation
import ResultFiles

/// Writing a figure's script or data file without following symbolic links: a plots directory
/// may be shared, and a link planted at `<id>.gp` or at the temporary file must not let a sweep
/// overwrite the file it points to.
enum FigureFile {
    /// Writes `text` to `url` atomically through `AtomicFile` (temporary file `.<name>.tmp`
    /// created with `O_CREAT | O_EXCL | O_NOFOLLOW`, synced and renamed over `url`).
    /// - Throws: `FiguresError.writeFailed` naming the path — "is a symbolic link; refusing to write
    ///   through it" when `url` or the temporary file is a link, or the system's reason. The
    ///   temporary file is removed.
    static func write(_ text: String, to url: URL) throws {
        do { try AtomicFile.write(Array(text.utf8), to: url) } catch let ResultFilesError.io(path, message) {
            throw FiguresError.writeFailed(path: path, reason: message)
        }
    }
}
