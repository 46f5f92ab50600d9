/// marketing: the score part (Swift functions and the Lua chunk "=marketlab.marketing.score").
extension MarketingBindings {
    static func registerScore(_ lib: Library) {}
}

let marketingScoreSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
"""#
