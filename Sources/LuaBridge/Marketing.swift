import CLua

/// The `marketing` namespace's Swift functions; each analysis registers its own part
/// (Marketing+Clustering.swift, Marketing+ABTest.swift, Marketing+CLV.swift,
/// Marketing+Uplift.swift, Marketing+Score.swift). Their Lua parts are the chunks named
/// in `marketingChunks`.
enum MarketingBindings {
    static func register(_ L: OpaquePointer) {
        ml_getglobal(L, "marketing")
        let lib = Library(L, table: -1, prefix: "marketing.")
        registerClustering(lib)
        registerABTest(lib)
        registerCLV(lib)
        registerUplift(lib)
        registerScore(lib)
        ml_pop(L, 1)
    }

    /// The globals every marketing chunk receives, in this order, followed by
    /// `document`, `did_you_mean` and `is_terminal` (see Runtime.installLuaLibraries).
    static let chunkGlobals = ["torch", "nn", "optim", "data", "metrics", "marketing", "plot"]

    /// (chunk name, source) of the Lua parts, run after the Swift functions are registered.
    static let chunks: [(String, String)] = [
        ("=marketlab.marketing.clustering", marketingClusteringSource),
        ("=marketlab.marketing.ab_test", marketingABTestSource),
        ("=marketlab.marketing.clv", marketingCLVSource),
        ("=marketlab.marketing.uplift", marketingUpliftSource),
        ("=marketlab.marketing.score", marketingScoreSource),
    ]
}
