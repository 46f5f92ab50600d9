import TensorKit

/// Where `read_sql` and `to_sql` find their tables, parsed from the string a script gives:
/// `"sqlite:path/to.db"` (or `"sqlite::memory:"`) for an embedded SQLite file, a
/// `postgresql://` URL for a server. Scripts keep passing strings when a new kind of
/// source arrives; only this parser and the readers learn about it.
public enum SQLSource: Equatable {
    case sqlite(path: String)
    case postgresql(url: String)

    /// The source named by `text`, or an error that says what a source looks like.
    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw TensorError("expected a database file after 'sqlite:' (\"sqlite:customers.db\", or \"sqlite::memory:\"), got 'sqlite:'")
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
            self = .postgresql(url: text)
        } else {
            let lower = text.lowercased()
            let looksLikeFile = [".db", ".sqlite", ".sqlite3"].contains { lower.hasSuffix($0) } && !text.contains("://")
            throw TensorError("expected \"sqlite:path/to.db\" or a PostgreSQL URL (postgresql://...), got '\(SQLSource.redacted(text))'"
                              + (looksLikeFile ? " (did you mean 'sqlite:\(text)'?)" : ""))
        }
    }

    /// `text` with any password between "://" and "@" hidden, for messages.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "…@" + String(text[text.index(after: at)...])
    }

    /// The SQLite file of this source, or an error for a kind this build cannot open yet.
    func sqlitePath() throws -> String {
        switch self {
        case .sqlite(let path): return path
        case .postgresql: throw TensorError("PostgreSQL sources are not supported in this build yet")
        }
    }
}

/// One value bound to a query parameter. Booleans are stored as 0 and 1, as SQLite does.
public enum SQLValue: Equatable {
    case null
    case integer(Int64)
    case number(Double)
    case text(String)
    case bool(Bool)
}

/// Values for a query's placeholders: by position for `?` (and `?NNN`), or by name for
/// `:name`, `@name` and `$name`. They are bound with sqlite3_bind_*, never pasted into
/// the SQL text.
public enum SQLParameters: Equatable {
    case positional([SQLValue])
    case named([String: SQLValue])

    public static let none = SQLParameters.positional([])
}

/// What `to_sql` does when the table is already there.
public enum SQLIfExists: String, CaseIterable {
    /// Stop with an error (the default).
    case fail
    /// Drop the table and write a new one, in the same transaction.
    case replace
    /// Add the rows to the table; its columns must be the frame's.
    case append
}
