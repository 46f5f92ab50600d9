import CLua
import DataKit
import TensorKit

/// data.train_test_split, data.kfold and data.time_split.
enum DataSplits {
    static let sample = DataFrames.sample

    static func register(_ lib: Library) {
        lib.function("train_test_split", "Splits a Frame's rows into train and test frames: data.train_test_split(df, {test_size = 0.25, seed, stratify = \"column\"}). test_size is a fraction (rounded up, as scikit-learn) or a row count; stratify keeps each class's share in both parts; a seed repeats the split.",
                     example: sample + "local train, test = data.train_test_split(df, {test_size = 0.5, seed = 1}); print(#train, #test)") { a in
            guard let df = DataFrames.frameType.get(a.L, 1) else { throw a.error(1, "frame", expected: "a Frame") }
            let o = try a.options(2, allowed: ["test_size", "seed", "stratify"])
            let strata = try o.string("stratify").map { try df.requireColumn($0, a.function).labels }
            let (train, test) = try Splits.trainTest(rows: df.rowCount, testSize: try o.number("test_size") ?? 0.25,
                                                     seed: try o.integer("seed").map { UInt64(bitPattern: Int64($0)) }, strata: strata)
            DataFrames.frameType.push(a.L, try df.take(train))
            DataFrames.frameType.push(a.L, try df.take(test))
            return 2
        }
        lib.function("kfold", "k folds of n rows for cross-validation: data.kfold(n, {k = 5, seed, stratify = labels}) returns a list of {train = ..., test = ...} with 1-based int64 row-index tensors. Without a seed folds are contiguous; stratify (a Column or Lua list of labels) deals each class across the folds.",
                     example: "for i, fold in ipairs(data.kfold(10, {k = 5, seed = 1})) do print(i, fold.test:numel()) end") { a in
            let n = try a.integer(1, "n")
            let o = try a.options(2, allowed: ["k", "seed", "stratify"])
            var strata: [String?]? = nil
            if o.has("stratify") {
                lua_pushstring(a.L, "stratify")
                lua_rawget(a.L, 2)
                defer { ml_pop(a.L, 1) }
                if let c = DataFrames.columnType.get(a.L, -1) { strata = c.labels }
                else if lua_type(a.L, -1) == LUA_TTABLE {
                    var labels: [String?] = []
                    let count = lua_rawlen(a.L, -1)
                    if count > 0 {
                        for i in 1...Int64(count) {
                            lua_rawgeti(a.L, -1, i)
                            labels.append(lua_type(a.L, -1) == LUA_TNIL ? nil : (ml_tostring(a.L, -1).map { String(cString: $0) }))
                            ml_pop(a.L, 1)
                        }
                    }
                    strata = labels
                } else {
                    throw LuaScriptError("\(a.function): option 'stratify' must be a Column or a list of labels")
                }
                guard strata!.count == n else {
                    throw LuaScriptError("\(a.function): stratify has \(strata!.count) labels for \(n) rows")
                }
            }
            let folds = try Splits.kfold(rows: n, k: try o.integer("k") ?? 5, seed: try o.integer("seed").map { UInt64(bitPattern: Int64($0)) }, strata: strata)
            lua_createtable(a.L, Int32(folds.count), 0)
            for (f, fold) in folds.enumerated() {
                lua_createtable(a.L, 0, 2)
                _ = Tensors.push(a.L, Tensor(fold.train.map { Int64($0 + 1) }, shape: [fold.train.count]))
                lua_setfield(a.L, -2, "train")
                _ = Tensors.push(a.L, Tensor(fold.test.map { Int64($0 + 1) }, shape: [fold.test.count]))
                lua_setfield(a.L, -2, "test")
                lua_rawseti(a.L, -2, lua_Integer(f + 1))
            }
            return 1
        }
        lib.function("from_tensor", "A Frame from a 2-D tensor and a list of column names: data.from_tensor(t, {\"a\", \"b\"}).", example: "print(data.from_tensor(torch.randn(3, 2), {\"x\", \"y\"}))") { a in
            let t = try a.tensor(1, "tensor")
            DataFrames.frameType.push(a.L, try Frame.from(tensor: t, names: try a.stringList(2, "names")))
            return 1
        }
        lib.function("time_split", "Splits rows in time: data.time_split(df, {column, cutoff}) returns the rows before cutoff (train) and the rest (test); for YYYYMMDD integer dates give the cutoff the same way (19980101).",
                     example: "local p = os.tmpname(); local f = io.open(p, 'w'); f:write('day,sales\\n19970101,3\\n19980201,5\\n'); f:close(); local before, after = data.time_split(data.read_csv(p), {column = 'day', cutoff = 19980101}); print(#before, #after)") { a in
            guard let df = DataFrames.frameType.get(a.L, 1) else { throw a.error(1, "frame", expected: "a Frame") }
            let o = try a.options(2, allowed: ["column", "cutoff"])
            guard let name = try o.string("column") else { throw LuaScriptError("\(a.function): option 'column' is required") }
            guard let cutoff = try o.number("cutoff") else { throw LuaScriptError("\(a.function): option 'cutoff' is required (a number)") }
            let (train, test) = try Splits.time(try df.requireColumn(name, a.function), cutoff: cutoff)
            DataFrames.frameType.push(a.L, try df.take(train))
            DataFrames.frameType.push(a.L, try df.take(test))
            return 2
        }
    }
}
