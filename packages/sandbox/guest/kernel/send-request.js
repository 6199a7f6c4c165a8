function toHeaderPairs(header) {
  if (!header) return [];
  if (header instanceof KeyValueList) header = header.all();
  if (Array.isArray(header))
    return header
      .filter((h) => !h.disabled)
      .map((h) => {
        const kv = toKeyValue(h);
        return [kv.key, String(kv.value)];
      });
  return Object.keys(header).map((key) => [key, String(header[key])]);
}
function toBodyText(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  const holder = new RequestBody('');
  if (body.mode === 'formdata' && Array.isArray(body.formdata)) holder.update({ mode: 'urlencoded', urlencoded: body.formdata });
  else if (body.mode === 'graphql' && body.graphql) holder.update(JSON.stringify(body.graphql));
  else if (body.mode === undefined || body.mode === 'raw' || body.mode === 'urlencoded') holder.update(body);
  else holder.update({ raw: body.raw });
  return holder.toString();
}
function toScriptRequest(input) {
  if (typeof input === 'string' || input instanceof Url) return String(input);
  if (!input || typeof input !== 'object') throw new TypeError('pm.sendRequest expects a URL or a request object');
  const out = {
    method: String(input.method || 'GET').toUpperCase(),
    url: String(input.url),
    headers: toHeaderPairs(input.header || input.headers),
  };
  const body = toBodyText(input.body);
  if (body !== undefined) {
    out.body = body;
    if (input.body && input.body.mode === 'urlencoded' && !out.headers.some((h) => h[0].toLowerCase() === 'content-type')) {
      out.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
  }
  return out;
}
function createSendRequest() {
  return function sendRequest(input, callback) {
    const request = toScriptRequest(input);
    flushVariableWrites();
    const promise = promiseThen.call(host.sendRequest(JSON.stringify(request)), (json) => {
      return responseFromMeta(JSON.parse(json));
    });
    if (typeof callback !== 'function') return promise;
    const call = (error, response) => {
      try {
        callback(error, response);
      } catch (thrown) {
        recordError(thrown);
      }
      return response;
    };
    return promiseThen.call(
      promise,
      (response) => call(null, response),
      (error) => call(error, undefined),
    );
  };
}
