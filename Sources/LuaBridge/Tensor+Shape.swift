import CLua
import TensorKit

/// Attributes, views, indexing and conversions as Tensor methods.
enum TensorShape {
    static func register(_ lib: Library) {
        lib.function("size", "The shape as a table, or the size of one dimension: t:size(), t:size(1).", example: "torch.zeros(2, 3):size(2)") { a in
            let t = try a.tensor(1, "self")
            if !a.isNone(2) {
                let d = try t.normalizedDim(try a.dim(2), a.function)
                lua_pushinteger(a.L, lua_Integer(t.shape[d]))
                return 1
            }
            pushShape(a.L, t.shape)
            return 1
        }
        lib.function("dim", "Number of dimensions.", example: "torch.zeros(2, 3):dim()") { a in
            lua_pushinteger(a.L, lua_Integer(try a.tensor(1, "self").rank)); return 1
        }
        lib.function("numel", "Number of elements.", example: "torch.zeros(2, 3):numel()") { a in
            lua_pushinteger(a.L, lua_Integer(try a.tensor(1, "self").count)); return 1
        }
        lib.function("is_contiguous", "True when the elements are stored row-major without gaps.", example: "torch.zeros(2, 3):t():is_contiguous()") { a in
            lua_pushboolean(a.L, try a.tensor(1, "self").isContiguous ? 1 : 0); return 1
        }
        let shapeOps: [(String, String, (Tensor, [Int]) throws -> Tensor)] = [
            ("view", "A view with a new shape (one size may be -1) sharing storage; needs a contiguous tensor.", { try $0.view($1) }),
            ("reshape", "The same values in a new shape (one size may be -1); a view when possible, a copy otherwise.", { try $0.reshape($1) }),
            ("expand", "A view stretching size-1 dimensions to the given sizes (-1 keeps a size) without copying.", { try $0.expand($1) }),
            ("repeat_", "Tiles the tensor: t:repeat_(2, 1) repeats rows twice (PyTorch's repeat; Lua reserves the word).", { try $0.repeated($1) }),
        ]
        for (name, doc, op) in shapeOps {
            lib.function(name, doc, example: name == "expand" ? "torch.ones(3, 1):expand(3, 4)" : "torch.arange(6):\(name)(2, 3)") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "self"), try a.shape(from: 2)))
            }
        }
        lib.function("permute", "A view with dimensions reordered: t:permute(2, 1, 3) (1-based).", example: "torch.zeros(2, 3, 4):permute(3, 1, 2)") { a in
            let dims = try a.shape(from: 2, "dims").map { d -> Int in
                guard d != 0 else { throw LuaScriptError("\(a.function): dimensions are 1-based, got 0 (use 1 for the first dimension, -1 for the last)") }
                return d > 0 ? d - 1 : d
            }
            return Tensors.push(a.L, try a.tensor(1, "self").permute(dims))
        }
        lib.function("transpose", "A view with two dimensions swapped: t:transpose(1, 2).", example: "torch.zeros(2, 3):transpose(1, 2)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").transpose(try a.dim(2, "dim0"), try a.dim(3, "dim1")))
        }
        lib.function("t", "Transpose of a 2-D tensor (a view); 1-D tensors come back unchanged.", example: "torch.zeros(2, 3):t()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").t())
        }
        lib.function("flatten", "The tensor as 1-D, or dims start..end merged: t:flatten([start [, end]]).", example: "torch.zeros(2, 3, 4):flatten(2)") { a in
            let t = try a.tensor(1, "self")
            return Tensors.push(a.L, try t.flatten(startDim: try a.optionalDim(2, "start_dim") ?? 0, endDim: try a.optionalDim(3, "end_dim") ?? -1))
        }
        lib.function("squeeze", "A view without size-1 dimensions (or only dim).", example: "torch.zeros(2, 1, 3):squeeze()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").squeeze(try a.optionalDim(2)))
        }
        lib.function("unsqueeze", "A view with a new size-1 dimension at dim (1-based; -1 appends).", example: "torch.zeros(3):unsqueeze(1)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").unsqueeze(try a.dim(2)))
        }
        lib.function("contiguous", "Itself when contiguous, else a contiguous copy.", example: "torch.zeros(2, 3):t():contiguous()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").contiguous())
        }
        lib.function("clone", "A copy with its own storage (recorded for autograd).", example: "torch.ones(2):clone()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").clone())
        }
        lib.function("select", "The slice at 1-based index i along dim, removing that dim (a view): t:select(dim, i).", example: "torch.arange(6):view(2, 3):select(2, 1)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").select(try a.dim(2), try index(a, 3)))
        }
        lib.function("narrow", "The slice start..start+length-1 (1-based) along dim, as a view: t:narrow(dim, start, length).", example: "torch.arange(10):narrow(1, 3, 4)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").narrow(try a.dim(2), start: try index(a, 3), length: try a.integer(4, "length")))
        }
        lib.function("index_select", "Rows (or entries along dim) picked by a 1-based int64 index tensor: t:index_select(dim, idx).", example: "torch.arange(5):index_select(1, torch.tensor({5, 1}))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").indexSelect(try a.dim(2), try oneBasedIndex(a, 3), base: 1))
        }
        lib.function("gather", "Values picked along dim by a 1-based int64 index tensor of the same rank: out[i][j] = t[idx[i][j]][j] for dim 1.", example: "torch.tensor({{1, 2}, {3, 4}}):gather(2, torch.tensor({{2}, {1}}))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").gather(try a.dim(2), try zeroBased(a, 3)))
        }
        lib.function("masked_select", "The elements where mask (bool, broadcast) is true, as 1-D.", example: "local t = torch.tensor({1, 5, 3}); t:masked_select(t:gt(2))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").maskedSelect(try a.tensor(2, "mask")))
        }
        lib.function("nonzero", "1-based coordinates of the nonzero elements, one row each ([n, dims], int64).", example: "torch.tensor({0, 3, 0, 4}):nonzero()") { a in
            try TensorReductions.pushIndices(a.L, try a.tensor(1, "self").nonzero())
        }
        lib.function("split", "Pieces along dim (default 1), as a Lua list of views: t:split(size) cuts pieces of `size` (the last may be smaller), t:split({1, 3}) pieces of the listed sizes.", example: "torch.arange(5):split(2)") { a in
            let t = try a.tensor(1, "self")
            let dim = try a.optionalDim(3) ?? 0
            if a.type(2) == LUA_TTABLE { return Tensors.pushList(a.L, try t.split(sizes: try a.integerList(2, "split_sizes"), dim: dim)) }
            return Tensors.pushList(a.L, try t.split(try a.integer(2, "split_size"), dim: dim))
        }
        lib.function("chunk", "n nearly equal pieces along dim (default 1), as a Lua list of views.", example: "torch.arange(6):chunk(3)") { a in
            let t = try a.tensor(1, "self")
            return Tensors.pushList(a.L, try t.chunk(try a.integer(2, "chunks"), dim: try a.optionalDim(3) ?? 0))
        }
        let conversions: [(String, DType)] = [("float", .float32), ("double", .float64), ("long", .int64), ("bool", .bool)]
        for (name, dtype) in conversions {
            lib.function(name, "The tensor as \(dtype.rawValue) (itself when it already is).", example: "torch.tensor({1, 2}):\(name)()") { a in
                Tensors.push(a.L, try a.tensor(1, "self").to(dtype))
            }
        }
        lib.function("to", "The tensor converted to a dtype: t:to(\"float64\").", example: "torch.tensor({1, 2}):to(\"float64\")") { a in
            let t = try a.tensor(1, "self")
            let name = try a.string(2, "dtype")
            guard let dtype = DType.named(name) else {
                throw LuaScriptError("\(a.function): unknown dtype '\(name)'\(didYouMean(name, DType.allCases.map(\.rawValue))); valid: float32, float64, int64, bool")
            }
            return Tensors.push(a.L, try t.to(dtype))
        }
        lib.function("type", "The dtype name (\"float32\", ...), like t.dtype.", example: "torch.ones(1):type()") { a in
            lua_pushstring(a.L, try a.tensor(1, "self").dtype.rawValue); return 1
        }
        lib.function("item", "The value of a one-element tensor as a Lua number (integer for int64, boolean for bool).", example: "torch.tensor({3.5}):item()") { a in
            let t = try a.tensor(1, "self")
            _ = try t.item()
            Tensors.pushScalar(a.L, t, position: t.elementOffsets()[0])
            return 1
        }
        lib.function("tolist", "The values as nested Lua tables (a number for a 0-d tensor).", example: "torch.eye(2):tolist()") { a in
            Tensors.pushList(a.L, values: try a.tensor(1, "self"))
            return 1
        }
    }

    /// A 1-based Lua index (negative from the end) as 0-based; the size check is the core's.
    static func index(_ a: Arguments, _ i: Int32) throws -> Int {
        let v = try a.integer(i, "index")
        guard v != 0 else { throw LuaScriptError("\(a.function): bad argument #\(i) (index): indices are 1-based, got 0") }
        return v > 0 ? v - 1 : v
    }

    /// Argument `i`: an int64 tensor of 1-based indices.
    static func oneBasedIndex(_ a: Arguments, _ i: Int32) throws -> Tensor {
        let t = try a.tensor(i, "index")
        guard t.dtype == .int64 else { throw a.error(i, "index", expected: "an int64 tensor of 1-based indices") }
        return t
    }

    /// A 1-based int64 index tensor converted to 0-based.
    static func zeroBased(_ a: Arguments, _ i: Int32) throws -> Tensor {
        try oneBasedIndex(a, i).sub(Tensor.number(1, isInteger: true))
    }

    static func pushShape(_ L: OpaquePointer, _ shape: [Int]) {
        lua_createtable(L, Int32(shape.count), 0)
        for (i, s) in shape.enumerated() {
            lua_pushinteger(L, lua_Integer(s))
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }
}
