// swift-tools-version:5.9
// MarketLab: one binary hosting Lua 5.4 with tensors, autograd and marketing analytics.
import PackageDescription

// Hot paths (kernels, the bridge) skip dynamic exclusivity checks: they showed up as a
// fifth of the per-op cost of small tensor operations.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "MarketLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "marketlab", targets: ["marketlab"]),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // C frames only: the interrupt flag, and the Lua call trampoline.
        .target(name: "CInterrupt"),
        .target(name: "LuaShim", dependencies: ["CLua", "CInterrupt"]),
        // The core: never imports Lua.
        .target(name: "TensorKit", dependencies: ["CBLAS", "CInterrupt"], swiftSettings: fast),
        .target(name: "NNKit", dependencies: ["TensorKit"], swiftSettings: fast),
        .target(name: "OptimKit", dependencies: ["TensorKit"], swiftSettings: fast),
        .target(name: "DataKit", dependencies: ["TensorKit", "CSQLite", "CInterrupt", "CBLAS"], swiftSettings: fast),
        // AnalyticsKit joins here with its issue.
        // Charts (SVG and terminal text) and self-contained HTML reports.
        .target(name: "PlotKit", dependencies: ["TensorKit", "DataKit"]),
        // The only code that touches lua_State.
        .target(name: "LuaBridge",
                dependencies: ["CLua", "LuaShim", "CInterrupt", "TensorKit", "NNKit", "OptimKit", "DataKit", "PlotKit"], swiftSettings: fast),
        .target(name: "MarketLabCLI",
                dependencies: ["LuaBridge", "TensorKit", "CEdit", "CInterrupt"]),
        .executableTarget(name: "marketlab", dependencies: ["MarketLabCLI"]),

        .testTarget(name: "TensorKitTests", dependencies: ["TensorKit"]),
        .testTarget(name: "DataKitTests", dependencies: ["DataKit"]),
        .testTarget(name: "PlotKitTests", dependencies: ["PlotKit", "DataKit"]),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "MarketLabCLI"]),
        .testTarget(name: "MarketLabCLITests", dependencies: ["MarketLabCLI"]),
    ]
)
