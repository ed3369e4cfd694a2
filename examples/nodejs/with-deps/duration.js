/* global module, require -- CommonJS, as functions for the original Kubeless were written */
/* eslint-disable @typescript-eslint/no-require-imports */
// Uses a package from npm (installed into the volume by the install step) to parse durations.
const ms = require('ms');

module.exports = {
  duration: (event) => {
    const text = typeof event.data === 'string' && event.data !== '' ? event.data : '2 days';
    return { input: text, milliseconds: ms(text) };
  },
};
