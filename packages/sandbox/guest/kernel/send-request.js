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
/** Content types postman-runtime gives a raw body by its language (core-body-builder.js); text/plain otherwise. */
const RAW_CONTENT_TYPES = {
  html: 'text/html',
  text: 'text/plain',
  json: 'application/json',
  javascript: 'application/javascript',
  xml: 'application/xml',
};
function enabledParams(list) {
  if (list instanceof KeyValueList) list = list.all();
  return Array.isArray(list) ? list.filter((p) => p && !p.disabled) : [];
}
/** postman-runtime's GraphQL body: variables written as JSON text are sent as that text. */
function graphqlText(graphql) {
  if (typeof graphql.variables !== 'string') {
    return JSON.stringify({ query: graphql.query, operationName: graphql.operationName, variables: graphql.variables });
  }
  const members = [];
  if (typeof graphql.query === 'string') members.push('"query":' + JSON.stringify(graphql.query));
  if (typeof graphql.operationName === 'string') members.push('"operationName":' + JSON.stringify(graphql.operationName));
  if (graphql.variables !== '') members.push('"variables":' + graphql.variables);
  return '{' + members.join(',') + '}';
}
/** A multipart/form-data body of text fields, with a boundary shaped as the form-data package's. */
function multipart(params) {
  let boundary = '--------------------------';
  for (let i = 0; i < 24; i++) boundary += Math.floor(Math.random() * 10);
  const quoted = (name) => String(name).replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  let text = '';
  for (const param of params) {
    if (param.type === 'file') {
      throw new TypeError(
        'pm.sendRequest cannot send the file of form-data field "' + String(param.key) + '": send its content as a text field',
      );
    }
    const value = typeof param.value === 'string' ? param.value : param.value == null ? '' : JSON.stringify(param.value);
    const type = typeof param.contentType === 'string' && param.contentType !== '' ? '\r\nContent-Type: ' + param.contentType : '';
    text += '--' + boundary + '\r\nContent-Disposition: form-data; name="' + quoted(param.key) + '"' + type + '\r\n\r\n' + value + '\r\n';
  }
  return { text: text + '--' + boundary + '--\r\n', contentType: 'multipart/form-data; boundary=' + boundary };
}
/** The body's text and the content type postman-runtime adds for it when the headers have none. */
function toBody(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return { text: body, contentType: body === '' ? undefined : RAW_CONTENT_TYPES.text };
  if (body.mode === 'formdata') return multipart(enabledParams(body.formdata));
  if (body.mode === 'graphql') return { text: graphqlText(body.graphql || {}), contentType: RAW_CONTENT_TYPES.json };
  const holder = new RequestBody('');
  if (body.mode === 'urlencoded') {
    holder.update(body);
    // Percent-encoded as postman-runtime sends it (toString() is postman-collection's unencoded text).
    return { text: encodeForm(holder.urlencoded._items, String), contentType: 'application/x-www-form-urlencoded' };
  }
  if (body.mode === undefined || body.mode === 'raw') holder.update(body);
  else holder.update({ raw: body.raw });
  const text = holder.toString();
  const language = body.options?.raw?.language;
  return { text, contentType: text === '' ? undefined : RAW_CONTENT_TYPES[language] || RAW_CONTENT_TYPES.text };
}
function toScriptRequest(input) {
  if (typeof input === 'string' || input instanceof Url) return String(input);
  if (!input || typeof input !== 'object') throw new TypeError('pm.sendRequest expects a URL or a request object');
  const out = {
    method: String(input.method || 'GET').toUpperCase(),
    url: String(input.url),
    headers: toHeaderPairs(input.header || input.headers),
  };
  const body = toBody(input.body);
  if (body !== undefined) {
    out.body = body.text;
    if (body.contentType !== undefined && !out.headers.some((h) => h[0].toLowerCase() === 'content-type')) {
      out.headers.push(['Content-Type', body.contentType]);
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
