/// marketing: the clustering part (Swift functions and the Lua chunk "=marketlab.marketing.clustering").
extension MarketingBindings {
    static func registerClustering(_ lib: Library) {}
}

let marketingClusteringSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
"""#
