// The interrupt flag: set by SIGINT, polled by Lua (through a hook) and by long Swift
// kernels, cleared by whoever reports the interruption. C only, so the core can read it
// without importing Lua.
#ifndef MARKETLAB_INTERRUPT_H
#define MARKETLAB_INTERRUPT_H
#include <signal.h>
#include <stddef.h>

extern volatile sig_atomic_t ml_interrupt_flag;

/// Nonzero once Ctrl-C was pressed and not yet reported.
static inline int ml_interrupt_pending(void) { return ml_interrupt_flag != 0; }
static inline void ml_interrupt_clear(void) { ml_interrupt_flag = 0; }
static inline void ml_interrupt_raise(void) { ml_interrupt_flag = 1; }

/// Called from the SIGINT handler after the flag is set (the Lua side installs its hook).
typedef void (*ml_interrupt_listener)(void);

/// Installs the SIGINT handler; `listener` may be NULL. Safe to call more than once.
void ml_interrupt_install(ml_interrupt_listener listener);
/// Restores the default SIGINT action (a second Ctrl-C then ends the process).
void ml_interrupt_uninstall(void);

/// Waits until `fd` has input (1), Ctrl-C arrived (0; the flag stays set) or the wait
/// failed (-1). SIGINT is blocked between testing the flag and waiting, and pselect
/// unblocks it atomically, so a Ctrl-C that lands just before the wait is not missed.
int ml_interrupt_wait_readable(int fd);

/* Bytes of tensor storage allocated since the Lua collector last ran a step. Lua sees a
   tensor as a few bytes of userdata, so without this it would let gigabytes of dead
   tensors pile up; the call trampoline steps the collector when this grows large. */
extern size_t ml_storage_bytes_since_gc;
static inline void ml_note_storage_bytes(size_t n) { ml_storage_bytes_since_gc += n; }

/* Asks for the cache line holding `p` ahead of its use (a row of a shuffled batch). */
static inline void ml_prefetch(const void *p) { __builtin_prefetch(p); }

/* At most `count` malloc heaps (glibc's M_ARENA_MAX; its default is eight per core), set
   once at start-up with the number of cores. Memory freed in one thread's heap stays
   resident there, for that heap's later use: fewer heaps keep less of it idle. One heap
   for all threads would keep the least, but two threads reading a CSV file then wait on
   each other for every String they make (a text-heavy file read 2.3 times slower). */
#ifdef __GLIBC__
#include <malloc.h>
static inline void ml_malloc_heaps(int count) { mallopt(M_ARENA_MAX, count); }
#else
static inline void ml_malloc_heaps(int count) { (void)count; }
#endif

#endif
