// Re-exports the `xpath` package so that TypeScript reads ./xpath-engine.d.cts instead of the
// package's own declarations, which add the DOM lib to the type program of the whole workspace.
module.exports = require('xpath');
