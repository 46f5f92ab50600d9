// SQLite 3's C API for Swift. SQLITE_TRANSIENT is a cast macro that does not import,
// so binding text goes through this wrapper: SQLite copies the bytes before returning.
#ifndef MARKETLAB_CSQLITE_SHIM_H
#define MARKETLAB_CSQLITE_SHIM_H
#include <sqlite3.h>

static inline int ml_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *bytes, int count) {
    return sqlite3_bind_text(statement, index, bytes, count, SQLITE_TRANSIENT);
}

#endif
