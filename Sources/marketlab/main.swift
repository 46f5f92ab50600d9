import Foundation
import MarketLabCLI

exit(runMarketLab(Array(CommandLine.arguments.dropFirst())))
