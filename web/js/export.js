// Export of the current filter (GET /v1/export, CSV or JSON Lines) as a download: fetched
// with the Authorization header, then handed to the browser as a blob, so the credential
// is never in a link.

function filenameOf(response, format) {
  const cd = response.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  return m ? m[1] : `actlog-export.${format === 'csv' ? 'csv' : 'jsonl'}`;
}

// Downloads the export; returns {name, bytes}.
export async function downloadExport(api, params, format) {
  const response = await api.fetch('/v1/export', { ...params, format });
  const blob = await response.blob();
  const name = filenameOf(response, format);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return { name, bytes: blob.size };
}
