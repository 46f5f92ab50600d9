import TensorKit

/// One 0/1 number column per category, as scikit-learn's OneHotEncoder: categories
/// sorted, outputs named `<col>_<category>` and inserted where the column stood. A missing
/// value is a category of its own (`<col>_nan`, last). Rare categories (fewer rows than
/// `min_frequency`, or beyond `max_categories`) share one column, `<col>_infrequent`
/// (scikit-learn calls it `<col>_infrequent_sklearn`), placed last. `drop` leaves out the
/// first column ("first") or the first of two ("if_binary").
public final class OneHotEncoder: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("handle_unknown", .string("error")),   // "error", "ignore" (all zeros), "infrequent_if_exist"
        ("min_frequency", .null),               // a count (>= 1) or a fraction of the rows in (0, 1)
        ("max_categories", .null),              // at most this many outputs, the infrequent one included
        ("drop", .null),                        // nil, "first" or "if_binary"
    ]
    static let unknownChoices = ["error", "ignore", "infrequent_if_exist"]
    /// The most 0/1 cells one column may expand to (dense columns: 16 bytes a cell).
    static let maximumCells = 20_000_000

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let handleUnknown: String
    let minFrequency: Double?
    let maxCategories: Int?
    let drop: String?

    /// What fit learns for one column: its categories, which of them are infrequent, and
    /// which output slot is dropped (an index after grouping the infrequent ones).
    struct Encoding {
        let categories: Categories
        let infrequent: [Int]
        let droppedSlot: Int?
        /// Output slot of each category: frequent ones in order, then the infrequent one.
        let slots: [Int]
        let slotCount: Int

        init(categories: Categories, infrequent: [Int], droppedSlot: Int?) {
            self.categories = categories
            self.infrequent = infrequent
            self.droppedSlot = droppedSlot
            let rare = Set(infrequent)
            var slots = [Int](repeating: 0, count: categories.count)
            var next = 0
            for i in 0..<categories.count where !rare.contains(i) { slots[i] = next; next += 1 }
            for i in infrequent { slots[i] = next }
            self.slots = slots
            slotCount = next + (infrequent.isEmpty ? 0 : 1)
        }

        var infrequentSlot: Int? { infrequent.isEmpty ? nil : slotCount - 1 }
    }
    var encodings: [Encoding] = []

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        handleUnknown = try o["handle_unknown"].choice(Self.unknownChoices)
        if o["min_frequency"].isNull { minFrequency = nil } else {
            let v = try o["min_frequency"].double()
            guard (v > 0 && v < 1) || (v >= 1 && v == v.rounded()) else {
                throw o["min_frequency"].failure("must be a count of rows (1 or more) or a fraction in (0, 1), got \(v)")
            }
            minFrequency = v
        }
        if o["max_categories"].isNull { maxCategories = nil } else {
            let v = try o["max_categories"].integer()
            guard v >= 1 else { throw o["max_categories"].failure("must be 1 or more, got \(v)") }
            maxCategories = v
        }
        drop = o["drop"].isNull ? nil : try o["drop"].choice(["first", "if_binary"])
        self.columns = columns
        self.options = o.all
    }

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        encodings = try inputs.map { column in
            let (categories, codes) = try Categories.fit(column, op: op)
            var counts = [Int](repeating: 0, count: categories.count)
            for code in codes { counts[code] += 1 }
            let infrequent = infrequentCategories(counts, rows: column.count)
            let grouped = Encoding(categories: categories, infrequent: infrequent, droppedSlot: nil)
            let dropped: Int? = switch drop {
            case "first": grouped.slotCount > 0 ? 0 : nil
            case "if_binary": grouped.slotCount == 2 ? 0 : nil
            default: nil
            }
            return Encoding(categories: categories, infrequent: infrequent, droppedSlot: dropped)
        }
    }

    /// The indices of the infrequent categories, as scikit-learn picks them: fewer rows
    /// than min_frequency, then the least frequent beyond max_categories - 1 (a stable
    /// sort by count, so ties go to the earlier category).
    func infrequentCategories(_ counts: [Int], rows: Int) -> [Int] {
        var rare = [Bool](repeating: false, count: counts.count)
        if let minFrequency {
            let threshold = minFrequency >= 1 ? minFrequency : minFrequency * Double(rows)
            for (i, c) in counts.enumerated() where Double(c) < threshold { rare[i] = true }
        }
        let outputs = counts.count - rare.filter { $0 }.count + 1
        if let maxCategories, maxCategories < outputs {
            let keep = maxCategories - 1
            let ascending = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] < counts[$1] : $0 < $1 }
            for i in ascending.dropLast(keep) { rare[i] = true }
        }
        return rare.indices.filter { rare[$0] }
    }

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let e = encodings[index]
        let codes = try e.categories.codes(column, op: op)
        guard e.slotCount * codes.count <= Self.maximumCells else {
            throw TensorError("\(op): column '\(column.name)' has \(e.categories.count) categories; one-hot encoding \(codes.count) rows would make \(e.slotCount * codes.count) cells. Group rare ones ({min_frequency = ...} or {max_categories = ...}) or use data.TargetEncoder")
        }
        var outputs = [[Double?]](repeating: [Double?](repeating: 0, count: codes.count), count: e.slotCount)
        for (row, code) in codes.enumerated() {
            var slot: Int
            if let code { slot = e.slots[code] } else {
                switch handleUnknown {
                case "ignore": continue
                case "infrequent_if_exist":
                    guard let s = e.infrequentSlot else { continue }
                    slot = s
                default: throw unknownValue(column, row: row, e.categories, op: op)
                }
            }
            if slot != e.droppedSlot { outputs[slot][row] = 1 }
        }
        let names = outputNames(index)
        let kept = (0..<e.slotCount).filter { $0 != e.droppedSlot }
        return zip(kept, names).map { slot, name in Column(name: name, values: .number(outputs[slot])) }
    }

    func unknownValue(_ column: Column, row: Int, _ categories: Categories, op: String) -> TensorError {
        let value = column.labels[row].map { "category '\($0)'" } ?? "missing value"
        return TensorError("\(op): column '\(column.name)' has a \(value) (row \(row + 1)) that was not seen during fit; known categories: \(categories.preview). Pass {handle_unknown = \"ignore\"} to encode unseen values as all zeros")
    }

    public func outputNames(_ index: Int) -> [String] {
        let e = encodings[index]
        let rare = Set(e.infrequent)
        var names = (0..<e.categories.count).filter { !rare.contains($0) }.map { "\(columns[index])_\(e.categories.name($0))" }
        if !rare.isEmpty { names.append("\(columns[index])_infrequent") }
        if let d = e.droppedSlot, d < names.count { names.remove(at: d) }
        return names
    }

    public var attributeNames: [String] { ["categories_", "infrequent_categories_"] }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        return [("categories_", .array(encodings.map { $0.categories.values })),
                ("infrequent_categories_", .array(encodings.map { e in .array(e.infrequent.map { e.categories.value($0) }) }))]
    }

    public var fitted: JSONValue {
        .object([("columns", .array(encodings.map { e in
            .object([("categories", e.categories.json), ("infrequent", .array(e.infrequent.map { .integer(Int64($0)) })),
                     ("drop", e.droppedSlot.map { .integer(Int64($0)) } ?? .null)])
        }))])
    }

    public func restore(_ fitted: JSONNode) throws {
        encodings = try perColumn(fitted).map { node in
            try node.checkKeys(["categories", "infrequent", "drop"])
            let categories = try Categories(json: try node.field("categories"))
            let infrequentNode = try node.field("infrequent")
            let infrequent = try infrequentNode.list().map { try $0.integer() }
            guard infrequent == Array(Set(infrequent)).sorted(), infrequent.allSatisfy({ $0 >= 0 && $0 < categories.count }) else {
                throw infrequentNode.failure("must list distinct category positions in order, each below \(categories.count)")
            }
            let grouped = Encoding(categories: categories, infrequent: infrequent, droppedSlot: nil)
            var dropped: Int? = nil
            if let dropNode = try node.optionalField("drop") {
                let d = try dropNode.integer()
                guard d >= 0 && d < grouped.slotCount else { throw dropNode.failure("must be an output position below \(grouped.slotCount), got \(d)") }
                dropped = d
            }
            return Encoding(categories: categories, infrequent: infrequent, droppedSlot: dropped)
        }
    }
}
