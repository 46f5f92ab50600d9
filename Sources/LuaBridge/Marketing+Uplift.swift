/// marketing: the uplift part (Swift functions and the Lua chunk "=marketlab.marketing.uplift").
extension MarketingBindings {
    static func registerUplift(_ lib: Library) {}
}

let marketingUpliftSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
"""#
