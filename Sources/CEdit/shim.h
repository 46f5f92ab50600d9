// libedit (BSD licence) line editing and history for the REPL. libedit's setters are C
// variadic functions, which Swift cannot call, so the few calls the REPL makes are wrapped
// here as static inline functions. Nothing here keeps state of its own: a header's statics
// would be duplicated in every Swift file that uses them.
#ifndef MARKETLAB_CEDIT_SHIM_H
#define MARKETLAB_CEDIT_SHIM_H
#include <histedit.h>
#include <stdio.h>

typedef unsigned char (*ml_edit_command_fn)(EditLine *, int);

/* The prompt is the client data: the REPL sets it before each el_gets. */
static inline char *ml_edit_prompt(EditLine *el) {
    void *text = NULL;
    el_get(el, EL_CLIENTDATA, &text);
    return text ? (char *)text : (char *)"";
}

/// Opens an editor on stdin with emacs keys, history `h`, a prompt in which `\1` brackets
/// invisible sequences (colours), `complete` bound to Tab, and `read_char` reading keys
/// (the REPL's returns on Ctrl-C, where libedit's own would retry the read). `output`
/// receives the prompt and the edited line.
static inline EditLine *ml_edit_open(const char *program, FILE *output, History *h,
                                     ml_edit_command_fn complete, el_rfunc_t read_char) {
    EditLine *el = el_init(program, stdin, output, stderr);
    if (!el) return NULL;
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_PROMPT_ESC, ml_edit_prompt, '\1');
    el_set(el, EL_HIST, history, h);
    el_set(el, EL_GETCFN, read_char);
    el_set(el, EL_ADDFN, "ml-complete", "Complete a Lua name, field, method or file name", complete);
    el_set(el, EL_BIND, "^I", "ml-complete", NULL);
    el_source(el, NULL);   /* the user's ~/.editrc, when there is one */
    return el;
}

/// Prepares the next el_gets: sets its prompt (`text` must stay alive until then) and puts
/// the terminal in raw mode now. libedit would do that only at its first read, after
/// showing the prompt, and a key pressed in between would reach the terminal's line
/// discipline instead (Ctrl-D there is lost on the switch to raw mode).
static inline void ml_edit_begin_line(EditLine *el, const char *text) {
    el_set(el, EL_CLIENTDATA, (void *)text);
    el_set(el, EL_PREP_TERM, 1);
}

static inline History *ml_history_open(int size) {
    History *h = history_init();
    if (!h) return NULL;
    HistEvent event;
    history(h, &event, H_SETSIZE, size);
    history(h, &event, H_SETUNIQUE, 1);
    return h;
}

/// Adds an entry (which may span lines: it is stored as one).
static inline int ml_history_enter(History *h, const char *entry) { HistEvent e; return history(h, &e, H_ENTER, entry); }
static inline int ml_history_load(History *h, const char *path) { HistEvent e; return history(h, &e, H_LOAD, path); }
static inline int ml_history_save(History *h, const char *path) { HistEvent e; return history(h, &e, H_SAVE, path); }

#endif
