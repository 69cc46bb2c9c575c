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
    attribution: '© contributeurs OpenStreetMap, ODbL',
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
    attribution: '© OpenStreetMap contributors, ODbL',
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
  return current;
}

export function language() { return current; }

// Translate key, replacing {name} by vars.name. A missing key shows itself
// (and the catalogue test in tests/web catches it).
export function t(key, vars = {}) {
  const s = catalogue[current][key] ?? catalogue.fr[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export function formatNumber(x, digits = 0) {
  return new Intl.NumberFormat(current === 'fr' ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: digits, minimumFractionDigits: digits,
  }).format(x);
}
