/// marketing: the ab_test part (Swift functions and the Lua chunk "=marketlab.marketing.ab_test").
extension MarketingBindings {
    static func registerABTest(_ lib: Library) {}
}

let marketingABTestSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
"""#
