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

/* One malloc heap for all threads (glibc's M_ARENA_MAX = 1), set once at start-up. Large
   CSV files are read by two threads; with a heap per thread, the memory of a freed frame
   stays resident in the heap of whichever thread built it, where a later read on another
   thread cannot reuse it: the peak of the same read drifted between 400 and 540 MB from
   run to run. Small allocations still come from each thread's own cache. */
#ifdef __GLIBC__
#include <malloc.h>
static inline void ml_malloc_single_heap(void) { mallopt(M_ARENA_MAX, 1); }
#else
static inline void ml_malloc_single_heap(void) {}
#endif

#endif
