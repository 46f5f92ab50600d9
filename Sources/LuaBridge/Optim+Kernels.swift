import CLua
import OptimKit
import TensorKit

/// The fused update kernels behind optim's optimizers (the Lua classes in
/// Optim+Lua.swift keep parameter groups and state; these do the arithmetic in place).
enum OptimKernels {
    static func optionalTensor(_ a: Arguments, _ i: Int32, _ name: String) throws -> Tensor? {
        a.isNone(i) || a.type(i) == LUA_TNIL ? nil : try a.tensor(i, name)
    }

    static func register(_ lib: Library) {
        lib.function("_sgd_update", "Internal: SGD's update of one parameter in place: (p, grad, momentum_buffer|nil, first_step, lr, momentum, dampening, weight_decay, nesterov).",
                     example: "local p = torch.ones(2); optim._sgd_update(p, torch.ones(2), nil, true, 0.1, 0, 0, 0, false)") { a in
            try Updates.sgd(try a.tensor(1, "param"), try a.tensor(2, "grad"), momentumBuffer: try optionalTensor(a, 3, "momentum_buffer"),
                            firstStep: try a.boolean(4, "first_step"), lr: try a.number(5, "lr"), momentum: try a.number(6, "momentum"),
                            dampening: try a.number(7, "dampening"), weightDecay: try a.number(8, "weight_decay"), nesterov: try a.boolean(9, "nesterov"))
            return 0
        }
        lib.function("_adam_update", "Internal: Adam's (or AdamW's) update of one parameter in place: (p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq|nil, step, lr, beta1, beta2, eps, weight_decay, decoupled).",
                     example: "local p = torch.ones(2); optim._adam_update(p, torch.ones(2), torch.zeros(2), torch.zeros(2), nil, 1, 0.1, 0.9, 0.999, 1e-8, 0, false)") { a in
            try Updates.adam(try a.tensor(1, "param"), try a.tensor(2, "grad"), expAvg: try a.tensor(3, "exp_avg"), expAvgSq: try a.tensor(4, "exp_avg_sq"),
                             maxExpAvgSq: try optionalTensor(a, 5, "max_exp_avg_sq"), step: try a.integer(6, "step"), lr: try a.number(7, "lr"),
                             beta1: try a.number(8, "beta1"), beta2: try a.number(9, "beta2"), eps: try a.number(10, "eps"),
                             weightDecay: try a.number(11, "weight_decay"), decoupled: try a.boolean(12, "decoupled"))
            return 0
        }
        lib.function("_rmsprop_update", "Internal: RMSprop's update of one parameter in place: (p, grad, square_avg, grad_avg|nil, momentum_buffer|nil, lr, alpha, eps, weight_decay, momentum).",
                     example: "local p = torch.ones(2); optim._rmsprop_update(p, torch.ones(2), torch.zeros(2), nil, nil, 0.01, 0.99, 1e-8, 0, 0)") { a in
            try Updates.rmsprop(try a.tensor(1, "param"), try a.tensor(2, "grad"), squareAvg: try a.tensor(3, "square_avg"),
                                gradAvg: try optionalTensor(a, 4, "grad_avg"), momentumBuffer: try optionalTensor(a, 5, "momentum_buffer"),
                                lr: try a.number(6, "lr"), alpha: try a.number(7, "alpha"), eps: try a.number(8, "eps"),
                                weightDecay: try a.number(9, "weight_decay"), momentum: try a.number(10, "momentum"))
            return 0
        }
        lib.function("_adagrad_update", "Internal: Adagrad's update of one parameter in place: (p, grad, sum, step, lr, lr_decay, eps, weight_decay).",
                     example: "local p = torch.ones(2); optim._adagrad_update(p, torch.ones(2), torch.zeros(2), 1, 0.01, 0, 1e-10, 0)") { a in
            try Updates.adagrad(try a.tensor(1, "param"), try a.tensor(2, "grad"), sum: try a.tensor(3, "sum"), step: try a.integer(4, "step"),
                                lr: try a.number(5, "lr"), lrDecay: try a.number(6, "lr_decay"), eps: try a.number(7, "eps"),
                                weightDecay: try a.number(8, "weight_decay"))
            return 0
        }
    }
}
