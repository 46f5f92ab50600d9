#include "interrupt.h"
#include <string.h>

volatile sig_atomic_t ml_interrupt_flag = 0;
size_t ml_storage_bytes_since_gc = 0;
static ml_interrupt_listener installed_listener = 0;

/* Sets the flag and lets the listener arm whatever checks it; never exits, so a second
   Ctrl-C during a long kernel cannot kill the session. */
static void on_sigint(int signo) {
    (void)signo;
    ml_interrupt_flag = 1;
    if (installed_listener) installed_listener();
}

void ml_interrupt_install(ml_interrupt_listener listener) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    installed_listener = listener;
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, 0);
}

void ml_interrupt_uninstall(void) {
    signal(SIGINT, SIG_DFL);
}
