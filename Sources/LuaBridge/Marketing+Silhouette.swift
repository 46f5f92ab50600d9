import CLua
import DataKit
import TensorKit

/// marketing.silhouette and marketing.silhouette_samples: how well separated a clustering
/// is, on DataKit's exact O(n²) kernel (`Silhouette`).
extension MarketingBindings {
    static let silhouetteDoc = "X is a tensor [n, d] or a Frame (its numeric columns, or those in {columns}), as given to marketing.kmeans; labels one cluster per row (a tensor, Column or list of integers, e.g. km.labels, or a text column such as rfm.segment). For each row, a is the mean Euclidean distance to the other rows of its cluster and b the smallest mean distance to the rows of another cluster; its coefficient is (b - a) / max(a, b), from -1 (closer to another cluster) to 1 (well inside its own), and 0 for a cluster of one row. There must be 2 <= clusters <= n - 1. Exact: every pair of rows, on all threads (about 3 s for 20,000 rows of 10 features on one core; {sample_size = 5000} is quicker)."

    static func registerSilhouette(_ lib: Library) {
        lib.function("silhouette", "The mean silhouette coefficient of a clustering (scikit-learn's silhouette_score): marketing.silhouette(X, labels [, {sample_size, seed, columns}]). " + silhouetteDoc + " sample_size scores that many rows drawn at random without replacement (seed makes the draw reproducible; default: the global generator), for large n. Higher is better: compare k values with it.",
                     example: surveyExample + "local X = data.StandardScaler(df.columns):fit_transform(df); for k = 2, 4 do print(k, marketing.silhouette(X, marketing.kmeans(X, {k = k, seed = 1, n_init = 2}).labels)) end") { a in
            let o = try a.options(3, allowed: ["sample_size", "seed", "columns"])
            let points = try clusterPoints(a, 1, columns: try o.stringList("columns"))
            let labels = try clusterLabels(a, 2, rows: points.matrix.rows)
            var sampleSize: Int? = nil
            if let size = try o.number("sample_size") {
                guard size == size.rounded(), size >= 2, size <= Double(points.matrix.rows) else {
                    throw LuaScriptError("\(a.function): option 'sample_size' must be a whole number from 2 to the \(points.matrix.rows) rows of X, got \(size)")
                }
                sampleSize = Int(size)
            }
            lua_pushnumber(a.L, try Silhouette.score(points.matrix, labels: labels, sampleSize: sampleSize,
                                                     generator: try seededGenerator(a, o), function: a.function))
            return 1
        }
        lib.function("silhouette_samples", "The silhouette coefficient of every row (scikit-learn's silhouette_samples) as a float64 tensor [n]: marketing.silhouette_samples(X, labels [, {columns}]). " + silhouetteDoc + " Rows with low or negative values sit between clusters.",
                     example: "local X = torch.tensor({{0.0, 0}, {0, 1}, {9, 9}, {9, 8}, {4, 5}}); print(marketing.silhouette_samples(X, {1, 1, 2, 2, 2}))") { a in
            let o = try a.options(3, allowed: ["columns"])
            let points = try clusterPoints(a, 1, columns: try o.stringList("columns"))
            let labels = try clusterLabels(a, 2, rows: points.matrix.rows)
            let scores = try Silhouette.samples(points.matrix, labels: labels, function: a.function)
            return Tensors.push(a.L, Tensor(scores, shape: [scores.count]))
        }
    }
}
