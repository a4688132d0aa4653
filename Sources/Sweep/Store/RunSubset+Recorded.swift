import Foundation

extension RunSubset {
    /// The selection given as text (`RunSubset.text`: "algorithm=a,b;environment=e"; empty text
    /// for the whole spec).
    /// - Throws: `SweepError.usage` when a part is malformed (see `add(_:)`).
    public init(text: String) throws {
        self.init()
        for part in text.split(separator: ";") { try add(String(part)) }
    }

    /// The selection a results directory's runs were made with: the manifest's "only" member when
    /// there is a manifest, else the header of the first journal that has one (shards record it
    /// before any merge), else the whole spec. Commands that read a directory (`bench merge`,
    /// `status`, `summarize`) restrict the spec with it, so they plan what the sweep planned.
    /// - Parameter directory: the results directory.
    /// - Throws: `SweepError.store` when the recorded selection is malformed.
    /// - Complexity: O(size of the manifest) plus the first line of at most every journal.
    public static func recorded(in directory: URL) throws -> RunSubset {
        do {
            if let manifest = RecordedManifest.previous(in: directory) {
                return try RunSubset(manifestMember: manifest[.only])
            }
            for name in [ResultStore.journalName] + ShardJournals.names(in: directory) {
                if let header = Self.firstLineHeader(directory.appendingPathComponent(name)) { return try RunSubset(text: header.only) }
            }
            return RunSubset()
        } catch let SweepError.usage(message) {
            throw SweepError.store("\(directory.path): the recorded --only selection is malformed (\(message))")
        }
    }

    /// The selection of a manifest's "only" member (absent or null: the whole spec).
    init(manifestMember v: JSONValue?) throws {
        self.init()
        guard let v else { return }
        if case .null = v { return }
        for d in Dimension.allCases {
            guard let items = v[d.rawValue]?.arrayElements else { continue }
            let strings = items.compactMap(\.stringValue)
            guard strings.count == items.count, !strings.isEmpty else { throw SweepError.usage("\"only\".\(d.rawValue) is not an array of strings") }
            try add(d.rawValue + "=" + strings.joined(separator: ","))
        }
    }

    /// The header of a journal's first line (read in blocks of at most 64 KiB), nil when absent.
    private static func firstLineHeader(_ url: URL) -> JournalHeader? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 16),
              let nl = data.firstIndex(of: UInt8(ascii: "\n")),
              let value = try? JSONParser.parse(String(decoding: data[data.startIndex..<nl], as: UTF8.self), file: url.path)
        else { return nil }
        return JournalHeader(json: value)
    }
}
