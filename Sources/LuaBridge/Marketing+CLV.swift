/// marketing: the clv part (Swift functions and the Lua chunk "=marketlab.marketing.clv").
extension MarketingBindings {
    static func registerCLV(_ lib: Library) {}
}

let marketingCLVSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
"""#
