/*
 * GET /assets/twauth.css: the one stylesheet of every page, served by us so
 * pages load nothing from elsewhere (CSP style-src 'self').  Light and dark
 * follow the system; the layout is one centred card that fits a phone.
 */
#include <string.h>

#include "routes.h"

static const char css[] =
	":root{color-scheme:light dark;--bg:#f7f7f8;--fg:#18181b;--muted:#5c5c66;"
	"--card:#fff;--line:#e3e3e8;--accent:#7c3aed;--accent-fg:#fff;--danger:#b42318;"
	"--ok:#067647}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#0e0e10;--fg:#efeff1;"
	"--muted:#adadb8;--card:#18181b;--line:#2f2f35;--accent:#a970ff;--accent-fg:#0e0e10;"
	"--danger:#ff8a80;--ok:#6ce9a6}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;min-height:100vh;display:flex;align-items:flex-start;"
	"justify-content:center;background:var(--bg);color:var(--fg);"
	"font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;padding:24px 12px}\n"
	".card{width:100%;max-width:440px;background:var(--card);border:1px solid var(--line);"
	"border-radius:12px;padding:28px 24px;margin-top:6vh}\n"
	".brand{font-weight:700;color:var(--accent);letter-spacing:.02em;margin-bottom:8px}\n"
	"h1{font-size:1.35rem;margin:0 0 12px;overflow-wrap:anywhere}\n"
	".lead{margin:0 0 16px;overflow-wrap:anywhere}\n"
	".note{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}\n"
	".error{background:color-mix(in srgb,var(--danger) 12%,transparent);color:var(--danger);"
	"border-radius:8px;padding:10px 12px}\n"
	".ok{background:color-mix(in srgb,var(--ok) 12%,transparent);color:var(--ok);"
	"border-radius:8px;padding:10px 12px}\n"
	"label{display:block;font-weight:600;margin:14px 0 6px}\n"
	"input{width:100%;font:inherit;padding:10px 12px;border:1px solid var(--line);"
	"border-radius:8px;background:transparent;color:inherit}\n"
	"input:focus,button:focus-visible{outline:2px solid var(--accent);outline-offset:1px}\n"
	".actions{display:flex;gap:12px;justify-content:flex-end;margin-top:22px;flex-wrap:wrap}\n"
	"button{font:inherit;font-weight:600;padding:10px 18px;border-radius:8px;"
	"border:1px solid var(--line);background:transparent;color:inherit;cursor:pointer}\n"
	"button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}\n"
	"button.danger{color:var(--danger);padding:6px 12px}\n"
	"button.link{border:0;padding:0;color:var(--accent);font-weight:400;margin-left:6px}\n"
	".who{font-size:.9rem;color:var(--muted);margin:0 0 14px}\n"
	"ul.scopes,ul.apps{list-style:none;padding:0;margin:0 0 16px}\n"
	"ul.scopes li{padding:10px 0;border-top:1px solid var(--line)}\n"
	"ul.scopes li code{display:block;color:var(--muted);font-size:.8rem}\n"
	"ul.apps li{display:flex;gap:12px;align-items:center;justify-content:space-between;"
	"padding:12px 0;border-top:1px solid var(--line)}\n"
	"ul.apps small{display:block;color:var(--muted);overflow-wrap:anywhere}\n"
	/* A connection's scopes, listed under its app. */
	"ul.apps ul.scopes{margin:6px 0 0}\n"
	"ul.apps ul.scopes li{display:block;padding:2px 0;border:0;font-size:.9rem}\n"
	"code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;"
	"overflow-wrap:anywhere}\n"
	".code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.6rem;"
	"letter-spacing:.25em;text-transform:uppercase;text-align:center}\n"
	"p.code{font-weight:700;margin:4px 0 12px}\n"
	/* The console: a wider card, textareas, selects, choices, facts. */
	".card.wide{max-width:640px}\n"
	"h2{font-size:1.05rem;margin:26px 0 8px;padding-top:16px;border-top:1px solid var(--line)}\n"
	"textarea,select{width:100%;font:inherit;padding:10px 12px;border:1px solid var(--line);"
	"border-radius:8px;background:var(--card);color:inherit}\n"
	"textarea{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;resize:vertical}\n"
	"textarea:focus,select:focus{outline:2px solid var(--accent);outline-offset:1px}\n"
	"[aria-invalid=true]{border-color:var(--danger)}\n"
	".field-error{color:var(--danger);font-size:.9rem;margin:6px 0 0}\n"
	"fieldset{border:0;padding:0;margin:14px 0 0}legend{font-weight:600;margin-bottom:6px}\n"
	"label.choice{display:flex;gap:10px;align-items:baseline;font-weight:400;margin:6px 0}\n"
	"label.choice input{width:auto;margin:0}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0 0 8px}\n"
	"dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
	"a.button{display:inline-block;font-weight:600;padding:10px 18px;border-radius:8px;"
	"border:1px solid var(--line);color:inherit;text-decoration:none}\n"
	"a.button.primary{background:var(--accent);border-color:var(--accent);"
	"color:var(--accent-fg)}\n"
	"ul.apps a.button{padding:6px 12px}\n"
	".note a{color:var(--accent)}\n"
	".secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.1rem;padding:12px;"
	"border:1px dashed var(--accent);border-radius:8px;user-select:all;overflow-wrap:anywhere}\n";

void
http_assets_css(struct request *req)
{
	req_reply_static(req, "text/css; charset=utf-8", css, strlen(css));
}
