/*
 * route.c - The route table: the single source of truth of the HTTP API.
 *
 * Design: one static table lists every route with its method, path
 * pattern, handler, auth flag, parameters and answer schema. The
 * dispatcher (gn__route_find), the check that rejects undeclared query
 * parameters (server.c) and the OpenAPI 3 document (gn__openapi_build) are
 * all derived from it, so the document cannot drift from the routes.
 * Path patterns are literal except for one final "{id}" segment.
 * Threads: the table is const; building the document allocates only
 * through jansson and the caller's ctx.
 */
#include <jansson.h>
#include <string.h>

#include "govnet/govnet.h"
#include "server/srv.h"
#include "util/internal.h"

#define P_END {NULL, 0, NULL, 0, 0, NULL}
#define P_ID(what) {"id", GN__P_PATH, "string", 1, 0, what}
#define P_PAGE                                                               \
  {"bbox", GN__P_QUERY, "string", 0, 0,                                     \
   "minLon,minLat,maxLon,maxLat (WGS84 degrees); keeps features whose "     \
   "bounding box intersects it"},                                           \
  {"limit", GN__P_QUERY, "integer", 0, 0,                                   \
   "page size, 1..max page size (default: the max page size)"},            \
  {"offset", GN__P_QUERY, "integer", 0, 0, "features to skip (order: id)"}

static const gn__param p_sites[] = {
    P_PAGE,
    {"category", GN__P_QUERY, "string", 0, 0,
     "admin, health, education or other"},
    P_END};
static const gn__param p_layer[] = {P_PAGE, P_END};
static const gn__param p_circuits[] = {
    P_PAGE,
    {"site", GN__P_QUERY, "string", 0, 0,
     "keep the circuits serving this site (working and protect; indexed;"
     " 404 for an unknown site)"},
    P_END};
static const gn__param p_site_id[] = {P_ID("site id (plan input id)"), P_END};
static const gn__param p_pop_id[] = {P_ID("POP id (plan id)"), P_END};
static const gn__param p_int_id[] = {P_ID("integer id"), P_END};
static const gn__param p_trace[] = {
    {"fiber", GN__P_QUERY, "integer", 0, 0, "fiber id (give fiber or port)"},
    {"port", GN__P_QUERY, "integer", 0, 0, "port id (give fiber or port)"},
    P_END};
static const gn__param p_impact[] = {
    {"trench", GN__P_QUERY, "integer", 0, 1,
     "trench id; repeat for a maintenance window over several trenches"},
    {"cable", GN__P_QUERY, "integer", 0, 0, "cable id (instead of trenches)"},
    P_END};
static const gn__param p_none[] = {P_END};
static const gn__param p_incidents[] = {
    {"open", GN__P_QUERY, "integer", 0, 0,
     "1: only open and acknowledged incidents"},
    P_END};
static const gn__param p_locate[] = {
    {"site", GN__P_QUERY, "string", 0, 0,
     "site id: the POP end of its first working circuit (give site, circuit"
     " or port)"},
    {"circuit", GN__P_QUERY, "integer", 0, 0, "circuit id: its POP end"},
    {"port", GN__P_QUERY, "integer", 0, 0, "port id: the trace starts there"},
    {"distance", GN__P_QUERY, "number", 1, 0,
     "OTDR (optical) distance in metres from that end"},
    P_END};
static const gn__param p_page[] = {
    {"limit", GN__P_QUERY, "integer", 0, 0, "page size, 1..1000 (default 100)"},
    {"offset", GN__P_QUERY, "integer", 0, 0, "rows to skip"},
    P_END};
static const gn__param p_build_phase[] = {
    {"phase", GN__P_QUERY, "string", 0, 0, "only this phase's packages"},
    P_END};
static const gn__param p_build_status[] = {
    {"package", GN__P_QUERY, "string", 0, 0, "only this package's trenches"},
    P_END};
static const gn__param p_build_id[] = {P_ID("work package id"), P_END};
static const gn__param p_build_sup[] = {
    {"phase", GN__P_QUERY, "string", 0, 0, "only this phase"},
    {"as_of", GN__P_QUERY, "string", 0, 0, "the day (YYYY-MM-DD, default today)"},
    P_END};

static const gn__param p_lease_id[] = {P_ID("lease id (integer)"), P_END};
static const gn__param p_aaa[] = {
    {"op", GN__P_QUERY, "string", 1, 0,
     "auth (Access-Request) or acct (Accounting-Request)"},
    {"src", GN__P_QUERY, "string", 0, 0,
     "the RADIUS packet's source address (the NAS when it sends no"
     " NAS-IP-Address)"},
    P_END};
static const gn__param p_leases[] = {
    {"operator", GN__P_QUERY, "string", 0, 0,
     "keep one operator's leases (an operator always sees only its own)"},
    P_END};

/* Keep in sync with nothing: everything else is generated from this. */
static const gn__route routes[] = {
    {"GET", "/api/health", gn__h_health, 0, "health", "meta",
     "Liveness and store check", p_none, "200", "Health"},
    {"GET", "/api/openapi.json", gn__h_openapi, GN__R_CACHE | GN__R_VIEW, "openapi", "meta",
     "This OpenAPI 3 document", p_none, "200", "Object"},
    {"GET", "/api/boundaries", gn__h_boundaries, GN__R_CACHE | GN__R_VIEW, "boundaries", "map",
     "Region boundaries for the base map (empty without --boundaries)",
     p_none, "200", "FeatureCollection"},
    {"GET", "/api/places", gn__h_places, GN__R_CACHE | GN__R_VIEW, "places", "map",
     "Named quarters (place=suburb|neighbourhood|quarter points) for labels and "
     "search (empty without --places)",
     p_none, "200", "FeatureCollection"},
    {"GET", "/api/basemap", gn__h_basemap, GN__R_CACHE | GN__R_VIEW, "basemap", "map",
     "The offline basemap: tile URL template, zoom range, bounds "
     "({\"tiles\":null} without --basemap)",
     p_none, "200", "Object"},
    {"GET", "/api/sites", gn__h_layer, GN__R_CACHE | GN__R_VIEW, "listSites", "layers",
     "Sites (buildings) as GeoJSON, filtered and paginated", p_sites, "200",
     "FeatureCollection"},
    {"GET", "/api/pops", gn__h_layer, GN__R_CACHE | GN__R_VIEW, "listPops", "layers",
     "Points of presence as GeoJSON", p_layer, "200", "FeatureCollection"},
    {"GET", "/api/trenches", gn__h_layer, GN__R_CACHE | GN__R_VIEW, "listTrenches", "layers",
     "Trenches as GeoJSON LineStrings", p_layer, "200", "FeatureCollection"},
    {"GET", "/api/cables", gn__h_layer, GN__R_CACHE | GN__R_VIEW, "listCables", "layers",
     "Cables as GeoJSON (geometry of their trench)", p_layer, "200",
     "FeatureCollection"},
    {"GET", "/api/circuits", gn__h_circuits, GN__R_CACHE | GN__R_VIEW, "listCircuits", "layers",
     "Circuits (a building's service) with the geometry of their trenches",
     p_circuits, "200", "FeatureCollection"},
    {"GET", "/api/sites/{id}", gn__h_object, 0, "getSite", "objects",
     "One site, with its ETag (for PATCH If-Match)", p_site_id, "200",
     "Feature"},
    {"GET", "/api/pops/{id}", gn__h_object, GN__R_CACHE, "getPop", "objects",
     "One POP", p_pop_id, "200", "Feature"},
    {"GET", "/api/trenches/{id}", gn__h_object, GN__R_CACHE, "getTrench", "objects",
     "One trench", p_int_id, "200", "Feature"},
    {"GET", "/api/cables/{id}", gn__h_object, GN__R_CACHE, "getCable", "objects",
     "One cable", p_int_id, "200", "Feature"},
    {"GET", "/api/circuits/{id}", gn__h_object, GN__R_CACHE, "getCircuit", "objects",
     "One circuit with the geometry of its trenches", p_int_id, "200",
     "Feature"},
    {"GET", "/api/trace", gn__h_trace, GN__R_CACHE, "trace", "operations",
     "Trace a fiber end to end with its loss budget", p_trace, "200",
     "Trace"},
    {"GET", "/api/impact", gn__h_impact, GN__R_CACHE, "impact", "operations",
     "What a cut takes down: sites ranked by priority, circuits, geometry",
     p_impact, "200", "Impact"},
    {"GET", "/api/summary", gn__h_summary, GN__R_CACHE | GN__R_VIEW, "summary", "plan",
     "Plan summary: counts, km, cost, survivability", p_none, "200",
     "Object"},
    {"GET", "/api/bom", gn__h_bom, GN__R_CACHE | GN__R_VIEW, "bom", "plan",
     "Bill of materials", p_none, "200", "Object"},
    {"POST", "/api/sites", gn__h_site_create, GN__R_AUTH | GN__R_BODY,
     "createSite", "edits", "Create a site from a GeoJSON Point Feature",
     p_none, "201", "Feature"},
    {"PATCH", "/api/sites/{id}", gn__h_site_update, GN__R_AUTH | GN__R_BODY,
     "updateSite", "edits",
     "Update a site: the Feature's given properties/geometry replace the "
     "stored ones",
     p_site_id, "200", "Feature"},
    {"DELETE", "/api/sites/{id}", gn__h_site_delete, GN__R_AUTH,
     "deleteSite", "edits", "Delete a site (409 while circuits serve it)",
     p_site_id, "204", NULL},
    {"POST", "/api/alerts", gn__h_alerts, GN__R_AUTH | GN__R_BODY, "alerts",
     "operations",
     "Alertmanager webhook (v4): records the alerts, diagnoses the sites"
     " down on the fiber, opens/updates/resolves incidents",
     p_none, "200", "Object"},
    {"GET", "/api/incidents", gn__h_incidents, 0, "listIncidents",
     "operations", "Incidents, newest first, with time to repair and MTTR",
     p_incidents, "200", "Object"},
    {"GET", "/api/locate", gn__h_locate, 0, "locateFault", "operations",
     "An OTDR distance from the POP end pinned on the map: the trench, metres"
     " along it, the point and the sites a break there takes down",
     p_locate, "200", "Object"},
    {"PATCH", "/api/incidents/{id}", gn__h_incident_update,
     GN__R_AUTH | GN__R_BODY, "updateIncident", "operations",
     "Acknowledge or resolve an incident; set assignee, cause; add a note"
     " ({\"state\",\"assignee\",\"cause\",\"note\"})",
     p_int_id, "200", "Object"},
    {"GET", "/api/build/packages", gn__h_build_packages, GN__R_AUTH,
     "listWorkPackages", "build",
     "Stored work packages (a subcontractor sees its own)", p_build_phase,
     "200", "Array"},
    {"POST", "/api/build/packages", gn__h_build_cut, GN__R_AUTH | GN__R_BODY,
     "cutWorkPackages", "build",
     "Cut the plan's trenches into packages by phase and area; save: true "
     "stores them (409 once a package is assigned or started)",
     p_none, "200", "Array"},
    {"PATCH", "/api/build/packages/{id}", gn__h_build_assign,
     GN__R_AUTH | GN__R_BODY, "assignWorkPackage", "build",
     "Assign a package to a subcontractor and crew", p_build_id, "200",
     "Array"},
    {"POST", "/api/build/reports", gn__h_build_reports,
     GN__R_AUTH | GN__R_BODY, "postProgress", "build",
     "Field progress: one report (201 stored, 200 replay of its client_id) "
     "or an array of up to 500 answered item by item",
     p_none, "200", "Object"},
    {"GET", "/api/build/status", gn__h_build_status, GN__R_AUTH,
     "buildStatus", "build",
     "State of every packaged trench: step, block, metres per step",
     p_build_status, "200", "Array"},
    {"GET", "/api/build/supervision", gn__h_build_supervision, GN__R_AUTH,
     "buildSupervision", "build",
     "S-curve (planned vs actual per week), progress by phase and "
     "subcontractor, metres per crew-day, blocked segments and their age",
     p_build_sup, "200", "Object"},
    {"GET", "/api/ofds", gn__h_ofds, GN__R_CACHE, "ofds", "share",
     "The network as an Open Fibre Data Standard 0.3 package (public: no "
     "lease, operator or price)", p_none, "200", "Object"},
    {"POST", "/api/quotes", gn__h_quote, GN__R_AUTH | GN__R_BODY, "quote",
     "share",
     "Quote dark fibers: {from, to, fibers, diverse, term_months} -> route, "
     "fibers, loss at 1310/1550 nm, work order, price, SLA; 409 with the "
     "reason when no route has the capacity",
     p_none, "200", "Object"},
    {"POST", "/api/leases", gn__h_lease_create, GN__R_AUTH | GN__R_BODY,
     "reserveLease", "share",
     "Reserve: the quote's body plus operator; holds the fibers (409 when "
     "another reservation took them)",
     p_none, "201", "Object"},
    {"GET", "/api/leases", gn__h_leases, GN__R_AUTH, "listLeases", "share",
     "Leases, newest first", p_leases, "200", "Array"},
    {"GET", "/api/leases/{id}", gn__h_lease, GN__R_AUTH, "getLease", "share",
     "One lease", p_lease_id, "200", "Object"},
    {"POST", "/api/leases/{id}/activate", gn__h_lease_activate, GN__R_AUTH,
     "activateLease", "share", "reserved -> active", p_lease_id, "200",
     "Object"},
    {"POST", "/api/leases/{id}/terminate", gn__h_lease_terminate, GN__R_AUTH,
     "terminateLease", "share", "active or reserved -> terminated (fibers "
     "freed)", p_lease_id, "200", "Object"},
    {"GET", "/api/occupancy", gn__h_occupancy, GN__R_CACHE, "occupancy",
     "share", "Fibers by use per cable and per trench", p_none, "200",
     "Object"},
    {"POST", "/api/login", gn__h_login, GN__R_BODY, "login", "accounts",
     "Sign in with {name, password}: sets the session cookie, returns the"
     " CSRF token to send in X-CSRF-Token", p_none, "200", "Object"},
    {"POST", "/api/logout", gn__h_logout, 0, "logout", "accounts",
     "End the cookie session", p_none, "204", NULL},
    {"GET", "/api/me", gn__h_me, 0, "me", "accounts",
     "Who is asking: name, role, organisation, the operations it may use",
     p_none, "200", "Object"},
    {"GET", "/api/users", gn__h_users, 0, "listUsers", "accounts",
     "Users (tenant roles: their own organisation's only)", p_page, "200",
     "Object"},
    {"GET", "/api/users/{id}", gn__h_user, 0, "getUser", "accounts",
     "One user", p_int_id, "200", "Object"},
    {"POST", "/api/users", gn__h_user_create, GN__R_AUTH | GN__R_BODY,
     "createUser", "accounts",
     "Create a user from {name, role, org, password}", p_none, "201",
     "Object"},
    {"PATCH", "/api/users/{id}", gn__h_user_update, GN__R_AUTH | GN__R_BODY,
     "updateUser", "accounts",
     "Change a user's {role, org, disabled, password} (never one's own role"
     " or organisation)", p_int_id, "200", "Object"},
    {"GET", "/api/orgs", gn__h_orgs, 0, "listOrgs", "accounts",
     "Organisations: government, subcontractors, operators", p_none, "200",
     "Object"},
    {"POST", "/api/orgs", gn__h_org_create, GN__R_AUTH | GN__R_BODY,
     "createOrg", "accounts", "Create an organisation from {name, kind}",
     p_none, "201", "Object"},
    {"GET", "/api/audit", gn__h_audit, 0, "audit", "accounts",
     "The audit log, newest first (user, role, organisation, route, "
     "before/after, chain hash)", p_page, "200", "Object"},
    {"POST", "/api/hotspot/login", gn__h_hotspot_login, GN__R_BODY,
     "hotspotLogin", "hotspot",
     "Captive portal login (openNDS FAS level 1): {user,password,hid} ->"
     " {ok:true,tok,session_timeout} or {ok:false,message} (French reason)",
     p_none, "200", "Object"},
    {"POST", "/api/hotspot/aaa", gn__h_hotspot_aaa,
     GN__R_AUTH | GN__R_BODY | GN__R_TXLOCK, "hotspotAaa", "hotspot",
     "FreeRADIUS rlm_rest (body = json): the hotspot decision for one"
     " Access-Request (op=auth: 200 accept with reply attributes, 401 reject"
     " with Reply-Message) or Accounting-Request (op=acct: 200, with"
     " control:Tmp-String-0 = disconnect when over quota); only the"
     " --aaa-token-file token may call it",
     p_aaa, "200", "Object"},
};

/* ---- the permission table ---- */

#define R(x) GN_ROLE_BIT(GN_ROLE_##x)
#define ALL (R(PUBLIC) | R(ADMIN) | R(PLANNER) | R(NOC) | R(SUPERVISOR) | \
             R(SUBCONTRACTOR) | R(OPERATOR) | R(AUDITOR))
#define SIGNED_IN (ALL & ~R(PUBLIC))
/* The open-data view (public) is the map layers and the plan summary. */
#define READ ALL
#define DESIGN (R(ADMIN) | R(PLANNER))

static const gn__perm perms[] = {
    {"health", ALL, GN__SCOPE_NONE},
    {"openapi", ALL, GN__SCOPE_NONE},
    {"boundaries", ALL, GN__SCOPE_NONE},
    {"places", ALL, GN__SCOPE_NONE},
    {"basemap", ALL, GN__SCOPE_NONE},
    {"listSites", READ, GN__SCOPE_NONE},
    {"listPops", READ, GN__SCOPE_NONE},
    {"listTrenches", READ, GN__SCOPE_NONE},
    {"listCables", READ, GN__SCOPE_NONE},
    {"listCircuits", READ, GN__SCOPE_NONE},
    {"getSite", READ, GN__SCOPE_NONE},
    {"getPop", READ, GN__SCOPE_NONE},
    {"getTrench", READ, GN__SCOPE_NONE},
    {"getCable", READ, GN__SCOPE_NONE},
    {"getCircuit", READ, GN__SCOPE_NONE},
    {"trace", READ, GN__SCOPE_NONE},
    {"impact", READ, GN__SCOPE_NONE},
    {"summary", READ, GN__SCOPE_NONE},
    {"bom", READ, GN__SCOPE_NONE},
    {"createSite", DESIGN, GN__SCOPE_NONE},
    {"updateSite", DESIGN, GN__SCOPE_NONE},
    {"deleteSite", DESIGN, GN__SCOPE_NONE},
    {"login", ALL, GN__SCOPE_NONE},
    {"logout", ALL, GN__SCOPE_NONE},
    {"me", ALL, GN__SCOPE_NONE},
    {"listUsers", R(ADMIN) | R(AUDITOR) | R(SUBCONTRACTOR) | R(OPERATOR),
     GN__SCOPE_ORG},
    {"getUser", R(ADMIN) | R(AUDITOR) | R(SUBCONTRACTOR) | R(OPERATOR),
     GN__SCOPE_ORG},
    {"createUser", R(ADMIN), GN__SCOPE_NONE},
    {"updateUser", R(ADMIN), GN__SCOPE_ORG},
    {"listOrgs", R(ADMIN) | R(AUDITOR), GN__SCOPE_NONE},
    {"createOrg", R(ADMIN), GN__SCOPE_NONE},
    {"audit", R(ADMIN) | R(AUDITOR), GN__SCOPE_NONE},
    /* sharing (src/lease): the OFDS package is the public view; capacity
     * per cable would let one operator count another's fibers */
    {"ofds", ALL, GN__SCOPE_NONE},
    {"occupancy", R(ADMIN) | R(PLANNER) | R(NOC) | R(AUDITOR), GN__SCOPE_NONE},
    {"quote", R(ADMIN) | R(PLANNER) | R(OPERATOR), GN__SCOPE_NONE},
    {"reserveLease", R(ADMIN) | R(OPERATOR), GN__SCOPE_LEASE},
    {"listLeases", R(ADMIN) | R(NOC) | R(AUDITOR) | R(OPERATOR), GN__SCOPE_LEASE},
    {"getLease", R(ADMIN) | R(NOC) | R(AUDITOR) | R(OPERATOR), GN__SCOPE_LEASE},
    {"activateLease", R(ADMIN) | R(NOC), GN__SCOPE_LEASE},
    {"terminateLease", R(ADMIN) | R(NOC), GN__SCOPE_LEASE},
    /* operations (src/monitor): Alertmanager posts with the admin token or
     * a NOC user's token; incidents name leases and their penalties, so
     * staff only */
    {"alerts", R(ADMIN) | R(NOC), GN__SCOPE_NONE},
    {"listIncidents", R(ADMIN) | R(NOC) | R(PLANNER) | R(AUDITOR),
     GN__SCOPE_NONE},
    {"updateIncident", R(ADMIN) | R(NOC), GN__SCOPE_NONE},
    {"locateFault", R(ADMIN) | R(NOC) | R(PLANNER) | R(AUDITOR),
     GN__SCOPE_NONE},
    /* building (src/build): a subcontractor sees and reports on its own
     * organisation's packages only */
    {"listWorkPackages", R(ADMIN) | R(PLANNER) | R(SUPERVISOR) |
     R(SUBCONTRACTOR) | R(AUDITOR), GN__SCOPE_PACKAGE},
    {"cutWorkPackages", R(ADMIN) | R(PLANNER) | R(SUPERVISOR), GN__SCOPE_NONE},
    {"assignWorkPackage", R(ADMIN) | R(SUPERVISOR), GN__SCOPE_NONE},
    {"postProgress", R(ADMIN) | R(SUPERVISOR) | R(SUBCONTRACTOR),
     GN__SCOPE_PACKAGE},
    {"buildStatus", R(ADMIN) | R(PLANNER) | R(SUPERVISOR) | R(SUBCONTRACTOR) |
     R(AUDITOR) | R(NOC), GN__SCOPE_PACKAGE},
    {"buildSupervision", R(ADMIN) | R(PLANNER) | R(SUPERVISOR) |
     R(AUDITOR), GN__SCOPE_NONE},
    /* the WiFi captive portal's door (src/hotspot): anyone on the campus */
    {"hotspotLogin", ALL, GN__SCOPE_NONE},
    /* FreeRADIUS's door: its own token only (no role, not even admin) */
    {"hotspotAaa", GN__AAA_BIT, GN__SCOPE_NONE},
};

const gn__perm *gn__route_perm(const gn__route *r) {
  for (size_t i = 0; i < sizeof(perms) / sizeof(perms[0]); i++)
    if (strcmp(perms[i].op_id, r->op_id) == 0) return &perms[i];
  return NULL;
}

const char *gn__scope_name(int scope) {
  static const char *const names[] = {"none", "own organisation",
                                      "own package", "own lease"};
  return scope >= 0 && scope <= GN__SCOPE_LEASE ? names[scope] : "?";
}

const gn__route *gn__routes(size_t *n) {
  *n = sizeof(routes) / sizeof(routes[0]);
  return routes;
}

/* 1 if path matches pattern; the {id} segment goes to *id and *id_len. */
static int route_match(const char *pattern, const char *path,
                       const char **id, size_t *id_len) {
  const char *brace = strstr(pattern, "{id}");
  if (!brace) return strcmp(pattern, path) == 0;
  size_t pre = (size_t)(brace - pattern);
  if (strncmp(pattern, path, pre) != 0) return 0;
  const char *seg = path + pre;
  /* the {id} segment runs to the next '/'; the pattern's tail after it
   * ("" or "/activate") must follow exactly */
  const char *slash = strchr(seg, '/');
  size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
  if (n == 0 || strcmp(seg + n, brace + 4) != 0) return 0;
  *id = seg;
  *id_len = n;
  return 1;
}

size_t gn__route_index(const gn__route *r) { return (size_t)(r - routes); }

const gn__route *gn__route_find(const char *method, const char *path,
                                int *path_match, const char **id,
                                size_t *id_len) {
  *path_match = 0;
  for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
    const char *pid = NULL;
    size_t plen = 0;
    if (!route_match(routes[i].path, path, &pid, &plen)) continue;
    *path_match = 1;
    if (strcmp(routes[i].method, method) != 0) continue;
    *id = pid;
    *id_len = plen;
    return &routes[i];
  }
  return NULL;
}

/* ---- OpenAPI document ---- */

static json_t *schema_ref(const char *name) {
  char ref[96];
  snprintf(ref, sizeof(ref), "#/components/schemas/%s", name);
  return json_pack("{s:s}", "$ref", ref);
}

static json_t *json_content(const char *ctype, const char *schema) {
  return json_pack("{s:{s:o}}", ctype, "schema", schema_ref(schema));
}

static json_t *op_params(const gn__route *r) {
  json_t *arr = json_array();
  for (const gn__param *p = r->params; arr && p->name; p++) {
    json_t *schema = json_pack("{s:s}", "type", p->type);
    if (p->repeat) schema = json_pack("{s:s,s:o}", "type", "array", "items", schema);
    json_array_append_new(
        arr, json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", p->name, "in",
                       p->in == GN__P_PATH ? "path" : "query", "required",
                       p->required, "description", p->desc, "schema", schema));
    if (p->repeat) json_object_set_new(json_array_get(arr, json_array_size(arr) - 1),
                                       "explode", json_true());
  }
  return arr;
}

static json_t *op_responses(const gn__route *r) {
  json_t *ok = json_pack("{s:s}", "description", "success");
  if (r->ok_schema) {
    const char *ct = strcmp(r->ok_schema, "Feature") == 0 ||
                             strcmp(r->ok_schema, "FeatureCollection") == 0
                         ? "application/geo+json"
                         : "application/json";
    json_object_set_new(ok, "content", json_content(ct, r->ok_schema));
  }
  return json_pack("{s:o,s:{s:s,s:o}}", r->ok_status, ok, "default",
                   "description", "error (status from the error name)",
                   "content", json_content("application/json", "Error"));
}

/* JSON request bodies (the other body routes take a site Feature). */
static const char *body_schema(const char *op_id) {
  static const char *const map[][2] = {{"cutWorkPackages", "BuildCut"},
                                       {"assignWorkPackage", "BuildAssign"},
                                       {"postProgress", "BuildReports"}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcmp(map[i][0], op_id) == 0) return map[i][1];
  return NULL;
}

static json_t *op_object(const gn__route *r) {
  json_t *op = json_pack("{s:s,s:s,s:[s],s:o,s:o}", "operationId", r->op_id,
                         "summary", r->summary, "tags", r->tag, "parameters",
                         op_params(r), "responses", op_responses(r));
  if (!op) return NULL;
  const gn__perm *p = gn__route_perm(r);
  json_t *roles = json_array();
  for (int k = 0; p && k < GN_ROLE_COUNT; k++)
    if (p->roles & GN_ROLE_BIT(k))
      json_array_append_new(roles, json_string(gn_role_name((gn_role)k)));
  if (p && (p->roles & GN__AAA_BIT))
    json_array_append_new(roles, json_string("freeradius"));
  json_object_set_new(op, "x-roles", roles);
  json_object_set_new(op, "x-scope", json_string(gn__scope_name(p ? p->scope : 0)));
  if (!p || !(p->roles & GN_ROLE_BIT(GN_ROLE_PUBLIC)))
    json_object_set_new(op, "security",
                        json_pack("[{s:[]},{s:[]}]", "bearer", "session"));
  int site_body = strstr(r->path, "/api/sites") != NULL;
  if (r->flags & GN__R_BODY)
    json_object_set_new(
        op, "requestBody",
        json_pack("{s:b,s:o}", "required", 1, "content",
                  body_schema(r->op_id)
                      ? json_content("application/json", body_schema(r->op_id))
                  : site_body ? json_content("application/geo+json", "SiteFeature")
                              : json_content("application/json", "Object")));
  return op;
}

/* Answer and body schemas, as JSON text (easier to read than json_pack). */
static const char schemas_json[] =
    "{\"Error\":{\"type\":\"object\",\"required\":[\"error\",\"message\"],"
    "\"properties\":{\"error\":{\"type\":\"string\",\"example\":\"ENOTFOUND\"},"
    "\"message\":{\"type\":\"string\"}}},"
    "\"FeatureCollection\":{\"type\":\"object\",\"required\":[\"type\",\"features\"],"
    "\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"FeatureCollection\"]},"
    "\"features\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Feature\"}},"
    "\"total\":{\"type\":\"integer\",\"description\":\"matches before paging\"},"
    "\"limit\":{\"type\":\"integer\"},\"offset\":{\"type\":\"integer\"}}},"
    "\"Feature\":{\"type\":\"object\",\"required\":[\"type\",\"geometry\",\"properties\"],"
    "\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"Feature\"]},"
    "\"id\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]},"
    "\"geometry\":{\"type\":\"object\",\"nullable\":true},\"properties\":{\"type\":\"object\"}}},"
    "\"SiteFeature\":{\"type\":\"object\",\"required\":[\"type\"],"
    "\"description\":\"POST needs geometry and properties.id; PATCH merges what is given\","
    "\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"Feature\"]},"
    "\"geometry\":{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],"
    "\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"Point\"]},"
    "\"coordinates\":{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":2}}},"
    "\"properties\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"category\":{\"type\":\"string\","
    "\"enum\":[\"admin\",\"health\",\"education\",\"other\"]},"
    "\"priority\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100},"
    "\"critical\":{\"type\":\"boolean\"},\"phase\":{\"type\":\"string\"}}}}},"
    "\"Trace\":{\"type\":\"object\",\"required\":[\"hops\",\"length_m\",\"loss_db\"],"
    "\"properties\":{\"length_m\":{\"type\":\"number\"},\"splices\":{\"type\":\"integer\"},"
    "\"connectors\":{\"type\":\"integer\"},\"loss_db\":{\"type\":\"object\"},"
    "\"broken\":{\"type\":\"boolean\"},\"circuit\":{\"type\":\"integer\"},"
    "\"hops\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
    "\"geometry\":{\"type\":\"object\"}}},"
    "\"Impact\":{\"type\":\"object\",\"required\":[\"sites\",\"circuits\"],"
    "\"properties\":{\"sites\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
    "\"circuits\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
    "\"trenches\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"cut\":{\"$ref\":\"#/components/schemas/FeatureCollection\"}}},"
    "\"Health\":{\"type\":\"object\",\"required\":[\"status\"],"
    "\"properties\":{\"status\":{\"type\":\"string\"},\"version\":{\"type\":\"string\"},"
    "\"schema\":{\"type\":\"integer\"}}},"
    "\"Object\":{\"type\":\"object\"},"
    "\"Array\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
    "\"BuildCut\":{\"type\":\"object\",\"properties\":{"
    "\"target_km\":{\"type\":\"number\"},\"target_fcfa\":{\"type\":\"number\"},"
    "\"phase\":{\"type\":\"string\"},\"save\":{\"type\":\"boolean\"}}},"
    "\"BuildAssign\":{\"type\":\"object\",\"required\":[\"org\"],"
    "\"properties\":{\"org\":{\"type\":\"string\"},\"crew\":{\"type\":\"string\"},"
    "\"start\":{\"type\":\"string\",\"format\":\"date\"},\"end\":{\"type\":\"string\",\"format\":\"date\"}}},"
    "\"BuildReport\":{\"type\":\"object\",\"required\":[\"client_id\",\"trench\","
    "\"step\",\"who\"],\"properties\":{\"client_id\":{\"type\":\"string\"},"
    "\"trench\":{\"type\":\"integer\"},\"step\":{\"type\":\"string\",\"enum\":["
    "\"surveyed\",\"dug\",\"ducted\",\"pulled\",\"spliced\",\"tested\",\"accepted\","
    "\"blocked\"]},\"who\":{\"type\":\"string\"},\"at\":{\"type\":\"string\"},"
    "\"metres\":{\"type\":\"number\"},\"photos\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"string\"}},\"gps\":{\"type\":\"array\",\"items\":{\"type\":"
    "\"array\",\"items\":{\"type\":\"number\"}}},\"note\":{\"type\":\"string\"},"
    "\"reason\":{\"type\":\"string\",\"enum\":[\"permit\",\"obstacle\",\"flooding\","
    "\"other\"]},\"supervisor\":{\"type\":\"boolean\"},\"override_reason\":"
    "{\"type\":\"string\"}}},"
    "\"BuildReports\":{\"oneOf\":[{\"$ref\":\"#/components/schemas/BuildReport\"},"
    "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/BuildReport\"}}]}}";

static json_t *openapi_schemas(void) {
  return json_loads(schemas_json, 0, NULL);
}

static json_t *openapi_doc(void) {
  json_t *paths = json_object();
  size_t n = 0;
  const gn__route *r = gn__routes(&n);
  for (size_t i = 0; paths && i < n; i++) {
    json_t *item = json_object_get(paths, r[i].path);
    if (!item) {
      item = json_object();
      json_object_set_new(paths, r[i].path, item);
    }
    char m[8] = {0};
    for (size_t k = 0; k < sizeof(m) - 1 && r[i].method[k]; k++)
      m[k] = (char)(r[i].method[k] | 0x20); /* ASCII lower case */
    json_object_set_new(item, m, op_object(&r[i]));
  }
  return json_pack(
      "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:o,s:{s:{s:s,s:s},s:{s:s,s:s,s:s}}}}",
      "openapi", "3.0.3", "info", "title", "govnet API", "version",
      GN_VERSION_STRING, "description",
      "Fiber network system of record: layers, trace, cut impact, plan "
      "summary, site edits, accounts and audit. Errors are {\"error\": name, "
      "\"message\": text}. Each operation lists the roles allowed (x-roles)"
      " and its scope rule (x-scope); without credentials a request has the"
      " role public. Credentials: 'Authorization: Bearer <token>' or the"
      " session cookie of POST /api/login, which needs its CSRF token in"
      " X-CSRF-Token on every method but GET.",
      "servers", "url", "/", "paths", paths, "components", "schemas",
      openapi_schemas(), "securitySchemes", "bearer", "type", "http",
      "scheme", "bearer", "session", "type", "apiKey", "in", "cookie", "name",
      "gn_session");
}

gn_status gn__openapi_build(gn_ctx *ctx, char **out, size_t *len) {
  *out = NULL;
  json_t *doc = openapi_doc();
  if (!doc) return gn__fail(ctx, GN_EINTERNAL, "cannot build OpenAPI document");
  char *text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_COMPACT);
  json_decref(doc);
  if (!text) return gn__fail(ctx, GN_ENOMEM, "cannot serialize OpenAPI document");
  *out = text;
  *len = strlen(text);
  return GN_OK;
}
