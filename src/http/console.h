/*
 * What the console's pages share (console.c, console_rules.c): finding the
 * signed-in user's own app, and the tabs of an app's pages.
 */
#ifndef HTTP_CONSOLE_H
#define HTTP_CONSOLE_H

#include "request.h"

struct html;

#define CONSOLE		"/console"
#define APP_PAGE	"/console/app?client_id="
#define RULES_PAGE	"/console/app/rules?client_id="

/*
 * The app named by the client_id parameter into *app if it exists and
 * belongs to user: 0.  Otherwise answers (404 as if it did not exist, or
 * 503) and returns -1.
 */
int console_own_app(struct request *req, const struct store_user *user,
    struct store_app *app);

/* An app's pages, as tabs under its name. */
enum console_tab {
	CONSOLE_TAB_SETTINGS,
	CONSOLE_TAB_RULES,
};
/* The way back to the list, and the tabs with current marked. */
void console_tabs(struct html *h, const char *client_id, enum console_tab current);

#endif
