import Foundation
import XCTest
@testable import TensorKit

final class SafetensorsTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("marketlab-\(UUID().uuidString)-\(name)").path
    }

    func testRoundTripAllDtypes() throws {
        let path = temporaryPath("round.safetensors")
        defer { unlink(path) }
        let tensors: [(String, Tensor)] = [
            ("a", Tensor([1.5, -2] as [Float], shape: [2])), ("b", Tensor([3.25] as [Double], shape: [1, 1])),
            ("c", Tensor([Int64.max, -1], shape: [2])), ("d", Tensor([true, false, true], shape: [3])),
        ]
        try Safetensors.save(tensors, to: path)
        let (loaded, _) = try Safetensors.load(from: path)
        XCTAssertEqual(loaded.map(\.0), ["a", "b", "c", "d"])
        for ((_, original), (_, back)) in zip(tensors, loaded) {
            XCTAssertEqual(original.dtype, back.dtype)
            XCTAssertEqual(original.shape, back.shape)
            XCTAssertEqual(original.toDoubles(), back.toDoubles())
        }
        XCTAssertEqual(loaded[2].1.toInts(), [Int64.max, -1])
    }

    func testRejectsHeaderClaimingTerabytes() throws {
        let path = temporaryPath("huge.safetensors")
        defer { unlink(path) }
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes[5] = 0x10   // 2^44 bytes of header
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsError(try Safetensors.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("header claims"), "\(error)")
        }
    }

    func testReadsFileWrittenByPyTorch() throws {
        let (loaded, _) = try Safetensors.load(from: fixtures.appendingPathComponent("pytorch.safetensors").path)
        XCTAssertEqual(Set(loaded.map(\.0)), ["weight", "bias", "ids", "mask"])
    }
}
