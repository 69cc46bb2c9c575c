// export.js - Downloads from the UI: a list of features as CSV (one row
// per feature, lon/lat for points, WKT-free: line lengths stay in the
// properties) or as GeoJSON.
const csvCell = (v) => {
  if (v == null) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCSV(features) {
  const keys = [];
  for (const f of features) for (const k of Object.keys(f.properties || {})) if (!keys.includes(k)) keys.push(k);
  const pt = (f) => (f.geometry && f.geometry.type === 'Point' ? f.geometry.coordinates : null);
  const hasPt = features.some(pt);
  const head = [...keys, ...(hasPt ? ['lon', 'lat'] : [])];
  const rows = features.map((f) => [...keys.map((k) => (f.properties || {})[k]),
    ...(hasPt ? (pt(f) || ['', '']) : [])].map(csvCell).join(','));
  return `${head.map(csvCell).join(',')}\n${rows.join('\n')}\n`;
}

export function toGeoJSON(features) {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
