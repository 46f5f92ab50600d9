#include "interrupt.h"
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/select.h>

volatile sig_atomic_t ml_interrupt_flag = 0;
size_t ml_storage_bytes_since_gc = 0;
static ml_interrupt_listener installed_listener = 0;
static pthread_t owner;

/* Sets the flag and lets the listener arm whatever checks it; never exits, so a second
   Ctrl-C during a long kernel cannot kill the session. The kernel may hand the signal to
   any thread (OpenBLAS keeps workers); it is passed on to the thread that installed the
   handler, so that a read it is blocked in (the REPL's prompt) fails with EINTR. */
static void on_sigint(int signo) {
    if (!pthread_equal(pthread_self(), owner)) {
        pthread_kill(owner, signo);
        return;
    }
    ml_interrupt_flag = 1;
    if (installed_listener) installed_listener();
}

void ml_interrupt_install(ml_interrupt_listener listener) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    installed_listener = listener;
    owner = pthread_self();
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, 0);
}

void ml_interrupt_uninstall(void) {
    signal(SIGINT, SIG_DFL);
}

int ml_interrupt_wait_readable(int fd) {
    sigset_t interrupt, previous;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_BLOCK, &interrupt, &previous);
    sigset_t waiting = previous;
    sigdelset(&waiting, SIGINT);
    int result;
    for (;;) {
        if (ml_interrupt_flag) { result = 0; break; }
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        int n = pselect(fd + 1, &readable, NULL, NULL, NULL, &waiting);
        if (n > 0) { result = 1; break; }
        if (n < 0 && errno != EINTR) { result = -1; break; }
        /* EINTR: Ctrl-C (the flag is set now) or another signal (wait again) */
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return result;
}
