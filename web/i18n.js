// i18n.js - The one catalogue of every string the map UI shows (FR default).
// Keys are used by app.js through t(); elements carry data-i18n="key".
export const catalogue = {
  fr: {
    title: 'govnet — Réseau E-Gouvernement',
    subtitle: 'Réseau de fibre optique public',
    search: 'Rechercher un site…',
    dashboard: 'Tableau de bord',
    km: 'Tranchées',
    buildings: 'Bâtiments',
    cost: 'Coût',
    survivability: 'Survivabilité',
    survivability_hint: 'sites protégés contre une coupure unique',
    layers: 'Couches',
    legend: 'Légende',
    cat_admin: 'Administration',
    cat_health: 'Santé',
    cat_education: 'Éducation',
    cat_other: 'Autre',
    pop: 'Point de présence (POP)',
    trench: 'Tranchée',
    trenches: 'Tranchées',
    sites: 'Sites',
    boundaries: 'Régions',
    fibers: 'fibres',
    fibers_label: 'Fibres',
    length: 'Longueur',
    site: 'Site',
    category: 'Catégorie',
    priority: 'Priorité',
    critical: 'Critique',
    yes: 'oui',
    no: 'non',
    id: 'Identifiant',
    details: 'Détails',
    select_hint: 'Cliquez sur un site pour voir son circuit, ou sur une tranchée pour simuler une coupure.',
    cut_here: 'Couper ici',
    impact: 'Impact de la coupure',
    impact_none: 'Aucun site touché par cette coupure.',
    impact_count: '{n} site(s) touché(s), {p} protégé(s)',
    protected: 'protégé',
    down: 'coupé',
    trace: 'Trace du circuit',
    trace_none: 'Aucun circuit enregistré pour ce site.',
    role_working: 'Circuit principal',
    role_protect: 'Circuit de secours',
    loss: 'Bilan optique',
    splices: 'épissures',
    connectors: 'connecteurs',
    path_length: 'Longueur du trajet',
    splices_label: 'Épissures',
    connectors_label: 'Connecteurs',
    loss_1310: 'Perte à 1310 nm',
    loss_1550: 'Perte à 1550 nm',
    broken_path: 'Fibre coupée sur le trajet',
    units_db: '{x} dB',
    loading: 'Chargement…',
    error: 'Erreur',
    no_results: 'Aucun résultat',
    clear: 'Effacer',
    units_km: 'km',
    units_fcfa: 'FCFA',
    sign_in: 'Se connecter',
    sign_out: 'Se déconnecter',
    user_name: "Nom d'utilisateur",
    password: 'Mot de passe',
    cancel: 'Annuler',
    login_failed: "Nom d'utilisateur ou mot de passe incorrect",
    login_locked: 'Trop de tentatives : réessayez dans 15 minutes',
    audit_log: "Journal d'audit",
    delete_site: 'Supprimer ce site',
    deleted: 'Site supprimé',
    confirm_delete: 'Supprimer le site « {name} » ?',
    role_public: 'public',
    role_admin: 'administrateur',
    role_planner: 'planificateur',
    role_noc: 'NOC',
    role_supervisor: 'superviseur',
    role_subcontractor: 'sous-traitant',
    role_operator: 'opérateur',
    role_auditor: 'auditeur',
    attribution: '© contributeurs OpenStreetMap, ODbL',
    search_hint: 'Nom, catégorie, identifiant, quartier ou préfecture ; accents et majuscules ignorés',
    legend_ring: 'Tranchée de boucle (secours)',
    legend_cut: 'Tranchée coupée',
    legend_streets: 'Rues (fond de carte)',
    exports: 'Exporter',
    print: 'Imprimer',
    pops: 'POP',
    quarter: 'Quartier',
    prefecture: 'Préfecture',
    hop_fiber: 'câble {cable}, fibre {n} ({tube}/{fiber})',
    hop_splice: 'épissure {n} dans le boîtier {closure}',
    hop_port: '{what} port {n}',
    hop_patch: 'brassage',
    col_blue: 'bleu', col_orange: 'orange', col_green: 'vert', col_brown: 'marron', col_slate: 'gris',
    col_white: 'blanc', col_red: 'rouge', col_black: 'noir', col_yellow: 'jaune', col_violet: 'violet',
    col_rose: 'rose', col_aqua: 'turquoise',
    circuit_name: 'site {site}, {role}',
    role_working_short: 'principal',
    role_protect_short: 'secours',
    units_bn_fcfa: 'Md FCFA',
    units_m_fcfa: 'M FCFA',
  },
  en: {
    title: 'govnet — E-Government Network',
    subtitle: 'Public fiber-optic network',
    search: 'Search a site…',
    dashboard: 'Dashboard',
    km: 'Trenches',
    buildings: 'Buildings',
    cost: 'Cost',
    survivability: 'Survivability',
    survivability_hint: 'sites protected against any single cut',
    layers: 'Layers',
    legend: 'Legend',
    cat_admin: 'Administration',
    cat_health: 'Health',
    cat_education: 'Education',
    cat_other: 'Other',
    pop: 'Point of presence (POP)',
    trench: 'Trench',
    trenches: 'Trenches',
    sites: 'Sites',
    boundaries: 'Regions',
    fibers: 'fibers',
    fibers_label: 'Fibers',
    length: 'Length',
    site: 'Site',
    category: 'Category',
    priority: 'Priority',
    critical: 'Critical',
    yes: 'yes',
    no: 'no',
    id: 'Id',
    details: 'Details',
    select_hint: 'Click a site to see its circuit, or a trench to simulate a cut.',
    cut_here: 'Cut here',
    impact: 'Cut impact',
    impact_none: 'No site is affected by this cut.',
    impact_count: '{n} site(s) affected, {p} protected',
    protected: 'protected',
    down: 'down',
    trace: 'Circuit trace',
    trace_none: 'No circuit recorded for this site.',
    role_working: 'Working circuit',
    role_protect: 'Protect circuit',
    loss: 'Loss budget',
    splices: 'splices',
    connectors: 'connectors',
    path_length: 'Path length',
    splices_label: 'Splices',
    connectors_label: 'Connectors',
    loss_1310: 'Loss at 1310 nm',
    loss_1550: 'Loss at 1550 nm',
    broken_path: 'Broken fiber on the path',
    units_db: '{x} dB',
    loading: 'Loading…',
    error: 'Error',
    no_results: 'No results',
    clear: 'Clear',
    units_km: 'km',
    units_fcfa: 'FCFA',
    sign_in: 'Sign in',
    sign_out: 'Sign out',
    user_name: 'User name',
    password: 'Password',
    cancel: 'Cancel',
    login_failed: 'Wrong user name or password',
    login_locked: 'Too many attempts: try again in 15 minutes',
    audit_log: 'Audit log',
    delete_site: 'Delete this site',
    deleted: 'Site deleted',
    confirm_delete: 'Delete the site "{name}"?',
    role_public: 'public',
    role_admin: 'administrator',
    role_planner: 'planner',
    role_noc: 'NOC',
    role_supervisor: 'supervisor',
    role_subcontractor: 'subcontractor',
    role_operator: 'operator',
    role_auditor: 'auditor',
    attribution: '© OpenStreetMap contributors, ODbL',
    search_hint: 'Name, category, id, quarter or prefecture; accents and case ignored',
    legend_ring: 'Ring trench (protection)',
    legend_cut: 'Cut trench',
    legend_streets: 'Streets (base map)',
    exports: 'Export',
    print: 'Print',
    pops: 'POPs',
    quarter: 'Quarter',
    prefecture: 'Prefecture',
    hop_fiber: 'cable {cable}, fiber {n} ({tube}/{fiber})',
    hop_splice: 'splice {n} in closure {closure}',
    hop_port: '{what} port {n}',
    hop_patch: 'patch',
    col_blue: 'blue', col_orange: 'orange', col_green: 'green', col_brown: 'brown', col_slate: 'slate',
    col_white: 'white', col_red: 'red', col_black: 'black', col_yellow: 'yellow', col_violet: 'violet',
    col_rose: 'rose', col_aqua: 'aqua',
    circuit_name: 'site {site}, {role}',
    role_working_short: 'working',
    role_protect_short: 'protect',
    units_bn_fcfa: 'bn FCFA',
    units_m_fcfa: 'M FCFA',
  },
};

export const languages = Object.keys(catalogue);
let current = 'fr';

export function setLanguage(lang) {
  if (catalogue[lang]) current = lang;
  document.documentElement.lang = current;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  return current;
}

export function language() { return current; }

// Translate key, replacing {name} by vars.name. A missing key shows itself
// (and the catalogue test in tests/web catches it).
export function t(key, vars = {}) {
  const s = catalogue[current][key] ?? catalogue.fr[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

// key in a given language (for matching both languages in search).
export function tIn(lang, key) {
  return (catalogue[lang] && catalogue[lang][key]) ?? catalogue.fr[key] ?? key;
}

export function formatNumber(x, digits = 0) {
  return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: digits, minimumFractionDigits: digits,
  }).format(x);
}

// Money in the language's style: "11,5 Md FCFA" / "11.5 bn FCFA" from a
// billion up, "825 M FCFA" below.
export function formatMoney(fcfa) {
  if (!Number.isFinite(fcfa)) return '–';
  if (Math.abs(fcfa) >= 1e9) return `${formatNumber(fcfa / 1e9, 1)} ${t('units_bn_fcfa')}`;
  return `${formatNumber(fcfa / 1e6, fcfa < 1e7 ? 1 : 0)} ${t('units_m_fcfa')}`;
}

// A trace hop's name from the store ("C286-1008 fiber 1 (blue/blue)",
// "splice 3 in closure 3", "ODF pop1/C286 port 1 (patch)") in the language.
export function hopName(h) {
  const name = String(h.name || h.kind || '');
  const col = (c) => t(`col_${c}`);
  let m = /^(\S+) fiber (\d+) \(([a-z]+)\/([a-z]+)\)$/.exec(name);
  if (m) return t('hop_fiber', { cable: m[1], n: m[2], tube: col(m[3]), fiber: col(m[4]) });
  m = /^splice (\d+) in closure (\d+)$/.exec(name);
  if (m) return t('hop_splice', { n: m[1], closure: m[2] });
  m = /^(.*) port (\d+)( \(patch\))?$/.exec(name);
  if (m) return t('hop_port', { what: m[1], n: m[2] }) + (m[3] ? ` (${t('hop_patch')})` : '');
  return name;
}
