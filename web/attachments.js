// Attachments of one opportunity: list, upload through the pre-signed flow (announce the file
// with its SHA-256 computed here, PUT it to the signed URL with a progress bar, then complete),
// download through a short-lived signed URL, and remove (owner SM or admin; the server decides).
import * as api from './api.js';
import * as auth from './auth.js';
import { date, field, h, showProblem, toast } from './ui.js';

// Headers a browser sets itself and refuses from a script.
const k_browser_headers = new Set(['content-length', 'host']);

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

export function sizeText(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${Number((n / 1024 / 1024).toFixed(1))} MiB`;
}

// PUT with XMLHttpRequest (fetch has no upload progress); resolves on 2xx.
function put(intent, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(intent.method || 'PUT', intent.url);
    for (const [k, v] of Object.entries(intent.headers || {})) if (!k_browser_headers.has(k.toLowerCase())) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let problem = null;
      try { problem = JSON.parse(xhr.responseText); } catch { problem = null; }
      reject(new api.ApiError(xhr.status, problem || { detail: `The storage refused the file (HTTP ${xhr.status}).` }));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload failed: the connection to the storage broke.')));
    xhr.send(file);
  });
}

export async function attachmentsSection(o, { canChange }) {
  const base = `/api/v1/opportunities/${o.id}/attachments`;
  const section = h('section', { class: 'card', 'aria-labelledby': 'at-h' }, h('h2', { id: 'at-h' }, 'Attachments'));
  const list = h('div');
  const render = async () => {
    const { data } = await api.api('GET', base);
    if (!data.items.length) {
      list.replaceChildren(h('p', { class: 'empty' }, 'No attachments.'));
      return;
    }
    list.replaceChildren(h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['File', 'Size', 'Uploaded', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, data.items.map((a) => h('tr', {},
        h('td', { 'data-label': 'File' }, a.file_name),
        h('td', { 'data-label': 'Size' }, sizeText(a.size_bytes)),
        h('td', { 'data-label': 'Uploaded' }, date(a.uploaded_at)),
        h('td', { 'data-label': 'Actions' },
          h('button', { type: 'button', class: 'link', 'aria-label': `Download ${a.file_name}`, onclick: async () => {
            try {
              const { data: link } = await api.api('GET', `${base}/${a.id}/download`, { query: { redirect: 'false' } });
              const anchor = h('a', { href: link.url, download: a.file_name, hidden: true });
              document.body.append(anchor);
              anchor.click();
              anchor.remove();
            } catch (err) { showProblem(section, err); }
          } }, 'Download'),
          canChange ? h('button', { type: 'button', class: 'link danger', 'aria-label': `Remove ${a.file_name}`, onclick: async () => {
            try {
              await api.api('DELETE', `${base}/${a.id}`);
              toast(`${a.file_name} removed.`);
              await render();
            } catch (err) { showProblem(section, err); }
          } }, 'Remove') : null))))));
  };
  section.append(list);
  // The types and the size the server accepts come from it (/web-config.json), not a copy here.
  if (canChange) section.append(uploadForm(base, section, render, (await auth.config()).attachments));
  await render();
  return section;
}

function uploadForm(base, section, render, limits) {
  const form = h('form', { class: 'inline', novalidate: true });
  const input = h('input', { type: 'file', name: 'file', accept: limits.content_types.join(',') });
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Upload');
  form.append(field('File to attach', input, { name: 'file_name', hint: `PDF, Office documents, text, CSV or images; at most ${sizeText(limits.max_bytes)}.` }),
    h('div', { class: 'actions' }, button), progress, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = input.files[0];
    if (!file) { status.textContent = 'Choose a file first.'; return; }
    if (file.size > limits.max_bytes) {
      status.textContent = `${file.name} is ${sizeText(file.size)}: at most ${sizeText(limits.max_bytes)}.`;
      return;
    }
    button.disabled = true;
    try {
      status.textContent = 'Checking the file…';
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      const { data: intent } = await api.api('POST', `${base}/uploads`, {
        body: { file_name: file.name, content_type: file.type || 'application/octet-stream', size_bytes: file.size, sha256 } });
      progress.hidden = false;
      progress.value = 0;
      await put(intent, file, (loaded, total) => {
        progress.value = Math.round((loaded / total) * 100);
        status.textContent = `Uploading ${file.name}: ${progress.value} %`;
      });
      progress.value = 100;
      await api.api('POST', base, { body: { upload_id: intent.upload_id } });
      status.textContent = `${file.name} attached.`;
      toast(`${file.name} attached.`);
      input.value = '';
      await render();
    } catch (err) {
      status.textContent = '';
      showProblem(section, err, { prefix: '' });
    } finally {
      button.disabled = false;
      progress.hidden = true;
    }
  });
  return form;
}
