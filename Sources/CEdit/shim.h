// libedit (BSD licence) line editing and history for the REPL.
#ifndef MARKETLAB_CEDIT_SHIM_H
#define MARKETLAB_CEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
