import Foundation

/// The safetensors file format: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and byte range, then the raw little-endian data.
/// Writes are atomic (temporary file, then rename).
public enum Safetensors {
    /// The largest header MarketLab accepts; anything bigger is a corrupt or hostile file.
    static let maxHeaderBytes = 100 * 1024 * 1024

    /// The safetensors library's dtype order (its enum order); tensors are laid out by
    /// descending rank, then name.
    static func rank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: return 0
        case .float32: return 1
        case .float64: return 2
        case .int64: return 3
        }
    }

    /// Writes named tensors byte for byte as PyTorch's safetensors writer does: data and
    /// header entries ordered by dtype rank (int64, float64, float32, bool) then name,
    /// `__metadata__` first, the header padded with spaces to a multiple of 8 bytes.
    public static func save(_ tensors: [(String, Tensor)], metadata: [String: String]? = nil, to path: String) throws {
        let ordered = tensors.sorted { a, b in
            rank(a.1.dtype) != rank(b.1.dtype) ? rank(a.1.dtype) > rank(b.1.dtype) : a.0 < b.0
        }
        var entries: [(String, String)] = []
        var offset = 0
        var blobs: [Data] = []
        for (name, tensor) in ordered {
            let t = try tensor.contiguous()
            let bytes = t.count * t.dtype.itemSize
            blobs.append(Data(bytes: t.storage.raw + t.offset * t.dtype.itemSize, count: bytes))
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append((name, "{\"dtype\":\"\(t.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}"))
            offset += bytes
        }
        var fields: [(String, String)] = []
        if let metadata, !metadata.isEmpty {
            let body = metadata.sorted { $0.key < $1.key }.map { "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))" }.joined(separator: ",")
            fields.append(("__metadata__", "{\(body)}"))
        }
        fields += entries
        var header = "{" + fields.map { "\(jsonQuoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        while header.utf8.count % 8 != 0 { header += " " }
        var file = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { file.append(contentsOf: $0) }
        file.append(header.data(using: .utf8)!)
        for blob in blobs { file.append(blob) }
        try AtomicFile.write(file, to: path)
    }

    /// Reads every tensor in a safetensors file, checking the header against the file size.
    public static func load(from path: String) throws -> (tensors: [(String, Tensor)], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError("torch.load: cannot read '\(path)' (no such file or not readable)")
        }
        func corrupt(_ why: String) -> TensorError {
            TensorError("torch.load: '\(path)' is not a valid safetensors file: \(why)")
        }
        guard data.count >= 8 else { throw corrupt("file is \(data.count) bytes, too short for the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(maxHeaderBytes) else {
            throw corrupt("header claims \(headerLength) bytes (limit \(maxHeaderBytes))")
        }
        guard 8 + Int(headerLength) <= data.count else {
            throw corrupt("header claims \(headerLength) bytes but the file has only \(data.count - 8) after the length")
        }
        let headerData = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let header = json as? [String: Any] else {
            throw corrupt("header is not a JSON object")
        }
        let dataStart = 8 + Int(headerLength)
        let available = data.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [(String, Tensor)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                for (k, v) in value as? [String: Any] ?? [:] { metadata[k] = "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw corrupt("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = DType.allCases.first(where: { $0.safetensorsName == dtypeName }) else {
                throw corrupt("tensor '\(name)' has dtype \(dtypeName); MarketLab reads F32, F64, I64 and BOOL")
            }
            guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1.0, { $0 * Double($1) }) < 1e12 else {
                throw corrupt("tensor '\(name)' has an invalid shape \(describeShape(shape))")
            }
            let count = shape.reduce(1, *)
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= available else {
                throw corrupt("tensor '\(name)' claims bytes \(begin)..<\(end) but the data section has \(available) bytes")
            }
            guard end - begin == count * dtype.itemSize else {
                throw corrupt("tensor '\(name)' of shape \(describeShape(shape)) and dtype \(dtypeName) needs \(count * dtype.itemSize) bytes, header gives \(end - begin)")
            }
            let t = Tensor(uninitialized: shape, dtype: dtype)
            data.withUnsafeBytes { raw in
                t.storage.raw.copyMemory(from: raw.baseAddress! + dataStart + begin, byteCount: end - begin)
            }
            if dtype == .bool {
                let p = t.storage.raw.assumingMemoryBound(to: UInt8.self)
                for i in 0..<count where p[i] > 1 { p[i] = 1 }
            }
            tensors.append((name, t))
        }
        return (tensors.sorted { $0.0 < $1.0 }, metadata)
    }
}

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped).
public func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// Writes a whole file or nothing: data goes to a temporary file in the same folder,
/// which is then renamed over the destination. A failed or interrupted write removes the
/// temporary file and leaves any existing destination untouched.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { file in
            try data.withUnsafeBytes { try file.write($0) }
        }
    }

    /// An open temporary file that `write(to:_:)` renames into place when the body returns.
    public final class Output {
        let fd: Int32
        let path: String

        init(fd: Int32, path: String) {
            self.fd = fd
            self.path = path
        }

        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TensorError("cannot write '\(path)': \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    /// Streams a file through `body`, then renames it over `path`.
    public static func write(to path: String, _ body: (Output) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TensorError("cannot write '\(path)': folder '\(folder)' does not exist")
        }
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TensorError("cannot write '\(path)': \(errno == EACCES ? "no permission to create files in '\(folder)'" : String(cString: strerror(errno)))")
        }
        do {
            try body(Output(fd: fd, path: path))
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TensorError("cannot write '\(path)': \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TensorError("cannot write '\(path)': \(reason)")
        }
    }
}
