/**
 * Progressive enhancement of the 报送 page (`/assets/upload.js`): with a script, choosing files uploads each
 * straight to storage with its own presigned form, showing progress, and the list refreshes; without one,
 * the page works as plain forms (choose a type, then a file). Served from the portal ('self' in the CSP).
 */
export const UPLOAD_JS = `
(function () {
  var box = document.getElementById('add-attachment');
  if (!box || !window.fetch || !window.FormData) return;
  var types = JSON.parse(box.getAttribute('data-types') || '[]');
  var endpoint = box.getAttribute('data-form-url');
  var status = document.getElementById('upload-status');
  var picker = document.createElement('input');
  picker.type = 'file';
  picker.multiple = true;
  picker.id = 'upload-files';
  picker.accept = types.map(function (t) { return t.extensions.map(function (e) { return '.' + e; }).join(','); }).join(',');
  var label = document.createElement('label');
  label.setAttribute('for', 'upload-files');
  label.textContent = '选择要上传的文件（可多选）';
  var noscript = box.querySelector('.no-script');
  if (noscript) noscript.hidden = true;
  box.appendChild(label);
  box.appendChild(picker);
  function say(text) { status.textContent = text; }
  function typeOf(name) {
    var ext = (name.split('.').pop() || '').toLowerCase();
    for (var i = 0; i < types.length; i++) if (types[i].extensions.indexOf(ext) >= 0) return types[i];
    return null;
  }
  function upload(file, done) {
    var type = typeOf(file.name);
    if (!type) { done('文件“' + file.name + '”的类型不在允许范围内'); return; }
    fetch(endpoint + '?type=' + encodeURIComponent(type.id), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : r.json().then(function (e) { throw new Error(e.error); }); })
      .then(function (form) {
        var data = new FormData();
        Object.keys(form.fields).forEach(function (k) { data.append(k, form.fields[k]); });
        data.append('file', file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open('POST', form.url);
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) say('正在上传“' + file.name + '”：' + Math.round(e.loaded / e.total * 100) + '%'); };
        xhr.onload = function () { done(xhr.status >= 200 && xhr.status < 300 ? null : '“' + file.name + '”上传失败（文件过大或类型不符）'); };
        xhr.onerror = function () { done('“' + file.name + '”上传失败，请检查网络后重试'); };
        xhr.send(data);
      })
      .catch(function (e) { done(e.message || '无法上传“' + file.name + '”'); });
  }
  picker.addEventListener('change', function () {
    var files = Array.prototype.slice.call(picker.files || []);
    var errors = [];
    (function next() {
      var file = files.shift();
      if (!file) {
        if (errors.length) { say(errors.join('；')); return; }
        window.location.reload();
        return;
      }
      upload(file, function (error) { if (error) errors.push(error); next(); });
    })();
  });
})();
`.trim();
